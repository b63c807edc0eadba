#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/store/atomicfile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace gs::core {

//! One .http file of a collection: what the sidebar lists of it, or the reason it
//! does not parse. The whole file (bodies, headers, the text around them) is not
//! kept: Collection::load() reads it when a request is opened or saved.
struct CollectionFile
{
    QString relativePath; //!< from the collection's root, with '/' separators
    QString path; //!< absolute
    //! Each request's name, method, URL, line and directives; no headers, no body.
    QList<HttpFileRequest> summary;
    Variables fileVariables; //!< its "@name = value" lines
    std::optional<Error> error; //!< where it failed: path, line, column
    FileStamp stamp; //!< as read

    bool isBroken() const { return error.has_value(); }
    const QList<HttpFileRequest> &requests() const { return summary; }
};

//! Gatescope's own per-collection settings: the one file it adds to a collection
//! (".gatescope.json" at the root), small and meant for git.
struct CollectionSettings
{
    static constexpr int kSchemaVersion = 1;
    static constexpr auto kFileName = ".gatescope.json";

    int schemaVersion = kSchemaVersion;
    QString name; //!< shown instead of the folder's name when set
    QString id; //!< stable across clones and moves; keys the secrets in the keychain
    QString defaultEnvironment;
    Variables defaults; //!< collection defaults, below any environment
    QStringList secrets; //!< variable names whose values live in the credential store

    static Result<CollectionSettings> load(const QString &root);
    QByteArray toJson() const;
};

//! A folder of requests: .http files (one or more requests each), sub-folders as
//! groups, environments in http-client.env.json (and .private), settings in
//! .gatescope.json. A file that fails to parse is listed with its error and the
//! rest loads; Gatescope never writes to a broken file.
class Collection final
{
public:
    //! Reads the folder \a root: every .http file below it (hidden folders and
    //! node_modules skipped), the environments, the settings. With \a onlyFile (a path
    //! relative to \a root), that file is the only one read: running one request
    //! never parses its neighbours.
    static Result<Collection> open(const QString &root, const QString &onlyFile = {});

    QString root() const { return m_root; }
    //! The folder's name, or the settings' name when there is one.
    QString name() const;
    const CollectionSettings &settings() const { return m_settings; }
    //! Folders relative to the root (sub-folders included, empty ones too), sorted.
    QStringList folders() const { return m_folders; }
    const QList<CollectionFile> &files() const { return m_files; }
    //! The file at \a relativePath, or nullptr.
    const CollectionFile *file(const QString &relativePath) const;
    //! Environments; an environment file that does not parse is reported here.
    const HttpEnvironments &environments() const { return m_environments; }
    const std::optional<Error> &environmentsError() const { return m_environmentsError; }
    //! Every problem found while loading, one per broken file.
    QList<Error> problems() const;
    //! Total requests in files that parsed.
    qsizetype requestCount() const;
    //! The whole file at \a relativePath, read from disk now. Fails with Conflict when
    //! it changed since the collection read it (rescan() or reload() first), and with
    //! the parse error for a broken file.
    Result<HttpFile> load(const QString &relativePath) const;

    //! Variables for \a environment: collection defaults, then "$shared", then the
    //! environment's own (each later one wins).
    Result<Variables> variables(const QString &environment) const;

    //! Replaces request \a index of a file and saves it atomically; everything else in
    //! the file stays byte for byte. Fails with Conflict when the file changed on disk
    //! since it was read, and refuses a broken file.
    Result<void> saveRequest(
        const QString &relativePath, qsizetype index, const HttpFileRequest &request);
    //! Re-reads one file from disk (after an external change).
    Result<void> reload(const QString &relativePath);
    //! Files whose content on disk differs from what was read: changed or removed.
    QStringList changedOnDisk() const;
    //! Writes the settings file.
    Result<void> saveSettings(const CollectionSettings &settings);

    //! Reads the folder again (after a change on disk or an operation below).
    Result<void> rescan();

    // Changes the user makes in the sidebar. Each works on disk and rescans; none
    // overwrites an existing file or folder, none writes to a file that does not parse.

    //! A new folder \a name inside \a folder ("" for the root); returns its path.
    Result<QString> createFolder(const QString &folder, const QString &name);
    //! A new file \a name (".http" added when missing) in \a folder, holding \a request.
    Result<QString> createFile(
        const QString &folder, const QString &name, const HttpFileRequest &request);
    //! Adds \a request at the end of a file.
    Result<void> appendRequest(const QString &relativePath, const HttpFileRequest &request);
    //! Removes request \a index from a file.
    Result<void> removeRequest(const QString &relativePath, qsizetype index);
    //! A copy of request \a index, named "NAME copy", at the end of its file.
    Result<void> duplicateRequest(const QString &relativePath, qsizetype index);
    //! A copy of a file or folder next to it ("NAME copy.http", "NAME copy 2", ...).
    Result<QString> duplicatePath(const QString &relativePath);
    //! Renames a file or folder in place (a file keeps its extension when \a name has none).
    Result<QString> renamePath(const QString &relativePath, const QString &name);
    //! Moves a file or folder into \a folder ("" for the root).
    Result<QString> movePath(const QString &relativePath, const QString &folder);
    //! Moves a file or folder to the trash (QFile::moveToTrash); fails where there is none.
    Result<void> trashPath(const QString &relativePath);

private:
    CollectionFile readFile(const QString &relativePath) const;
    CollectionFile *writableFile(const QString &relativePath, Error *error);
    //! Reads a writable file (checked against what was read before), lets \a edit
    //! change it, and saves it atomically.
    Result<void> editFile(
        const QString &relativePath, const std::function<Result<void>(HttpFile &)> &edit);
    Result<void> saveFile(CollectionFile &file, const HttpFile &edited);
    QString absolute(const QString &relativePath) const;
    //! Renames or moves \a from to \a to (both relative), never over something.
    Result<QString> renameTo(const QString &from, const QString &to);

    QString m_root;
    QString m_onlyFile; //!< when set, the one file read (see open())
    CollectionSettings m_settings;
    QStringList m_folders;
    QList<CollectionFile> m_files;
    HttpEnvironments m_environments;
    std::optional<Error> m_environmentsError;
};

//! A request edited in resolved form (\a edited, against \a opened as it was when
//! resolved from \a source with \a variables) turned back into what the file should
//! say: \a source itself when nothing changed (so that saving rewrites nothing);
//! otherwise the edit with every value of a variable the source used written as that
//! {{variable}} again. A credential that is no variable's value is written as a
//! variable too ({{token}} for a bearer token) and returned in \a newSecrets, for
//! the credential store: a collection file never receives a secret.
HttpFileRequest unresolve(const HttpFileRequest &source, const WireRequest &opened,
    const WireRequest &edited, const Variables &variables, Variables *newSecrets = nullptr);

} // namespace gs::core
