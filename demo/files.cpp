#include "demo/files.h"

#include "demo/replies.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

//! A parameter of a header value: name="value" or name=value.
QByteArray parameter(const QByteArray &value, QByteArrayView name)
{
    for (const QByteArray &piece : value.split(';')) {
        const QByteArray p = piece.trimmed();
        const qsizetype eq = p.indexOf('=');
        if (eq < 0 || p.first(eq).trimmed().compare(name, Qt::CaseInsensitive) != 0)
            continue;
        QByteArray v = p.mid(eq + 1).trimmed();
        if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
            v = v.mid(1, v.size() - 2);
        return v;
    }
    return {};
}

} // namespace

namespace {

//! A device read a chunk at a time into a window that the parser consumes from the front.
class ChunkReader
{
public:
    ChunkReader(QIODevice &device, qint64 chunk)
        : m_device(device)
        , m_chunk(qMax<qint64>(1, chunk))
    { }

    QByteArray buffer;

    //! Reads one more chunk; false at the end of the body.
    bool more()
    {
        if (m_end)
            return false;
        const QByteArray piece = m_device.read(m_chunk);
        if (piece.isEmpty()) {
            m_end = true;
            return false;
        }
        buffer += piece;
        return true;
    }
    //! Reads until the window holds at least \a size bytes or the body ends.
    void fill(qsizetype size)
    {
        while (buffer.size() < size && more()) { }
    }

private:
    QIODevice &m_device;
    qint64 m_chunk;
    bool m_end = false;
};

constexpr qsizetype kMaxPartHeaderBytes = 64 * 1024;

} // namespace

std::expected<QList<FormPart>, QString> readFormData(const QByteArray &contentType, QIODevice &body,
    const FormPartSink &sinkFor, qint64 maxInMemory, qint64 chunk)
{
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return std::unexpected(u"The body must be multipart/form-data."_s);
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty())
        return std::unexpected(u"The multipart Content-Type has no boundary."_s);
    const QByteArray delimiter = "--" + boundary;
    const QByteArray betweenParts = "\r\n" + delimiter; // a part's data ends before it
    const auto noPart = [&] {
        return std::unexpected(
            u"The body has no part: no line --%1."_s.arg(QString::fromLatin1(boundary)));
    };
    const auto notClosed = [&] {
        return std::unexpected(
            u"The last part is not closed by --%1--."_s.arg(QString::fromLatin1(boundary)));
    };
    ChunkReader in(body, chunk);
    QByteArray &buf = in.buffer;

    // The first delimiter: at the very start, or after a preamble that ends in CRLF.
    in.fill(delimiter.size());
    if (!buf.startsWith(delimiter)) {
        for (;;) {
            if (const qsizetype at = buf.indexOf(betweenParts); at >= 0) {
                buf.remove(0, at + 2);
                break;
            }
            buf = buf.right(betweenParts.size() - 1);
            if (!in.more())
                return noPart();
        }
    }
    QList<FormPart> parts;
    for (;;) {
        // buf starts with a delimiter.
        in.fill(delimiter.size() + 2);
        const QByteArray after = buf.mid(delimiter.size(), 2);
        if (after == "--")
            return parts; // the close delimiter
        if (after != "\r\n")
            return std::unexpected(u"A delimiter line is not followed by CRLF."_s);
        buf.remove(0, delimiter.size() + 2);

        // The part's headers end at a blank line before the next delimiter.
        FormPart part;
        qsizetype headersEnd = -1;
        for (;;) {
            headersEnd = buf.indexOf("\r\n\r\n");
            const qsizetype next = buf.indexOf(betweenParts);
            if (next >= 0 && (headersEnd < 0 || next < headersEnd)) {
                headersEnd = -1; // no headers: no name
                break;
            }
            if (headersEnd >= 0)
                break;
            if (buf.size() > kMaxPartHeaderBytes)
                return std::unexpected(
                    u"Part %1's headers are longer than %2 KiB."_s.arg(parts.size() + 1)
                        .arg(kMaxPartHeaderBytes / 1024));
            if (!in.more())
                return notClosed();
        }
        if (headersEnd >= 0) {
            for (const QByteArray &line : buf.first(headersEnd).split('\n')) {
                const QByteArray l = line.trimmed();
                const qsizetype colon = l.indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = l.first(colon).trimmed().toLower();
                const QByteArray value = l.mid(colon + 1).trimmed();
                if (name == "content-disposition") {
                    part.name = QString::fromUtf8(parameter(value, "name"));
                    part.filename = QString::fromUtf8(parameter(value, "filename"));
                } else if (name == "content-type") {
                    part.contentType = value;
                }
            }
            buf.remove(0, headersEnd + 4);
        }
        if (part.name.isEmpty())
            return std::unexpected(
                u"Part %1 has no Content-Disposition name."_s.arg(parts.size() + 1));

        // The data, up to the next delimiter, to the sink or into memory.
        QIODevice *sink = sinkFor ? sinkFor(part) : nullptr;
        const auto take = [&](qsizetype n) -> std::optional<QString> {
            if (n <= 0)
                return std::nullopt;
            part.size += n;
            if (sink) {
                if (sink->write(buf.constData(), n) != n)
                    return u"Part %1 cannot be kept: %2."_s.arg(parts.size() + 1)
                        .arg(sink->errorString());
            } else if (part.size > maxInMemory) {
                return u"Part %1 (%2) is larger than %3 bytes."_s.arg(parts.size() + 1)
                    .arg(part.name)
                    .arg(maxInMemory);
            } else {
                part.data += QByteArrayView(buf).first(n);
            }
            buf.remove(0, n);
            return std::nullopt;
        };
        for (;;) {
            if (const qsizetype next = buf.indexOf(betweenParts); next >= 0) {
                if (const auto failed = take(next))
                    return std::unexpected(*failed);
                buf.remove(0, 2);
                break;
            }
            if (const auto failed = take(buf.size() - (betweenParts.size() - 1)))
                return std::unexpected(*failed);
            if (!in.more())
                return notClosed();
        }
        parts.append(std::move(part));
    }
}

std::expected<QList<FormPart>, QString> parseFormData(
    const QByteArray &contentType, const QByteArray &body)
{
    QBuffer buffer;
    buffer.setData(body);
    buffer.open(QIODevice::ReadOnly);
    return readFormData(
        contentType, buffer, {}, std::numeric_limits<qint64>::max(), qMax<qint64>(body.size(), 1));
}

DemoFiles::DemoFiles(DemoClock clock)
    : m_clock(std::move(clock))
{ }

namespace {

//! A new file for a stored file's content, removed when the last reference goes.
std::shared_ptr<QTemporaryFile> newContentFile()
{
    auto file
        = std::make_shared<QTemporaryFile>(QDir::tempPath() + u"/gatescope-demo-file-XXXXXX"_s);
    if (!file->open())
        return nullptr;
    return file;
}

//! A stored file's content sent in pieces (chunked), never read whole into memory.
class ContentPieces final : public DemoEventSource
{
public:
    explicit ContentPieces(std::shared_ptr<QTemporaryFile> data)
        : m_keep(std::move(data))
        , m_file(m_keep->fileName())
    {
        m_file.open(QIODevice::ReadOnly);
    }
    std::optional<QByteArray> next() override
    {
        QByteArray piece = m_file.read(256 * 1024);
        if (piece.isEmpty())
            return std::nullopt;
        return piece;
    }

private:
    std::shared_ptr<QTemporaryFile> m_keep; //!< the content stays while it is sent
    QFile m_file; //!< its own position: two downloads do not share one
};

} // namespace

QByteArray DemoFiles::StoredFile::content() const
{
    QFile f(data->fileName());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString DemoFiles::keep(StoredFile file)
{
    file.id = u"file-demo-%1"_s.arg(m_nextId++);
    file.createdAt = m_clock() / 1000;
    m_files.append(std::move(file));
    return m_files.last().id;
}

QString DemoFiles::add(const QString &filename, const QString &purpose, const QByteArray &content,
    const QString &providerName)
{
    auto data = newContentFile();
    if (!data || data->write(content) != content.size() || !data->flush())
        return {}; // no room on disk: the batch names no file
    return keep(
        StoredFile { {}, filename, purpose, std::move(data), content.size(), 0, providerName });
}

const DemoFiles::StoredFile *DemoFiles::find(const QString &id) const
{
    const auto file = std::ranges::find(m_files, id, &StoredFile::id);
    return file == m_files.end() ? nullptr : &*file;
}

QJsonObject DemoFiles::object(const StoredFile &file)
{
    return QJsonObject { { u"id"_s, file.id }, { u"object"_s, u"file"_s },
        { u"bytes"_s, file.bytes }, { u"created_at"_s, file.createdAt },
        { u"filename"_s, file.filename }, { u"purpose"_s, file.purpose },
        { u"status"_s, u"processed"_s } };
}

std::optional<DemoResponse> DemoFiles::handle(
    const DemoRequest &request, QByteArrayView path, const QString &providerName)
{
    // ".../files", ".../files/ID", ".../files/ID/content".
    const qsizetype at = path.lastIndexOf("/files");
    if (at < 0)
        return std::nullopt;
    const QByteArrayView rest = path.sliced(at + 6);
    if (!rest.isEmpty() && !rest.startsWith('/'))
        return std::nullopt;
    const QList<QByteArray> segments = rest.toByteArray().split('/').mid(1);
    if (segments.size() > 2 || (segments.size() == 2 && segments[1] != "content"))
        return std::nullopt;
    if (segments.isEmpty() || segments[0].isEmpty()) {
        if (request.method == "POST")
            return upload(request, providerName);
        if (request.method != "GET")
            return errorReply(405, u"Use GET or POST for /files."_s);
        QJsonArray data;
        for (const StoredFile &f : std::as_const(m_files))
            data.append(object(f));
        return jsonReply(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data } });
    }
    const QString id = QString::fromUtf8(segments[0]);
    const auto file = std::ranges::find(m_files, id, &StoredFile::id);
    if (file == m_files.end())
        return errorReply(404, u"No such file: %1."_s.arg(id), u"not_found_error"_s);
    if (segments.size() == 2) {
        if (request.method != "GET")
            return errorReply(405, u"Use GET for /files/%1/content."_s.arg(id));
        DemoResponse r;
        r.headers = { { "content-type", "application/octet-stream" } };
        // A small file with its Content-Length; a large one streamed from disk.
        if (file->bytes <= kMaxContentInMemory)
            r.body = file->content();
        else
            r.stream = std::make_shared<ContentPieces>(file->data);
        return r;
    }
    if (request.method == "GET")
        return jsonReply(object(*file));
    if (request.method == "DELETE") {
        m_files.erase(file);
        return jsonReply(
            QJsonObject { { u"id"_s, id }, { u"object"_s, u"file"_s }, { u"deleted"_s, true } });
    }
    return errorReply(405, u"Use GET or DELETE for /files/%1."_s.arg(id));
}

std::optional<DemoResponse> DemoFiles::upload(
    const DemoRequest &request, const QString &providerName)
{
    if (providerName.trimmed().isEmpty())
        return errorReply(400, u"x-tfy-provider-name is required to upload a file."_s);
    // The body as the connection spooled it to disk, or (a caller in memory) as given.
    QBuffer inMemory;
    QFile spooled;
    QIODevice *body = &inMemory;
    if (request.bodyFile) {
        spooled.setFileName(request.bodyFile->fileName());
        if (!spooled.open(QIODevice::ReadOnly))
            return errorReply(500,
                u"The upload cannot be read back: %1."_s.arg(spooled.errorString()),
                u"server_error"_s);
        body = &spooled;
    } else {
        inMemory.setData(request.body);
        inMemory.open(QIODevice::ReadOnly);
    }
    if (body->size() > kMaxFileBytes + kMaxFramingBytes)
        return errorReply(413, u"The file is larger than the gateway's 512 MB."_s);
    std::shared_ptr<QTemporaryFile> data;
    bool twoFiles = false;
    const auto parts = readFormData(
        core::headerValue(request.headers, "content-type"), *body,
        [&](const FormPart &part) -> QIODevice * {
            if (part.name != "file"_L1)
                return nullptr;
            twoFiles = twoFiles || data != nullptr;
            data = newContentFile();
            return data.get();
        },
        kMaxFieldBytes);
    if (!parts)
        return errorReply(400, parts.error());
    if (twoFiles)
        return errorReply(400, u"More than one \"file\" part: a file upload carries one file."_s);
    StoredFile stored;
    bool haveFile = false;
    for (const FormPart &p : *parts) {
        if (p.name == "file"_L1) {
            haveFile = true;
            stored.filename = p.filename.isEmpty() ? u"file"_s : p.filename;
            stored.bytes = p.size;
        } else if (p.name == "purpose"_L1) {
            stored.purpose = QString::fromUtf8(p.data).trimmed();
        }
    }
    if (!haveFile)
        return errorReply(400, u"No \"file\" part: the file goes in a part named file."_s);
    if (!data || !data->flush())
        return errorReply(
            500, u"The demo gateway has no room on disk for the file."_s, u"server_error"_s);
    if (stored.bytes > kMaxFileBytes)
        return errorReply(413, u"The file is larger than the gateway's 512 MB."_s);
    if (stored.purpose.isEmpty())
        return errorReply(400, u"No \"purpose\" field (batch, fine-tune, ...)."_s);
    if (stored.purpose == "batch"_L1) {
        if (!stored.filename.endsWith(".jsonl"_L1, Qt::CaseInsensitive))
            return errorReply(
                400, u"A batch input must be a .jsonl file; %1 is not."_s.arg(stored.filename));
        if (stored.bytes > kMaxBatchFileBytes)
            return errorReply(413, u"A batch input may hold at most 200 MB."_s);
    }
    stored.data = std::move(data);
    stored.providerName = providerName;
    const QString id = keep(std::move(stored));
    return jsonReply(object(*find(id)));
}

} // namespace gs::demo
