#include "core/store/atomicfile.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

FileStamp FileStamp::of(const QString &path, const QByteArray &bytes)
{
    FileStamp s = FileStamp::ofBytes(bytes);
    s.modified = QFileInfo(path).lastModified(QTimeZone::UTC);
    return s;
}

FileStamp FileStamp::of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return of(path, f.readAll());
}

FileStamp FileStamp::ofBytes(const QByteArray &bytes)
{
    FileStamp s;
    s.exists = true;
    s.size = bytes.size();
    s.sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    return s;
}

Result<FileStamp> saveFileAtomically(
    const QString &path, const QByteArray &bytes, const std::optional<FileStamp> &expected)
{
    // Sizes first: the file is read and hashed only when they leave the question open.
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (expected) {
        const bool same = exists == expected->exists
            && (!exists
                || (info.size() == expected->size && FileStamp::of(path).sameContent(*expected)));
        if (!same)
            return fail(Error::Kind::Conflict,
                exists
                    ? u"%1 was changed on disk since it was read; nothing was written."_s.arg(path)
                    : u"%1 was removed since it was read; nothing was written."_s.arg(path));
    }
    const FileStamp wanted = FileStamp::ofBytes(bytes);
    // Unchanged content: leave the file (and its time, and git's view of it) alone.
    if (exists && info.size() == bytes.size()) {
        const FileStamp now = FileStamp::of(path);
        if (now.sameContent(wanted))
            return now;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return fail(Error::Kind::Io, u"Cannot write %1: %2"_s.arg(path, out.errorString()));
    constexpr qsizetype kChunk = 256 * 1024;
    for (qsizetype at = 0; at < bytes.size(); at += kChunk) {
        const QByteArrayView piece
            = QByteArrayView(bytes).sliced(at, std::min(kChunk, bytes.size() - at));
        if (out.write(piece.data(), piece.size()) != piece.size())
            return fail(Error::Kind::Io, u"Cannot write %1: %2"_s.arg(path, out.errorString()));
    }
    if (!out.commit())
        return fail(Error::Kind::Io, u"Cannot write %1: %2"_s.arg(path, out.errorString()));
    return FileStamp::of(path, bytes);
}

Result<FileStamp> saveOwnerOnlyFileAtomically(const QString &path, const QByteArray &bytes)
{
    constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    // QSaveFile keeps the permissions of the file it replaces for its temporary file.
    if (!QFileInfo::exists(path)) {
        QFile create(path);
        if (!create.open(QIODevice::WriteOnly) || !create.setPermissions(kOwnerOnly))
            return fail(Error::Kind::Io, u"Cannot create %1: %2"_s.arg(path, create.errorString()));
    } else if (!QFile::setPermissions(path, kOwnerOnly)) {
        return fail(Error::Kind::Io, u"Cannot make %1 readable by its owner only."_s.arg(path));
    }
    return saveFileAtomically(path, bytes);
}

} // namespace gs::core
