// libFuzzer harness: response headers with any x-tfy-applied-configurations,
// feedback target and body: a value or an error, never a crash.
#include "core/stream/gatewayresponse.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    const GatewayResponseInfo info
        = GatewayResponseInfo::fromHeaders({ { "x-tfy-applied-configurations", value },
            { "x-tfy-feedback-target-id", value }, { "server-timing", value } });
    // An error leaves no value behind, and the raw text is always kept.
    if (!info.appliedConfigurationsError.isEmpty() && !info.appliedConfigurations.isNull())
        std::abort();
    if (info.appliedConfigurationsRaw != QString::fromUtf8(value))
        std::abort();
    errorFromBody(value);
    parseRawResponse(value);
    return 0;
}
