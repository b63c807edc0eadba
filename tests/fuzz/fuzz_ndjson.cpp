// libFuzzer harness: NDJSON records do not depend on where the stream is cut.
#include "core/stream/ndjsonsplitter.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QList<QByteArray> whole;
    NdjsonSplitter one;
    one.feed(input, whole);
    one.finish(whole);

    const qsizetype cut = size ? qsizetype(data[0]) % (qsizetype(size) + 1) : 0;
    QList<QByteArray> split;
    NdjsonSplitter two;
    two.feed(input.first(cut), split);
    two.feed(input.sliced(cut), split);
    two.finish(split);
    if (whole != split)
        std::abort();
    for (const QByteArray &record : whole) {
        if (record.trimmed().isEmpty() || record.contains('\n'))
            std::abort();
    }
    return 0;
}
