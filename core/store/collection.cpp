#include "core/store/collection.h"

#include "core/httpfile/httpwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

bool skippedFolder(const QString &name)
{
    return name.startsWith(u'.') || name == "node_modules"_L1;
}

Result<QByteArray> readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, u"Cannot read %1: %2"_s.arg(path, f.errorString()));
    return f.readAll();
}

} // namespace

Result<CollectionSettings> CollectionSettings::load(const QString &root)
{
    CollectionSettings settings;
    const QString path = QDir(root).filePath(QString::fromLatin1(kFileName));
    if (!QFileInfo::exists(path))
        return settings;
    const auto bytes = readAll(path);
    if (!bytes)
        return std::unexpected(bytes.error());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(Error::Kind::Parse,
            u"%1 is not a JSON object: %2"_s.arg(path,
                error.error != QJsonParseError::NoError ? error.errorString()
                                                        : u"not an object"_s));
    const QJsonObject o = doc.object();
    settings.schemaVersion = o.value("schemaVersion"_L1).toInt(kSchemaVersion);
    if (settings.schemaVersion > kSchemaVersion)
        return fail(Error::Kind::Parse,
            u"%1 has schema version %2; this Gatescope reads up to %3. Update Gatescope."_s.arg(
                path, QString::number(settings.schemaVersion), QString::number(kSchemaVersion)));
    settings.name = o.value("name"_L1).toString();
    settings.id = o.value("id"_L1).toString();
    settings.defaultEnvironment = o.value("defaultEnvironment"_L1).toString();
    const QJsonObject defaults = o.value("variables"_L1).toObject();
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        settings.defaults.insert(it.key(), it.value().toVariant().toString());
    for (const QJsonValue &v : o.value("secrets"_L1).toArray())
        settings.secrets << v.toString();
    return settings;
}

QByteArray CollectionSettings::toJson() const
{
    QJsonObject o;
    o.insert("schemaVersion"_L1, schemaVersion);
    if (!name.isEmpty())
        o.insert("name"_L1, name);
    o.insert("id"_L1, id);
    if (!defaultEnvironment.isEmpty())
        o.insert("defaultEnvironment"_L1, defaultEnvironment);
    if (!defaults.isEmpty()) {
        QJsonObject vars;
        for (auto it = defaults.begin(); it != defaults.end(); ++it)
            vars.insert(it.key(), it.value());
        o.insert("variables"_L1, vars);
    }
    if (!secrets.isEmpty())
        o.insert("secrets"_L1, QJsonArray::fromStringList(secrets));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

namespace {

// The same size and time as when it was read: taken as unchanged without reading it.
bool unchangedOnDisk(const CollectionFile &f)
{
    const QFileInfo info(f.path);
    return f.stamp.exists && info.exists() && info.size() == f.stamp.size
        && info.lastModified(QTimeZone::UTC) == f.stamp.modified;
}

} // namespace

Result<Collection> Collection::open(const QString &root, const QString &onlyFile)
{
    const QFileInfo info(root);
    if (!info.isDir())
        return fail(Error::Kind::Io, u"%1 is not a folder"_s.arg(root));
    Collection c;
    c.m_root = info.canonicalFilePath();
    c.m_onlyFile = onlyFile;
    if (auto scanned = c.rescan(); !scanned)
        return std::unexpected(scanned.error());
    return c;
}

Result<void> Collection::rescan()
{
    auto settings = CollectionSettings::load(m_root);
    if (!settings)
        return std::unexpected(settings.error());
    m_settings = *settings;
    if (m_settings.id.isEmpty())
        m_settings.id = m_root; // until settings are saved with an id of their own

    const QDir rootDir(m_root);
    QStringList pending { m_root };
    QStringList folders;
    QStringList httpFiles;
    while (!pending.isEmpty()) {
        const QDir dir(pending.takeLast());
        const auto entries = dir.entryInfoList(
            QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
        for (const QFileInfo &e : entries) {
            if (e.isDir()) {
                if (skippedFolder(e.fileName()) || e.isSymLink())
                    continue;
                folders << rootDir.relativeFilePath(e.absoluteFilePath());
                pending << e.absoluteFilePath();
            } else if (e.suffix().compare("http"_L1, Qt::CaseInsensitive) == 0
                || e.suffix().compare("rest"_L1, Qt::CaseInsensitive) == 0) {
                const QString relative = rootDir.relativeFilePath(e.absoluteFilePath());
                if (m_onlyFile.isEmpty() || relative == m_onlyFile)
                    httpFiles << relative;
            }
        }
    }
    folders.sort();
    httpFiles.sort();
    m_folders = folders;
    // A file with the size and time it had when read is not read again: after a save
    // or a git pull only what changed is parsed.
    QHash<QString, CollectionFile> known;
    for (CollectionFile &f : m_files)
        known.insert(f.relativePath, std::move(f));
    m_files.clear();
    m_files.reserve(httpFiles.size());
    for (const QString &relative : std::as_const(httpFiles)) {
        const auto it = known.find(relative);
        if (it != known.end() && unchangedOnDisk(*it))
            m_files.append(std::move(*it));
        else
            m_files.append(readFile(relative));
    }

    m_environmentsError.reset();
    m_environments = {};
    auto envs = HttpEnvironments::loadFromDirectory(m_root);
    if (envs)
        m_environments = *envs;
    else
        m_environmentsError = envs.error();
    return {};
}

namespace {

// What the sidebar needs of a parsed file.
void summarize(CollectionFile &f, const HttpFile &file)
{
    f.summary = file.requests();
    for (HttpFileRequest &r : f.summary) {
        r.headers.clear();
        r.body.clear();
    }
    f.fileVariables = file.fileVariables();
}

} // namespace

CollectionFile Collection::readFile(const QString &relativePath) const
{
    CollectionFile f;
    f.relativePath = relativePath;
    f.path = QDir(m_root).filePath(relativePath);
    const auto bytes = readAll(f.path);
    if (!bytes) {
        f.error = bytes.error();
        return f;
    }
    f.stamp = FileStamp::of(f.path, *bytes);
    if (const auto parsed = HttpFile::parseFile(*bytes, relativePath, f.path); parsed)
        summarize(f, *parsed);
    else
        f.error = parsed.error();
    return f;
}

Result<HttpFile> Collection::load(const QString &relativePath) const
{
    const CollectionFile *f = file(relativePath);
    if (!f)
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    if (f->error)
        return std::unexpected(*f->error);
    const auto bytes = readAll(f->path);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (!FileStamp::ofBytes(*bytes).sameContent(f->stamp))
        return fail(Error::Kind::Conflict,
            u"%1 was changed on disk since it was read."_s.arg(relativePath));
    return HttpFile::parseFile(*bytes, relativePath, f->path);
}

QString Collection::name() const
{
    return m_settings.name.isEmpty() ? QFileInfo(m_root).fileName() : m_settings.name;
}

const CollectionFile *Collection::file(const QString &relativePath) const
{
    const auto it = std::ranges::find(m_files, relativePath, &CollectionFile::relativePath);
    return it == m_files.end() ? nullptr : &*it;
}

QList<Error> Collection::problems() const
{
    QList<Error> out;
    if (m_environmentsError)
        out << *m_environmentsError;
    for (const CollectionFile &f : m_files)
        if (f.error)
            out << *f.error;
    return out;
}

qsizetype Collection::requestCount() const
{
    qsizetype n = 0;
    for (const CollectionFile &f : m_files)
        n += f.requests().size();
    return n;
}

Result<Variables> Collection::variables(const QString &environment) const
{
    const auto own = m_environments.variables(environment);
    if (!own)
        return own;
    Variables vars = m_settings.defaults;
    for (auto it = own->begin(); it != own->end(); ++it)
        vars.insert(it.key(), it.value());
    return vars;
}

CollectionFile *Collection::writableFile(const QString &relativePath, Error *error)
{
    const auto it = std::ranges::find(m_files, relativePath, &CollectionFile::relativePath);
    if (it == m_files.end()) {
        *error
            = Error { Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath), {} };
        return nullptr;
    }
    if (it->isBroken()) {
        *error = Error { Error::Kind::Usage,
            u"%1 does not parse (%2); Gatescope will not write to it. Fix it in an editor."_s.arg(
                relativePath, it->error ? it->error->message : QString()),
            {} };
        return nullptr;
    }
    return &*it;
}

Result<void> Collection::editFile(
    const QString &relativePath, const std::function<Result<void>(HttpFile &)> &edit)
{
    Error error;
    CollectionFile *f = writableFile(relativePath, &error);
    if (!f)
        return std::unexpected(error);
    auto edited = load(relativePath);
    if (!edited)
        return std::unexpected(edited.error());
    if (auto changed = edit(*edited); !changed)
        return changed;
    return saveFile(*f, *edited);
}

Result<void> Collection::saveFile(CollectionFile &file, const HttpFile &edited)
{
    const auto stamp = saveFileAtomically(file.path, edited.toText().toUtf8(), file.stamp);
    if (!stamp)
        return std::unexpected(stamp.error());
    summarize(file, edited);
    file.stamp = *stamp;
    return {};
}

namespace {

Result<void> checkIndex(const HttpFile &file, const QString &relativePath, qsizetype index)
{
    if (index < 0 || index >= file.requests().size())
        return fail(Error::Kind::Usage, u"%1 has no request %2"_s.arg(relativePath).arg(index));
    return {};
}

} // namespace

Result<void> Collection::saveRequest(
    const QString &relativePath, qsizetype index, const HttpFileRequest &request)
{
    return editFile(relativePath, [&](HttpFile &file) {
        auto ok = checkIndex(file, relativePath, index);
        if (ok)
            file.setRequest(index, request);
        return ok;
    });
}

Result<void> Collection::appendRequest(const QString &relativePath, const HttpFileRequest &request)
{
    return editFile(relativePath, [&](HttpFile &file) {
        file.appendRequest(request);
        return Result<void> {};
    });
}

Result<void> Collection::removeRequest(const QString &relativePath, qsizetype index)
{
    return editFile(relativePath, [&](HttpFile &file) {
        auto ok = checkIndex(file, relativePath, index);
        if (ok)
            file.removeRequest(index);
        return ok;
    });
}

Result<void> Collection::duplicateRequest(const QString &relativePath, qsizetype index)
{
    const auto parsed = load(relativePath);
    if (!parsed)
        return std::unexpected(parsed.error());
    if (auto ok = checkIndex(*parsed, relativePath, index); !ok)
        return ok;
    HttpFileRequest copy = parsed->requests().at(index);
    copy.name = copy.label() + u" copy"_s;
    return appendRequest(relativePath, copy);
}

Result<void> Collection::reload(const QString &relativePath)
{
    CollectionFile fresh = readFile(relativePath);
    const auto it = std::ranges::find(m_files, relativePath, &CollectionFile::relativePath);
    if (!QFileInfo::exists(fresh.path)) {
        if (it != m_files.end())
            m_files.erase(it);
        return {};
    }
    if (it != m_files.end()) {
        *it = std::move(fresh);
    } else {
        const auto at
            = std::ranges::lower_bound(m_files, relativePath, {}, &CollectionFile::relativePath);
        m_files.insert(at, std::move(fresh));
    }
    return {};
}

QStringList Collection::changedOnDisk() const
{
    QStringList changed;
    for (const CollectionFile &f : m_files) {
        if (!unchangedOnDisk(f) && !FileStamp::of(f.path).sameContent(f.stamp))
            changed << f.relativePath;
    }
    return changed;
}

Result<void> Collection::saveSettings(const CollectionSettings &settings)
{
    CollectionSettings s = settings;
    if (s.id.isEmpty() || s.id == m_root)
        s.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString path = QDir(m_root).filePath(QString::fromLatin1(CollectionSettings::kFileName));
    const auto stamp = saveFileAtomically(path, s.toJson());
    if (!stamp)
        return std::unexpected(stamp.error());
    m_settings = s;
    return {};
}

QString Collection::absolute(const QString &relativePath) const
{
    return relativePath.isEmpty() ? m_root : QDir(m_root).filePath(relativePath);
}

namespace {

// A name for one path component: no separators, nothing hidden, not "." or "..".
std::optional<QString> badName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return u"a name cannot be empty"_s;
    if (name.contains(u'/') || name.contains(u'\\'))
        return u"a name cannot contain / or \\"_s;
    if (name.startsWith(u'.'))
        return u"a name cannot start with a dot"_s;
    return std::nullopt;
}

QString relativeJoin(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + u'/' + name;
}

bool copyRecursively(const QString &from, const QString &to)
{
    if (QFileInfo(from).isFile())
        return QFile::copy(from, to);
    if (!QDir().mkpath(to))
        return false;
    const QDir dir(from);
    for (const QFileInfo &e :
        dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        if (!copyRecursively(e.absoluteFilePath(), QDir(to).filePath(e.fileName())))
            return false;
    return true;
}

} // namespace

Result<QString> Collection::createFolder(const QString &folder, const QString &name)
{
    if (const auto bad = badName(name))
        return fail(Error::Kind::Usage, *bad);
    const QString relative = relativeJoin(folder, name);
    if (QFileInfo::exists(absolute(relative)))
        return fail(Error::Kind::Usage, u"%1 already exists"_s.arg(relative));
    if (!QDir().mkpath(absolute(relative)))
        return fail(Error::Kind::Io, u"Cannot create the folder %1"_s.arg(absolute(relative)));
    if (auto r = rescan(); !r)
        return std::unexpected(r.error());
    return relative;
}

Result<QString> Collection::createFile(
    const QString &folder, const QString &name, const HttpFileRequest &request)
{
    if (const auto bad = badName(name))
        return fail(Error::Kind::Usage, *bad);
    const QString fileName
        = name.endsWith(".http"_L1, Qt::CaseInsensitive) ? name : name + u".http"_s;
    const QString relative = relativeJoin(folder, fileName);
    if (QFileInfo::exists(absolute(relative)))
        return fail(Error::Kind::Usage, u"%1 already exists"_s.arg(relative));
    auto file = HttpFile::parse(QString());
    file->appendRequest(request);
    // The first request of a new file needs no "###" line before it.
    QString text = file->toText();
    if (text.startsWith("###\n"_L1))
        text = text.mid(4);
    const auto saved = saveFileAtomically(absolute(relative), text.toUtf8(), FileStamp {});
    if (!saved)
        return std::unexpected(saved.error());
    if (auto r = rescan(); !r)
        return std::unexpected(r.error());
    return relative;
}

Result<QString> Collection::duplicatePath(const QString &relativePath)
{
    const QFileInfo info(absolute(relativePath));
    if (relativePath.isEmpty() || !info.exists())
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    const QString folder
        = relativePath.contains(u'/') ? relativePath.section(u'/', 0, -2) : QString();
    const QString base = info.isDir() ? info.fileName() : info.completeBaseName();
    const QString suffix = info.isDir() ? QString() : u'.' + info.suffix();
    QString relative;
    for (int n = 1; relative.isEmpty() || QFileInfo::exists(absolute(relative)); ++n)
        relative
            = relativeJoin(folder, base + (n == 1 ? u" copy"_s : u" copy %1"_s.arg(n)) + suffix);
    if (!copyRecursively(info.absoluteFilePath(), absolute(relative)))
        return fail(Error::Kind::Io, u"Cannot copy %1 to %2"_s.arg(relativePath, relative));
    if (auto r = rescan(); !r)
        return std::unexpected(r.error());
    return relative;
}

Result<QString> Collection::renamePath(const QString &relativePath, const QString &name)
{
    if (const auto bad = badName(name))
        return fail(Error::Kind::Usage, *bad);
    const QFileInfo info(absolute(relativePath));
    if (relativePath.isEmpty() || !info.exists())
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    QString newName = name;
    if (info.isFile() && QFileInfo(name).suffix().isEmpty())
        newName += u'.' + info.suffix();
    const QString folder
        = relativePath.contains(u'/') ? relativePath.section(u'/', 0, -2) : QString();
    return renameTo(relativePath, relativeJoin(folder, newName));
}

Result<QString> Collection::movePath(const QString &relativePath, const QString &folder)
{
    const QFileInfo info(absolute(relativePath));
    if (relativePath.isEmpty() || !info.exists())
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    if (!QFileInfo(absolute(folder)).isDir())
        return fail(Error::Kind::Usage, u"%1 is not a folder of the collection"_s.arg(folder));
    if (folder == relativePath || folder.startsWith(relativePath + u'/'))
        return fail(Error::Kind::Usage, u"A folder cannot move into itself"_s);
    return renameTo(relativePath, relativeJoin(folder, info.fileName()));
}

Result<QString> Collection::renameTo(const QString &from, const QString &to)
{
    if (to == from)
        return to;
    if (QFileInfo::exists(absolute(to)))
        return fail(Error::Kind::Usage, u"%1 already exists"_s.arg(to));
    if (!QDir().rename(absolute(from), absolute(to)))
        return fail(Error::Kind::Io, u"Cannot move %1 to %2"_s.arg(from, to));
    if (auto r = rescan(); !r)
        return std::unexpected(r.error());
    return to;
}

Result<void> Collection::trashPath(const QString &relativePath)
{
    if (relativePath.isEmpty() || !QFileInfo::exists(absolute(relativePath)))
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    if (!QFile::moveToTrash(absolute(relativePath)))
        return fail(Error::Kind::Io,
            u"Cannot move %1 to the trash (this system may have none); nothing was deleted."_s.arg(
                relativePath));
    return rescan();
}

HttpFileRequest unresolve(const HttpFileRequest &source, const WireRequest &opened,
    const WireRequest &edited, const Variables &variables, Variables *newSecrets)
{
    if (edited == opened)
        return source;
    // The variables the source refers to, longest value first so that a value that
    // contains another is put back whole.
    QList<std::pair<QString, QString>> used;
    for (const QString &name : referencedVariables(source)) {
        const QString value = variables.value(name);
        if (value.size() >= 2)
            used.append({ name, value });
    }
    std::ranges::sort(used, std::greater {}, [](const auto &u) { return u.second.size(); });
    const auto back = [&used](QString text) {
        for (const auto &[name, value] : std::as_const(used))
            text.replace(value, u"{{"_s + name + u"}}"_s);
        return text;
    };

    HttpFileRequest out = source;
    out.method = QString::fromUtf8(edited.method);
    out.target = back(edited.url);
    // The body as sent is literal: what a file would misread (a line "### x", "< path")
    // is escaped, so that the file reads back as what was sent. Its trailing line
    // breaks go, as they do from any hand-written body.
    out.body = escapeBodyLines(back(QString::fromUtf8(edited.body)), BodyEnd::Trimmed);
    out.headers.clear();
    for (const HttpHeader &h : edited.headers) {
        const QString name = QString::fromUtf8(h.name);
        const QString raw = QString::fromUtf8(h.value);
        if (!isSecretHeader(h.name)) {
            out.headers.append({ name, back(raw) });
            continue;
        }
        // A credential is matched whole, never in parts: a value that merely starts
        // with a variable's value is a different credential.
        QString value;
        for (const auto &[sourceName, sourceValue] : source.headers) {
            if (sourceName.compare(name, Qt::CaseInsensitive) == 0
                && substituteVariables(sourceValue, variables) == raw) {
                value = sourceValue; // unchanged: as the file wrote it
                break;
            }
        }
        const bool bearer = raw.startsWith("Bearer "_L1, Qt::CaseInsensitive);
        const QString credential = bearer ? raw.mid(7).trimmed() : raw;
        for (const auto &[variable, variableValue] : std::as_const(used)) {
            if (value.isEmpty() && variableValue == credential)
                value = (bearer ? raw.left(7) : QString()) + u"{{"_s + variable + u"}}"_s;
        }
        if (value.isEmpty()) {
            // A credential typed into the editor: into the credential store, never the file.
            const QString variable = bearer ? u"token"_s : name.toLower().replace(u'-', u'_');
            if (newSecrets)
                newSecrets->insert(variable, credential);
            value = (bearer ? raw.left(7) : QString()) + u"{{"_s + variable + u"}}"_s;
        }
        out.headers.append({ name, value });
    }
    // A method the file left out (GET) stays left out.
    if (source.method.isEmpty() && out.method == "GET"_L1)
        out.method.clear();
    return out;
}

} // namespace gs::core
