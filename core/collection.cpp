#include "collection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

Result<Collection> Collection::open(const QString &root)
{
    const QFileInfo info(root);
    if (!info.isDir())
        return fail(Error::Kind::Io, u"%1 is not a folder"_s.arg(root));
    Collection c;
    c.m_root = info.canonicalFilePath();
    auto settings = CollectionSettings::load(c.m_root);
    if (!settings)
        return std::unexpected(settings.error());
    c.m_settings = *settings;
    if (c.m_settings.id.isEmpty())
        c.m_settings.id = c.m_root; // until settings are saved with an id of their own

    const QDir rootDir(c.m_root);
    QStringList pending { c.m_root };
    QStringList httpFiles;
    while (!pending.isEmpty()) {
        const QDir dir(pending.takeLast());
        const auto entries = dir.entryInfoList(
            QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
        for (const QFileInfo &e : entries) {
            if (e.isDir()) {
                if (skippedFolder(e.fileName()) || e.isSymLink())
                    continue;
                c.m_folders << rootDir.relativeFilePath(e.absoluteFilePath());
                pending << e.absoluteFilePath();
            } else if (e.suffix().compare("http"_L1, Qt::CaseInsensitive) == 0
                || e.suffix().compare("rest"_L1, Qt::CaseInsensitive) == 0) {
                httpFiles << rootDir.relativeFilePath(e.absoluteFilePath());
            }
        }
    }
    c.m_folders.sort();
    httpFiles.sort();
    c.m_files.reserve(httpFiles.size());
    for (const QString &relative : std::as_const(httpFiles))
        c.m_files.append(c.readFile(relative));

    auto envs = HttpEnvironments::loadFromDirectory(c.m_root);
    if (envs)
        c.m_environments = *envs;
    else
        c.m_environmentsError = envs.error();
    return c;
}

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
    auto parsed = HttpFile::parse(QString::fromUtf8(*bytes));
    if (parsed) {
        f.file = std::move(*parsed);
    } else {
        Error e = parsed.error();
        e.message = relativePath + u": "_s + e.message;
        e.detail = f.path + u':' + e.detail;
        f.error = e;
    }
    return f;
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

Result<void> Collection::saveRequest(
    const QString &relativePath, qsizetype index, const HttpFileRequest &request)
{
    const auto it = std::ranges::find(m_files, relativePath, &CollectionFile::relativePath);
    if (it == m_files.end())
        return fail(Error::Kind::Usage, u"%1 is not in the collection"_s.arg(relativePath));
    if (it->isBroken())
        return fail(Error::Kind::Usage,
            u"%1 does not parse (%2); Gatescope will not write to it. Fix it in an editor."_s.arg(
                relativePath, it->error ? it->error->message : QString()));
    if (index < 0 || index >= it->file->requests().size())
        return fail(Error::Kind::Usage, u"%1 has no request %2"_s.arg(relativePath).arg(index));
    HttpFile edited = *it->file;
    edited.setRequest(index, request);
    const auto stamp = saveFileAtomically(it->path, edited.toText().toUtf8(), it->stamp);
    if (!stamp)
        return std::unexpected(stamp.error());
    it->file = std::move(edited);
    it->stamp = *stamp;
    return {};
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
    for (const CollectionFile &f : m_files)
        if (!FileStamp::of(f.path).sameContent(f.stamp))
            changed << f.relativePath;
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

} // namespace gs::core
