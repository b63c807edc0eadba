#include "core/interop/postmanimport.h"

#include "core/httpfile/httpwriter.h"
#include "core/model/redaction.h"
#include "core/store/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrl>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

bool looksSecret(const QString &name)
{
    static const QRegularExpression secret(
        u"(token|secret|password|passwd|api[_-]?key|apikey|auth|credential)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return secret.match(name).hasMatch();
}

// Postman's dynamic variables that have a JetBrains counterpart.
QString mapDynamicVariables(QString text, const QString &where, QStringList &notes)
{
    static const QList<std::pair<QString, QString>> known { { u"{{$guid}}"_s, u"{{$uuid}}"_s },
        { u"{{$randomUUID}}"_s, u"{{$uuid}}"_s }, { u"{{$timestamp}}"_s, u"{{$timestamp}}"_s },
        { u"{{$isoTimestamp}}"_s, u"{{$isoTimestamp}}"_s },
        { u"{{$randomInt}}"_s, u"{{$randomInt}}"_s } };
    for (const auto &[from, to] : known)
        text.replace(from, to);
    static const QRegularExpression other(u"\\{\\{\\$([A-Za-z]+)\\}\\}"_s);
    for (auto it = other.globalMatch(text); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (name != "uuid"_L1 && name != "timestamp"_L1 && name != "isoTimestamp"_L1
            && name != "randomInt"_L1)
            notes << u"%1: Postman's {{$%2}} has no .http equivalent; left as written."_s.arg(
                where, name);
    }
    return text;
}

// A name as a note may show it: on one line.
QString printable(QString name)
{
    for (QChar &c : name)
        if (c.category() == QChar::Other_Control)
            c = u' ';
    return name;
}

QString fileSafe(QString name)
{
    static const QRegularExpression unsafe(u"[/\\\\:*?\"<>|\\x00-\\x1f]"_s);
    name.replace(unsafe, u"-"_s);
    name = name.trimmed();
    if (name.isEmpty() || name == "."_L1 || name == ".."_L1)
        name = u"folder"_s;
    return name;
}

QString urlOf(const QJsonValue &url)
{
    if (url.isString())
        return url.toString();
    const QJsonObject o = url.toObject();
    if (o.contains("raw"_L1))
        return o.value("raw"_L1).toString();
    QString out;
    if (o.contains("protocol"_L1))
        out += o.value("protocol"_L1).toString() + u"://"_s;
    const auto join = [](const QJsonValue &v, QChar sep) {
        if (v.isString())
            return v.toString();
        QStringList parts;
        for (const QJsonValue p : v.toArray())
            parts << (p.isObject() ? p.toObject().value("value"_L1).toString() : p.toString());
        return parts.join(sep);
    };
    out += join(o.value("host"_L1), u'.');
    if (o.contains("port"_L1))
        out += u':' + o.value("port"_L1).toString();
    const QString path = join(o.value("path"_L1), u'/');
    if (!path.isEmpty())
        out += u'/' + path;
    QStringList query;
    for (const QJsonValue q : o.value("query"_L1).toArray()) {
        if (!q.toObject().value("disabled"_L1).toBool())
            query << q.toObject().value("key"_L1).toString() + u'='
                    + q.toObject().value("value"_L1).toString();
    }
    if (!query.isEmpty())
        out += u'?' + query.join(u'&');
    return out;
}

QString valueOf(const QJsonArray &entries, QStringView key)
{
    for (const QJsonValue e : entries) {
        if (e.toObject().value("key"_L1).toString() == key)
            return e.toObject().value("value"_L1).toVariant().toString();
    }
    return {};
}

// How deep folders may nest: deeper is refused as a whole, never cut.
constexpr int kMaxDepth = 64;

class Reader
{
public:
    explicit Reader(PostmanImport &out)
        : m_out(out)
    { }

    //! Plans \a items as files under \a dir; fails (nothing planned is written) on a
    //! tree nested deeper than kMaxDepth.
    Result<void> folder(const QJsonArray &items, const QString &dir, const QString &where,
        const QJsonObject &auth, int depth = 0)
    {
        if (depth > kMaxDepth)
            return fail(Error::Kind::Parse,
                u"Folders nest more than %1 deep (at %2); nothing was imported."_s.arg(kMaxDepth)
                    .arg(where));
        QString text;
        // Two folders of one name (or names a file system cannot take) each get a
        // folder of their own; "requests.http" is this folder's own file.
        QStringList taken { u"requests.http"_s };
        for (const QJsonValue v : items) {
            const QJsonObject item = v.toObject();
            const QString name = item.value("name"_L1).toString();
            const QString here
                = where.isEmpty() ? printable(name) : where + u" / "_s + printable(name);
            if (item.contains("event"_L1) && !item.value("event"_L1).toArray().isEmpty())
                m_out.notes << u"%1: its scripts are not imported."_s.arg(here);
            const QJsonObject ownAuth = item.value("auth"_L1).toObject();
            const QJsonObject effective
                = ownAuth.isEmpty() || ownAuth.value("type"_L1) == "inherit"_L1 ? auth : ownAuth;
            if (item.contains("item"_L1)) {
                const QString sub = uniqueName(fileSafe(name), taken);
                if (sub != name)
                    m_out.notes << u"%1: written to the folder \"%2\"."_s.arg(here, sub);
                if (auto r = folder(item.value("item"_L1).toArray(), dir + sub + u'/', here,
                        effective, depth + 1);
                    !r)
                    return r;
                continue;
            }
            if (!item.contains("request"_L1)) {
                m_out.notes << u"%1: neither a request nor a folder; left out."_s.arg(here);
                continue;
            }
            const auto written = request(item, here, effective);
            if (!written) {
                m_out.notes << u"%1: %2 Left out."_s.arg(here, written.error().message);
                continue;
            }
            if (!text.isEmpty())
                text += u'\n';
            text += *written;
            ++m_out.requests;
        }
        if (!text.isEmpty())
            m_out.files.insert(dir + u"requests.http"_s, text);
        return {};
    }

private:
    static QString uniqueName(const QString &name, QStringList &taken)
    {
        QString unique = name;
        for (int n = 2; taken.contains(unique, Qt::CaseInsensitive); ++n)
            unique = name + u" (%1)"_s.arg(n);
        taken << unique;
        return unique;
    }

    // A literal credential goes to the private environment and is written as a
    // variable; one that already is a variable stays as written.
    QString secretReference(const QString &base, const QString &value)
    {
        if (value.contains("{{"_L1) || value.isEmpty())
            return value;
        // A name is free when nothing holds it, or the private file holds this value.
        const auto taken = [this, &value](const QString &name) {
            const bool otherValue = m_out.privateVariables.contains(name)
                && m_out.privateVariables.value(name) != value;
            return otherValue || m_out.sharedVariables.contains(name);
        };
        QString name = base;
        for (int n = 2; taken(name); ++n)
            name = base + u'_' + QString::number(n);
        if (!m_out.privateVariables.contains(name))
            m_out.notes
                << u"A credential was moved to the variable %1 in http-client.private.env.json."_s
                       .arg(name);
        m_out.privateVariables.insert(name, value);
        return u"{{"_s + name + u"}}"_s;
    }

    static QString variableBase(const QString &name)
    {
        QString out;
        for (const QChar c : name.toLower())
            out += c.isLetterOrNumber() && c.unicode() < 128 ? c : u'_';
        return out.isEmpty() ? u"secret"_s : out;
    }

    // The URL with literal credentials in its query and userinfo moved to variables.
    QString urlWithoutCredentials(const QString &url)
    {
        QString out = url;
        const QList<QueryParameter> query = queryParameters(out);
        for (auto it = query.rbegin(); it != query.rend(); ++it) {
            if (it->valueStart >= 0 && isCredentialName(it->name))
                out.replace(it->valueStart, it->value.size(),
                    secretReference(variableBase(it->name), it->value));
        }
        if (const auto span = userinfoSpan(out))
            out.replace(span->start, span->length,
                secretReference(u"userinfo"_s, out.sliced(span->start, span->length)));
        return out;
    }

    Result<QString> request(const QJsonObject &item, const QString &where, const QJsonObject &auth)
    {
        const QJsonValue requestValue = item.value("request"_L1);
        const QJsonObject r = requestValue.isString()
            ? QJsonObject { { u"url"_s, requestValue }, { u"method"_s, u"GET"_s } }
            : requestValue.toObject();
        HttpFileRequest out;
        out.name = item.value("name"_L1).toString();
        out.method = r.value("method"_L1).toString(u"GET"_s).toUpper();
        out.target = urlWithoutCredentials(
            mapDynamicVariables(urlOf(r.value("url"_L1)).trimmed(), where, m_out.notes));
        if (out.target.isEmpty())
            return fail(Error::Kind::Parse, u"The request has no URL."_s);

        QStringList headerNames;
        for (const QJsonValue h : r.value("header"_L1).toArray()) {
            const QJsonObject header = h.toObject();
            const QString key = header.value("key"_L1).toString();
            if (header.value("disabled"_L1).toBool()) {
                m_out.notes << u"%1: header %2 is disabled in Postman; left out."_s.arg(where, key);
                continue;
            }
            QString value
                = mapDynamicVariables(header.value("value"_L1).toString(), where, m_out.notes);
            if (!isHttpToken(key.toUtf8()) || key.startsWith(u'#')
                || std::ranges::any_of(value,
                    [](QChar c) { return c.category() == QChar::Other_Control && c != u'\t'; })) {
                m_out.notes
                    << u"%1: header \"%2\" has a name or value no header can carry (a line break, a control character); left out."_s
                           .arg(where, printable(key));
                continue;
            }
            if (isCredentialName(key))
                value = credentialValue(key, value);
            headerNames << key.toLower();
            out.headers.append({ key, value });
        }
        const auto authHeader = this->auth(r.value("auth"_L1).toObject().isEmpty()
                    || r.value("auth"_L1).toObject().value("type"_L1) == "inherit"_L1
                ? auth
                : r.value("auth"_L1).toObject(),
            where, headerNames);
        if (authHeader)
            out.headers.append(*authHeader);

        const QJsonObject body = r.value("body"_L1).toObject();
        const QString mode = body.value("mode"_L1).toString();
        QString bodyText;
        const auto contentType = [&](const QString &type) {
            if (!headerNames.contains(u"content-type"_s))
                out.headers.append({ u"Content-Type"_s, type });
        };
        if (mode == "raw"_L1) {
            bodyText = body.value("raw"_L1).toString();
            const QString language = body.value("options"_L1)
                                         .toObject()
                                         .value("raw"_L1)
                                         .toObject()
                                         .value("language"_L1)
                                         .toString();
            if (language == "json"_L1)
                contentType(u"application/json"_s);
        } else if (mode == "urlencoded"_L1) {
            QStringList pairs;
            for (const QJsonValue p : body.value("urlencoded"_L1).toArray()) {
                const QJsonObject pair = p.toObject();
                if (pair.value("disabled"_L1).toBool()) {
                    m_out.notes << u"%1: form field %2 is disabled in Postman; left out."_s.arg(
                        where, pair.value("key"_L1).toString());
                    continue;
                }
                pairs << QString::fromLatin1(
                             QUrl::toPercentEncoding(pair.value("key"_L1).toString()))
                        + u'='
                        + QString::fromLatin1(
                            QUrl::toPercentEncoding(pair.value("value"_L1).toString(), "{}"));
            }
            bodyText = pairs.join(u'&');
            contentType(u"application/x-www-form-urlencoded"_s);
        } else if (mode == "graphql"_L1) {
            const QJsonObject graphql = body.value("graphql"_L1).toObject();
            QJsonObject payload { { u"query"_s, graphql.value("query"_L1) } };
            const QJsonDocument variables
                = QJsonDocument::fromJson(graphql.value("variables"_L1).toString().toUtf8());
            if (variables.isObject())
                payload.insert(u"variables"_s, variables.object());
            bodyText = QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Indented))
                           .trimmed();
            contentType(u"application/json"_s);
        } else if (mode == "formdata"_L1) {
            out.body = formData(body.value("formdata"_L1).toArray(), where);
            if (!out.body.isEmpty()) {
                for (qsizetype i = out.headers.size() - 1; i >= 0; --i)
                    if (out.headers[i].first.compare("content-type"_L1, Qt::CaseInsensitive) == 0)
                        out.headers.removeAt(i);
                out.headers.append(
                    { u"Content-Type"_s, u"multipart/form-data; boundary="_s + m_boundary });
            }
        } else if (mode == "file"_L1) {
            const QString src = body.value("file"_L1).toObject().value("src"_L1).toString();
            if (src.isEmpty() || src.contains(u'\n') || src.contains(u'\r')) {
                m_out.notes << u"%1: the file body names no file; left out."_s.arg(where);
            } else {
                noteMissing(src, where);
                out.body = u"< "_s + escapeLiteralBraces(src);
            }
        } else if (!mode.isEmpty()) {
            m_out.notes << u"%1: a %2 body is not imported (a .http request carries text bodies)."_s
                               .arg(where, mode);
        }
        // Postman's {{variables}} are ours too; what a file would misread is escaped.
        if (mode != "formdata"_L1 && mode != "file"_L1)
            out.body = escapeBodyLines(mapDynamicVariables(bodyText, where, m_out.notes));
        HttpWriteOptions options;
        options.separator = true;
        options.comments << r.value("description"_L1).toString();
        options.comments.removeAll(QString());
        return formatHttpRequest(out, options);
    }

    static constexpr const char *kFormBoundary = "gatescope-postman-form";
    QString m_boundary; //!< the last form's

    //! A file Postman names that is not here (Postman keeps absolute paths of the
    //! machine that made the collection) is named; the path is kept as it is.
    void noteMissing(const QString &src, const QString &where)
    {
        if (!QFileInfo::exists(src))
            m_out.notes << u"%1: the file %2 is not here; the request names it as Postman did "
                           "(put it there, or edit the path)."_s.arg(where, src);
    }

    //! Postman's form-data as a multipart body in the .http syntax: text fields as
    //! their values (a line break in one written as its escape), files as "< path"
    //! lines (several files for one key, one part each), disabled fields left out.
    QString formData(const QJsonArray &fields, const QString &where)
    {
        const auto quoted = [](QString text) {
            return text.replace(u'"', u"%22"_s).replace(u'\r', u"%0D"_s).replace(u'\n', u"%0A"_s);
        };
        QStringList parts;
        for (const QJsonValue &v : fields) {
            const QJsonObject field = v.toObject();
            const QString key = field.value("key"_L1).toString();
            if (field.value("disabled"_L1).toBool()) {
                m_out.notes << u"%1: form field %2 is disabled in Postman; left out."_s.arg(
                    where, key);
                continue;
            }
            const QString type = field.value("contentType"_L1).toString();
            const QString typeLine
                = type.isEmpty() ? QString() : u"Content-Type: "_s + type + u'\n';
            if (field.value("type"_L1).toString() == "file"_L1) {
                const QJsonValue src = field.value("src"_L1);
                QStringList paths = src.isArray()
                    ? QVariant(src.toArray().toVariantList()).toStringList()
                    : QStringList { src.toString() };
                paths.removeAll(QString());
                if (paths.isEmpty())
                    m_out.notes << u"%1: form file %2 names no file; left out."_s.arg(where, key);
                for (const QString &path : std::as_const(paths)) {
                    if (path.contains(u'\n') || path.contains(u'\r')) {
                        m_out.notes
                            << u"%1: form file %2 has a line break in its path; left out."_s.arg(
                                   where, key);
                        continue;
                    }
                    noteMissing(path, where);
                    parts
                        << u"Content-Disposition: form-data; name=\"%1\"; filename=\"%2\"\n%3\n< %4"_s
                               .arg(quoted(key), quoted(QFileInfo(path).fileName()), typeLine,
                                   escapeLiteralBraces(path));
                }
                continue;
            }
            QString value
                = mapDynamicVariables(field.value("value"_L1).toString(), where, m_out.notes);
            QString written;
            for (const QChar c : value)
                written += c == u'\n' || c == u'\r' ? literalEscape(c) : QString(c);
            parts << u"Content-Disposition: form-data; name=\"%1\"\n%2\n%3"_s.arg(
                quoted(key), typeLine, escapeBodyLines(written));
        }
        if (parts.isEmpty())
            return {};
        // A boundary no value holds.
        const QString joined = parts.join(u'\n');
        m_boundary = QLatin1StringView(kFormBoundary);
        for (int n = 1; joined.contains(m_boundary); ++n)
            m_boundary = QLatin1StringView(kFormBoundary) + QString::number(n);
        const QString delimiter = u"--"_s + m_boundary;
        return delimiter + u'\n' + parts.join(u'\n' + delimiter + u'\n') + u'\n' + delimiter
            + u"--"_s;
    }

    QString credentialValue(const QString &header, const QString &value)
    {
        if (header.compare("authorization"_L1, Qt::CaseInsensitive) != 0)
            return secretReference(variableBase(header), value);
        const qsizetype space = value.indexOf(u' ');
        if (space < 0)
            return secretReference(u"credentials"_s, value);
        const bool bearer = value.startsWith("Bearer "_L1, Qt::CaseInsensitive);
        return value.first(space + 1)
            + secretReference(bearer ? u"token"_s : u"credentials"_s, value.sliced(space + 1));
    }

    std::optional<std::pair<QString, QString>> auth(
        const QJsonObject &a, const QString &where, const QStringList &headerNames)
    {
        const QString type = a.value("type"_L1).toString();
        if (type.isEmpty() || type == "noauth"_L1)
            return std::nullopt;
        if (headerNames.contains(u"authorization"_s))
            return std::nullopt; // an explicit header wins, as in Postman
        const QJsonArray entries = a.value(type).toArray();
        if (type == "bearer"_L1)
            return std::pair(u"Authorization"_s,
                u"Bearer "_s + secretReference(u"token"_s, valueOf(entries, u"token")));
        if (type == "basic"_L1) {
            const QString user = valueOf(entries, u"username");
            const QString password = valueOf(entries, u"password");
            if (user.contains(u"{{"_s) || password.contains(u"{{"_s)) {
                m_out.notes
                    << u"%1: basic auth from variables cannot be encoded ahead of time; add an Authorization header."_s
                           .arg(where);
                return std::nullopt;
            }
            return std::pair(u"Authorization"_s,
                u"Basic "_s
                    + secretReference(u"credentials"_s,
                        QString::fromLatin1((user + u':' + password).toUtf8().toBase64())));
        }
        if (type == "apikey"_L1) {
            const QString key = valueOf(entries, u"key");
            if (valueOf(entries, u"in") == "query"_L1) {
                m_out.notes << u"%1: an API key in the query string is not imported."_s.arg(where);
                return std::nullopt;
            }
            return std::pair(key, secretReference(variableBase(key), valueOf(entries, u"value")));
        }
        m_out.notes << u"%1: %2 authentication is not imported."_s.arg(where, type);
        return std::nullopt;
    }

    PostmanImport &m_out;
};

} // namespace

Result<PostmanImport> importPostman(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error == QJsonParseError::DeepNesting)
        return fail(Error::Kind::Parse,
            u"The collection nests too deep to read (at character %1); nothing was imported."_s.arg(
                error.offset));
    if (error.error != QJsonParseError::NoError)
        return fail(Error::Kind::Parse,
            u"Not a Postman collection: %1 at character %2."_s.arg(error.errorString())
                .arg(error.offset));
    const QJsonObject root = doc.object();
    const QString schema = root.value("info"_L1).toObject().value("schema"_L1).toString();
    if (!root.value("item"_L1).isArray() || !schema.contains("collection"_L1))
        return fail(Error::Kind::Parse,
            u"Not a Postman collection v2: it has no info.schema and item list."_s);
    if (!schema.contains("v2.1"_L1) && !schema.contains("v2.0"_L1))
        return fail(Error::Kind::Parse,
            u"Only Postman collections v2.0 and v2.1 are read (this is %1)."_s.arg(schema));

    PostmanImport out;
    out.name = root.value("info"_L1).toObject().value("name"_L1).toString(u"Postman collection"_s);
    for (const QJsonValue v : root.value("variable"_L1).toArray()) {
        const QJsonObject variable = v.toObject();
        const QString key = variable.value("key"_L1).toString();
        if (key.isEmpty())
            continue;
        if (variable.value("disabled"_L1).toBool()) {
            out.notes << u"Variable %1 is disabled in Postman; left out."_s.arg(key);
            continue;
        }
        const QString value = variable.value("value"_L1).toVariant().toString();
        if (looksSecret(key) || variable.value("type"_L1) == "secret"_L1) {
            out.privateVariables.insert(key, value);
            out.notes
                << u"Variable %1 looks like a credential: it goes to http-client.private.env.json, which stays out of version control."_s
                       .arg(key);
        } else {
            out.sharedVariables.insert(key, value);
        }
    }
    if (!root.value("event"_L1).toArray().isEmpty())
        out.notes << u"The collection's scripts are not imported."_s;
    if (auto planned = Reader(out).folder(
            root.value("item"_L1).toArray(), {}, {}, root.value("auth"_L1).toObject());
        !planned)
        return std::unexpected(planned.error());
    return out;
}

Result<QStringList> PostmanImport::writeTo(const QString &directory) const
{
    const QDir dir(directory);
    const auto environmentJson = [](const QString &environment, const Variables &variables) {
        QJsonObject values;
        for (auto it = variables.begin(); it != variables.end(); ++it)
            values.insert(it.key(), it.value());
        return QJsonDocument(QJsonObject { { environment, values } })
            .toJson(QJsonDocument::Indented);
    };
    // Everything is planned before the first byte is written; a write that fails
    // takes back what this import wrote, so that nothing is left half done.
    QList<std::tuple<QString, QByteArray, bool>> plan; // path, content, owner only
    for (auto it = files.begin(); it != files.end(); ++it)
        plan.append({ dir.filePath(it.key()), it.value().toUtf8(), false });
    if (!sharedVariables.isEmpty())
        plan.append({ dir.filePath(u"http-client.env.json"_s),
            environmentJson(u"$shared"_s, sharedVariables), false });
    if (!privateVariables.isEmpty())
        plan.append({ dir.filePath(u"http-client.private.env.json"_s),
            environmentJson(u"$shared"_s, privateVariables), true });

    QStringList written;
    QStringList madeFolders;
    const auto undo = [&] {
        for (const QString &path : std::as_const(written))
            QFile::remove(path);
        for (auto it = madeFolders.rbegin(); it != madeFolders.rend(); ++it)
            QDir().rmdir(*it);
    };
    for (const auto &[path, content, ownerOnly] : std::as_const(plan)) {
        // The folders this import makes, deepest last, so that undo can remove them.
        QStringList missing;
        QFileInfo folder(QFileInfo(path).absolutePath());
        while (!folder.exists()) {
            missing.prepend(folder.absoluteFilePath());
            folder = QFileInfo(folder.absolutePath());
        }
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
            undo();
            return fail(Error::Kind::Io,
                u"Cannot create the folder for %1; nothing was written."_s.arg(path));
        }
        madeFolders += missing;
        const auto saved = ownerOnly ? saveOwnerOnlyFileAtomically(path, content)
                                     : saveFileAtomically(path, content);
        if (!saved) {
            undo();
            return fail(Error::Kind::Io, saved.error().message + u"; nothing was written."_s);
        }
        written << path;
    }
    return written;
}

namespace {

// Splits \a text at \a separator where it is not inside a {{variable}}.
QStringList splitOutsideVariables(const QString &text, QChar separator)
{
    QStringList parts;
    QString part;
    int depth = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.mid(i, 2) == "{{"_L1)
            ++depth;
        else if (text.mid(i, 2) == "}}"_L1 && depth > 0)
            --depth;
        if (text[i] == separator && depth == 0) {
            parts << part;
            part.clear();
        } else {
            part += text[i];
        }
    }
    parts << part;
    return parts;
}

} // namespace

QJsonObject postmanUrl(const QString &raw)
{
    // As Postman writes a URL: the raw text and its parts, variables left as they are
    // (its runner, newman, builds the request from the parts).
    QJsonObject url { { u"raw"_s, raw } };
    QString rest = raw;
    if (const qsizetype hash = rest.indexOf(u'#'); hash >= 0)
        rest.truncate(hash);
    QString query;
    if (const qsizetype mark = rest.indexOf(u'?'); mark >= 0) {
        query = rest.mid(mark + 1);
        rest.truncate(mark);
    }
    if (const qsizetype scheme = rest.indexOf("://"_L1);
        scheme > 0 && !rest.left(scheme).contains(u'{') && !rest.left(scheme).contains(u'/')) {
        url.insert(u"protocol"_s, rest.left(scheme));
        rest = rest.mid(scheme + 3);
    }
    const qsizetype slash = rest.indexOf(u'/');
    QString authority = slash < 0 ? rest : rest.left(slash);
    const QString path = slash < 0 ? QString() : rest.mid(slash + 1);
    // A port: digits (or a variable) after the last colon outside [an:ipv6] and {{}}.
    const QStringList colon = splitOutsideVariables(authority, u':');
    if (colon.size() > 1 && !authority.startsWith(u'[')) {
        url.insert(u"port"_s, colon.last());
        authority.chop(colon.last().size() + 1);
    } else if (authority.startsWith(u'[') && authority.contains("]:"_L1)) {
        const qsizetype close = authority.indexOf("]:"_L1);
        url.insert(u"port"_s, authority.mid(close + 2));
        authority.truncate(close + 1);
    }
    if (!authority.isEmpty()) {
        const QStringList host = authority.startsWith(u'[')
            ? QStringList { authority }
            : splitOutsideVariables(authority, u'.');
        url.insert(u"host"_s, QJsonArray::fromStringList(host));
    }
    if (slash >= 0)
        url.insert(u"path"_s, QJsonArray::fromStringList(splitOutsideVariables(path, u'/')));
    if (!query.isEmpty()) {
        QJsonArray pairs;
        for (const QString &pair : splitOutsideVariables(query, u'&')) {
            const qsizetype equals = pair.indexOf(u'=');
            pairs.append(QJsonObject { { u"key"_s, equals < 0 ? pair : pair.left(equals) },
                { u"value"_s, equals < 0 ? QJsonValue() : QJsonValue(pair.mid(equals + 1)) } });
        }
        url.insert(u"query"_s, pairs);
    }
    return url;
}

namespace {

//! A multipart .http body as Postman's form-data: text fields, and files ("< path"
//! lines) as src paths \a src makes; nullopt when the text does not read as parts.
std::optional<QJsonArray> postmanFormData(const QString &body, const QString &contentType,
    const std::function<QString(const QString &)> &src)
{
    QString boundary;
    for (const QString &piece : contentType.split(u';')) {
        const QString p = piece.trimmed();
        if (p.startsWith("boundary="_L1, Qt::CaseInsensitive))
            boundary = p.mid(9).remove(u'"');
    }
    if (boundary.isEmpty())
        return std::nullopt;
    const QString delimiter = u"--"_s + boundary;
    QJsonArray fields;
    QStringList lines = body.split(u'\n');
    for (QString &line : lines)
        if (line.endsWith(u'\r'))
            line.chop(1);
    qsizetype i = 0;
    if (lines.value(0) != delimiter)
        return std::nullopt;
    while (i < lines.size() && lines[i] == delimiter) {
        ++i;
        QString name, filename, type;
        for (; i < lines.size() && !lines[i].isEmpty(); ++i) {
            const QString header = lines[i];
            const qsizetype colon = header.indexOf(u':');
            if (colon <= 0)
                return std::nullopt;
            const QString key = header.first(colon).trimmed().toLower();
            const QString value = header.mid(colon + 1).trimmed();
            if (key == "content-type"_L1)
                type = value;
            if (key != "content-disposition"_L1)
                continue;
            static const QRegularExpression kName(u"(?:^|;)\\s*name=\"([^\"]*)\""_s);
            static const QRegularExpression kFile(u";\\s*filename=\"([^\"]*)\""_s);
            name = kName.match(value).captured(1);
            filename = kFile.match(value).captured(1);
        }
        ++i; // the blank line
        QStringList content;
        for (; i < lines.size() && lines[i] != delimiter && lines[i] != delimiter + u"--"_s; ++i)
            content << lines[i];
        if (name.isEmpty() || i >= lines.size())
            return std::nullopt;
        QJsonObject field { { u"key"_s, name } };
        if (content.size() == 1 && content.first().startsWith("< "_L1)) {
            field.insert(u"type"_s, u"file"_s);
            field.insert(u"src"_s, src(content.first().mid(2).trimmed()));
        } else {
            field.insert(u"type"_s, u"text"_s);
            field.insert(u"value"_s, content.join(u'\n'));
        }
        if (!type.isEmpty())
            field.insert(u"contentType"_s, type);
        fields.append(field);
        if (lines[i] == delimiter + u"--"_s)
            return fields;
    }
    return std::nullopt;
}

QJsonObject postmanRequest(
    const HttpFileRequest &r, const std::function<QString(const QString &)> &src = {})
{
    QJsonArray headers;
    bool json = false;
    for (const auto &[key, value] : r.headers) {
        headers.append(
            QJsonObject { { u"key"_s, key }, { u"value"_s, value }, { u"type"_s, u"text"_s } });
        json = json
            || (key.compare("content-type"_L1, Qt::CaseInsensitive) == 0
                && value.contains("json"_L1));
    }
    QJsonObject request { { u"method"_s, r.method.isEmpty() ? u"GET"_s : r.method.toUpper() },
        { u"header"_s, headers }, { u"url"_s, postmanUrl(r.target) } };
    QString contentType;
    for (const auto &[key, value] : r.headers)
        if (key.compare("content-type"_L1, Qt::CaseInsensitive) == 0)
            contentType = value;
    if (src && r.body.startsWith("< "_L1) && !r.body.contains(u'\n')) {
        request.insert(u"body"_s,
            QJsonObject { { u"mode"_s, u"file"_s },
                { u"file"_s, QJsonObject { { u"src"_s, src(r.body.mid(2).trimmed()) } } } });
        return request;
    }
    if (src && contentType.trimmed().startsWith("multipart/form-data"_L1, Qt::CaseInsensitive)) {
        if (const auto form = postmanFormData(r.body, contentType, src)) {
            // Postman writes the Content-Type with its own boundary.
            QJsonArray kept;
            for (const QJsonValue h : headers)
                if (h[u"key"_s].toString().compare("content-type"_L1, Qt::CaseInsensitive) != 0)
                    kept.append(h);
            request.insert(u"header"_s, kept);
            request.insert(
                u"body"_s, QJsonObject { { u"mode"_s, u"formdata"_s }, { u"formdata"_s, *form } });
            return request;
        }
    }
    if (!r.body.isEmpty()) {
        QJsonObject body { { u"mode"_s, u"raw"_s }, { u"raw"_s, r.body } };
        if (json)
            body.insert(u"options"_s,
                QJsonObject { { u"raw"_s, QJsonObject { { u"language"_s, u"json"_s } } } });
        request.insert(u"body"_s, body);
    }
    return request;
}

QJsonArray folderItems(const QDir &dir, QStringList &notes, const QDir &root)
{
    QJsonArray items;
    const auto requestsOf = [&notes, &root](const QString &path) {
        QJsonArray out;
        const auto file = HttpFile::load(path);
        if (!file) {
            notes << u"%1: %2; not exported."_s.arg(path, file.error().message);
            return out;
        }
        // A file the request reads: its path from the collection's folder, where newman
        // runs (newman run --working-dir FOLDER).
        const QDir folder = QFileInfo(path).dir();
        const auto src = [&folder, &root](const QString &written) {
            if (QDir::isAbsolutePath(written))
                return written; // as Postman keeps paths
            return QDir::cleanPath(root.relativeFilePath(folder.absoluteFilePath(written)));
        };
        for (const HttpFileRequest &r : file->requests()) {
            out.append(
                QJsonObject { { u"name"_s, r.name.isEmpty() ? r.method + u' ' + r.target : r.name },
                    { u"request"_s, postmanRequest(r, src) }, { u"response"_s, QJsonArray() } });
        }
        return out;
    };
    for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QJsonArray inner = folderItems(QDir(dir.filePath(sub)), notes, root);
        if (!inner.isEmpty())
            items.append(QJsonObject { { u"name"_s, sub }, { u"item"_s, inner } });
    }
    for (const QString &fileName :
        dir.entryList({ u"*.http"_s, u"*.rest"_s }, QDir::Files, QDir::Name)) {
        const QJsonArray requests = requestsOf(dir.filePath(fileName));
        if (fileName == "requests.http"_L1) {
            for (const QJsonValue r : requests)
                items.append(r);
        } else if (!requests.isEmpty()) {
            items.append(QJsonObject {
                { u"name"_s, QFileInfo(fileName).completeBaseName() }, { u"item"_s, requests } });
        }
    }
    return items;
}

} // namespace

Result<QByteArray> exportPostman(const QString &directory, const QString &name, QStringList *notes)
{
    const QDir dir(directory);
    if (!dir.exists())
        return fail(Error::Kind::Io, u"No folder %1."_s.arg(directory));
    QStringList collected;
    const QJsonArray items = folderItems(dir, collected, dir);
    // The shared environment of the public file only: the private one stays here.
    QJsonArray variables;
    QFile publicFile(dir.filePath(u"http-client.env.json"_s));
    if (publicFile.open(QIODevice::ReadOnly)) {
        const QJsonObject shared
            = QJsonDocument::fromJson(publicFile.readAll()).object().value("$shared"_L1).toObject();
        for (auto it = shared.begin(); it != shared.end(); ++it)
            variables.append(QJsonObject { { u"key"_s, it.key() },
                { u"value"_s, it.value().toVariant().toString() }, { u"type"_s, u"string"_s } });
    }
    if (QFileInfo::exists(dir.filePath(u"http-client.private.env.json"_s)))
        collected
            << u"http-client.private.env.json is not exported: its values stay on this machine."_s;
    if (notes)
        *notes = collected;
    const QJsonObject collection {
        { u"info"_s,
            QJsonObject { { u"name"_s, name },
                { u"schema"_s,
                    u"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"_s } } },
        { u"item"_s, items }, { u"variable"_s, variables }
    };
    return QJsonDocument(collection).toJson(QJsonDocument::Indented);
}

} // namespace gs::core
