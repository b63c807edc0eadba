#include "core/interop/curlimport.h"

#include "core/httpfile/httpwriter.h"
#include "core/model/redaction.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// $'...' escapes, from just after the backslash; returns the characters consumed.
qsizetype ansiCEscape(const QString &s, qsizetype i, QString &out)
{
    if (i >= s.size()) {
        out += u'\\';
        return 0;
    }
    const QChar c = s[i];
    const auto hex = [&](qsizetype from, int maxDigits) {
        const auto isHex = [](QChar ch) {
            return ch.isDigit() || (ch.toLower() >= u'a' && ch.toLower() <= u'f');
        };
        qsizetype j = from;
        while (j < s.size() && j - from < maxDigits && isHex(s[j]))
            ++j;
        return j;
    };
    switch (c.unicode()) {
    case 'n':
        out += u'\n';
        return 1;
    case 't':
        out += u'\t';
        return 1;
    case 'r':
        out += u'\r';
        return 1;
    case 'a':
        out += QChar(7);
        return 1;
    case 'b':
        out += QChar(8);
        return 1;
    case 'e':
    case 'E':
        out += QChar(27);
        return 1;
    case 'f':
        out += QChar(12);
        return 1;
    case 'v':
        out += QChar(11);
        return 1;
    case '\\':
    case '\'':
    case '"':
    case '?':
        out += c;
        return 1;
    case 'x': {
        const qsizetype end = hex(i + 1, 2);
        if (end == i + 1) {
            out += u"\\x"_s;
            return 1;
        }
        // A byte: collected as Latin-1 here, re-read as UTF-8 by the caller.
        out += QChar(QStringView(s).sliced(i + 1, end - i - 1).toUInt(nullptr, 16));
        return end - i;
    }
    case 'u':
    case 'U': {
        const qsizetype end = hex(i + 1, c == u'u' ? 4 : 8);
        if (end == i + 1) {
            out += u'\\' + QString(c);
            return 1;
        }
        const char32_t code = QStringView(s).sliced(i + 1, end - i - 1).toUInt(nullptr, 16);
        out += QString::fromUcs4(&code, 1);
        return end - i;
    }
    default:
        if (c >= u'0' && c <= u'7') {
            qsizetype j = i;
            while (j < s.size() && j - i < 3 && s[j] >= u'0' && s[j] <= u'7')
                ++j;
            out += QChar(QStringView(s).sliced(i, j - i).toUInt(nullptr, 8));
            return j - i;
        }
        out += u'\\' + QString(c);
        return 1;
    }
}

// $'...' gives bytes (\xHH); a run of them that forms UTF-8 becomes its characters.
QString bytesToText(const QString &latin)
{
    bool allLatin = true;
    for (const QChar c : latin)
        allLatin = allLatin && c.unicode() < 256;
    if (!allLatin)
        return latin;
    const QByteArray bytes = latin.toLatin1();
    const QString utf8 = QString::fromUtf8(bytes);
    return utf8.contains(QChar::ReplacementCharacter) ? latin : utf8;
}

// Options that take a value, and what to tell the user about those not imported.
const QSet<QString> &valueOptions()
{
    static const QSet<QString> options { u"-X"_s, u"--request"_s, u"-H"_s, u"--header"_s, u"-d"_s,
        u"--data"_s, u"--data-raw"_s, u"--data-binary"_s, u"--data-ascii"_s, u"--data-urlencode"_s,
        u"--json"_s, u"-u"_s, u"--user"_s, u"-A"_s, u"--user-agent"_s, u"-e"_s, u"--referer"_s,
        u"-b"_s, u"--cookie"_s, u"--url"_s, u"-o"_s, u"--output"_s, u"-m"_s, u"--max-time"_s,
        u"--connect-timeout"_s, u"--retry"_s, u"--retry-delay"_s, u"--retry-max-time"_s, u"-w"_s,
        u"--write-out"_s, u"--cacert"_s, u"--capath"_s, u"-E"_s, u"--cert"_s, u"--key"_s, u"-x"_s,
        u"--proxy"_s, u"-U"_s, u"--proxy-user"_s, u"--resolve"_s, u"--connect-to"_s, u"-T"_s,
        u"--upload-file"_s, u"-F"_s, u"--form"_s, u"--form-string"_s, u"-c"_s, u"--cookie-jar"_s,
        u"-r"_s, u"--range"_s, u"-z"_s, u"--time-cond"_s, u"-K"_s, u"--config"_s, u"--limit-rate"_s,
        u"--max-filesize"_s, u"--interface"_s, u"--oauth2-bearer"_s, u"--aws-sigv4"_s, u"-y"_s,
        u"--speed-time"_s, u"-Y"_s, u"--speed-limit"_s, u"--keepalive-time"_s, u"--max-redirs"_s,
        u"--expect100-timeout"_s, u"--dns-servers"_s, u"--unix-socket"_s, u"--trace"_s,
        u"--trace-ascii"_s, u"--stderr"_s, u"-D"_s, u"--dump-header"_s };
    return options;
}

QString noteFor(const QString &option, const QString &value)
{
    static const QSet<QString> display { u"-s"_s, u"--silent"_s, u"-S"_s, u"--show-error"_s,
        u"-v"_s, u"--verbose"_s, u"-i"_s, u"--include"_s, u"-N"_s, u"--no-buffer"_s, u"-#"_s,
        u"--progress-bar"_s, u"--no-progress-meter"_s, u"-q"_s, u"-f"_s, u"--fail"_s,
        u"--fail-with-body"_s, u"-o"_s, u"--output"_s, u"-O"_s, u"--remote-name"_s, u"-w"_s,
        u"--write-out"_s, u"-D"_s, u"--dump-header"_s, u"--trace"_s, u"--trace-ascii"_s,
        u"--stderr"_s, u"-J"_s, u"--remote-header-name"_s };
    const QString shown = value.isNull() ? option : option + u' ' + value;
    if (display.contains(option))
        return u"%1: how curl shows or saves the response; Gatescope shows all of it."_s.arg(shown);
    if (option == "-L"_L1 || option == "--location"_L1 || option == "--max-redirs"_L1)
        return u"%1: Gatescope follows up to 5 redirects and lists them."_s.arg(shown);
    if (option == "-k"_L1 || option == "--insecure"_L1)
        return u"%1: accepts certificate problems; tick \"Accept certificate problems\" for the request (send --insecure)."_s
            .arg(shown);
    if (option == "--compressed"_L1)
        return u"%1: Gatescope asks for compression itself and decompresses as the stream arrives."_s
            .arg(shown);
    if (option == "-m"_L1 || option == "--max-time"_L1)
        return u"%1: a client deadline; use send --max-time %2."_s.arg(shown, value);
    if (option == "-x"_L1 || option == "--proxy"_L1 || option == "-U"_L1
        || option == "--proxy-user"_L1)
        return u"%1: Gatescope uses the system or environment proxy (http_proxy, https_proxy)."_s
            .arg(shown);
    if (option.startsWith("--http"_L1) || option == "-0"_L1)
        return u"%1: Gatescope lets Qt choose the HTTP version."_s.arg(shown);
    if (option == "--cacert"_L1 || option == "--capath"_L1 || option == "-E"_L1
        || option == "--cert"_L1 || option == "--key"_L1)
        return u"%1: TLS certificates come from the system; not imported."_s.arg(shown);
    return u"%1: not imported (no equivalent in a Gatescope request)."_s.arg(shown);
}

bool isFlagOption(const QString &option)
{
    return option.startsWith(u'-') && !valueOptions().contains(option);
}

//! Why curl's file \a path cannot become a "< path" line of a .http file that reads
//! that same file, or nothing when it can: standard input, a line break or another
//! control character (NUL ends a name in curl; no file has it), or a space at an end
//! (a .http file trims the line).
QString unwritablePath(const QString &path)
{
    if (path.isEmpty() || path == "-"_L1)
        return u"standard input"_s;
    if (std::ranges::any_of(
            path, [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        return u"a line break or control character in the file name"_s;
    if (path.front().isSpace() || path.back().isSpace())
        return u"a space at an end of the file name"_s;
    return {};
}

QString percentEncoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// Today's "Copy as cURL (cmd)": every quote is written ^" so that cmd passes it on,
// and the program's C runtime then splits the line. First what cmd does (a caret
// escapes the next character; one at a line's end joins the next line), then the
// C runtime's rules (quotes group, \" is a quote, 2n backslashes before a quote are n).
QStringList splitCmdCaretWords(const QString &command)
{
    QString line;
    for (qsizetype i = 0; i < command.size(); ++i) {
        if (command[i] != u'^') {
            line += command[i];
        } else if (command.mid(i + 1, 2) == "\r\n"_L1) {
            i += 2;
        } else if (i + 1 < command.size()) {
            if (command[i + 1] != u'\n')
                line += command[i + 1];
            ++i;
        }
    }
    QStringList words;
    QString word;
    bool inWord = false;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == u'\\') {
            qsizetype n = 0;
            while (i + n < line.size() && line[i + n] == u'\\')
                ++n;
            if (i + n < line.size() && line[i + n] == u'"') {
                word += QString(n / 2, u'\\');
                if (n % 2)
                    word += u'"';
                else
                    quoted = !quoted;
                i += n;
            } else {
                word += QString(n, u'\\');
                i += n - 1;
            }
            inWord = true;
        } else if (c == u'"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == u'"') {
                word += u'"';
                ++i;
            } else {
                quoted = !quoted;
            }
            inWord = true;
        } else if (c.isSpace() && !quoted) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words << word;
    return words;
}

} // namespace

Result<QStringList> splitShellWords(const QString &command)
{
    static const QRegularExpression kCaretQuotedWord(u"(^|\\s)\\^\""_s);
    if (kCaretQuotedWord.match(command).hasMatch())
        return splitCmdCaretWords(command);
    QStringList words;
    QString word;
    bool inWord = false;
    // Windows cmd ("Copy as cURL (cmd)"): ^ escapes and continues lines.
    const bool cmd
        = command.contains(u"^\n"_s) || command.contains(u"^\r\n"_s) || command.contains(u"^\""_s);
    const QChar escape = cmd ? u'^' : u'\\';
    const qsizetype n = command.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = command[i];
        if (c == escape) {
            if (i + 1 < n && command[i + 1] == u'\n') {
                ++i; // a line continuation
                continue;
            }
            if (i + 2 < n && command[i + 1] == u'\r' && command[i + 2] == u'\n') {
                i += 2;
                continue;
            }
            if (i + 1 < n) {
                word += command[++i];
                inWord = true;
            }
            continue;
        }
        if (c == u'\'' && !cmd) {
            const qsizetype end = command.indexOf(u'\'', i + 1);
            if (end < 0)
                return fail(Error::Kind::Parse,
                    u"A single quote opened at character %1 is never closed."_s.arg(i + 1));
            word += QStringView(command).sliced(i + 1, end - i - 1);
            inWord = true;
            i = end;
            continue;
        }
        if (c == u'$' && !cmd && i + 1 < n && command[i + 1] == u'\'') {
            QString raw;
            qsizetype j = i + 2;
            for (; j < n && command[j] != u'\''; ++j) {
                if (command[j] == u'\\')
                    j += ansiCEscape(command, j + 1, raw);
                else
                    raw += command[j];
            }
            if (j >= n)
                return fail(Error::Kind::Parse,
                    u"A $'...' string opened at character %1 is never closed."_s.arg(i + 1));
            word += bytesToText(raw);
            inWord = true;
            i = j;
            continue;
        }
        if (c == u'"') {
            qsizetype j = i + 1;
            for (; j < n && command[j] != u'"'; ++j) {
                if (command[j] == escape && j + 1 < n) {
                    const QChar next = command[j + 1];
                    if (cmd || next == u'"' || next == u'\\' || next == u'$' || next == u'`') {
                        word += next;
                        ++j;
                        continue;
                    }
                    if (next == u'\n') {
                        ++j;
                        continue;
                    }
                }
                word += command[j];
            }
            if (j >= n)
                return fail(Error::Kind::Parse,
                    u"A double quote opened at character %1 is never closed."_s.arg(i + 1));
            inWord = true;
            i = j;
            continue;
        }
        if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
            continue;
        }
        word += c;
        inWord = true;
    }
    if (inWord)
        words << word;
    return words;
}

namespace {

//! The words of a curl command after the program's name, without a prompt before it.
Result<QStringList> curlArguments(const QString &command)
{
    auto words = splitShellWords(command.trimmed());
    if (!words)
        return std::unexpected(words.error());
    QStringList args = *words;
    // A prompt and the program name: "$ curl", "curl.exe".
    while (!args.isEmpty() && (args.first() == "$"_L1 || args.first() == ">"_L1))
        args.removeFirst();
    if (args.isEmpty()
        || !(args.first() == "curl"_L1 || args.first() == "curl.exe"_L1
            || args.first().endsWith("/curl"_L1)))
        return fail(Error::Kind::Parse, u"Not a curl command: it should start with \"curl\"."_s);
    args.removeFirst();
    return args;
}

//! The options in argument \a i of \a args, with their values: "-XPOST", "-sSL" and
//! "-H'X: y'" split, "--name=value" and "--name value" read (\a i moves past a value
//! taken from the next argument).
Result<QList<std::pair<QString, QString>>> optionsIn(const QStringList &args, qsizetype &i)
{
    const QString &arg = args[i];
    QList<std::pair<QString, QString>> options;
    const auto valueAfter = [&](const QString &name) -> Result<QString> {
        if (i + 1 >= args.size())
            return fail(Error::Kind::Parse, u"%1 needs a value."_s.arg(name));
        return args[++i];
    };
    if (arg.startsWith("--"_L1)) {
        QString name = arg;
        QString value;
        bool hasValue = false;
        if (const qsizetype eq = arg.indexOf(u'=');
            eq > 2 && valueOptions().contains(arg.first(eq))) {
            name = arg.first(eq);
            value = arg.sliced(eq + 1);
            hasValue = true;
        }
        if (valueOptions().contains(name) && !hasValue) {
            const auto v = valueAfter(name);
            if (!v)
                return std::unexpected(v.error());
            value = *v;
        }
        options.append({ name, valueOptions().contains(name) ? value : QString() });
        return options;
    }
    for (qsizetype k = 1; k < arg.size(); ++k) {
        const QString name = u'-' + QString(arg[k]);
        if (valueOptions().contains(name)) {
            QString value = arg.sliced(k + 1);
            if (value.isEmpty()) {
                const auto v = valueAfter(name);
                if (!v)
                    return std::unexpected(v.error());
                value = *v;
            }
            options.append({ name, value });
            break;
        }
        options.append({ name, QString() });
    }
    return options;
}

//! What a curl command's options say, as they are read.
struct CurlCommand
{
    CurlImport out;
    QString method;
    QStringList urls;
    HttpHeaders headers;
    QStringList data;
    //! -F parts, in order: a form field or a file.
    struct FormPart
    {
        QString name;
        QString value; //!< the text, for a field
        QString path; //!< the file whose content it is (empty for text)
        QString filename; //!< sent as the file's name; empty: the content of a field
        QString type;
    };
    QList<FormPart> form;
    QString uploadFile; //!< -T FILE
    bool json = false;
    bool get = false;
    bool head = false;

    void addHeader(const QString &line)
    {
        const qsizetype colon = line.indexOf(u':');
        const qsizetype semicolon = line.indexOf(u';');
        if (colon < 0 && semicolon == line.size() - 1 && semicolon > 0) {
            headers.append({ line.first(semicolon).trimmed().toUtf8(), QByteArray() });
            return;
        }
        if (colon <= 0) {
            out.notes << u"-H %1: not a header line (Name: value); not imported."_s.arg(line);
            return;
        }
        const QString value = line.sliced(colon + 1).trimmed();
        if (value.isEmpty()) {
            out.notes
                << u"-H \"%1\": removes a header curl would add; Gatescope adds no such header."_s
                       .arg(line);
            return;
        }
        headers.append({ line.first(colon).trimmed().toUtf8(), value.toUtf8() });
    }

    void addData(const QString &option, const QString &value)
    {
        const bool raw = option == "--data-raw"_L1;
        if (option == "--data-urlencode"_L1) {
            const qsizetype eq = value.indexOf(u'=');
            const qsizetype at = value.indexOf(u'@');
            if (at >= 0 && (eq < 0 || at < eq)) {
                out.notes << u"--data-urlencode %1: reads a file; not imported."_s.arg(value);
                return;
            }
            data << (eq < 0 ? percentEncoded(value)
                            : (eq == 0 ? QString() : value.first(eq) + u'=')
                        + percentEncoded(value.sliced(eq + 1)));
            return;
        }
        if (!raw && value.startsWith(u'@')) {
            if (value == "@-"_L1) {
                out.notes << u"%1 @-: reads standard input; no body imported."_s.arg(option);
                return;
            }
            if (const QString why = unwritablePath(value.sliced(1)); !why.isEmpty()) {
                out.notes << u"%1: %2; no body imported."_s.arg(option, why);
                return;
            }
            out.bodyFile = value.sliced(1);
            out.notes << u"%1 %2: the body is read from %3 when the request is sent (\"< %3\")."_s
                             .arg(option, value, out.bodyFile);
            return;
        }
        // As given: curl strips line breaks only from data it reads from files.
        data << value;
    }

    //! curl's -F NAME=CONTENT: "@file" uploads a file, "<file" sends a file's text as
    //! the value; ";type=" and ";filename=" follow either (quoted or not).
    void addForm(const QString &option, const QString &spec)
    {
        const qsizetype eq = spec.indexOf(u'=');
        if (eq <= 0) {
            out.notes << u"%1 %2: not NAME=CONTENT; not imported."_s.arg(option, spec);
            return;
        }
        FormPart part;
        part.name = spec.first(eq);
        QString content = spec.sliced(eq + 1);
        if (option == "--form-string"_L1
            || (!content.startsWith(u'@') && !content.startsWith(u'<'))) {
            part.value = content;
            if (option != "--form-string"_L1) {
                // curl reads ";type=" after a text too.
                if (const qsizetype at = content.indexOf(";type="_L1); at >= 0) {
                    part.type = content.sliced(at + 6);
                    part.value = content.first(at);
                }
            }
            form << part;
            return;
        }
        const bool upload = content.startsWith(u'@');
        content.remove(0, 1);
        // The path, quoted or up to the first ';', then the parameters.
        QString path;
        qsizetype at = 0;
        if (content.startsWith(u'"')) {
            const qsizetype close = content.indexOf(u'"', 1);
            path = content.sliced(1, (close < 0 ? content.size() : close) - 1);
            at = close < 0 ? content.size() : close + 1;
        } else {
            at = content.indexOf(u';');
            if (at < 0)
                at = content.size();
            path = content.first(at);
        }
        for (const QString &param : content.sliced(at).split(u';', Qt::SkipEmptyParts)) {
            QString value = param.section(u'=', 1);
            if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
                value = value.sliced(1, value.size() - 2);
            if (param.startsWith("type="_L1))
                part.type = value;
            else if (param.startsWith("filename="_L1))
                part.filename = value;
            else
                out.notes << u"%1 %2: \"%3\" is not imported."_s.arg(option, spec, param);
        }
        if (const QString why = unwritablePath(path); !why.isEmpty()) {
            out.notes << u"%1 %2: no file Gatescope can read (%3); not imported."_s.arg(
                option, spec, why);
            return;
        }
        part.path = path;
        if (upload && part.filename.isEmpty())
            part.filename = QFileInfo(path).fileName();
        if (upload && part.type.isEmpty())
            part.type = u"application/octet-stream"_s;
        out.notes << (upload
                ? u"%1 %2: the file is uploaded from %3 when the request is sent (\"< %3\" in its part; the path is relative to the .http file)."_s
                : u"%1 %2: the field's value is read from %3 when the request is sent."_s)
                         .arg(option, spec, path);
        form << part;
    }

    //! The multipart body of the -F parts, each file where its content goes.
    void buildForm()
    {
        QByteArray boundary = "------------------------gatescope";
        const auto clashes = [&](const QByteArray &b) {
            return std::ranges::any_of(form, [&](const FormPart &p) {
                return p.value.toUtf8().contains(b) || p.name.toUtf8().contains(b);
            });
        };
        for (int n = 1; clashes(boundary); ++n)
            boundary = "------------------------gatescope" + QByteArray::number(n);
        const auto quoted = [](const QString &text) {
            // As browsers and curl write names: quotes and line breaks percent-encoded.
            QByteArray t = text.toUtf8();
            t.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
            return t;
        };
        QByteArray body;
        BodyFiles files;
        for (const FormPart &p : std::as_const(form)) {
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(p.name)
                + '"';
            if (!p.filename.isEmpty())
                body += "; filename=\"" + quoted(p.filename) + '"';
            body += "\r\n";
            if (!p.type.isEmpty())
                body += "Content-Type: " + p.type.toUtf8() + "\r\n";
            body += "\r\n";
            if (p.path.isEmpty())
                body += p.value.toUtf8();
            else
                files.append(BodyFile { body.size(), p.path, 0 });
            body += "\r\n";
        }
        // The close delimiter ends the body (a .http file keeps no line break after it).
        body += "--" + boundary + "--";
        for (qsizetype i = headers.size() - 1; i >= 0; --i) {
            if (headerNameEquals(headers[i].name, "content-type")) {
                out.notes
                    << u"Content-Type %1: curl sends multipart/form-data with its own boundary; so does the import."_s
                           .arg(QString::fromUtf8(headers[i].value));
                headers.removeAt(i);
            }
        }
        headers.append(HttpHeader { "Content-Type", "multipart/form-data; boundary=" + boundary });
        formBody = body;
        formFiles = files;
    }
    QByteArray formBody;
    BodyFiles formFiles;

    //! Option \a name with \a value (empty for a flag).
    void apply(const QString &name, const QString &value)
    {
        if (name == "-X"_L1 || name == "--request"_L1) {
            method = value.toUpper();
        } else if (name == "-H"_L1 || name == "--header"_L1) {
            if (value.startsWith(u'@'))
                out.notes << u"%1 %2: reads headers from a file; not imported."_s.arg(name, value);
            else
                addHeader(value);
        } else if (name == "-d"_L1 || name == "--data"_L1 || name == "--data-raw"_L1
            || name == "--data-binary"_L1 || name == "--data-ascii"_L1
            || name == "--data-urlencode"_L1) {
            addData(name, value);
        } else if (name == "-F"_L1 || name == "--form"_L1 || name == "--form-string"_L1) {
            addForm(name, value);
        } else if (name == "-T"_L1 || name == "--upload-file"_L1) {
            if (value == "."_L1) {
                out.notes << u"%1 %2: reads standard input; no body imported."_s.arg(name, value);
            } else if (const QString why = unwritablePath(value); !why.isEmpty()) {
                out.notes << u"%1 %2: %3; no body imported."_s.arg(name, value, why);
            } else {
                uploadFile = value;
                out.notes
                    << u"%1 %2: the body is read from %2 when the request is sent (\"< %2\"); curl sends it with PUT."_s
                           .arg(name, value);
            }
        } else if (name == "--json"_L1) {
            json = true;
            addData(u"--data-binary"_s, value);
        } else if (name == "-u"_L1 || name == "--user"_L1) {
            if (!value.contains(u':'))
                out.notes
                    << u"%1 %2: curl would ask for the password; add it to the Authorization header."_s
                           .arg(name, value);
            headers.append(HttpHeader { "Authorization", "Basic " + value.toUtf8().toBase64() });
        } else if (name == "--oauth2-bearer"_L1) {
            headers.append(HttpHeader { "Authorization", "Bearer " + value.trimmed().toUtf8() });
        } else if (name == "-A"_L1 || name == "--user-agent"_L1) {
            headers.append(HttpHeader { "User-Agent", value.trimmed().toUtf8() });
        } else if (name == "-e"_L1 || name == "--referer"_L1) {
            headers.append(HttpHeader { "Referer", value.trimmed().toUtf8() });
        } else if (name == "-b"_L1 || name == "--cookie"_L1) {
            if (value.contains(u'='))
                headers.append(HttpHeader { "Cookie", value.trimmed().toUtf8() });
            else
                out.notes << u"%1 %2: reads cookies from a file; not imported."_s.arg(name, value);
        } else if (name == "--url"_L1) {
            urls << value;
        } else if (name == "-G"_L1 || name == "--get"_L1) {
            get = true;
        } else if (name == "-I"_L1 || name == "--head"_L1) {
            head = true;
        } else {
            out.notes << noteFor(name, value.isEmpty() && isFlagOption(name) ? QString() : value);
        }
    }

    bool hasHeader(QByteArrayView name) const
    {
        return std::ranges::any_of(
            headers, [&](const HttpHeader &h) { return headerNameEquals(h.name, name); });
    }

    //! The request the options describe, as curl would send it.
    Result<CurlImport> request()
    {
        if (urls.isEmpty())
            return fail(Error::Kind::Parse, u"The curl command has no URL."_s);
        QString url = urls.first();
        for (qsizetype i = 1; i < urls.size(); ++i)
            out.notes << u"%1: curl would fetch this too; only the first URL is imported."_s.arg(
                urls[i]);
        if (schemeEnd(url) < 0) {
            out.notes << u"%1 has no scheme; curl assumes http://."_s.arg(url);
            url.prepend(u"http://"_s);
        }
        // user:password@ in the URL: curl sends it as Basic authentication, unless the
        // command sets Authorization itself.
        if (const auto span = userinfoSpan(url)) {
            const QByteArray userinfo
                = QUrl::fromPercentEncoding(url.sliced(span->start, span->length).toUtf8())
                      .toUtf8();
            url.remove(span->start, span->length + 1); // with its '@'
            if (!hasHeader("authorization"))
                headers.append(HttpHeader { "Authorization", "Basic " + userinfo.toBase64() });
            out.notes
                << u"The URL's user name and password are sent as Basic authentication, as curl does."_s;
        }
        // A field value has no leading or trailing blanks (RFC 9110 5.5).
        for (HttpHeader &h : headers)
            h.value = h.value.trimmed();
        if (!form.isEmpty() && (!data.isEmpty() || !out.bodyFile.isEmpty())) {
            out.notes << u"-F with -d: curl refuses to mix them; only the form is imported."_s;
            data.clear();
            out.bodyFile.clear();
        }
        const bool upload
            = !uploadFile.isEmpty() && form.isEmpty() && data.isEmpty() && out.bodyFile.isEmpty();
        if (upload) {
            out.bodyFile = uploadFile;
            if (method.isEmpty())
                method = u"PUT"_s;
        } else if (!uploadFile.isEmpty()) {
            out.notes
                << u"-T %1 with another body: curl sends the file; only the other body is imported."_s
                       .arg(uploadFile);
        }
        if (!form.isEmpty()) {
            buildForm();
            if (method.isEmpty())
                method = u"POST"_s;
            out.request = WireRequest { method.toUtf8(), url, headers, formBody, formFiles };
            return out;
        }
        const bool hasBody = !data.isEmpty() || !out.bodyFile.isEmpty();
        QByteArray body = data.join(u'&').toUtf8();
        if (get && !data.isEmpty()) {
            url += (url.contains(u'?') ? u'&' : u'?') + data.join(u'&');
            body.clear();
        } else if (hasBody) {
            if (json) {
                if (!hasHeader("content-type"))
                    headers.append(HttpHeader { "Content-Type", "application/json" });
                if (!hasHeader("accept"))
                    headers.append(HttpHeader { "Accept", "application/json" });
            } else if (!hasHeader("content-type") && !upload) {
                headers.append(HttpHeader { "Content-Type", "application/x-www-form-urlencoded" });
            }
        }
        if (method.isEmpty())
            method = head ? u"HEAD"_s : (hasBody && !get ? u"POST"_s : u"GET"_s);
        out.request = WireRequest { method.toUtf8(), url, headers, body };
        return out;
    }
};

} // namespace

Result<CurlImport> importCurl(const QString &command)
{
    const auto args = curlArguments(command);
    if (!args)
        return std::unexpected(args.error());
    CurlCommand curl;
    bool optionsEnded = false;
    for (qsizetype i = 0; i < args->size(); ++i) {
        const QString &arg = (*args)[i];
        if (optionsEnded || !arg.startsWith(u'-') || arg == "-"_L1) {
            curl.urls << arg;
            continue;
        }
        if (arg == "--"_L1) {
            optionsEnded = true;
            continue;
        }
        const auto options = optionsIn(*args, i);
        if (!options)
            return std::unexpected(options.error());
        for (const auto &[name, value] : *options)
            curl.apply(name, value);
    }
    return curl.request();
}

Result<QString> toHttpText(const CurlImport &import, bool keepSecrets, Variables *secrets)
{
    TemplateOptions options;
    options.keepSecrets = keepSecrets;
    options.bodyFile = import.bodyFile;
    const TemplatedRequest templated = templateRequest(import.request, options);
    if (secrets)
        *secrets = templated.secrets;
    return formatHttpRequest(templated.request);
}

} // namespace gs::core
