#include "core/model/gatewayheaders.h"

#include "core/json/jsontree.h"
#include "core/json/jsonutil.h"
#include "core/model/gatewayrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// --- shared pieces ---------------------------------------------------------------

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

void error(QList<Issue> &issues, const QString &field, const QString &message)
{
    issues.append({ Issue::Severity::Error, field, message });
}

void warning(QList<Issue> &issues, const QString &field, const QString &message)
{
    issues.append({ Issue::Severity::Warning, field, message });
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

QByteArray boolean(bool v)
{
    return v ? "true" : "false";
}

QByteArray encodeStringList(const QStringList &list)
{
    QByteArrayList items;
    for (const QString &s : list)
        items << jsonString(s);
    return '[' + items.join(',') + ']';
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

// The header's JSON object; otherwise an error that says why not, and nullopt.
std::optional<QJsonObject> explainedObject(
    QByteArrayView name, QByteArrayView text, const QString &field, QList<Issue> &issues)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    const QString header = QString::fromUtf8(name);
    if (parseError.error != QJsonParseError::NoError) {
        error(issues, field,
            u"%1 is not valid JSON: %2 at character %3."_s.arg(header, parseError.errorString())
                .arg(parseError.offset + 1));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error(issues, field, u"%1 must be a JSON object, not an array."_s.arg(header));
        return std::nullopt;
    }
    return doc.object();
}

void noCheck(const GatewayRequest &request, QList<Issue> &issues)
{
    Q_UNUSED(request);
    Q_UNUSED(issues);
}

// --- headers that are text: x-tfy-provider-name, the Vertex headers ------------------

template <std::optional<QString> GatewayRequest::*Member>
bool decodeText(GatewayRequest &r, QByteArrayView text)
{
    r.*Member = QString::fromUtf8(text);
    return true;
}

template <std::optional<QString> GatewayRequest::*Member>
std::optional<QByteArray> encodeText(const GatewayRequest &r)
{
    if (!(r.*Member))
        return std::nullopt;
    return (r.*Member)->toUtf8();
}

void explainNothing(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    Q_UNUSED(name);
    Q_UNUSED(text);
    Q_UNUSED(issues);
}

// --- x-tfy-metadata ----------------------------------------------------------------

void checkMetadataValue(QList<Issue> &issues, const QString &key, const QString &value)
{
    if (value.size() > kMetadataValueMaxLength)
        error(issues, u"metadata."_s + key,
            u"Metadata value for %1 is %2 characters long; the gateway accepts at most %3."_s
                .arg(quoted(key))
                .arg(value.size())
                .arg(kMetadataValueMaxLength));
}

bool decodeMetadata(GatewayRequest &r, QByteArrayView text)
{
    // In the order written (QJsonObject sorts its keys), so that the form shows the
    // entries as the header has them.
    const auto tree = parseJsonTree(text);
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

std::optional<QByteArray> encodeMetadata(const GatewayRequest &r)
{
    if (!r.metadata)
        return std::nullopt;
    QByteArray out = "{";
    for (qsizetype i = 0; i < r.metadata->size(); ++i) {
        if (i)
            out += ',';
        out += jsonString(r.metadata->at(i).first) + ':' + jsonString(r.metadata->at(i).second);
    }
    return out + '}';
}

void checkMetadata(const GatewayRequest &r, QList<Issue> &issues)
{
    if (!r.metadata)
        return;
    QSet<QString> seen;
    for (const auto &[key, value] : *r.metadata) {
        if (key.isEmpty())
            error(issues, u"metadata"_s, u"A metadata key is empty."_s);
        else if (seen.contains(key))
            error(issues, u"metadata."_s + key,
                u"Metadata key %1 appears more than once."_s.arg(quoted(key)));
        seen.insert(key);
        checkMetadataValue(issues, key, value);
    }
}

void explainMetadata(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    const auto object = explainedObject(name, text, u"metadata"_s, issues);
    if (!object)
        return;
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (!it.value().isString())
            error(issues, u"metadata."_s + it.key(),
                u"Metadata value for %1 must be a string, not %2."_s.arg(
                    quoted(it.key()), jsonTypeName(it.value())));
        else
            checkMetadataValue(issues, it.key(), it.value().toString());
    }
}

// --- x-tfy-strict-openai -------------------------------------------------------------

bool decodeStrictOpenAi(GatewayRequest &r, QByteArrayView text)
{
    r.strictOpenAi = parseBool(text);
    return r.strictOpenAi.has_value();
}

std::optional<QByteArray> encodeStrictOpenAi(const GatewayRequest &r)
{
    if (!r.strictOpenAi)
        return std::nullopt;
    return boolean(*r.strictOpenAi);
}

void explainStrictOpenAi(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    Q_UNUSED(name);
    error(issues, u"strictOpenAi"_s,
        u"x-tfy-strict-openai must be true or false (got %1)."_s.arg(
            quoted(QString::fromUtf8(text))));
}

// --- x-tfy-retry-config --------------------------------------------------------------

bool decodeRetryConfig(GatewayRequest &r, QByteArrayView text)
{
    const auto object = parseJsonObject(text);
    if (!object)
        return false;
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

std::optional<QByteArray> encodeRetryConfig(const GatewayRequest &r)
{
    if (!r.retryConfig)
        return std::nullopt;
    const RetryConfig &retry = *r.retryConfig;
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
        parts << "\"useRetryAfterHeader\":" + boolean(*retry.useRetryAfterHeader);
    return '{' + parts.join(',') + '}';
}

void checkStatusCodes(QList<Issue> &issues, const QList<qint64> &codes)
{
    for (qint64 code : codes) {
        if (code < 100 || code > 599)
            error(issues, u"retryConfig.onStatusCodes"_s,
                u"Retry status code %1 is not an HTTP status (100-599)."_s.arg(code));
    }
}

void checkRetryConfig(const GatewayRequest &r, QList<Issue> &issues)
{
    if (!r.retryConfig)
        return;
    if (r.retryConfig->attempts && *r.retryConfig->attempts < 0)
        error(issues, u"retryConfig.attempts"_s,
            u"Retry attempts must be 0 or more (got %1)."_s.arg(*r.retryConfig->attempts));
    if (r.retryConfig->onStatusCodes)
        checkStatusCodes(issues, *r.retryConfig->onStatusCodes);
}

// The server-side YAML form (snake_case, string codes, a delay) written into the
// header, which takes camelCase and numeric codes: said as such, with the header form
// it amounts to (an error for codes as text, a warning otherwise). False when the text
// is not in that form.
bool explainYamlRetryConfig(const QJsonObject &object, QList<Issue> &issues)
{
    QStringList seen;
    for (const QLatin1StringView key : { "on_status_codes"_L1, "retry_on_status_codes"_L1,
             "delay"_L1, "use_retry_after_header"_L1 }) {
        if (object.contains(key))
            seen << key;
    }
    const QJsonValue listed = object.contains("on_status_codes"_L1)
        ? object.value("on_status_codes"_L1)
        : object.contains("retry_on_status_codes"_L1) ? object.value("retry_on_status_codes"_L1)
                                                      : object.value("onStatusCodes"_L1);
    QList<qint64> codes;
    bool textCodes = false;
    for (const QJsonValue code : listed.toArray()) {
        bool ok = code.isDouble();
        const qint64 number = code.isString() ? code.toString().toLongLong(&ok) : code.toInteger();
        textCodes = textCodes || code.isString();
        if (ok)
            codes << number;
    }
    if (textCodes)
        seen << u"codes as text"_s;
    if (seen.isEmpty())
        return false;
    GatewayRequest offered;
    RetryConfig retry;
    const QJsonValue attempts = object.value("attempts"_L1);
    if (attempts.isDouble() || attempts.isString())
        retry.attempts
            = attempts.isString() ? attempts.toString().toLongLong() : attempts.toInteger();
    if (!codes.isEmpty())
        retry.onStatusCodes = codes;
    const QJsonValue afterHeader = object.value("use_retry_after_header"_L1);
    if (afterHeader.isBool())
        retry.useRetryAfterHeader = afterHeader.toBool();
    offered.retryConfig = retry;
    QString message = u"x-tfy-retry-config is written in the server-side YAML form (%1); the "
                      "header takes camelCase keys and numeric codes: %2."_s.arg(seen.join(u", "_s),
                          QString::fromUtf8(encodeRetryConfig(offered).value_or("{}")));
    if (object.contains("delay"_L1))
        message += u" The delay between attempts is set on the server only."_s;
    // Codes as text cannot be what the gateway reads; YAML keys are sent as written,
    // as any key it does not document.
    if (textCodes)
        error(issues, u"retryConfig"_s, message);
    else
        warning(issues, u"retryConfig"_s, message + u" It is sent as written."_s);
    return true;
}

void explainRetryConfig(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    const auto object = explainedObject(name, text, u"retryConfig"_s, issues);
    if (!object || explainYamlRetryConfig(*object, issues))
        return;
    for (auto it = object->begin(); it != object->end(); ++it) {
        const QJsonValue v = it.value();
        if (it.key() == "attempts"_L1) {
            if (!isWholeNumber(v) || v.toInteger() < 0)
                error(issues, u"retryConfig.attempts"_s,
                    u"Retry attempts must be a whole number, 0 or more."_s);
        } else if (it.key() == "onStatusCodes"_L1) {
            if (!v.isArray()) {
                error(issues, u"retryConfig.onStatusCodes"_s,
                    u"onStatusCodes must be a list of HTTP status codes."_s);
                continue;
            }
            for (const QJsonValue code : v.toArray()) {
                if (!isWholeNumber(code))
                    error(issues, u"retryConfig.onStatusCodes"_s,
                        u"Retry status codes must be numbers like 429."_s);
                else
                    checkStatusCodes(issues, { code.toInteger() });
            }
        } else if (it.key() == "useRetryAfterHeader"_L1) {
            if (!v.isBool())
                error(issues, u"retryConfig.useRetryAfterHeader"_s,
                    u"useRetryAfterHeader must be true or false."_s);
        } else {
            warning(issues, u"retryConfig"_s,
                u"x-tfy-retry-config has a key the gateway does not document: %1; it is sent as written."_s
                    .arg(quoted(it.key())));
        }
    }
}

// --- x-tfy-request-timeout, x-tfy-ttft-timeout-ms --------------------------------------

bool decodeRequestTimeout(GatewayRequest &r, QByteArrayView text)
{
    r.requestTimeoutMs = parseWholeNumber(text);
    return r.requestTimeoutMs.has_value();
}

bool decodeTtftTimeout(GatewayRequest &r, QByteArrayView text)
{
    r.ttftTimeoutMs = parseWholeNumber(text);
    return r.ttftTimeoutMs.has_value();
}

std::optional<QByteArray> encodeRequestTimeout(const GatewayRequest &r)
{
    if (!r.requestTimeoutMs)
        return std::nullopt;
    return QByteArray::number(*r.requestTimeoutMs);
}

std::optional<QByteArray> encodeTtftTimeout(const GatewayRequest &r)
{
    if (!r.ttftTimeoutMs)
        return std::nullopt;
    return QByteArray::number(*r.ttftTimeoutMs);
}

void checkTimeout(
    QList<Issue> &issues, const QString &field, const QString &label, std::optional<qint64> value)
{
    if (value && *value <= 0)
        error(issues, field,
            u"%1 must be a positive number of milliseconds (got %2)."_s.arg(label).arg(*value));
}

void checkRequestTimeout(const GatewayRequest &r, QList<Issue> &issues)
{
    checkTimeout(issues, u"requestTimeoutMs"_s, u"x-tfy-request-timeout"_s, r.requestTimeoutMs);
}

void checkTtftTimeout(const GatewayRequest &r, QList<Issue> &issues)
{
    checkTimeout(issues, u"ttftTimeoutMs"_s, u"x-tfy-ttft-timeout-ms"_s, r.ttftTimeoutMs);
}

void explainTimeout(
    const QString &field, QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    error(issues, field,
        u"%1 must be a whole number of milliseconds (got %2)."_s.arg(
            QString::fromUtf8(name), quoted(QString::fromUtf8(text))));
}

void explainRequestTimeout(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    explainTimeout(u"requestTimeoutMs"_s, name, text, issues);
}

void explainTtftTimeout(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    explainTimeout(u"ttftTimeoutMs"_s, name, text, issues);
}

// --- x-tfy-logging-config ------------------------------------------------------------

bool decodeLoggingConfig(GatewayRequest &r, QByteArrayView text)
{
    const auto object = parseJsonObject(text);
    if (!object || object->size() != 1 || !object->value("enabled"_L1).isBool())
        return false;
    r.loggingEnabled = object->value("enabled"_L1).toBool();
    return true;
}

std::optional<QByteArray> encodeLoggingConfig(const GatewayRequest &r)
{
    if (!r.loggingEnabled)
        return std::nullopt;
    return "{\"enabled\":" + boolean(*r.loggingEnabled) + '}';
}

void explainLoggingConfig(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    const auto object = explainedObject(name, text, u"loggingEnabled"_s, issues);
    if (!object)
        return;
    if (!object->value("enabled"_L1).isBool()) {
        error(issues, u"loggingEnabled"_s,
            uR"(x-tfy-logging-config must be {"enabled": true} or {"enabled": false}.)"_s);
        return;
    }
    // tracing_project_fqn is documented (docs.truefoundry.com/gateway/request-logging);
    // other keys are sent as written, with a word.
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (it.key() == "enabled"_L1)
            continue;
        if (it.key() == "tracing_project_fqn"_L1) {
            if (!it.value().isString())
                error(issues, u"loggingEnabled"_s,
                    u"tracing_project_fqn in x-tfy-logging-config must be a string."_s);
            continue;
        }
        warning(issues, u"loggingEnabled"_s,
            u"x-tfy-logging-config has a key the gateway does not document: %1; it is sent as "
            "written."_s.arg(quoted(it.key())));
    }
}

// --- x-tfy-guardrails ----------------------------------------------------------------

bool decodeGuardrails(GatewayRequest &r, QByteArrayView text)
{
    const auto object = parseJsonObject(text);
    if (!object)
        return false;
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

std::optional<QByteArray> encodeGuardrails(const GatewayRequest &r)
{
    if (!r.guardrails)
        return std::nullopt;
    QByteArrayList parts;
    if (!r.guardrails->input.isEmpty())
        parts << "\"llm_input_guardrails\":" + encodeStringList(r.guardrails->input);
    if (!r.guardrails->output.isEmpty())
        parts << "\"llm_output_guardrails\":" + encodeStringList(r.guardrails->output);
    return '{' + parts.join(',') + '}';
}

void explainGuardrails(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    const auto object = explainedObject(name, text, u"guardrails"_s, issues);
    if (!object)
        return;
    for (auto it = object->begin(); it != object->end(); ++it) {
        const bool known
            = it.key() == "llm_input_guardrails"_L1 || it.key() == "llm_output_guardrails"_L1;
        if (!known) {
            warning(issues, u"guardrails"_s,
                u"x-tfy-guardrails has a key Gatescope does not know: %1; it is sent as written."_s
                    .arg(quoted(it.key())));
            continue;
        }
        const QJsonValue v = it.value();
        const bool strings = v.isArray()
            && std::ranges::all_of(v.toArray(), [](const QJsonValue &x) { return x.isString(); });
        if (!strings)
            error(issues, u"guardrails"_s,
                u"%1 must be a list of guardrail names like \"group/name\"."_s.arg(it.key()));
    }
}

// --- x-tfy-mcp-headers ---------------------------------------------------------------

bool decodeMcpHeaders(GatewayRequest &r, QByteArrayView text)
{
    const auto object = parseJsonObject(text);
    if (!object)
        return false;
    r.mcpHeaders = *object;
    return true;
}

std::optional<QByteArray> encodeMcpHeaders(const GatewayRequest &r)
{
    if (!r.mcpHeaders)
        return std::nullopt;
    return QJsonDocument(*r.mcpHeaders).toJson(QJsonDocument::Compact);
}

void explainMcpHeaders(QByteArrayView name, QByteArrayView text, QList<Issue> &issues)
{
    explainedObject(name, text, u"mcpHeaders"_s, issues);
}

// Keyed by the MCP server ("group/server"), each a header object of strings
// (truefoundry.com/docs/ai-gateway/mcp/virtual-mcp-server).
void checkMcpHeaders(const GatewayRequest &r, QList<Issue> &issues)
{
    if (!r.mcpHeaders)
        return;
    for (auto server = r.mcpHeaders->begin(); server != r.mcpHeaders->end(); ++server) {
        if (!server.value().isObject()) {
            error(issues, u"mcpHeaders"_s,
                uR"(x-tfy-mcp-headers: %1 must map to headers, as {"%1":{"Authorization":"Bearer ..."}}.)"_s
                    .arg(server.key()));
            continue;
        }
        if (!server.key().contains(u'/'))
            warning(issues, u"mcpHeaders"_s,
                u"x-tfy-mcp-headers is keyed by the MCP server as group/server; %1 has no group."_s
                    .arg(quoted(server.key())));
        const QJsonObject headers = server.value().toObject();
        for (auto h = headers.begin(); h != headers.end(); ++h) {
            if (!h.value().isString())
                error(issues, u"mcpHeaders"_s,
                    u"x-tfy-mcp-headers: the header %1 of %2 must be a string."_s.arg(
                        quoted(h.key()), server.key()));
        }
    }
}

// --- x-tfy-cache-config (no typed field) ----------------------------------------------

// {"type":"semantic"|"exact-match","similarity_threshold":0.9,"ttl":600,"namespace":"..."}
// (a third-party source only; checked loosely: unknown keys warn).
void explainCacheConfig(
    QByteArrayView name, QByteArrayView text, const QString &field, QList<Issue> &issues)
{
    const auto object = explainedObject(name, text, field, issues);
    if (!object)
        return;
    const QString type = object->value("type"_L1).toString();
    if (!object->contains("type"_L1))
        warning(issues, field,
            u"x-tfy-cache-config has no \"type\" (\"semantic\" or \"exact-match\")."_s);
    else if (type != "semantic"_L1 && type != "exact-match"_L1)
        error(issues, field,
            u"x-tfy-cache-config's type must be \"semantic\" or \"exact-match\" (got %1)."_s.arg(
                quoted(object->value("type"_L1).toVariant().toString())));
    for (auto it = object->begin(); it != object->end(); ++it) {
        const QJsonValue v = it.value();
        if (it.key() == "type"_L1)
            continue;
        if (it.key() == "similarity_threshold"_L1) {
            if (!v.isDouble() || v.toDouble() <= 0 || v.toDouble() > 1)
                error(issues, field,
                    u"x-tfy-cache-config's similarity_threshold must be a number above 0, at "
                    "most 1."_s);
            else if (type == "exact-match"_L1)
                warning(issues, field,
                    u"similarity_threshold applies to semantic caching, not exact-match."_s);
        } else if (it.key() == "ttl"_L1) {
            if (!isWholeNumber(v) || v.toInteger() <= 0)
                error(issues, field,
                    u"x-tfy-cache-config's ttl must be a whole number of seconds above 0."_s);
        } else if (it.key() == "namespace"_L1) {
            if (!v.isString())
                error(issues, field, u"x-tfy-cache-config's namespace must be a string."_s);
        } else {
            warning(issues, field,
                u"x-tfy-cache-config has a key Gatescope does not know: %1; it is sent as "
                "written."_s.arg(quoted(it.key())));
        }
    }
}

// --- Vertex accounts' file and batch headers ------------------------------------------

// x-tfy-vertex-storage-bucket-name: a Cloud Storage bucket name as Google defines it
// (cloud.google.com/storage/docs/buckets#naming): 3 to 63 characters (222 with dots, each
// dot-separated part at most 63), lowercase letters, digits, '-', '_' and '.', starting
// and ending with a letter or digit.
void explainVertexBucket(const QString &text, const QString &field, QList<Issue> &issues)
{
    const QString name = text.trimmed();
    if (name.startsWith("gs://"_L1)) {
        error(issues, field,
            u"x-tfy-vertex-storage-bucket-name takes the bucket's name alone, without gs:// "
            "(%1)."_s.arg(quoted(name.mid(5).section(u'/', 0, 0))));
        return;
    }
    static const QRegularExpression allowed(u"^[a-z0-9][a-z0-9._-]*[a-z0-9]$"_s);
    const qsizetype limit = name.contains(u'.') ? 222 : 63;
    if (name.size() < 3 || name.size() > limit || !allowed.match(name).hasMatch()) {
        error(issues, field,
            u"x-tfy-vertex-storage-bucket-name: %1 is not a Cloud Storage bucket name (3 to 63 "
            "lowercase letters, digits, - _ or ., starting and ending with a letter or digit)."_s
                .arg(quoted(name)));
        return;
    }
    if (std::ranges::any_of(name.split(u'.'), [](const QString &part) { return part.size() > 63; }))
        error(issues, field,
            u"x-tfy-vertex-storage-bucket-name: each dot-separated part of %1 must be at most 63 "
            "characters."_s.arg(quoted(name)));
}

// x-tfy-vertex-region: a Google Cloud location such as us-central1 or europe-west4.
void explainVertexRegion(const QString &text, const QString &field, QList<Issue> &issues)
{
    static const QRegularExpression location(u"^[a-z]+(-[a-z]+)+[0-9]+$"_s);
    const QString region = text.trimmed();
    if (region == "global"_L1 || location.match(region).hasMatch())
        return;
    warning(issues, field,
        u"x-tfy-vertex-region: %1 does not look like a Google Cloud region such as us-central1 "
        "or europe-west4."_s.arg(quoted(region)));
}

// x-tfy-provider-model: the provider's own model name, for a Vertex batch.
void explainProviderModel(const QString &text, const QString &field, QList<Issue> &issues)
{
    const QString model = text.trimmed();
    if (model.isEmpty())
        error(issues, field, u"x-tfy-provider-model is empty."_s);
    else if (model.contains(u' '))
        error(issues, field,
            u"x-tfy-provider-model: %1 has a space; a model name has none."_s.arg(quoted(model)));
}

void checkVertexBucket(const GatewayRequest &r, QList<Issue> &issues)
{
    if (r.vertexStorageBucketName)
        explainVertexBucket(*r.vertexStorageBucketName, u"vertexStorageBucketName"_s, issues);
}

void checkVertexRegion(const GatewayRequest &r, QList<Issue> &issues)
{
    if (r.vertexRegion)
        explainVertexRegion(*r.vertexRegion, u"vertexRegion"_s, issues);
}

void checkProviderModel(const GatewayRequest &r, QList<Issue> &issues)
{
    if (r.providerModel)
        explainProviderModel(*r.providerModel, u"providerModel"_s, issues);
}

// --- the table ---------------------------------------------------------------------------

constexpr std::array kSpecs {
    GatewayHeaderSpec { headers::kProviderName, "providerName"_L1,
        decodeText<&GatewayRequest::providerName>, encodeText<&GatewayRequest::providerName>,
        noCheck, explainNothing },
    GatewayHeaderSpec { headers::kMetadata, "metadata"_L1, decodeMetadata, encodeMetadata,
        checkMetadata, explainMetadata },
    GatewayHeaderSpec { headers::kStrictOpenAi, "strictOpenAi"_L1, decodeStrictOpenAi,
        encodeStrictOpenAi, noCheck, explainStrictOpenAi },
    GatewayHeaderSpec { headers::kRetryConfig, "retryConfig"_L1, decodeRetryConfig,
        encodeRetryConfig, checkRetryConfig, explainRetryConfig },
    GatewayHeaderSpec { headers::kRequestTimeout, "requestTimeoutMs"_L1, decodeRequestTimeout,
        encodeRequestTimeout, checkRequestTimeout, explainRequestTimeout },
    GatewayHeaderSpec { headers::kTtftTimeout, "ttftTimeoutMs"_L1, decodeTtftTimeout,
        encodeTtftTimeout, checkTtftTimeout, explainTtftTimeout },
    GatewayHeaderSpec { headers::kLoggingConfig, "loggingEnabled"_L1, decodeLoggingConfig,
        encodeLoggingConfig, noCheck, explainLoggingConfig },
    GatewayHeaderSpec { headers::kGuardrails, "guardrails"_L1, decodeGuardrails, encodeGuardrails,
        noCheck, explainGuardrails },
    GatewayHeaderSpec { headers::kMcpHeaders, "mcpHeaders"_L1, decodeMcpHeaders, encodeMcpHeaders,
        checkMcpHeaders, explainMcpHeaders },
    GatewayHeaderSpec { headers::kVertexStorageBucketName, "vertexStorageBucketName"_L1,
        decodeText<&GatewayRequest::vertexStorageBucketName>,
        encodeText<&GatewayRequest::vertexStorageBucketName>, checkVertexBucket, explainNothing },
    GatewayHeaderSpec { headers::kVertexRegion, "vertexRegion"_L1,
        decodeText<&GatewayRequest::vertexRegion>, encodeText<&GatewayRequest::vertexRegion>,
        checkVertexRegion, explainNothing },
    GatewayHeaderSpec { headers::kProviderModel, "providerModel"_L1,
        decodeText<&GatewayRequest::providerModel>, encodeText<&GatewayRequest::providerModel>,
        checkProviderModel, explainNothing },
};

} // namespace

std::span<const GatewayHeaderSpec> gatewayHeaderSpecs()
{
    return kSpecs;
}

const GatewayHeaderSpec *gatewayHeaderSpec(QByteArrayView name)
{
    const auto it = std::ranges::find_if(kSpecs, [name](const GatewayHeaderSpec &spec) {
        return headerNameEquals(name, QByteArrayView(spec.name.data(), spec.name.size()));
    });
    return it == kSpecs.end() ? nullptr : &*it;
}

void explainUntypedGatewayHeader(
    QByteArrayView name, QByteArrayView text, const QString &field, QList<Issue> &issues)
{
    if (headerNameEquals(name, "x-tfy-cache-config"))
        explainCacheConfig(name, text, field, issues);
}

} // namespace gs::core
