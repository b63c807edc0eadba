#include "core/httpfile/httpwriter.h"

#include "core/model/redaction.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isLineBreak(QChar c)
{
    return c == u'\n' || c == u'\r';
}

// httpyac starts a new request at any line that reads like a request line, ###
// or not: "POST https://...", "GET /x", "https://...", and its other protocols.
bool looksLikeRequestLine(QStringView line)
{
    static const QRegularExpression kRequestLine(
        u"^(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|"
        "COPY|MOVE|LOCK|UNLOCK|CHECKOUT|REPORT|SEARCH|GRAPHQL|GRPC|WS|SSE|MQTT|AMQP|RPC)[ \\t]"
        "|[a-z][a-z0-9+.-]*://)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return kRequestLine.matchView(line.first(std::min<qsizetype>(line.size(), 40))).hasMatch();
}

// Names and comments are not sent: a control character there becomes a space, so
// that it cannot start a line of its own.
QString singleLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return out.trimmed();
}

bool hasControl(QStringView text, bool tabAllowed)
{
    return std::ranges::any_of(text, [tabAllowed](QChar c) {
        return (c.category() == QChar::Other_Control && !(tabAllowed && c == u'\t'))
            || c == QChar::LineSeparator || c == QChar::ParagraphSeparator;
    });
}

// A variable name made of what a credential's header or parameter is called.
QString variableNameFor(const QString &name)
{
    QString out;
    for (const QChar c : name.toLower())
        out += c.isLetterOrNumber() && c.unicode() < 128 ? c : u'_';
    if (out.isEmpty() || out[0].isDigit())
        out.prepend(u"secret_"_s);
    return out;
}

class SecretNames
{
public:
    explicit SecretNames(Variables &secrets)
        : m_secrets(secrets)
    { }

    //! "{{name}}" for \a value, \a base or base_2, base_3... where base holds another.
    //! The value is kept with its "{{" escaped: a variable's value is expanded, and a
    //! literal credential must stay literal.
    QString reference(const QString &base, const QString &value)
    {
        const QString stored = escapeLiteralBraces(value);
        QString name = base;
        for (int n = 2; m_secrets.contains(name) && m_secrets.value(name) != stored; ++n)
            name = base + u'_' + QString::number(n);
        m_secrets.insert(name, stored);
        return u"{{"_s + name + u"}}"_s;
    }

private:
    Variables &m_secrets;
};

// The value a file wrote for header \a name with a variable in it, if it did.
QString writtenAsVariable(const HttpFileRequest *source, const QString &name)
{
    if (!source)
        return {};
    for (const auto &[n, v] : source->headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0 && v.contains("{{"_L1))
            return v;
    }
    return {};
}

QString queryWrittenAsVariable(const HttpFileRequest *source, const QString &name)
{
    if (!source)
        return {};
    for (const QueryParameter &p : queryParameters(source->target)) {
        if (p.name == name && p.value.contains("{{"_L1))
            return p.value;
    }
    return {};
}

} // namespace

QString escapeLiteralBraces(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'{' && i + 1 < text.size() && text[i + 1] == u'{')
            out += literalEscape(u'{');
        else
            out += text[i];
    }
    return out;
}

QString escapeBodyLines(QStringView body, BodyEnd bodyEnd)
{
    // Where the text ends: what follows (line breaks, blanks) is written escaped.
    qsizetype end = body.size();
    while (end > 0 && (isBlank(body[end - 1]) || isLineBreak(body[end - 1])))
        --end;
    QString out;
    out.reserve(body.size() + 32);
    bool lineStart = true;
    for (qsizetype i = 0; i < end; ++i) {
        const QChar c = body[i];
        if (lineStart && !isBlank(c)) {
            lineStart = false;
            const bool hazard = c == u'<' || c == u'>' || c == u'#'
                || (c == u'/' && i + 1 < body.size() && body[i + 1] == u'/');
            if (hazard) {
                out += literalEscape(c);
                continue;
            }
            if (looksLikeRequestLine(body.sliced(i))) {
                out += codePointEscape(c);
                continue;
            }
        }
        if (isLineBreak(c))
            lineStart = true;
        out += c;
    }
    // The tail, and a body of blanks only: nothing of it may be left bare.
    if (bodyEnd == BodyEnd::Trimmed) {
        out += body.sliced(end);
        return out;
    }
    for (qsizetype i = end; i < body.size(); ++i) {
        const QChar c = body[i];
        out += isLineBreak(c) || end == 0 ? literalEscape(c) : QString(c);
    }
    return out;
}

Result<QString> formatHttpRequest(const HttpFileRequest &r, const HttpWriteOptions &options)
{
    static const QRegularExpression kMethod(u"^[A-Z][A-Z0-9_-]*$"_s);
    const QString method = r.method.isEmpty() ? u"GET"_s : r.method;
    if (!kMethod.match(method).hasMatch())
        return fail(Error::Kind::Validation,
            u"The method \"%1\" cannot be written in a .http file: a method is one upper-case word."_s
                .arg(singleLine(method)));
    if (r.target.isEmpty())
        return fail(Error::Kind::Validation, u"The request has no URL."_s);
    if (std::ranges::any_of(r.target, [](QChar c) { return c.isSpace(); })
        || hasControl(r.target, false))
        return fail(Error::Kind::Validation,
            u"The URL \"%1\" has blanks or control characters, which a request line cannot carry."_s
                .arg(singleLine(r.target)));
    for (const auto &[name, value] : r.headers) {
        if (!isHttpToken(name.toUtf8()) || name.startsWith(u'#'))
            return fail(Error::Kind::Validation,
                u"The header name \"%1\" is not a valid HTTP header name."_s.arg(singleLine(name)));
        if (hasControl(value, true))
            return fail(Error::Kind::Validation,
                u"The value of header %1 has a line break or a control character, which a header cannot carry."_s
                    .arg(name));
    }

    const QString name = singleLine(r.name);
    QString text;
    if (options.separator)
        text += name.isEmpty() ? u"###\n"_s : u"### "_s + name + u'\n';
    if (!name.isEmpty())
        text += u"# @name "_s + name + u'\n';
    for (const QString &comment : options.comments) {
        for (const QString &line : comment.split(QRegularExpression(u"\r\n|\r|\n"_s)))
            text += (line.trimmed().isEmpty() ? u"#"_s : u"# "_s + singleLine(line)) + u'\n';
    }
    text += method + u' ' + r.target + (r.httpVersion.isEmpty() ? QString() : u' ' + r.httpVersion)
        + u'\n';
    for (const auto &[headerName, value] : r.headers)
        text += headerName + u": "_s + value.trimmed() + u'\n';
    if (!r.body.isEmpty())
        text += u'\n' + r.body + u'\n';

    // The last guard: what was written must read back as the request.
    const auto parsed = HttpFile::parse(text);
    HttpFileRequest expected = r;
    expected.name = name;
    expected.method = method;
    for (auto &header : expected.headers)
        header.second = header.second.trimmed();
    if (!parsed || parsed->requests().size() != 1
        || !parsed->requests().first().sameContent(expected))
        return fail(Error::Kind::Validation,
            u"The request cannot be written as a .http request that reads back the same; nothing was written."_s);
    return text;
}

TemplatedRequest templateRequest(const WireRequest &wire, const TemplateOptions &options)
{
    TemplatedRequest out;
    SecretNames names(out.secrets);
    HttpFileRequest &r = out.request;
    r.method = QString::fromUtf8(wire.method);

    // The URL: userinfo goes (curl sends it as Basic authentication), credential
    // query values become variables; sentinels keep their places while the literal
    // rest is escaped.
    QString url = wire.url;
    QString userinfo;
    if (const auto span = userinfoSpan(url)) {
        userinfo = QUrl::fromPercentEncoding(url.sliced(span->start, span->length).toUtf8());
        url.remove(span->start, span->length + 1); // with its '@'
    }
    QStringList replacements;
    const QList<QueryParameter> query = queryParameters(url);
    for (auto it = query.rbegin(); it != query.rend(); ++it) {
        const QString decodedName = QUrl::fromPercentEncoding(it->name.toUtf8());
        if (options.keepSecrets || it->valueStart < 0 || it->value.isEmpty()
            || !isCredentialName(decodedName))
            continue;
        QString written = queryWrittenAsVariable(options.source, it->name);
        if (written.isEmpty())
            written = names.reference(variableNameFor(decodedName), it->value);
        url.replace(it->valueStart, it->value.size(),
            QChar(0xE000) + QString::number(replacements.size()) + QChar(0xE001));
        replacements << written;
    }
    url = escapeLiteralBraces(url);
    for (qsizetype i = 0; i < replacements.size(); ++i)
        url.replace(QChar(0xE000) + QString::number(i) + QChar(0xE001), replacements[i]);
    if (!options.keepSecrets && !options.baseUrl.isEmpty() && wire.url.startsWith(options.baseUrl)
        && url.startsWith(escapeLiteralBraces(options.baseUrl)))
        url = u"{{baseUrl}}"_s + url.mid(escapeLiteralBraces(options.baseUrl).size());
    r.target = url;

    HttpHeaders headers = wire.headers;
    if (!userinfo.isEmpty() && !std::ranges::any_of(headers, [](const HttpHeader &h) {
            return headerNameEquals(h.name, "authorization");
        }))
        headers.append(HttpHeader { "Authorization", "Basic " + userinfo.toUtf8().toBase64() });
    for (const HttpHeader &h : headers) {
        const QString name = QString::fromUtf8(h.name);
        const QString value = QString::fromUtf8(h.value);
        if (options.keepSecrets || !isSecretHeader(h.name)) {
            r.headers.append({ name, escapeLiteralBraces(value) });
            continue;
        }
        if (const QString written = writtenAsVariable(options.source, name); !written.isEmpty()) {
            r.headers.append({ name, written });
            continue;
        }
        QString templated;
        if (headerNameEquals(h.name, "authorization")) {
            const qsizetype space = value.indexOf(u' ');
            const bool bearer = value.startsWith("Bearer "_L1, Qt::CaseInsensitive);
            if (space > 0)
                templated = value.first(space + 1)
                    + names.reference(
                        bearer ? u"token"_s : u"credentials"_s, value.sliced(space + 1));
            else
                templated = names.reference(u"credentials"_s, value);
        } else {
            templated = names.reference(variableNameFor(name), value);
        }
        r.headers.append({ name, templated });
    }

    if (!options.bodyFile.isEmpty()) {
        r.body = u"< "_s + escapeLiteralBraces(options.bodyFile);
    } else if (!wire.bodyFiles.isEmpty() && options.source && !options.source->body.isEmpty()) {
        // An upload's body is its file's text, as written (the window does not edit it).
        r.body = options.source->body;
    } else if (!wire.bodyFiles.isEmpty()
        || headerValue(wire.headers, "content-type").trimmed().toLower().startsWith("multipart/")) {
        // Each file a "< path" line where its content goes; the rest as text, escaped
        // as one text with a mark where each file goes. A multipart body's lines end in
        // CRLF on the wire: a bare LF or CR inside a value is written as its escape.
        // A character the body does not hold marks each file's place.
        const QString whole = QString::fromUtf8(wire.body);
        char16_t code = 0xFDD0; // noncharacters first: no text means them
        while (code < 0xFDEF && whole.contains(QChar(code)))
            ++code;
        const QChar mark(code);
        QString body;
        qsizetype at = 0;
        for (const BodyFile &f : wire.bodyFiles) {
            const qsizetype offset = std::clamp<qsizetype>(f.offset, at, wire.body.size());
            body += QString::fromUtf8(QByteArrayView(wire.body).sliced(at, offset - at));
            body += mark;
            at = offset;
        }
        body += QString::fromUtf8(QByteArrayView(wire.body).sliced(at));
        body = escapeLiteralBraces(body);
        QString lines;
        lines.reserve(body.size());
        for (qsizetype i = 0; i < body.size(); ++i) {
            if (body[i] == u'\r' && i + 1 < body.size() && body[i + 1] == u'\n') {
                lines += u'\n';
                ++i;
            } else if (body[i] == u'\r' || body[i] == u'\n') {
                lines += literalEscape(body[i]);
            } else {
                lines += body[i];
            }
        }
        body = escapeBodyLines(lines);
        for (const BodyFile &f : wire.bodyFiles) {
            const qsizetype place = body.indexOf(mark);
            if (place >= 0)
                body.replace(place, 1, u"< "_s + escapeLiteralBraces(f.path));
        }
        r.body = body;
    } else {
        r.body = escapeBodyLines(escapeLiteralBraces(QString::fromUtf8(wire.body)));
    }
    return out;
}

Result<HttpFileText> httpFileTextOf(const WireRequest &wire, const TemplateOptions &options)
{
    HttpFileText out;
    out.templated = templateRequest(wire, options);
    auto text = formatHttpRequest(out.templated.request);
    if (!text)
        return std::unexpected(text.error());
    out.text = std::move(*text);
    return out;
}

} // namespace gs::core
