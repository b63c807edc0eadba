#pragma once

#include <QByteArray>
#include <QList>

namespace gs::core {

//! Splits an NDJSON / JSON Lines stream (application/x-ndjson, application/jsonl) into
//! one record per line. Lines end in LF or CRLF; blank lines are skipped; a last line
//! without a line end counts once the stream finishes. Chunks may be split anywhere.
//! Records are not parsed here, only cut out (and invalid UTF-8 replaced).
class NdjsonSplitter final
{
public:
    void feed(QByteArrayView chunk, QList<QByteArray> &out);
    //! The stream ended: a last record without a line end is appended to \a out.
    void finish(QList<QByteArray> &out);

private:
    void emitLine(QByteArrayView line, QList<QByteArray> &out);

    QByteArray m_partialLine;
};

} // namespace gs::core
