#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace gs::demo {

//! A multipart/form-data part as the demo gateway reads it.
struct FormPart
{
    QString name;
    QString filename; //!< empty for a plain field
    QByteArray contentType;
    QByteArray data;
};

//! The parts of a multipart/form-data body with \a contentType's boundary, or why it
//! is not one (RFC 7578's framing: delimiter lines, part headers, CRLF before each
//! delimiter). The demo's own parser: it judges what a client sends.
std::expected<QList<FormPart>, QString> parseFormData(
    const QByteArray &contentType, const QByteArray &body);

//! The gateway's Files API on the demo: POST /files (multipart: a "file" part and a
//! "purpose" field; x-tfy-provider-name required), GET /files, GET /files/ID,
//! GET /files/ID/content, DELETE /files/ID. Files live in memory for the gateway's
//! life, with ids in upload order.
class DemoFiles
{
public:
    explicit DemoFiles(DemoClock clock);

    //! The largest upload the gateway takes (docs.truefoundry.com/gateway/file-endpoints).
    static constexpr qint64 kMaxFileBytes = 512LL * 1024 * 1024;
    //! The largest batch input (purpose "batch"), which must be a .jsonl file.
    static constexpr qint64 kMaxBatchFileBytes = 200LL * 1024 * 1024;

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
        QByteArray content;
        qint64 createdAt = 0;
        QString providerName;
    };
    //! The file with \a id, or nullptr.
    const StoredFile *find(const QString &id) const;

private:
    static QJsonObject object(const StoredFile &file);
    std::optional<DemoResponse> upload(const DemoRequest &request, const QString &providerName);

    DemoClock m_clock;
    QList<StoredFile> m_files;
    int m_nextId = 1;
};

} // namespace gs::demo
