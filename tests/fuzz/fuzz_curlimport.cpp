// libFuzzer harness: any pasted text either fails with a message or gives a request
// with a method and a URL, whose .http text can be written.
#include "core/curlimport.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto imported = importCurl(text);
    if (!imported) {
        if (imported.error().message.isEmpty())
            std::abort();
        return 0;
    }
    if (imported->request.method.isEmpty() || imported->request.url.isEmpty())
        std::abort();
    if (toHttpText(*imported).isEmpty())
        std::abort();
    return 0;
}
