#include "core/model/gatewayrequest.h"

#include "core/json/jsontree.h"
#include "core/json/jsonutil.h"
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
    EndpointInfo {
        Endpoint::Rerank, "rerank"_L1, "/v2/rerank"_L1, "Rerank"_L1, "POST"_L1, true, false },
    EndpointInfo { Endpoint::Messages, "messages"_L1, "/messages"_L1, "Messages (Anthropic)"_L1,
        "POST"_L1, true, false },
    EndpointInfo { Endpoint::Custom, "custom"_L1, {}, "Custom path"_L1, "POST"_L1, false, false },
};

// The gateway headers with a typed field, in the order compose() writes them.
constexpr std::array kGatewayHeaders {
    headers::kProviderName,
    headers::kMetadata,
    headers::kStrictOpenAi,
    headers::kRetryConfig,
    headers::kRequestTimeout,
    headers::kTtftTimeout,
    headers::kLoggingConfig,
    headers::kGuardrails,
    headers::kMcpHeaders,
};

bool isGatewayHeader(QByteArrayView name)
{
    return std::ranges::any_of(kGatewayHeaders, [name](QLatin1StringView h) {
        return headerNameEquals(name, QByteArrayView(h.data(), h.size()));
    });
}

QByteArrayView bytes(QLatin1StringView s)
{
    return QByteArrayView(s.data(), s.size());
}

QByteArray encodeMetadata(const MetadataEntries &entries)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i)
            out += ',';
        out += jsonString(entries[i].first) + ':' + jsonString(entries[i].second);
    }
    return out + '}';
}

QByteArray encodeRetry(const RetryConfig &retry)
{
    QByteArrayList parts;
    if (retry.attempts)
        parts << "\"attempts\":" + QByteArray::number(*retry.attempts);
    if (retry.onStatusCodes) {
        QByteArrayList codes;
        for (qint64 c : *retry.onStatusCodes)
            codes << QByteArray::number(c);
        parts << "\"onStatusCodes\":[" + codes.join(',') + ']';
    }
    if (retry.useRetryAfterHeader)
        parts << QByteArray("\"useRetryAfterHeader\":")
                + (*retry.useRetryAfterHeader ? "true" : "false");
    return '{' + parts.join(',') + '}';
}

QByteArray encodeStringList(const QStringList &list)
{
    QByteArrayList items;
    for (const QString &s : list)
        items << jsonString(s);
    return '[' + items.join(',') + ']';
}

QByteArray encodeGuardrails(const Guardrails &g)
{
    QByteArrayList parts;
    if (!g.input.isEmpty())
        parts << "\"llm_input_guardrails\":" + encodeStringList(g.input);
    if (!g.output.isEmpty())
        parts << "\"llm_output_guardrails\":" + encodeStringList(g.output);
    return '{' + parts.join(',') + '}';
}

std::optional<qint64> parseWholeNumber(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 v = t.toLongLong(&ok);
    return ok ? std::optional(v) : std::nullopt;
}

std::optional<bool> parseBool(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    if (t == "true")
        return true;
    if (t == "false")
        return false;
    return std::nullopt;
}

std::optional<QStringList> stringList(const QJsonValue &v)
{
    if (!v.isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue item : v.toArray()) {
        if (!item.isString())
            return std::nullopt;
        out << item.toString();
    }
    return out;
}

// Puts one gateway header's text into its typed field. Returns false when the text
// does not fit the typed shape; the caller then keeps it verbatim.
bool applyGatewayHeader(GatewayRequest &r, QByteArrayView name, QByteArrayView value)
{
    const auto is = [name](QLatin1StringView h) { return headerNameEquals(name, bytes(h)); };
    if (is(headers::kProviderName)) {
        r.providerName = QString::fromUtf8(value);
        return true;
    }
    if (is(headers::kStrictOpenAi)) {
        r.strictOpenAi = parseBool(value);
        return r.strictOpenAi.has_value();
    }
    if (is(headers::kRequestTimeout)) {
        r.requestTimeoutMs = parseWholeNumber(value);
        return r.requestTimeoutMs.has_value();
    }
    if (is(headers::kTtftTimeout)) {
        r.ttftTimeoutMs = parseWholeNumber(value);
        return r.ttftTimeoutMs.has_value();
    }
    const auto object = parseJsonObject(value);
    if (!object)
        return false;
    if (is(headers::kMetadata)) {
        // In the order written (QJsonObject sorts its keys), so that the form shows
        // the entries as the header has them.
        const auto tree = parseJsonTree(value);
        if (!tree || tree->type != JsonNode::Type::Object)
            return false;
        MetadataEntries entries;
        for (const JsonNode &member : tree->children) {
            if (member.type != JsonNode::Type::String)
                return false;
            entries.append({ member.key, member.scalar });
        }
        r.metadata = entries;
        return true;
    }
    if (is(headers::kRetryConfig)) {
        RetryConfig retry;
        for (auto it = object->begin(); it != object->end(); ++it) {
            const QJsonValue v = it.value();
            if (it.key() == "attempts"_L1) {
                if (!isWholeNumber(v))
                    return false;
                retry.attempts = v.toInteger();
            } else if (it.key() == "onStatusCodes"_L1) {
                if (!v.isArray())
                    return false;
                QList<qint64> codes;
                for (const QJsonValue c : v.toArray()) {
                    if (!isWholeNumber(c))
                        return false;
                    codes << c.toInteger();
                }
                retry.onStatusCodes = codes;
            } else if (it.key() == "useRetryAfterHeader"_L1) {
                if (!v.isBool())
                    return false;
                retry.useRetryAfterHeader = v.toBool();
            } else {
                return false; // an unknown key: keep the text, validate() warns
            }
        }
        r.retryConfig = retry;
        return true;
    }
    if (is(headers::kLoggingConfig)) {
        if (object->size() != 1 || !object->value("enabled"_L1).isBool())
            return false;
        r.loggingEnabled = object->value("enabled"_L1).toBool();
        return true;
    }
    if (is(headers::kGuardrails)) {
        Guardrails g;
        for (auto it = object->begin(); it != object->end(); ++it) {
            const auto list = stringList(it.value());
            if (!list)
                return false;
            if (it.key() == "llm_input_guardrails"_L1)
                g.input = *list;
            else if (it.key() == "llm_output_guardrails"_L1)
                g.output = *list;
            else
                return false;
        }
        r.guardrails = g;
        return true;
    }
    if (is(headers::kMcpHeaders)) {
        r.mcpHeaders = *object;
        return true;
    }
    return false;
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
    if (isGatewayHeader(h.name) && !hasGatewayValue(r, h.name)) {
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
    object->insert("model"_L1, model);
    const bool pretty = body.contains('\n');
    QByteArray out
        = QJsonDocument(*object).toJson(pretty ? QJsonDocument::Indented : QJsonDocument::Compact);
    if (pretty && !body.endsWith('\n'))
        out.chop(1);
    return out;
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

QByteArray WireRequest::toText(bool showSecrets) const
{
    const WireRequest shown = showSecrets ? *this : Redactor().request(*this);
    QByteArray out = shown.method + ' ' + shown.url.toUtf8() + " HTTP/1.1\r\n";
    for (const HttpHeader &h : shown.headers)
        out += h.name + ": " + h.value + "\r\n";
    out += "\r\n";
    out += shown.body;
    return out;
}

std::optional<QByteArray> encodeGatewayHeader(const GatewayRequest &r, QByteArrayView name)
{
    const auto is = [name](QLatin1StringView h) { return headerNameEquals(name, bytes(h)); };
    const auto number = [](qint64 v) { return QByteArray::number(v); };
    const auto boolean = [](bool v) { return QByteArray(v ? "true" : "false"); };
    if (is(headers::kProviderName))
        return encodeIf(r.providerName, [](const QString &v) { return v.toUtf8(); });
    if (is(headers::kMetadata))
        return encodeIf(r.metadata, encodeMetadata);
    if (is(headers::kStrictOpenAi))
        return encodeIf(r.strictOpenAi, boolean);
    if (is(headers::kRetryConfig))
        return encodeIf(r.retryConfig, encodeRetry);
    if (is(headers::kRequestTimeout))
        return encodeIf(r.requestTimeoutMs, number);
    if (is(headers::kTtftTimeout))
        return encodeIf(r.ttftTimeoutMs, number);
    if (is(headers::kLoggingConfig))
        return encodeIf(
            r.loggingEnabled, [&](bool v) { return "{\"enabled\":" + boolean(v) + '}'; });
    if (is(headers::kGuardrails))
        return encodeIf(r.guardrails, encodeGuardrails);
    if (is(headers::kMcpHeaders))
        return encodeIf(r.mcpHeaders,
            [](const QJsonObject &v) { return QJsonDocument(v).toJson(QJsonDocument::Compact); });
    return std::nullopt;
}

WireRequest compose(const GatewayRequest &r)
{
    WireRequest wire;
    wire.method = r.effectiveMethod().toUtf8();
    wire.url = r.url();
    wire.body = r.model.isEmpty() ? r.body : bodyWithModel(r.body, r.model);

    QList<Slot> slots;
    if (!r.bearerToken.isEmpty())
        slots.append(
            { bytes(headers::kAuthorization).toByteArray(), "Bearer " + r.bearerToken.toUtf8() });
    const bool hasContentType = std::ranges::any_of(r.extraHeaders,
        [](const HttpHeader &h) { return headerNameEquals(h.name, bytes(headers::kContentType)); });
    if (!wire.body.isEmpty() && !hasContentType)
        slots.append({ bytes(headers::kContentType).toByteArray(), "application/json" });
    for (QLatin1StringView name : kGatewayHeaders) {
        const auto unparsed = std::ranges::find_if(r.unparsedHeaders,
            [name](const HttpHeader &h) { return headerNameEquals(h.name, bytes(name)); });
        if (unparsed != r.unparsedHeaders.end())
            slots.append({ bytes(name).toByteArray(), unparsed->value });
        else if (const auto value = encodeGatewayHeader(r, bytes(name)))
            slots.append({ bytes(name).toByteArray(), *value, true });
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
    r.model = bodyModel(wire.body);
    for (const HttpHeader &h : wire.headers)
        applyHeader(r, h);
    r.sourceHeaders = wire.headers;
    return r;
}

} // namespace gs::core
