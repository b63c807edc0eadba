#include "core/model/validation.h"

#include "core/json/jsonutil.h"
#include "core/model/formfields.h"
#include "core/model/gatewayheaders.h"

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
    void add(const Issue &issue)
    {
        if (!m_issues.contains(issue))
            m_issues.append(issue);
    }
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
        add(Issue { s, field, message });
    }
    QList<Issue> m_issues;
};

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
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
        const QString reference = m.captured(1);
        const QString name = reference.section(u' ', 0, 0);
        if (name == "$processEnv"_L1)
            c.error(field,
                u"{{%1}}: the environment variable %2 is not set."_s.arg(
                    reference, reference.section(u' ', 1).trimmed()));
        else if (name.startsWith(u'$'))
            c.error(field,
                u"{{%1}} is no dynamic variable Gatescope knows, or its arguments do not fit "
                "(docs/http-files.md lists them)."_s.arg(reference));
        else
            c.error(field,
                u"Unresolved variable {{%1}}: define it in the environment or with --var."_s.arg(
                    reference));
    }
}

// A Vertex account's /files and /batches need the bucket, the region and the provider
// model together; elsewhere the gateway does not read them.
void checkVertexHeaders(Checker &c, const GatewayRequest &r)
{
    const std::pair<QLatin1StringView, const std::optional<QString> *> vertex[] {
        { headers::kVertexStorageBucketName, &r.vertexStorageBucketName },
        { headers::kVertexRegion, &r.vertexRegion },
        { headers::kProviderModel, &r.providerModel },
    };
    QStringList given;
    QStringList missing;
    for (const auto &[name, value] : vertex)
        (value->has_value() ? given : missing) << QString(name);
    if (given.isEmpty())
        return;
    const QString field = fieldForHeader(given.constFirst().toLatin1());
    if (r.endpoint != Endpoint::Files && r.endpoint != Endpoint::Batches) {
        c.warning(field,
            u"%1 is read on /files and /batches (Vertex accounts), not on the %2 API."_s.arg(
                given.join(u", "_s), endpointInfo(r.endpoint).label));
        return;
    }
    if (!missing.isEmpty())
        c.warning(field,
            u"A Vertex account's files and batches need %1 as well as %2."_s.arg(
                missing.join(u" and "_s), given.join(u", "_s)));
}

} // namespace

QString fieldForHeader(QByteArrayView name)
{
    if (headerNameEquals(name, bytes(headers::kAuthorization)))
        return u"token"_s;
    if (const GatewayHeaderSpec *spec = gatewayHeaderSpec(name))
        return QString(spec->field);
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

    if (headerValue(wire.headers, "content-type")
            .trimmed()
            .toLower()
            .startsWith("multipart/form-data")
        && !wire.url.contains("{{"_L1) && !formFields(wire))
        c.error(u"body"_s,
            u"The multipart/form-data body does not read as parts: each part starts with --BOUNDARY, has a Content-Disposition with a name, and the body ends with --BOUNDARY--."_s);
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

    // What each gateway header's entry in the table says about its value or text.
    QList<Issue> headerIssues;
    for (const GatewayHeaderSpec &spec : gatewayHeaderSpecs())
        spec.check(r, headerIssues);
    for (const HttpHeader &h : r.unparsedHeaders) {
        if (const GatewayHeaderSpec *spec = gatewayHeaderSpec(h.name))
            spec->explain(h.name, h.value, headerIssues);
    }
    // Headers with a documented shape but no typed field (x-tfy-cache-config).
    for (const HttpHeader &h : r.extraHeaders)
        explainUntypedGatewayHeader(h.name, h.value, fieldForHeader(h.name), headerIssues);
    for (const Issue &issue : std::as_const(headerIssues))
        c.add(issue);
    checkVertexHeaders(c, r);
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
