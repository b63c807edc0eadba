#include "demo/gatewayrules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::demo {

namespace {

// The documented limit on a metadata value.
constexpr qsizetype kMetadataValueLimit = 128;

Refusal refuse(const QString &message)
{
    return Refusal { 400, message, u"invalid_request_error"_s };
}

QString nameOf(QByteArrayView header)
{
    return QString::fromLatin1(header);
}

// The header's JSON object, or why it is not one.
std::expected<QJsonObject, Refusal> jsonObject(const QByteArray &value, QByteArrayView header)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(
            refuse(u"%1 is not JSON: %2."_s.arg(nameOf(header), error.errorString())));
    if (!doc.isObject())
        return std::unexpected(refuse(u"%1 must be a JSON object."_s.arg(nameOf(header))));
    return doc.object();
}

bool isWholeNumber(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == double(v.toInteger());
}

std::optional<qint64> positiveMilliseconds(const QByteArray &value)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty() || text.size() > 15)
        return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9')
            return std::nullopt;
    const qint64 ms = text.toLongLong();
    return ms > 0 ? std::optional(ms) : std::nullopt;
}

std::optional<Refusal> readMetadata(const QByteArray &value, GatewayHeaders &out)
{
    auto object = jsonObject(value, "x-tfy-metadata");
    if (!object)
        return object.error();
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (!it.value().isString())
            return refuse(u"x-tfy-metadata: the value of \"%1\" must be a string."_s.arg(it.key()));
        const QString v = it.value().toString();
        if (v.size() > kMetadataValueLimit)
            return refuse(u"x-tfy-metadata: the value of \"%1\" has %2 characters; the "
                          "gateway takes at most %3."_s.arg(it.key())
                              .arg(v.size())
                              .arg(kMetadataValueLimit));
        out.metadata.append({ it.key(), v });
    }
    return std::nullopt;
}

std::optional<Refusal> readRetryConfig(const QByteArray &value, GatewayHeaders &out)
{
    auto object = jsonObject(value, "x-tfy-retry-config");
    if (!object)
        return object.error();
    // The server-side YAML spells these in snake_case; the header does not.
    for (const auto &[yaml, header] : { std::pair { "on_status_codes"_L1, "onStatusCodes"_L1 },
             std::pair { "use_retry_after_header"_L1, "useRetryAfterHeader"_L1 } }) {
        if (object->contains(yaml))
            return refuse(u"x-tfy-retry-config is camelCase: \"%1\", not \"%2\" (the gateway's "
                          "YAML form)."_s.arg(header, yaml));
    }
    out.hasRetryConfig = true;
    if (object->contains("attempts"_L1)) {
        const QJsonValue attempts = object->value("attempts"_L1);
        if (!isWholeNumber(attempts) || attempts.toInteger() < 0)
            return refuse(u"x-tfy-retry-config: \"attempts\" must be a whole number, 0 or more."_s);
        out.retryAttempts = attempts.toInteger();
    }
    if (object->contains("onStatusCodes"_L1)) {
        const QJsonValue codes = object->value("onStatusCodes"_L1);
        if (!codes.isArray())
            return refuse(u"x-tfy-retry-config: \"onStatusCodes\" must be a list of numbers."_s);
        QList<qint64> list;
        for (const QJsonValue &code : codes.toArray()) {
            if (code.isString())
                return refuse(u"x-tfy-retry-config: status codes are numbers (429), not strings "
                              "(\"429\") as in the gateway's YAML form."_s);
            if (!isWholeNumber(code) || code.toInteger() < 100 || code.toInteger() > 599)
                return refuse(u"x-tfy-retry-config: \"onStatusCodes\" must list HTTP status "
                              "codes (100-599)."_s);
            list << code.toInteger();
        }
        out.retryOnStatusCodes = list;
    }
    if (object->contains("useRetryAfterHeader"_L1)) {
        const QJsonValue use = object->value("useRetryAfterHeader"_L1);
        if (!use.isBool())
            return refuse(u"x-tfy-retry-config: \"useRetryAfterHeader\" must be true or false."_s);
        out.useRetryAfterHeader = use.toBool();
    }
    return std::nullopt;
}

std::optional<Refusal> readLoggingConfig(const QByteArray &value, GatewayHeaders &out)
{
    auto object = jsonObject(value, "x-tfy-logging-config");
    if (!object)
        return object.error();
    if (object->contains("enabled"_L1)) {
        if (!object->value("enabled"_L1).isBool())
            return refuse(u"x-tfy-logging-config: \"enabled\" must be true or false."_s);
        out.loggingEnabled = object->value("enabled"_L1).toBool();
    }
    return std::nullopt;
}

std::optional<Refusal> readNames(
    const QJsonObject &object, QLatin1StringView key, QStringList &names)
{
    if (!object.contains(key))
        return std::nullopt;
    const QJsonValue list = object.value(key);
    if (!list.isArray())
        return refuse(u"x-tfy-guardrails: \"%1\" must be a list of guardrail names."_s.arg(key));
    for (const QJsonValue &name : list.toArray()) {
        if (!name.isString() || name.toString().isEmpty())
            return refuse(
                u"x-tfy-guardrails: \"%1\" must list guardrail names (strings)."_s.arg(key));
        names << name.toString();
    }
    return std::nullopt;
}

std::optional<Refusal> readGuardrails(const QByteArray &value, GatewayHeaders &out)
{
    auto object = jsonObject(value, "x-tfy-guardrails");
    if (!object)
        return object.error();
    out.hasGuardrails = true;
    if (auto refused = readNames(*object, "llm_input_guardrails"_L1, out.inputGuardrails))
        return refused;
    return readNames(*object, "llm_output_guardrails"_L1, out.outputGuardrails);
}

std::optional<Refusal> readMcpHeaders(const QByteArray &value)
{
    auto object = jsonObject(value, "x-tfy-mcp-headers");
    if (!object)
        return object.error();
    for (auto server = object->begin(); server != object->end(); ++server) {
        if (!server.value().isObject())
            return refuse(u"x-tfy-mcp-headers: the headers for \"%1\" must be a JSON object."_s.arg(
                server.key()));
        const QJsonObject headers = server.value().toObject();
        for (auto h = headers.begin(); h != headers.end(); ++h)
            if (!h.value().isString())
                return refuse(
                    u"x-tfy-mcp-headers: header \"%1\" for \"%2\" must be a string."_s.arg(
                        h.key(), server.key()));
    }
    return std::nullopt;
}

std::optional<Refusal> readOne(const HttpHeader &h, GatewayHeaders &out)
{
    const auto is = [&h](QByteArrayView name) { return headerNameEquals(h.name, name); };
    if (is("x-tfy-metadata"))
        return readMetadata(h.value, out);
    if (is("x-tfy-provider-name")) {
        out.providerName = QString::fromUtf8(h.value.trimmed());
        return std::nullopt;
    }
    if (is("x-tfy-strict-openai")) {
        const QByteArray v = h.value.trimmed().toLower();
        if (v != "true" && v != "false")
            return refuse(u"x-tfy-strict-openai must be true or false."_s);
        out.strictOpenAi = v == "true";
        return std::nullopt;
    }
    if (is("x-tfy-retry-config"))
        return readRetryConfig(h.value, out);
    if (is("x-tfy-request-timeout") || is("x-tfy-ttft-timeout-ms")) {
        const auto ms = positiveMilliseconds(h.value);
        if (!ms)
            return refuse(u"%1 must be a positive whole number of milliseconds."_s.arg(
                QString::fromLatin1(h.name).toLower()));
        (is("x-tfy-request-timeout") ? out.requestTimeoutMs : out.ttftTimeoutMs) = ms;
        return std::nullopt;
    }
    if (is("x-tfy-logging-config"))
        return readLoggingConfig(h.value, out);
    if (is("x-tfy-guardrails"))
        return readGuardrails(h.value, out);
    if (is("x-tfy-mcp-headers"))
        return readMcpHeaders(h.value);
    return std::nullopt;
}

} // namespace

std::expected<QByteArray, Refusal> bearerToken(const HttpHeaders &headers)
{
    const QByteArray authorization = headerValue(headers, "authorization").trimmed();
    if (authorization.isEmpty())
        return std::unexpected(Refusal { 401,
            u"Missing Authorization header: send \"Authorization: Bearer <token>\"."_s,
            u"authentication_error"_s });
    // The scheme is case-insensitive (RFC 9110 11.1).
    const qsizetype space = authorization.indexOf(' ');
    if (space < 0 || authorization.left(space).toLower() != "bearer")
        return std::unexpected(Refusal { 401,
            u"The Authorization header must be \"Bearer <token>\"."_s, u"authentication_error"_s });
    return authorization.mid(space + 1).trimmed();
}

std::expected<GatewayHeaders, Refusal> readGatewayHeaders(const HttpHeaders &headers)
{
    GatewayHeaders out;
    for (const HttpHeader &h : headers) {
        if (auto refused = readOne(h, out))
            return std::unexpected(*refused);
    }
    return out;
}

} // namespace gs::demo
