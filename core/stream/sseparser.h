#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace gs::core {

//! One dispatched server-sent event. Text is UTF-8; invalid sequences in the stream
//! arrive here as U+FFFD.
struct SseEvent
{
    QByteArray type; //!< the "event" field, "message" when the stream named none
    QByteArray data; //!< "data" lines joined with LF
    QByteArray lastEventId; //!< the last event ID in force when this event was dispatched

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

//! An incremental text/event-stream parser that follows the WHATWG HTML "event stream
//! interpretation": an optional leading BOM, lines ending in CRLF, LF or CR in any
//! mix, ":" comments, the event/data/id/retry fields, one space after the colon
//! stripped, a field without a colon taken with an empty value, dispatch on a blank
//! line, an id containing NUL ignored, and an unterminated event at the end of the
//! stream discarded. Chunks may be split anywhere, including inside a UTF-8 sequence
//! and between CR and LF. Memory is bounded by the longest line and event.
class SseParser final
{
public:
    //! Parses \a chunk and appends every event it completes to \a out.
    void feed(QByteArrayView chunk, QList<SseEvent> &out);
    //! The stream ended: a pending, unterminated event is discarded (returns whether
    //! there was one, so that a caller can report it).
    bool finish();

    //! The last "retry" value seen, in milliseconds.
    std::optional<qint64> reconnectionTime() const { return m_retry; }
    QByteArray lastEventId() const { return m_lastEventId; }
    //! Comment lines seen (":" keep-alives and the like).
    qsizetype commentCount() const { return m_comments; }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    QByteArray m_partialLine; // a line whose end has not arrived yet
    QByteArray m_bomProbe; // the first bytes, until we know whether they are a BOM
    bool m_bomDone = false;
    bool m_skipLineFeed = false; // the previous chunk ended in CR
    bool m_pendingEvent = false; // fields seen since the last dispatch
    QByteArray m_data;
    bool m_hasData = false;
    QByteArray m_eventType;
    QByteArray m_lastEventIdBuffer;
    QByteArray m_lastEventId;
    std::optional<qint64> m_retry;
    qsizetype m_comments = 0;
};

//! \a bytes with invalid UTF-8 replaced by U+FFFD (unchanged, and not copied, when valid).
QByteArray sanitizeUtf8(const QByteArray &bytes);

} // namespace gs::core
