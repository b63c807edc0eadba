#include "core/stream/sseparser.h"

#include <QString>
#include <QUtf8StringView>

#include <algorithm>
#include <cstring>

namespace gs::core {

namespace {

constexpr QByteArrayView kBom("\xEF\xBB\xBF");

// The first CR or LF in \a text, or -1. Two memchr passes (vectorised in libc) beat
// one byte-by-byte scan for either: streams are long and CR is rare.
qsizetype findLineEnd(QByteArrayView text)
{
    const char *begin = text.data();
    const auto size = std::size_t(text.size());
    const void *lf = std::memchr(begin, '\n', size);
    const std::size_t crScan = lf ? std::size_t(static_cast<const char *>(lf) - begin) : size;
    const void *cr = std::memchr(begin, '\r', crScan);
    const void *first = cr ? cr : lf;
    return first ? static_cast<const char *>(first) - begin : -1;
}

} // namespace

QByteArray sanitizeUtf8(const QByteArray &bytes)
{
    if (QUtf8StringView(bytes).isValidUtf8())
        return bytes;
    // The WHATWG "UTF-8 decode" error handling: each maximal invalid subpart becomes
    // one U+FFFD (QString::fromUtf8 would give one per byte), valid sequences stay.
    static constexpr QByteArrayView kReplacement("\xEF\xBF\xBD");
    QByteArray out;
    out.reserve(bytes.size() + 8);
    int needed = 0;
    int seen = 0;
    unsigned lower = 0x80;
    unsigned upper = 0xBF;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        if (needed == 0) {
            start = i;
            if (byte <= 0x7F) {
                out += char(byte);
            } else if (byte >= 0xC2 && byte <= 0xDF) {
                needed = 1;
            } else if (byte >= 0xE0 && byte <= 0xEF) {
                lower = byte == 0xE0 ? 0xA0 : 0x80;
                upper = byte == 0xED ? 0x9F : 0xBF;
                needed = 2;
            } else if (byte >= 0xF0 && byte <= 0xF4) {
                lower = byte == 0xF0 ? 0x90 : 0x80;
                upper = byte == 0xF4 ? 0x8F : 0xBF;
                needed = 3;
            } else {
                out += kReplacement;
            }
            continue;
        }
        if (byte < lower || byte > upper) {
            // The sequence broke off: one replacement, and this byte starts afresh.
            needed = seen = 0;
            lower = 0x80;
            upper = 0xBF;
            out += kReplacement;
            --i;
            continue;
        }
        lower = 0x80;
        upper = 0xBF;
        if (++seen == needed) {
            out += QByteArrayView(bytes).sliced(start, i - start + 1);
            needed = seen = 0;
        }
    }
    if (needed != 0)
        out += kReplacement;
    return out;
}

void SseParser::feed(QByteArrayView chunk, QList<SseEvent> &out)
{
    if (!m_bomDone) {
        // Hold the first bytes back until they show whether the stream starts with a BOM.
        m_bomProbe += chunk.toByteArray();
        if (m_bomProbe.size() < kBom.size() && kBom.startsWith(m_bomProbe))
            return;
        m_bomDone = true;
        const QByteArray probe = std::exchange(m_bomProbe, {});
        feed(probe.startsWith(kBom) ? QByteArrayView(probe).sliced(kBom.size())
                                    : QByteArrayView(probe),
            out);
        return;
    }
    if (m_skipLineFeed && !chunk.isEmpty()) {
        m_skipLineFeed = false;
        if (chunk.front() == '\n')
            chunk = chunk.sliced(1);
    }
    while (!chunk.isEmpty()) {
        const qsizetype end = findLineEnd(chunk);
        if (end < 0) {
            m_partialLine += chunk;
            return;
        }
        if (m_partialLine.isEmpty()) {
            processLine(chunk.first(end), out);
        } else {
            m_partialLine += chunk.first(end);
            processLine(m_partialLine, out);
            m_partialLine.clear();
        }
        const bool cr = chunk[end] == '\r';
        chunk = chunk.sliced(end + 1);
        if (cr) {
            if (chunk.isEmpty())
                m_skipLineFeed = true; // the LF of a CRLF may open the next chunk
            else if (chunk.front() == '\n')
                chunk = chunk.sliced(1);
        }
    }
}

bool SseParser::finish()
{
    // Bytes held back as a possible BOM are a last line with no end: discarded too.
    const bool pending = m_pendingEvent || !m_partialLine.isEmpty() || !m_bomProbe.isEmpty();
    m_partialLine.clear();
    m_bomProbe.clear();
    m_data.clear();
    m_hasData = false;
    m_eventType.clear();
    m_pendingEvent = false;
    return pending;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    m_pendingEvent = true;
    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == "data") {
        m_data += value;
        m_data += '\n';
        m_hasData = true;
    } else if (field == "event") {
        m_eventType = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventIdBuffer = value.toByteArray();
    } else if (field == "retry") {
        const bool digits = !value.isEmpty()
            && std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; });
        bool ok = false;
        const qint64 ms = digits ? value.toLongLong(&ok) : 0;
        if (ok)
            m_retry = ms;
    }
    // Any other field is ignored, as the standard says.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    m_lastEventId = m_lastEventIdBuffer;
    m_pendingEvent = false;
    if (!m_hasData) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1); // the LF after the last data line
    SseEvent event;
    static const QByteArray kMessage("message"); // shared, not allocated per event
    event.type = m_eventType.isEmpty() ? kMessage : sanitizeUtf8(m_eventType);
    event.data = sanitizeUtf8(m_data);
    event.lastEventId = sanitizeUtf8(m_lastEventId);
    out.append(std::move(event));
    m_data.clear();
    m_hasData = false;
    m_eventType.clear();
}

} // namespace gs::core
