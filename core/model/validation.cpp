#include "core/model/validation.h"

#include "core/json/jsonutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QByteArrayView bytes(QLatin1StringView s)
{
    return QByteArrayView(s.data(), s.size());
}

class Checker
{
public:
    void error(const QString &field, const QString &message)
    {
        add(Issue::Severity::Error, field, message);
    }
    void warning(const QString &field, const QString &message)
    {
        add(Issue::Severity::Warning, field, message);
    }
    QList<Issue> take() { return std::move(m_issues); }

private:
    void add(Issue::Severity s, const QString &field, const QString &message)
    {
        Issue issue { s, field, message };
        if (!m_issues.contains(issue))
            m_issues.append(std::move(issue));
    }
    QList<Issue> m_issues;
};

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

void checkMetadataValue(Checker &c, const QString &key, const QString &value)
{
    if (value.size() > kMetadataValueMaxLength)
        c.error(u"metadata."_s + key,
            u"Metadata value for %1 is %2 characters long; the gateway accepts at most %3."_s
                .arg(quoted(key))
                .arg(value.size())
                .arg(kMetadataValueMaxLength));
}

void checkMetadata(Checker &c, const MetadataEntries &entries)
{
    QSet<QString> seen;
    for (const auto &[key, value] : entries) {
        if (key.isEmpty())
            c.error(u"metadata"_s, u"A metadata key is empty."_s);
        else if (seen.contains(key))
            c.error(u"metadata."_s + key,
                u"Metadata key %1 appears more than once."_s.arg(quoted(key)));
        seen.insert(key);
        checkMetadataValue(c, key, value);
    }
}

void checkStatusCodes(Checker &c, const QList<qint64> &codes)
{
    for (qint64 code : codes) {
        if (code < 100 || code > 599)
            c.error(u"retryConfig.onStatusCodes"_s,
                u"Retry status code %1 is not an HTTP status (100-599)."_s.arg(code));
    }
}

void checkRetry(Checker &c, const RetryConfig &retry)
{
    if (retry.attempts && *retry.attempts < 0)
        c.error(u"retryConfig.attempts"_s,
            u"Retry attempts must be 0 or more (got %1)."_s.arg(*retry.attempts));
    if (retry.onStatusCodes)
        checkStatusCodes(c, *retry.onStatusCodes);
}

void checkTimeout(
    Checker &c, const QString &field, const QString &label, std::optional<qint64> value)
{
    if (value && *value <= 0)
        c.error(field,
            u"%1 must be a positive number of milliseconds (got %2)."_s.arg(label).arg(*value));
}

// Explains why a gateway header's text did not fit its typed field.
void checkUnparsed(Checker &c, const HttpHeader &h)
{
    const QString field = fieldForHeader(h.name);
    const QString text = QString::fromUtf8(h.value);
    const auto is = [&h](QLatin1StringView name) { return headerNameEquals(h.name, bytes(name)); };
    if (is(headers::kStrictOpenAi)) {
        c.error(field, u"x-tfy-strict-openai must be true or false (got %1)."_s.arg(quoted(text)));
        return;
    }
    if (is(headers::kRequestTimeout) || is(headers::kTtftTimeout)) {
        c.error(field,
            u"%1 must be a whole number of milliseconds (got %2)."_s.arg(
                QString::fromUtf8(h.name), quoted(text)));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(h.value, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        c.error(field,
            u"%1 is not valid JSON: %2 at character %3."_s
                .arg(QString::fromUtf8(h.name), parseError.errorString())
                .arg(parseError.offset + 1));
        return;
    }
    if (!doc.isObject()) {
        c.error(field, u"%1 must be a JSON object, not an array."_s.arg(QString::fromUtf8(h.name)));
        return;
    }
    const QJsonObject object = doc.object();
    if (is(headers::kMetadata)) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString())
                c.error(u"metadata."_s + it.key(),
                    u"Metadata value for %1 must be a string, not %2."_s.arg(
                        quoted(it.key()), jsonTypeName(it.value())));
            else
                checkMetadataValue(c, it.key(), it.value().toString());
        }
        return;
    }
    if (is(headers::kRetryConfig)) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QJsonValue v = it.value();
            if (it.key() == "attempts"_L1) {
                if (!isWholeNumber(v) || v.toInteger() < 0)
                    c.error(u"retryConfig.attempts"_s,
                        u"Retry attempts must be a whole number, 0 or more."_s);
            } else if (it.key() == "onStatusCodes"_L1) {
                if (!v.isArray()) {
                    c.error(u"retryConfig.onStatusCodes"_s,
                        u"onStatusCodes must be a list of HTTP status codes."_s);
                    continue;
                }
                for (const QJsonValue code : v.toArray()) {
                    if (!isWholeNumber(code))
                        c.error(u"retryConfig.onStatusCodes"_s,
                            u"Retry status codes must be numbers like 429."_s);
                    else
                        checkStatusCodes(c, { code.toInteger() });
                }
            } else if (it.key() == "useRetryAfterHeader"_L1) {
                if (!v.isBool())
                    c.error(u"retryConfig.useRetryAfterHeader"_s,
                        u"useRetryAfterHeader must be true or false."_s);
            } else {
                c.warning(u"retryConfig"_s,
                    u"x-tfy-retry-config has a key the gateway does not document: %1; it is sent as written."_s
                        .arg(quoted(it.key())));
            }
        }
        return;
    }
    if (is(headers::kLoggingConfig)) {
        if (!object.value("enabled"_L1).isBool())
            c.error(u"loggingEnabled"_s,
                uR"(x-tfy-logging-config must be {"enabled": true} or {"enabled": false}.)"_s);
        else
            c.warning(u"loggingEnabled"_s,
                u"x-tfy-logging-config has keys besides \"enabled\"; it is sent as written."_s);
        return;
    }
    if (is(headers::kGuardrails)) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const bool known
                = it.key() == "llm_input_guardrails"_L1 || it.key() == "llm_output_guardrails"_L1;
            if (!known) {
                c.warning(u"guardrails"_s,
                    u"x-tfy-guardrails has a key Gatescope does not know: %1; it is sent as written."_s
                        .arg(quoted(it.key())));
                continue;
            }
            const QJsonValue v = it.value();
            const bool strings = v.isArray()
                && std::ranges::all_of(
                    v.toArray(), [](const QJsonValue &x) { return x.isString(); });
            if (!strings)
                c.error(u"guardrails"_s,
                    u"%1 must be a list of guardrail names like \"group/name\"."_s.arg(it.key()));
        }
        return;
    }
}

void checkHeaderText(Checker &c, const HttpHeader &h)
{
    const QString field = fieldForHeader(h.name);
    const QString name = QString::fromUtf8(h.name);
    if (!isHttpToken(h.name))
        c.error(field, u"Header name %1 is not a valid HTTP header name."_s.arg(quoted(name)));
    static const std::array<std::pair<char, QString>, 3> kForbidden { {
        { '\r', u"a carriage return"_s },
        { '\n', u"a line feed"_s },
        { '\0', u"a NUL byte"_s },
    } };
    for (const auto &[bad, what] : kForbidden) {
        if (h.value.contains(bad) || h.name.contains(bad)) {
            c.error(field,
                u"Header %1 contains %2, which would let it inject other headers."_s.arg(
                    quoted(name), what));
        }
    }
}

void checkVariables(Checker &c, const QString &field, QStringView text)
{
    static const QRegularExpression kVariable(u"\\{\\{\\s*([^{}]*?)\\s*\\}\\}"_s);
    auto it = kVariable.globalMatchView(text);
    while (it.hasNext()) {
        const auto m = it.next();
        c.error(field,
            u"Unresolved variable {{%1}}: define it in the environment or with --var."_s.arg(
                m.captured(1)));
    }
}

} // namespace

QString fieldForHeader(QByteArrayView name)
{
    const auto is = [name](QLatin1StringView h) { return headerNameEquals(name, bytes(h)); };
    if (is(headers::kAuthorization))
        return u"token"_s;
    if (is(headers::kMetadata))
        return u"metadata"_s;
    if (is(headers::kProviderName))
        return u"providerName"_s;
    if (is(headers::kStrictOpenAi))
        return u"strictOpenAi"_s;
    if (is(headers::kRetryConfig))
        return u"retryConfig"_s;
    if (is(headers::kRequestTimeout))
        return u"requestTimeoutMs"_s;
    if (is(headers::kTtftTimeout))
        return u"ttftTimeoutMs"_s;
    if (is(headers::kLoggingConfig))
        return u"loggingEnabled"_s;
    if (is(headers::kGuardrails))
        return u"guardrails"_s;
    if (is(headers::kMcpHeaders))
        return u"mcpHeaders"_s;
    return u"header:"_s + QString::fromUtf8(name);
}

QList<Issue> validate(const GatewayRequest &r)
{
    Checker c;
    const EndpointInfo &info = endpointInfo(r.endpoint);
    const WireRequest wire = compose(r);

    const QUrl url(wire.url, QUrl::StrictMode);
    if (r.baseUrl.trimmed().isEmpty())
        c.error(
            u"url"_s, u"No gateway URL: set the base URL, e.g. https://gateway.truefoundry.ai."_s);
    else if (wire.url.contains("{{"_L1))
        ; // the unresolved variable is reported below, with its name
    else if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        || url.host().isEmpty())
        c.error(u"url"_s, u"%1 is not an http(s) URL with a host."_s.arg(quoted(wire.url)));
    if (!isHttpToken(wire.method))
        c.error(u"method"_s,
            u"%1 is not a valid HTTP method."_s.arg(quoted(QString::fromUtf8(wire.method))));
    if (r.endpoint == Endpoint::Custom && r.customPath.isEmpty())
        c.warning(u"url"_s, u"The request has no path after the base URL."_s);

    if (info.needsModel && wire.method == "POST") {
        const auto object = parseJsonObject(wire.body);
        const QString model = object ? object->value("model"_L1).toString() : r.model;
        if (model.isEmpty())
            c.error(u"model"_s,
                u"%1 needs a model id such as openai-main/gpt-4o-mini."_s.arg(info.label));
        else if (!model.contains(u'/'))
            c.warning(u"model"_s,
                u"Model %1 has no provider-account prefix (like openai-main/...); the gateway may not find it."_s
                    .arg(quoted(model)));
    }
    if (info.needsProviderName && r.providerName.value_or(QString()).trimmed().isEmpty()
        && !std::ranges::any_of(r.unparsedHeaders,
            [](const HttpHeader &h) { return headerNameEquals(h.name, "x-tfy-provider-name"); }))
        c.error(u"providerName"_s,
            u"The %1 API needs x-tfy-provider-name: the provider account to use."_s.arg(
                info.label));

    // The body is JSON unless the request says otherwise.
    const QByteArray contentType = headerValue(wire.headers, "content-type");
    if (!wire.body.isEmpty() && contentType.toLower().contains("json")) {
        QJsonParseError parseError;
        QJsonDocument::fromJson(wire.body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            const qsizetype offset = std::min<qsizetype>(parseError.offset, wire.body.size());
            const QByteArray before = wire.body.first(offset);
            const qsizetype line = before.count('\n') + 1;
            const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
            c.error(u"body"_s,
                u"The body is not valid JSON: %1 (line %2, column %3)."_s
                    .arg(parseError.errorString())
                    .arg(line)
                    .arg(column));
        }
    }

    if (r.metadata)
        checkMetadata(c, *r.metadata);
    if (r.retryConfig)
        checkRetry(c, *r.retryConfig);
    checkTimeout(c, u"requestTimeoutMs"_s, u"x-tfy-request-timeout"_s, r.requestTimeoutMs);
    checkTimeout(c, u"ttftTimeoutMs"_s, u"x-tfy-ttft-timeout-ms"_s, r.ttftTimeoutMs);
    for (const HttpHeader &h : r.unparsedHeaders)
        checkUnparsed(c, h);
    for (const HttpHeader &h : r.extraHeaders) {
        if (fieldForHeader(h.name).startsWith("header:"_L1)
            || headerNameEquals(h.name, "authorization"))
            continue;
        c.warning(fieldForHeader(h.name),
            u"%1 is given more than once; the gateway may read either."_s.arg(
                QString::fromUtf8(h.name)));
    }

    for (const HttpHeader &h : wire.headers) {
        checkHeaderText(c, h);
        checkVariables(c, fieldForHeader(h.name), QString::fromUtf8(h.value));
    }
    checkVariables(c, u"url"_s, wire.url);
    checkVariables(c, u"body"_s, QString::fromUtf8(wire.body));
    return c.take();
}

bool hasErrors(const QList<Issue> &issues)
{
    return std::ranges::any_of(
        issues, [](const Issue &i) { return i.severity == Issue::Severity::Error; });
}

} // namespace gs::core
