#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/error.h"

#include <QJsonObject>
#include <QMap>
#include <QStringList>

namespace gs::core {

//! A Postman Collection v2.1 (or v2.0) read into a collection folder: one .http file
//! per folder (sub-folders as directories), collection variables as the shared
//! environment, credentials-looking variables apart for the private environment file.
struct PostmanImport
{
    QString name; //!< the collection's name
    //! Relative path ("requests.http", "Chat/requests.http") -> .http text.
    QMap<QString, QString> files;
    Variables sharedVariables; //!< "$shared" of http-client.env.json
    Variables privateVariables; //!< http-client.private.env.json (keep it out of git)
    //! One line per thing a .http file cannot carry (scripts, form-data bodies, auth
    //! kinds other than bearer/basic/API key, disabled entries): nothing is dropped
    //! without a line here.
    QStringList notes;
    int requests = 0;

    //! Writes the files into \a directory (created if needed), each one atomically.
    Result<QStringList> writeTo(const QString &directory) const;
};

Result<PostmanImport> importPostman(QByteArrayView json);

//! A collection folder as a Postman Collection v2.1: every .http file below
//! \a directory (a folder's requests.http at that folder's level, other files as
//! sub-folders named after them), requests as written with their {{variables}}
//! (Postman uses the same syntax), and the shared environment as collection
//! variables. The private environment is never exported. Files that do not parse
//! and "< file" bodies are named in \a notes.
Result<QByteArray> exportPostman(
    const QString &directory, const QString &name, QStringList *notes = nullptr);

//! A request target as Postman's URL object: raw, and protocol, host (split at
//! dots), port, path (split at slashes) and query (key and value pairs), with the
//! {{variables}} intact and never split inside. Postman's runner, newman, sends what
//! the parts say.
QJsonObject postmanUrl(const QString &raw);

} // namespace gs::core
