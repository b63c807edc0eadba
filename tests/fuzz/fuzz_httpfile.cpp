// libFuzzer harness: a .http file that parses writes back byte for byte, and
// re-setting every request to itself changes nothing.
#include "core/httpfile.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto file = HttpFile::parse(text);
    if (!file)
        return 0;
    if (file->toText() != text)
        std::abort();
    const QList<HttpFileRequest> requests = file->requests();
    for (qsizetype i = 0; i < requests.size(); ++i)
        file->setRequest(i, requests[i]);
    if (file->toText() != text)
        std::abort();
    for (const HttpFileRequest &r : requests)
        resolve(r, { { QStringLiteral("v"), QStringLiteral("{{v}}") } });
    return 0;
}
