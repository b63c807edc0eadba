#include "core/model/redaction.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// Lower case without separators: "X-Auth-Token", "x_auth_token" and "xAuthToken" alike.
QString folded(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c != u'-' && c != u'_' && c != u'.' && c != u' ')
            out += c.toLower();
    }
    return out;
}

} // namespace

bool isCredentialName(QStringView name)
{
    static const QSet<QString> kNames { u"authorization"_s, u"proxyauthorization"_s, u"apikey"_s,
        u"xapikey"_s, u"xgoogapikey"_s, u"token"_s, u"xauthtoken"_s, u"accesstoken"_s,
        u"password"_s, u"passwd"_s, u"secret"_s, u"clientsecret"_s, u"cookie"_s, u"key"_s,
        u"credentials"_s, u"credential"_s, u"sessionid"_s, u"ocpapimsubscriptionkey"_s,
        u"privatekey"_s, u"signature"_s, u"sig"_s };
    static constexpr std::array kSuffixes { "token"_L1, "secret"_L1, "password"_L1, "apikey"_L1 };
    const QString f = folded(name);
    if (f.isEmpty())
        return false;
    return kNames.contains(f)
        || std::ranges::any_of(kSuffixes, [&f](QLatin1StringView s) { return f.endsWith(s); });
}

QStringList secretValues(const Variables &variables, const QStringList &secretNames)
{
    QStringList out;
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        if (!secretNames.contains(it.key()) && !isCredentialName(it.key()))
            continue;
        const QString value = substituteVariables(it.value(), variables);
        if (value.size() >= 4 && !out.contains(value))
            out << value;
    }
    return out;
}

Redactor::Redactor(QStringList secretValues)
    : m_values(std::move(secretValues))
{
    m_values.removeIf([](const QString &v) { return v.size() < 4; });
    std::ranges::sort(m_values, std::greater {}, &QString::size);
}

QString Redactor::text(const QString &text) const
{
    QString out = text;
    for (const QString &v : m_values)
        out.replace(v, kMask);
    return out;
}

QByteArray Redactor::bytes(const QByteArray &bytes) const
{
    if (m_values.isEmpty())
        return bytes;
    QByteArray out = bytes;
    for (const QString &v : m_values)
        out.replace(v.toUtf8(), QByteArrayView(kMask));
    return out;
}

QList<QueryParameter> credentialParameters(const QString &url)
{
    QList<QueryParameter> out;
    for (const QueryParameter &p : queryParameters(url)) {
        if (p.valueStart >= 0 && !p.value.isEmpty()
            && isCredentialName(QUrl::fromPercentEncoding(p.name.toUtf8())))
            out << p;
    }
    return out;
}

QList<QueryParameter> queryParameters(const QString &url)
{
    QList<QueryParameter> out;
    const qsizetype question = url.indexOf(u'?');
    if (question < 0)
        return out;
    qsizetype end = url.indexOf(u'#', question);
    if (end < 0)
        end = url.size();
    qsizetype start = question + 1;
    while (start <= end) {
        qsizetype amp = url.indexOf(u'&', start);
        if (amp < 0 || amp > end)
            amp = end;
        const QStringView pair = QStringView(url).sliced(start, amp - start);
        const qsizetype eq = pair.indexOf(u'=');
        if (!pair.isEmpty()) {
            out.append(QueryParameter { (eq < 0 ? pair : pair.first(eq)).toString(),
                eq < 0 ? QString() : pair.sliced(eq + 1).toString(),
                eq < 0 ? -1 : start + eq + 1 });
        }
        start = amp + 1;
    }
    return out;
}

qsizetype schemeEnd(QStringView url)
{
    // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://".
    qsizetype i = 0;
    if (url.isEmpty() || !(url[0].isLetter() && url[0].unicode() < 128))
        return -1;
    while (i < url.size()
        && ((url[i].unicode() < 128 && url[i].isLetterOrNumber()) || url[i] == u'+'
            || url[i] == u'-' || url[i] == u'.'))
        ++i;
    return url.sliced(i).startsWith("://"_L1) ? i + 3 : -1;
}

std::optional<TextSpan> userinfoSpan(QStringView url)
{
    const qsizetype start = schemeEnd(url);
    if (start < 0)
        return std::nullopt;
    qsizetype end = start;
    while (end < url.size() && url[end] != u'/' && url[end] != u'?' && url[end] != u'#')
        ++end;
    const qsizetype at = url.first(end).lastIndexOf(u'@');
    if (at <= start)
        return std::nullopt;
    return TextSpan { start, at - start };
}

QString maskUserinfo(const QString &url)
{
    QString out = url;
    if (const auto span = userinfoSpan(url)) {
        // The password, or a lone user name (often a token) whole.
        const qsizetype colon = QStringView(url).sliced(span->start, span->length).indexOf(u':');
        const qsizetype from = colon >= 0 ? span->start + colon + 1 : span->start;
        out.replace(from, span->start + span->length - from, kMask);
    }
    return out;
}

QString Redactor::url(const QString &url) const
{
    QString out = url;
    // Credential query values, from the last so that earlier positions stay right.
    const QList<QueryParameter> query = queryParameters(url);
    for (auto it = query.rbegin(); it != query.rend(); ++it) {
        if (it->valueStart >= 0 && !it->value.isEmpty()
            && isCredentialName(QUrl::fromPercentEncoding(it->name.toUtf8())))
            out.replace(it->valueStart, it->value.size(), kMask);
    }
    out = maskUserinfo(out);
    return text(out);
}

QString Redactor::message(const QString &message) const
{
    static const QRegularExpression kUrl(u"[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+"_s);
    QString out;
    qsizetype last = 0;
    for (auto it = kUrl.globalMatch(message); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(message).mid(last, m.capturedStart() - last);
        out += url(m.captured());
        last = m.capturedEnd();
    }
    out += QStringView(message).mid(last);
    return text(out);
}

QByteArray Redactor::headerValue(QByteArrayView name, const QByteArray &value) const
{
    return bytes(maskSecret(name, value));
}

WireRequest Redactor::request(const WireRequest &request) const
{
    WireRequest out = request;
    out.url = url(request.url);
    for (HttpHeader &h : out.headers)
        h.value = headerValue(h.name, h.value);
    out.body = bytes(request.body);
    return out;
}

} // namespace gs::core
