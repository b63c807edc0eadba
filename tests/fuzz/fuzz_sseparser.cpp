// libFuzzer harness: the event-stream parser must give the same events however the
// stream is cut, never crash, and only ever emit valid UTF-8.
#include "core/stream/sseparser.h"

#include <QUtf8StringView>

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QList<SseEvent> whole;
    SseParser one;
    one.feed(input, whole);
    one.finish();

    // The first byte picks where to cut.
    const qsizetype cut = size ? qsizetype(data[0]) % (qsizetype(size) + 1) : 0;
    QList<SseEvent> split;
    SseParser two;
    two.feed(input.first(cut), split);
    two.feed(input.sliced(cut), split);
    two.finish();

    if (whole != split)
        std::abort();
    for (const SseEvent &e : whole) {
        if (!QUtf8StringView(e.data).isValidUtf8() || !QUtf8StringView(e.type).isValidUtf8())
            std::abort();
    }
    return 0;
}
