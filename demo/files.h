#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <limits>
#include <memory>
#include <optional>

class QIODevice;
class QTemporaryFile;

namespace gs::demo {

//! A multipart/form-data part as the demo gateway reads it.
struct FormPart
{
    QString name;
    QString filename; //!< empty for a plain field
    QByteArray contentType;
    QByteArray data; //!< empty when the part went to a device of the caller's
    qint64 size = 0; //!< the part's bytes, wherever they went
};

//! Where a part's bytes go once its headers are read: a device the caller keeps (a file
//! on disk), or nullptr to keep them in FormPart::data.
using FormPartSink = std::function<QIODevice *(const FormPart &)>;

//! The parts of the multipart/form-data body read from \a body with \a contentType's
//! boundary, or why it is not one (RFC 7578's framing: delimiter lines, part headers,
//! CRLF before each delimiter). The demo's own parser: it judges what a client sends.
//! Reads \a chunk bytes at a time and holds no more than one chunk and the parts kept
//! in memory, each at most \a maxInMemory bytes; the result does not depend on \a chunk.
std::expected<QList<FormPart>, QString> readFormData(const QByteArray &contentType, QIODevice &body,
    const FormPartSink &sinkFor = {}, qint64 maxInMemory = std::numeric_limits<qint64>::max(),
    qint64 chunk = 64 * 1024);

//! readFormData() of a body in memory, every part kept in memory.
std::expected<QList<FormPart>, QString> parseFormData(
    const QByteArray &contentType, const QByteArray &body);

//! The gateway's Files API on the demo: POST /files (multipart: a "file" part and a
//! "purpose" field; x-tfy-provider-name required), GET /files, GET /files/ID,
//! GET /files/ID/content, DELETE /files/ID. An upload is read from the request's spooled
//! body (DemoRequest::bodyFile) straight into a temporary file: files live on disk for
//! the gateway's life, with ids in upload order, and their content is sent from there.
class DemoFiles
{
public:
    explicit DemoFiles(DemoClock clock);

    //! The largest upload the gateway takes (docs.truefoundry.com/gateway/file-endpoints).
    static constexpr qint64 kMaxFileBytes = 512LL * 1024 * 1024;
    //! The largest batch input (purpose "batch"), which must be a .jsonl file.
    static constexpr qint64 kMaxBatchFileBytes = 200LL * 1024 * 1024;
    //! What an upload's body may hold past its file: the purpose and the multipart framing.
    static constexpr qint64 kMaxFramingBytes = 1024 * 1024;
    //! The largest file whose content is answered whole, with its Content-Length;
    //! larger ones are sent chunked, a piece at a time from disk.
    static constexpr qint64 kMaxContentInMemory = 4 * 1024 * 1024;
    //! The largest field other than the file (purpose), kept in memory.
    static constexpr qint64 kMaxFieldBytes = 64 * 1024;

    //! The response when \a path (past the base URL) is a Files API path; nullopt
    //! otherwise.
    std::optional<DemoResponse> handle(
        const DemoRequest &request, QByteArrayView path, const QString &providerName);

    //! Keeps a file the gateway itself writes (a batch's output); returns its id.
    QString add(const QString &filename, const QString &purpose, const QByteArray &content,
        const QString &providerName);
    struct StoredFile
    {
        QString id;
        QString filename;
        QString purpose;
        std::shared_ptr<QTemporaryFile> data; //!< the content, on disk
        qint64 bytes = 0;
        qint64 createdAt = 0;
        QString providerName;

        //! The whole content, read from disk (a batch's input).
        QByteArray content() const;
    };
    //! The file with \a id, or nullptr.
    const StoredFile *find(const QString &id) const;

private:
    static QJsonObject object(const StoredFile &file);
    std::optional<DemoResponse> upload(const DemoRequest &request, const QString &providerName);

    QString keep(StoredFile file);

    DemoClock m_clock;
    QList<StoredFile> m_files;
    int m_nextId = 1;
};

} // namespace gs::demo
