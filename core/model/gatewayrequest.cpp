#include "core/model/gatewayrequest.h"

#include "core/json/jsonedit.h"
#include "core/json/jsontree.h"
#include "core/json/jsonutil.h"
#include "core/model/gatewayheaders.h"
#include "core/model/redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <array>
#include <functional>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr std::array kEndpoints {
    EndpointInfo { Endpoint::ChatCompletions, "chat-completions"_L1, "/chat/completions"_L1,
        "Chat completions"_L1, "POST"_L1, true, false },
    EndpointInfo { Endpoint::Completions, "completions"_L1, "/completions"_L1, "Completions"_L1,
        "POST"_L1, true, false },
    EndpointInfo { Endpoint::Embeddings, "embeddings"_L1, "/embeddings"_L1, "Embeddings"_L1,
        "POST"_L1, true, false },
    EndpointInfo { Endpoint::Responses, "responses"_L1, "/responses"_L1, "Responses"_L1, "POST"_L1,
        true, true },
    EndpointInfo {
        Endpoint::Models, "models"_L1, "/models"_L1, "Models"_L1, "GET"_L1, false, false },
    EndpointInfo { Endpoint::Files, "files"_L1, "/files"_L1, "Files"_L1, "GET"_L1, false, true },
    EndpointInfo {
        Endpoint::Batches, "batches"_L1, "/batches"_L1, "Batches"_L1, "GET"_L1, false, true },
    EndpointInfo { Endpoint::Moderations, "moderations"_L1, "/moderations"_L1, "Moderations"_L1,
        "POST"_L1, false, false },
    EndpointInfo { Endpoint::ImageGenerations, "image-generations"_L1, "/images/generations"_L1,
        "Image generations"_L1, "POST"_L1, true, false },
    EndpointInfo { Endpoint::AudioTranscriptions, "audio-transcriptions"_L1,
        "/audio/transcriptions"_L1, "Audio transcriptions"_L1, "POST"_L1, false, false },
    EndpointInfo { Endpoint::AudioSpeech, "audio-speech"_L1, "/audio/speech"_L1, "Speech"_L1,
        "POST"_L1, true, false },
    EndpointInfo {
        Endpoint::Rerank, "rerank"_L1, "/v2/rerank"_L1, "Rerank"_L1, "POST"_L1, true, false },
    EndpointInfo { Endpoint::Messages, "messages"_L1, "/messages"_L1, "Messages (Anthropic)"_L1,
        "POST"_L1, true, false },
    EndpointInfo { Endpoint::Custom, "custom"_L1, {}, "Custom path"_L1, "POST"_L1, false, false },
};

QByteArrayView bytes(QLatin1StringView s)
{
    return QByteArrayView(s.data(), s.size());
}

// Puts one gateway header's text into its typed field. Returns false when the text
// does not fit the typed shape; the caller then keeps it verbatim.
bool applyGatewayHeader(GatewayRequest &r, QByteArrayView name, QByteArrayView value)
{
    const GatewayHeaderSpec *spec = gatewayHeaderSpec(name);
    return spec && spec->decode(r, value);
}

bool hasGatewayValue(const GatewayRequest &r, QByteArrayView name)
{
    const bool unparsed = std::ranges::any_of(
        r.unparsedHeaders, [name](const HttpHeader &h) { return headerNameEquals(h.name, name); });
    return unparsed || encodeGatewayHeader(r, name).has_value();
}

void applyHeader(GatewayRequest &r, const HttpHeader &h)
{
    if (headerNameEquals(h.name, bytes(headers::kAuthorization)) && r.bearerToken.isEmpty()
        && h.value.size() > 7
        && QByteArrayView(h.value).first(7).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        r.bearerToken = QString::fromUtf8(h.value.mid(7));
        return;
    }
    if (gatewayHeaderSpec(h.name) && !hasGatewayValue(r, h.name)) {
        if (!applyGatewayHeader(r, h.name, h.value))
            r.unparsedHeaders.append(h);
        return;
    }
    r.extraHeaders.append(h);
}

// The model named in a JSON body, if any.
QString bodyModel(const QByteArray &body)
{
    const auto object = parseJsonObject(body);
    return object ? object->value("model"_L1).toString() : QString();
}

QByteArray bodyWithModel(const QByteArray &body, const QString &model)
{
    auto object = parseJsonObject(body);
    if (!object || object->value("model"_L1).toString() == model)
        return body;
    // Only the model's value changes: the user's formatting and key order stay.
    return withTopLevelMember(body, "model", jsonString(model)).value_or(body);
}

template <typename T, typename Encode>
std::optional<QByteArray> encodeIf(const std::optional<T> &value, Encode encode)
{
    if (!value)
        return std::nullopt;
    return QByteArray(encode(*value));
}

struct Slot
{
    QByteArray name;
    QByteArray value;
    bool typedGateway = false; // value derives from a typed field
};

} // namespace

std::span<const EndpointInfo> endpoints()
{
    return kEndpoints;
}

const EndpointInfo &endpointInfo(Endpoint endpoint)
{
    return kEndpoints[static_cast<std::size_t>(endpoint)];
}

QString GatewayRequest::effectiveMethod() const
{
    return method.isEmpty() ? QString(endpointInfo(endpoint).defaultMethod) : method;
}

QString GatewayRequest::url() const
{
    QString base = baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QString path = endpoint == Endpoint::Custom ? customPath : QString(endpointInfo(endpoint).path);
    if (!path.isEmpty() && !path.startsWith(u'/'))
        path.prepend(u'/');
    QString url = base + path;
    if (!query.isEmpty())
        url += u'?' + query;
    return url;
}

void applyUrl(GatewayRequest &r, const QString &url)
{
    QString rest = url;
    r.query.clear();
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        r.query = rest.mid(q + 1);
        rest.truncate(q);
    }
    // Longest endpoint path first: "/completions" is a suffix of "/chat/completions".
    const EndpointInfo *best = nullptr;
    for (const EndpointInfo &info : kEndpoints) {
        if (info.path.isEmpty() || !rest.endsWith(info.path))
            continue;
        if (!best || info.path.size() > best->path.size())
            best = &info;
    }
    if (best) {
        r.endpoint = best->endpoint;
        r.baseUrl = rest.chopped(best->path.size());
        r.customPath.clear();
        return;
    }
    // A custom path: the base is scheme://authority, the rest is the path.
    const qsizetype scheme = rest.indexOf("://"_L1);
    const qsizetype slash = scheme >= 0 ? rest.indexOf(u'/', scheme + 3) : rest.indexOf(u'/');
    r.endpoint = Endpoint::Custom;
    r.baseUrl = slash >= 0 ? rest.left(slash) : rest;
    r.customPath = slash >= 0 ? rest.mid(slash) : QString();
}

bool isSecretHeader(QByteArrayView name)
{
    return isCredentialName(QString::fromLatin1(name));
}

QByteArray maskSecret(QByteArrayView name, QByteArrayView value)
{
    if (headerNameEquals(name, bytes(headers::kMcpHeaders))) {
        // Forwarded MCP headers carry their own credentials: mask those values only.
        auto object = parseJsonObject(value);
        if (!object)
            return value.toByteArray();
        bool changed = false;
        const std::function<void(QJsonObject &)> maskIn = [&](QJsonObject &o) {
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.value().isObject()) {
                    QJsonObject inner = it.value().toObject();
                    maskIn(inner);
                    it.value() = inner;
                } else if (it.value().isString() && isSecretHeader(it.key().toUtf8())) {
                    it.value() = QStringLiteral("********");
                    changed = true;
                }
            }
        };
        maskIn(*object);
        return changed ? QJsonDocument(*object).toJson(QJsonDocument::Compact)
                       : value.toByteArray();
    }
    if (!isSecretHeader(name))
        return value.toByteArray();
    // Keep the scheme ("Bearer ") so that the reader still sees what kind of credential it is.
    const qsizetype space = value.indexOf(' ');
    if (headerNameEquals(name, "authorization") && space > 0)
        return value.first(space + 1).toByteArray() + "********";
    return "********";
}

qint64 WireRequest::bodySize() const
{
    qint64 size = body.size();
    for (const BodyFile &f : bodyFiles)
        size += f.size;
    return size;
}

QByteArray WireRequest::toText(bool showSecrets) const
{
    const WireRequest shown = showSecrets ? *this : Redactor().request(*this);
    QByteArray out = shown.method + ' ' + shown.url.toUtf8() + " HTTP/1.1\r\n";
    for (const HttpHeader &h : shown.headers)
        out += h.name + ": " + h.value + "\r\n";
    out += "\r\n";
    out += shown.bodyText();
    return out;
}

QByteArray WireRequest::bodyText() const
{
    QByteArray out;
    qsizetype at = 0;
    for (const BodyFile &f : bodyFiles) {
        const qsizetype offset = std::clamp<qsizetype>(f.offset, at, body.size());
        out += QByteArrayView(body).sliced(at, offset - at);
        out += "<file " + f.path.toUtf8() + ", " + QByteArray::number(f.size) + " bytes>";
        at = offset;
    }
    out += QByteArrayView(body).sliced(at);
    return out;
}

std::optional<QByteArray> encodeGatewayHeader(const GatewayRequest &r, QByteArrayView name)
{
    const GatewayHeaderSpec *spec = gatewayHeaderSpec(name);
    return spec ? spec->encode(r) : std::nullopt;
}

WireRequest compose(const GatewayRequest &r)
{
    WireRequest wire;
    wire.method = r.effectiveMethod().toUtf8();
    wire.url = r.url();
    wire.body = r.model.isEmpty() ? r.body : bodyWithModel(r.body, r.model);
    wire.bodyFiles = r.bodyFiles;

    QList<Slot> slots;
    if (!r.bearerToken.isEmpty())
        slots.append(
            { bytes(headers::kAuthorization).toByteArray(), "Bearer " + r.bearerToken.toUtf8() });
    const bool hasContentType = std::ranges::any_of(r.extraHeaders,
        [](const HttpHeader &h) { return headerNameEquals(h.name, bytes(headers::kContentType)); });
    if (!wire.body.isEmpty() && !hasContentType)
        slots.append({ bytes(headers::kContentType).toByteArray(), "application/json" });
    for (const GatewayHeaderSpec &spec : gatewayHeaderSpecs()) {
        const QByteArray name = bytes(spec.name).toByteArray();
        const auto unparsed = std::ranges::find_if(r.unparsedHeaders,
            [&name](const HttpHeader &h) { return headerNameEquals(h.name, name); });
        if (unparsed != r.unparsedHeaders.end())
            slots.append({ name, unparsed->value });
        else if (const auto value = spec.encode(r))
            slots.append({ name, *value, true });
    }
    for (const HttpHeader &h : r.extraHeaders)
        slots.append({ h.name, h.value });

    // Headers the request was read from come first, in their order and spelling, with
    // their original text wherever it still means the same typed value.
    QList<bool> used(slots.size(), false);
    for (const HttpHeader &src : r.sourceHeaders) {
        for (qsizetype i = 0; i < slots.size(); ++i) {
            if (used[i] || !headerNameEquals(slots[i].name, src.name))
                continue;
            used[i] = true;
            QByteArray value = slots[i].value;
            if (slots[i].typedGateway) {
                GatewayRequest probe;
                if (applyGatewayHeader(probe, src.name, src.value)
                    && encodeGatewayHeader(probe, src.name) == value)
                    value = src.value;
            } else if (headerNameEquals(src.name, bytes(headers::kAuthorization))
                && src.value.size() > 7 && src.value.mid(7) == value.mid(7)) {
                value = src.value; // "bearer x" stays as written
            }
            wire.headers.append({ src.name, value });
            break;
        }
    }
    for (qsizetype i = 0; i < slots.size(); ++i) {
        if (!used[i])
            wire.headers.append({ slots[i].name, slots[i].value });
    }
    return wire;
}

GatewayRequest decode(const WireRequest &wire)
{
    GatewayRequest r;
    applyUrl(r, wire.url);
    r.method = QString::fromUtf8(wire.method);
    r.body = wire.body;
    r.bodyFiles = wire.bodyFiles;
    r.model = bodyModel(wire.body);
    for (const HttpHeader &h : wire.headers)
        applyHeader(r, h);
    r.sourceHeaders = wire.headers;
    return r;
}

} // namespace gs::core
