// libFuzzer harness: Server-Timing never fails and never yields a nameless metric.
#include "core/stream/servertiming.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<ServerTimingMetric> metrics
        = parseServerTiming(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    for (const ServerTimingMetric &m : metrics) {
        if (m.name.isEmpty() || !std::isfinite(m.duration))
            std::abort();
    }
    for (const PlacedMetric &p : inferPlacement(metrics)) {
        if (!std::isfinite(p.start) || p.start < 0)
            std::abort();
    }
    return 0;
}
