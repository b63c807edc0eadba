#include "core/httpfile/httpfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <array>
#include <functional>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr std::array kMethods { "GET"_L1, "POST"_L1, "PUT"_L1, "PATCH"_L1, "DELETE"_L1, "HEAD"_L1,
    "OPTIONS"_L1, "TRACE"_L1, "CONNECT"_L1 };

// Lines with their terminators, so that the text can be put back together exactly.
QStringList splitLines(const QString &text)
{
    QStringList lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\n'
            || (text[i] == u'\r' && (i + 1 >= text.size() || text[i + 1] != u'\n'))) {
            lines << text.mid(start, i + 1 - start);
            start = i + 1;
        }
    }
    if (start < text.size())
        lines << text.mid(start);
    return lines;
}

QString chomp(const QString &line)
{
    QString s = line;
    while (s.endsWith(u'\n') || s.endsWith(u'\r'))
        s.chop(1);
    return s;
}

bool isComment(const QString &trimmed)
{
    return trimmed.startsWith(u'#') || trimmed.startsWith("//"_L1);
}

bool isSeparator(const QString &line)
{
    return line.startsWith("###"_L1);
}

std::optional<QString> nameDirective(const QString &trimmed)
{
    static const QRegularExpression kName(u"^(?:#|//)\\s*@name(?:\\s*=\\s*|\\s+)(\\S.*?)\\s*$"_s);
    const auto m = kName.match(trimmed);
    return m.hasMatch() ? std::optional(m.captured(1)) : std::nullopt;
}

// "# @word rest" in a comment, other than @name.
std::optional<QString> directive(const QString &trimmed)
{
    static const QRegularExpression kDirective(
        u"^(?:#|//)\\s*@([A-Za-z][\\w-]*(?:\\s.*?)?)\\s*$"_s);
    const auto m = kDirective.match(trimmed);
    return m.hasMatch() ? std::optional(m.captured(1)) : std::nullopt;
}

// "@name = value" lines define file variables.
std::optional<std::pair<QString, QString>> variableLine(const QString &trimmed)
{
    static const QRegularExpression kVariable(u"^@([A-Za-z_][\\w.-]*)\\s*=\\s*(.*?)\\s*$"_s);
    const auto m = kVariable.match(trimmed);
    return m.hasMatch() ? std::optional(std::pair(m.captured(1), m.captured(2))) : std::nullopt;
}

bool isResponseHandler(const QString &line)
{
    return line.startsWith("> "_L1) || line.startsWith(">> "_L1) || line.startsWith(">>! "_L1)
        || line.startsWith("<> "_L1) || line == ">"_L1;
}

Error parseError(int line, qsizetype column, const QString &message)
{
    return Error { Error::Kind::Parse,
        u"line %1, column %2: %3"_s.arg(line).arg(column).arg(message),
        u"%1:%2"_s.arg(line).arg(column) };
}

} // namespace

bool HttpFileRequest::sameContent(const HttpFileRequest &o) const
{
    return name == o.name && method == o.method && target == o.target
        && httpVersion == o.httpVersion && headers == o.headers && body == o.body;
}

QString HttpFileRequest::label() const
{
    if (!name.isEmpty())
        return name;
    return (method.isEmpty() ? u"GET"_s : method) + u' ' + target.section(u'/', -1);
}

Result<HttpFile> HttpFile::parse(const QString &text)
{
    HttpFile file;
    const QStringList lines = splitLines(text);
    if (text.contains("\r\n"_L1))
        file.m_eol = u"\r\n"_s;

    // Cut into blocks at "###" lines.
    QList<std::pair<int, QStringList>> rawBlocks { { 1, {} } };
    for (int i = 0; i < lines.size(); ++i) {
        if (isSeparator(lines[i]))
            rawBlocks.append(std::pair(i + 1, QStringList()));
        rawBlocks.last().second << lines[i];
    }

    bool first = true;
    for (auto &[firstLine, blockLines] : rawBlocks) {
        Block block;
        qsizetype i = 0;
        int lineNo = firstLine;
        if (!first) {
            block.separator = blockLines[0];
            const QString title = chomp(blockLines[0]).mid(3).trimmed();
            if (!title.isEmpty())
                block.request.name = title;
            i = 1;
            ++lineNo;
        }
        first = false;
        block.original = blockLines.mid(i).join(QString());

        enum class State {
            Preamble,
            Headers,
            Body
        } state = State::Preamble;
        QStringList bodyLines;
        int bodyStart = 0; // the line number of bodyLines[0]
        for (; i < blockLines.size(); ++i, ++lineNo) {
            const QString &raw = blockLines[i];
            const QString line = chomp(raw);
            const QString trimmed = line.trimmed();
            switch (state) {
            case State::Preamble: {
                if (trimmed.isEmpty() || isComment(trimmed)) {
                    if (const auto n = nameDirective(trimmed))
                        block.request.name = *n;
                    else if (const auto d = directive(trimmed))
                        block.request.directives << *d;
                    block.preamble << raw;
                    continue;
                }
                if (trimmed.startsWith(u'@')) {
                    // "@name = value" defines a variable; other "@" lines are directives
                    // of other tools, kept as they are.
                    if (const auto v = variableLine(trimmed))
                        file.m_fileVariables.insert(v->first, v->second);
                    block.preamble << raw;
                    continue;
                }
                // The request line: [METHOD] URL [HTTP/VERSION]
                QStringList words = trimmed.split(u' ', Qt::SkipEmptyParts);
                HttpFileRequest &r = block.request;
                r.line = lineNo;
                const bool hasMethod = words.size() > 1
                    || std::ranges::any_of(
                        kMethods, [&](QLatin1StringView m) { return words[0] == m; });
                if (hasMethod) {
                    r.method = words.takeFirst();
                    static const QRegularExpression kMethod(u"^[A-Z][A-Z0-9_-]*$"_s);
                    if (!kMethod.match(r.method).hasMatch())
                        return std::unexpected(parseError(lineNo, line.indexOf(r.method) + 1,
                            u"expected a request line like \"POST {{baseUrl}}/chat/completions\", found %1"_s
                                .arg(u'"' + quotedForMessage(trimmed) + u'"')));
                }
                if (words.isEmpty())
                    return std::unexpected(
                        parseError(lineNo, line.size() + 1, u"the request line has no URL"_s));
                if (words.size() > 1 && words.last().startsWith("HTTP/"_L1))
                    r.httpVersion = words.takeLast();
                if (words.size() > 1) {
                    qsizetype column = line.indexOf(words[0]) + words[0].size();
                    while (column < line.size() && line[column].isSpace())
                        ++column;
                    return std::unexpected(parseError(lineNo, column + 1,
                        u"unexpected text after the URL: %1 (spaces in a URL must be written %20)"_s
                            .arg(u'"' + quotedForMessage(words.mid(1).join(u' ')) + u'"')));
                }
                r.target = words[0];
                block.hasRequest = true;
                // Indented "?a=b" / "&c=d" lines continue the URL.
                while (i + 1 < blockLines.size()) {
                    const QString next = chomp(blockLines[i + 1]);
                    const QString t = next.trimmed();
                    if (next.isEmpty() || !next[0].isSpace()
                        || !(t.startsWith(u'?') || t.startsWith(u'&')))
                        break;
                    r.target += t;
                    ++i;
                    ++lineNo;
                }
                state = State::Headers;
                continue;
            }
            case State::Headers: {
                if (trimmed.isEmpty()) {
                    block.blankAfterHeaders = true;
                    state = State::Body;
                    continue;
                }
                if (isComment(trimmed)) {
                    block.headerComments.append({ block.request.headers.size(), raw });
                    continue;
                }
                const qsizetype colon = line.indexOf(u':');
                if (colon <= 0)
                    return std::unexpected(parseError(lineNo, 1,
                        u"expected a header \"Name: value\" or a blank line before the body, found %1"_s
                            .arg(u'"' + quotedForMessage(trimmed) + u'"')));
                block.request.headers.append(
                    { line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
                continue;
            }
            case State::Body:
                if (bodyLines.isEmpty())
                    bodyStart = lineNo;
                bodyLines << raw;
                continue;
            }
        }
        // The body ends before trailing blank lines and response handlers.
        qsizetype end = 0;
        for (qsizetype k = 0; k < bodyLines.size(); ++k) {
            if (isResponseHandler(chomp(bodyLines[k])))
                break;
            if (!chomp(bodyLines[k]).trimmed().isEmpty())
                end = k + 1;
        }
        QString body = bodyLines.mid(0, end).join(QString());
        while (body.endsWith(u'\n') || body.endsWith(u'\r'))
            body.chop(1);
        block.request.body = body;
        block.tail = bodyLines.mid(end).join(QString());
        for (qsizetype k = end; k < bodyLines.size(); ++k) {
            if (const QString line = chomp(bodyLines[k]); isResponseHandler(line))
                block.request.responseHandlers.append({ bodyStart + int(k), line });
        }
        block.parsed = block.request;
        file.m_blocks.append(std::move(block));
    }
    return file;
}

Result<HttpFile> HttpFile::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, f.errorString()));
    return parseFile(f.readAll(), path, path);
}

Result<HttpFile> HttpFile::parseFile(
    const QByteArray &bytes, const QString &shownName, const QString &path)
{
    auto parsed = parse(QString::fromUtf8(bytes));
    if (parsed && !QUtf8StringView(bytes).isValidUtf8()) {
        // Bytes that are not UTF-8 become U+FFFD, and so does what is sent: say where.
        int lineNo = 1;
        qsizetype start = 0;
        QList<int> bad;
        while (start <= bytes.size()) {
            qsizetype end = bytes.indexOf('\n', start);
            if (end < 0)
                end = bytes.size();
            if (!QUtf8StringView(bytes.sliced(start, end - start)).isValidUtf8())
                bad << lineNo;
            start = end + 1;
            ++lineNo;
        }
        if (!bad.isEmpty()) {
            QStringList lines;
            for (const int n : bad.first(std::min<qsizetype>(bad.size(), 5)))
                lines << QString::number(n);
            parsed->m_warnings
                << u"%1: line%2 %3%4 %5 not UTF-8; each such byte is read, and sent, as U+FFFD."_s
                       .arg(shownName, bad.size() > 1 ? u"s"_s : QString(), lines.join(u", "_s),
                           bad.size() > 5 ? u" and %1 more"_s.arg(bad.size() - 5) : QString(),
                           bad.size() > 1 ? u"are"_s : u"is"_s);
        }
    }
    if (!parsed) {
        Error e = parsed.error();
        e.message = shownName + u": "_s + e.message;
        e.detail = path + u':' + e.detail;
        return std::unexpected(e);
    }
    return parsed;
}

QList<HttpFileRequest> HttpFile::requests() const
{
    QList<HttpFileRequest> out;
    for (const Block &b : m_blocks) {
        if (b.hasRequest)
            out << b.request;
    }
    return out;
}

qsizetype HttpFile::indexOf(const QString &name) const
{
    const QList<HttpFileRequest> all = requests();
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (all[i].name == name)
            return i;
    }
    return -1;
}

void HttpFile::setRequest(qsizetype index, const HttpFileRequest &request)
{
    for (Block &b : m_blocks) {
        if (b.hasRequest && index-- == 0) {
            b.request = request;
            return;
        }
    }
}

void HttpFile::appendRequest(const HttpFileRequest &request)
{
    // The text before ends with a blank line, then "###".
    if (!m_blocks.isEmpty()) {
        Block &last = m_blocks.last();
        const QString text = last.separator + blockText(last);
        if (!text.isEmpty()) {
            QString pad;
            if (!text.endsWith(u'\n') && !text.endsWith(u'\r'))
                pad += m_eol;
            if (!QString(text + pad).endsWith(m_eol + m_eol))
                pad += m_eol;
            last.original += pad;
            last.tail += pad;
        }
    }
    Block block;
    block.separator = u"###"_s + m_eol;
    block.hasRequest = true;
    block.request = request;
    block.parsed = HttpFileRequest {};
    block.parsed.target = u"\n"_s; // never equal: the block is written from its fields
    block.blankAfterHeaders = true;
    m_blocks.append(std::move(block));
}

void HttpFile::removeRequest(qsizetype index)
{
    for (qsizetype i = 0; i < m_blocks.size(); ++i) {
        Block &b = m_blocks[i];
        if (!b.hasRequest || index-- != 0)
            continue;
        if (i == 0) {
            // The top of the file (comments, @variables) stays.
            QString kept;
            for (const QString &line : std::as_const(b.preamble))
                if (!nameDirective(chomp(line).trimmed()) && !directive(chomp(line).trimmed()))
                    kept += line;
            b = Block {};
            b.original = kept;
        } else {
            m_blocks.removeAt(i);
        }
        return;
    }
}

QString HttpFile::blockText(const Block &b) const
{
    if (!b.hasRequest || b.request.sameContent(b.parsed))
        return b.original;
    const HttpFileRequest &r = b.request;
    QString out;
    bool named = false;
    for (const QString &raw : b.preamble) {
        const QString trimmed = chomp(raw).trimmed();
        if (const auto n = nameDirective(trimmed)) {
            named = true;
            if (*n != r.name) {
                if (!r.name.isEmpty())
                    out += QString(raw).replace(*n, r.name);
                continue;
            }
        }
        out += raw;
    }
    // A name that the "###" title does not already give gets its own directive.
    const QString title = chomp(b.separator).mid(3).trimmed();
    if (!named && !r.name.isEmpty() && r.name != title)
        out += u"# @name "_s + r.name + m_eol;
    out += (r.method.isEmpty() ? QString() : r.method + u' ') + r.target
        + (r.httpVersion.isEmpty() ? QString() : u' ' + r.httpVersion) + m_eol;
    qsizetype comment = 0;
    for (qsizetype h = 0; h <= r.headers.size(); ++h) {
        while (comment < b.headerComments.size() && b.headerComments[comment].first == h)
            out += b.headerComments[comment++].second;
        if (h < r.headers.size())
            out += r.headers[h].first + u": "_s + r.headers[h].second + m_eol;
    }
    while (comment < b.headerComments.size())
        out += b.headerComments[comment++].second;
    if (!r.body.isEmpty()) {
        QString body = r.body;
        if (m_eol == "\r\n"_L1)
            body.replace(QRegularExpression(u"\r?\n"_s), m_eol);
        out += m_eol + body + m_eol;
    } else if (b.blankAfterHeaders) {
        out += m_eol;
    }
    out += b.tail;
    return out;
}

QString HttpFile::toText() const
{
    QString out;
    for (const Block &b : m_blocks)
        out += b.separator + blockText(b);
    return out;
}

namespace {

// An environment's "SSLConfiguration": the JetBrains HTTP Client's keys, plus
// caCertificate for a self-hosted gateway's private CA.
Result<TlsFiles> readTlsFiles(
    const QJsonValue &value, const QString &directory, const QString &path, const QString &env)
{
    const auto refuse = [&](const QString &why) -> Result<TlsFiles> {
        return fail(Error::Kind::Parse,
            u"%1: the SSLConfiguration of %2 %3."_s.arg(path, quotedForMessage(env), why));
    };
    if (!value.isObject())
        return refuse(u"must be an object"_s);
    const QJsonObject o = value.toObject();
    TlsFiles files;
    files.base = directory;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        if (key == "verifyHostCertificate"_L1 || key == "hasCertificatePassphrase"_L1) {
            if (!it.value().isBool())
                return refuse(u"has %1 that is not true or false"_s.arg(key));
            if (key == "verifyHostCertificate"_L1)
                files.verifyHost = it.value().toBool();
            continue;
        }
        QString *field = key == "caCertificate"_L1 ? &files.caCertificates
            : key == "clientCertificate"_L1        ? &files.clientCertificate
            : key == "clientCertificateKey"_L1     ? &files.clientKey
                                                   : nullptr;
        if (!field)
            continue; // another tool's key: left for it
        if (!it.value().isString() || it.value().toString().trimmed().isEmpty())
            return refuse(u"has %1 that is not a file path"_s.arg(key));
        *field = it.value().toString().trimmed();
    }
    if (!files.clientKey.isEmpty() && files.clientCertificate.isEmpty())
        return refuse(u"has clientCertificateKey without clientCertificate"_s);
    return files;
}

} // namespace

Result<HttpEnvironments> HttpEnvironments::loadFromDirectory(const QString &directory)
{
    HttpEnvironments envs;
    // The private file (the JetBrains convention for secrets) is read after the
    // public one, so its values win.
    for (const QString &fileName :
        { u"http-client.env.json"_s, u"http-client.private.env.json"_s }) {
        const QString path = QDir(directory).filePath(fileName);
        QFile f(path);
        if (!f.exists())
            continue;
        if (!f.open(QIODevice::ReadOnly))
            return fail(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, f.errorString()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return fail(Error::Kind::Parse,
                u"%1 is not a JSON object of environments: %2"_s.arg(path,
                    error.error != QJsonParseError::NoError ? error.errorString()
                                                            : u"not an object"_s));
        const QJsonObject root = doc.object();
        for (auto it = root.begin(); it != root.end(); ++it) {
            if (!it.value().isObject())
                continue;
            Variables &target
                = it.key() == "$shared"_L1 ? envs.shared : envs.environments[it.key()];
            const QJsonObject vars = it.value().toObject();
            if (fileName.contains(".private."_L1)) {
                for (const QString &name : vars.keys())
                    if (!envs.privateNames.contains(name))
                        envs.privateNames << name;
            }
            const QString environment = it.key() == "$shared"_L1 ? QString() : it.key();
            for (auto v = vars.begin(); v != vars.end(); ++v) {
                if (v.key() == "SSLConfiguration"_L1) {
                    auto read = readTlsFiles(v.value(), directory, path, it.key());
                    if (!read)
                        return std::unexpected(read.error());
                    envs.tls[environment] = envs.tls.value(environment).overriddenBy(*read);
                    envs.tls[environment].base = directory;
                    continue;
                }
                if (v.value().isString())
                    target.insert(v.key(), v.value().toString());
                else if (v.value().isDouble() || v.value().isBool())
                    target.insert(v.key(), v.value().toVariant().toString());
            }
        }
    }
    return envs;
}

TlsFiles HttpEnvironments::tlsFor(const QString &name) const
{
    const TlsFiles common = tls.value(QString());
    return name.isEmpty() || !tls.contains(name) ? common : common.overriddenBy(tls.value(name));
}

QString HttpEnvironments::directoryFor(const QString &httpFile)
{
    const QString own = QFileInfo(httpFile).absolutePath();
    QDir dir(own);
    for (int level = 0; level < 16; ++level) {
        if (dir.exists(u"http-client.env.json"_s) || dir.exists(u"http-client.private.env.json"_s))
            return dir.absolutePath();
        if (!dir.cdUp())
            break;
    }
    return own;
}

Result<Variables> HttpEnvironments::variables(const QString &name) const
{
    Variables vars = shared;
    if (name.isEmpty())
        return vars;
    const auto it = environments.find(name);
    if (it == environments.end()) {
        const QStringList names = environments.keys();
        if (names.isEmpty())
            return fail(Error::Kind::Usage,
                u"No environment %1: no http-client.env.json next to the file."_s.arg(name));
        return fail(Error::Kind::Usage,
            u"No environment %1; there are: %2."_s.arg(name, names.join(", "_L1)));
    }
    for (auto v = it->begin(); v != it->end(); ++v)
        vars.insert(v.key(), v.value());
    return vars;
}

QStringList referencedVariables(const HttpFileRequest &request)
{
    static const QRegularExpression kReference(u"\\{\\{\\s*([^{}\\s$][^{}\\s]*)\\s*\\}\\}"_s);
    QString text = request.target;
    for (const auto &[name, value] : request.headers)
        text += u'\n' + name + u": "_s + value;
    text += u'\n' + request.body;
    QStringList names;
    auto it = kReference.globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names << name;
    }
    return names;
}

namespace {

//! Files up to this size are searched for the boundary when a request is resolved
//! (fast enough for the window's thread); larger ones as they are sent.
constexpr qint64 kBoundaryScanBytes = 32LL * 1024 * 1024;

//! Whether the file at \a path holds \a needle, read in pieces.
Result<bool> fileContains(const QString &path, const QByteArray &needle)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, f.errorString()));
    constexpr qint64 kPiece = 1024 * 1024;
    QByteArray window;
    while (!f.atEnd()) {
        const QByteArray piece = f.read(kPiece);
        if (piece.isEmpty() && f.error() != QFileDevice::NoError)
            return fail(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, f.errorString()));
        window = window.right(needle.size() - 1) + piece;
        if (window.contains(needle))
            return true;
    }
    return false;
}

//! A multipart body as JetBrains' HTTP Client, VS Code REST Client and httpyac write
//! it: lines end in CRLF on the wire, and a line "< ./path" inside a part is that
//! file's content, sent from disk (relative to \a base). The bytes with the files left
//! out, and where each file goes.
//! Whether a line is a file is read from the text as written, before any
//! {{variable}} is expanded: an escape ({{$char.lt}}) or a value can never make one.
Result<std::pair<QByteArray, BodyFiles>> multipartBody(const QString &text,
    const QByteArray &contentType, const QDir &base,
    const std::function<Result<QString>(const QString &)> &expand)
{
    const QByteArray boundary = headerParameter(contentType, "boundary");
    if (boundary.isEmpty())
        return fail(Error::Kind::Validation,
            u"The multipart Content-Type has no boundary=...; the parts cannot be told apart."_s);
    QByteArray bytes;
    BodyFiles files;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.startsWith("< "_L1)) {
            const auto written = expand(line.mid(2).trimmed());
            if (!written)
                return std::unexpected(written.error());
            const QString path = QDir::cleanPath(base.absoluteFilePath(*written));
            const QFileInfo info(path);
            if (!info.isFile() || !info.isReadable())
                return fail(Error::Kind::Io,
                    u"Cannot read the part's file %1: %2."_s.arg(
                        path, info.exists() ? u"not a readable file"_s : u"no such file"_s));
            // A large file is checked as it streams (BodyDevice), not read twice here.
            const auto clash = info.size() <= kBoundaryScanBytes
                ? fileContains(path, "--" + boundary)
                : Result<bool>(false);
            if (!clash)
                return std::unexpected(clash.error());
            if (*clash)
                return fail(Error::Kind::Validation,
                    u"%1 contains the boundary --%2; choose a boundary its content does not hold."_s
                        .arg(path, QString::fromLatin1(boundary)));
            files.append(BodyFile { bytes.size(), path, info.size() });
        } else {
            const auto expanded = expand(line);
            if (!expanded)
                return std::unexpected(expanded.error());
            bytes += expanded->toUtf8();
            if (bytes.size() - text.size() > expansion::kMaxAddedSize)
                return fail(Error::Kind::Validation,
                    u"Variables expand to more than %1 MiB in the multipart body; a request stops there."_s
                        .arg(expansion::kMaxAddedSize / (1024 * 1024)));
        }
        if (i + 1 < lines.size())
            bytes += "\r\n";
    }
    return std::pair { bytes, files };
}

} // namespace

Result<ResolvedRequest> resolve(const HttpFileRequest &request, const Variables &variables,
    const QString &baseDirectory, std::optional<BodyInclude> *include)
{
    ResolvedRequest out;
    out.method = (request.method.isEmpty() ? u"GET"_s : request.method).toUtf8();
    // The .env file next to the .http file, read only when a request names it.
    std::optional<Variables> dotenv;
    const bool namesDotenv = request.target.contains("$dotenv"_L1)
        || request.body.contains("$dotenv"_L1)
        || std::ranges::any_of(
            request.headers, [](const auto &h) { return h.second.contains("$dotenv"_L1); });
    if (namesDotenv)
        dotenv = readDotenv(baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory);
    const auto expand = [&variables, &dotenv](const QString &text) {
        return expandVariables(text, variables, dotenv ? &*dotenv : nullptr);
    };
    const auto url = expand(request.target);
    if (!url)
        return std::unexpected(url.error());
    out.url = *url;
    for (const auto &[name, value] : request.headers) {
        const auto expandedName = expand(name);
        if (!expandedName)
            return std::unexpected(expandedName.error());
        const auto expandedValue = expand(value);
        if (!expandedValue)
            return std::unexpected(expandedValue.error());
        out.headers.append({ expandedName->toUtf8(), expandedValue->toUtf8() });
    }
    const QDir base(baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory);
    const QByteArray contentType = headerValue(out.headers, "content-type");
    if (contentType.trimmed().toLower().startsWith("multipart/")) {
        auto multipart = multipartBody(request.body, contentType, base, expand);
        if (!multipart)
            return std::unexpected(multipart.error());
        out.body = std::move(multipart->first);
        out.bodyFiles = std::move(multipart->second);
        return out;
    }
    // "< ./file.json" as the whole body sends that file's content.
    QString body = request.body;
    if (body.startsWith("< "_L1) && !body.contains(u'\n')) {
        const auto file = expand(body.mid(2).trimmed());
        if (!file)
            return std::unexpected(file.error());
        const QString path
            = QDir(baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory).filePath(*file);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return fail(Error::Kind::Io,
                u"Cannot read the body file %1: %2"_s.arg(
                    QFileInfo(path).filePath(), f.errorString()));
        body = QString::fromUtf8(f.readAll());
        if (include)
            *include = BodyInclude { QFileInfo(path).absoluteFilePath(), f.size() };
    }
    const auto expandedBody = expand(body);
    if (!expandedBody)
        return std::unexpected(expandedBody.error());
    out.body = expandedBody->toUtf8();
    return out;
}

} // namespace gs::core
