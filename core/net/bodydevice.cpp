#include "core/net/bodydevice.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

BodyDevice::BodyDevice(const WireRequest &request, QObject *parent)
    : QIODevice(parent)
{
    qsizetype at = 0;
    const auto addBytes = [this](QByteArray bytes) {
        if (bytes.isEmpty())
            return;
        Segment s;
        s.start = m_size;
        s.length = bytes.size();
        s.bytes = std::move(bytes);
        m_size += s.length;
        m_segments.push_back(std::move(s));
    };
    for (const BodyFile &f : request.bodyFiles) {
        const qsizetype offset = std::clamp<qsizetype>(f.offset, at, request.body.size());
        addBytes(request.body.sliced(at, offset - at));
        Segment s;
        s.start = m_size;
        s.length = f.size;
        s.path = f.path;
        s.expectedSize = f.size;
        m_size += s.length;
        m_segments.push_back(std::move(s));
        at = offset;
    }
    addBytes(request.body.sliced(at));
    const QByteArray type = headerValue(request.headers, "content-type");
    if (const QByteArray boundary = headerParameter(type, "boundary");
        type.trimmed().toLower().startsWith("multipart/") && !boundary.isEmpty())
        m_delimiter = "--" + boundary;
}

bool BodyDevice::open(OpenMode mode)
{
    if (mode != ReadOnly) {
        setErrorString(u"A request body is read only."_s);
        return false;
    }
    for (Segment &s : m_segments) {
        if (s.path.isEmpty())
            continue;
        s.file = std::make_unique<QFile>(s.path);
        if (!s.file->open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
            setErrorString(u"Cannot read %1: %2"_s.arg(s.path, s.file->errorString()));
            return false;
        }
        if (s.file->size() != s.expectedSize) {
            setErrorString(u"%1 is %2 bytes now, not the %3 it was when the request was "
                           "composed; compose it again."_s.arg(s.path)
                               .arg(s.file->size())
                               .arg(s.expectedSize));
            return false;
        }
    }
    return QIODevice::open(mode | QIODevice::Unbuffered);
}

bool BodyDevice::seek(qint64 pos)
{
    if (pos < 0 || pos > m_size)
        return false;
    return QIODevice::seek(pos);
}

qint64 BodyDevice::readData(char *data, qint64 maxSize)
{
    const qint64 at = pos();
    if (at >= m_size)
        return -1;
    const auto segment = std::ranges::find_if(
        m_segments, [at](const Segment &s) { return at >= s.start && at < s.start + s.length; });
    if (segment == m_segments.end())
        return -1;
    const qint64 within = at - segment->start;
    const qint64 count = std::min(maxSize, segment->length - within);
    if (!segment->file) {
        std::copy_n(segment->bytes.constData() + within, count, data);
        return count;
    }
    QFile &file = *segment->file;
    if (file.pos() != within && !file.seek(within)) {
        m_failed = true;
        setErrorString(u"Cannot read %1: %2"_s.arg(segment->path, file.errorString()));
        return -1;
    }
    const qint64 read = file.read(data, count);
    if (read > 0 && !m_delimiter.isEmpty()) {
        // The boundary line inside the file would end its part early on the other side.
        if (m_tailEnd != at || within == 0)
            m_tail.clear();
        const QByteArray seen = m_tail + QByteArrayView(data, read);
        if (seen.contains(m_delimiter)) {
            m_failed = true;
            setErrorString(u"%1 contains the boundary line %2, which would cut its part short; "
                           "choose a boundary its content does not hold."_s.arg(
                               segment->path, QString::fromLatin1(m_delimiter)));
            return -1;
        }
        m_tail = seen.right(m_delimiter.size() - 1);
        m_tailEnd = at + read;
    }
    if (read <= 0) {
        // Shorter than when it was composed: it changed while being uploaded.
        m_failed = true;
        const QString text
            = u"%1 changed while it was being uploaded: it ended %2 bytes in, not %3."_s;
        setErrorString(text.arg(segment->path).arg(within).arg(segment->expectedSize));
        return -1;
    }
    return read;
}

qint64 BodyDevice::writeData(const char *data, qint64 maxSize)
{
    Q_UNUSED(data);
    Q_UNUSED(maxSize);
    return -1;
}

} // namespace gs::core
