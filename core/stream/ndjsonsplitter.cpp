#include "core/stream/ndjsonsplitter.h"

#include "core/stream/sseparser.h"

namespace gs::core {

void NdjsonSplitter::feed(QByteArrayView chunk, QList<QByteArray> &out)
{
    while (!chunk.isEmpty()) {
        const qsizetype end = chunk.indexOf('\n');
        if (end < 0) {
            m_partialLine += chunk;
            return;
        }
        if (m_partialLine.isEmpty()) {
            emitLine(chunk.first(end), out);
        } else {
            m_partialLine += chunk.first(end);
            emitLine(m_partialLine, out);
            m_partialLine.clear();
        }
        chunk = chunk.sliced(end + 1);
    }
}

void NdjsonSplitter::finish(QList<QByteArray> &out)
{
    emitLine(m_partialLine, out);
    m_partialLine.clear();
}

void NdjsonSplitter::emitLine(QByteArrayView line, QList<QByteArray> &out)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;
    out.append(sanitizeUtf8(line.toByteArray()));
}

} // namespace gs::core
