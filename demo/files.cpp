#include "demo/files.h"

#include "demo/replies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

std::expected<QList<FormPart>, QString> parseFormData(
    const QByteArray &contentType, const QByteArray &body)
{
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return std::unexpected(u"The body must be multipart/form-data."_s);
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty())
        return std::unexpected(u"The multipart Content-Type has no boundary."_s);
    const QByteArray delimiter = "--" + boundary;
    const QByteArray betweenParts = "\r\n" + delimiter; // a part's data ends before it
    qsizetype at = body.startsWith(delimiter) ? 0 : body.indexOf(betweenParts);
    if (at < 0)
        return std::unexpected(
            u"The body has no part: no line --%1."_s.arg(QString::fromLatin1(boundary)));
    if (at > 0)
        at += 2;
    QList<FormPart> parts;
    for (;;) {
        at += delimiter.size();
        if (body.mid(at, 2) == "--")
            return parts; // the close delimiter
        if (body.mid(at, 2) != "\r\n")
            return std::unexpected(u"A delimiter line is not followed by CRLF."_s);
        at += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", at);
        const qsizetype next = body.indexOf(betweenParts, at);
        if (next < 0)
            return std::unexpected(
                u"The last part is not closed by --%1--."_s.arg(QString::fromLatin1(boundary)));
        FormPart part;
        qsizetype dataStart = at;
        if (headersEnd >= 0 && headersEnd < next) {
            for (const QByteArray &line : body.mid(at, headersEnd - at).split('\n')) {
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
            dataStart = headersEnd + 4;
        } else if (body.mid(at, 2) == "\r\n") {
            dataStart = at + 2; // no headers
        }
        if (part.name.isEmpty())
            return std::unexpected(
                u"Part %1 has no Content-Disposition name."_s.arg(parts.size() + 1));
        part.data = body.mid(dataStart, next - dataStart);
        parts.append(std::move(part));
        at = next + 2;
    }
}

DemoFiles::DemoFiles(DemoClock clock)
    : m_clock(std::move(clock))
{ }

QString DemoFiles::add(const QString &filename, const QString &purpose, const QByteArray &content,
    const QString &providerName)
{
    StoredFile stored { u"file-demo-%1"_s.arg(m_nextId++), filename, purpose, content,
        m_clock() / 1000, providerName };
    m_files.append(stored);
    return stored.id;
}

const DemoFiles::StoredFile *DemoFiles::find(const QString &id) const
{
    const auto file = std::ranges::find(m_files, id, &StoredFile::id);
    return file == m_files.end() ? nullptr : &*file;
}

QJsonObject DemoFiles::object(const StoredFile &file)
{
    return QJsonObject { { u"id"_s, file.id }, { u"object"_s, u"file"_s },
        { u"bytes"_s, qint64(file.content.size()) }, { u"created_at"_s, file.createdAt },
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
        r.body = file->content;
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
    if (request.body.size() > kMaxFileBytes)
        return errorReply(413, u"The file is larger than the gateway's 512 MB."_s);
    const auto parts
        = parseFormData(core::headerValue(request.headers, "content-type"), request.body);
    if (!parts)
        return errorReply(400, parts.error());
    StoredFile stored;
    bool haveFile = false;
    for (const FormPart &p : *parts) {
        if (p.name == "file"_L1) {
            haveFile = true;
            stored.filename = p.filename.isEmpty() ? u"file"_s : p.filename;
            stored.content = p.data;
        } else if (p.name == "purpose"_L1) {
            stored.purpose = QString::fromUtf8(p.data).trimmed();
        }
    }
    if (!haveFile)
        return errorReply(400, u"No \"file\" part: the file goes in a part named file."_s);
    if (stored.purpose.isEmpty())
        return errorReply(400, u"No \"purpose\" field (batch, fine-tune, ...)."_s);
    if (stored.purpose == "batch"_L1) {
        if (!stored.filename.endsWith(".jsonl"_L1, Qt::CaseInsensitive))
            return errorReply(
                400, u"A batch input must be a .jsonl file; %1 is not."_s.arg(stored.filename));
        if (stored.content.size() > kMaxBatchFileBytes)
            return errorReply(413, u"A batch input may hold at most 200 MB."_s);
    }
    const QString id = add(stored.filename, stored.purpose, stored.content, providerName);
    return jsonReply(object(*find(id)));
}

} // namespace gs::demo
