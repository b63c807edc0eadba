#pragma once

#include "core/model/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace gs::core {

//! What a file looked like when it was read or written: enough to tell whether
//! someone else (git pull, another editor) has changed it since.
struct FileStamp
{
    bool exists = false;
    qint64 size = -1;
    QDateTime modified;
    QByteArray sha256;

    //! Reads \a path as it is on disk now.
    static FileStamp of(const QString &path);
    //! The stamp of \a path, whose content was just read (or written) as \a bytes.
    static FileStamp of(const QString &path, const QByteArray &bytes);
    //! The stamp of \a bytes, as they would be after a write.
    static FileStamp ofBytes(const QByteArray &bytes);
    //! Same content (size and hash; the time alone does not make a change).
    bool sameContent(const FileStamp &other) const
    {
        return exists == other.exists && size == other.size && sha256 == other.sha256;
    }
};

//! Writes \a bytes to \a path atomically (QSaveFile: a temporary file renamed over
//! the target), so that a crash or kill -9 leaves the old or the new file, never a
//! truncated one. Writes nothing when the file already holds exactly \a bytes.
//! When \a expected is given and the file on disk no longer matches it, nothing is
//! written and the error's kind is Conflict: someone else changed the file.
Result<FileStamp> saveFileAtomically(
    const QString &path, const QByteArray &bytes, const std::optional<FileStamp> &expected = {});

//! saveFileAtomically() for a file that only its owner may read (secrets): the file
//! exists with owner-only permissions before any byte is written, and the write keeps
//! them.
Result<FileStamp> saveOwnerOnlyFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace gs::core
