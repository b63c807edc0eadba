// libFuzzer harness: any pasted text either fails with a message or gives a request
// with a method and a URL whose .http text, when it can be written, reads back as
// exactly that request (no include, no second request, no variable it did not have).
#include "core/httpfile/httpfile.h"
#include "core/interop/curlimport.h"

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
    for (const bool keepSecrets : { false, true }) {
        Variables secrets;
        const auto written = toHttpText(*imported, keepSecrets, &secrets);
        if (!written) {
            if (written.error().message.isEmpty())
                std::abort();
            continue;
        }
        const auto file = HttpFile::parse(*written);
        if (!file || file->requests().size() != 1)
            std::abort();
        if (!imported->bodyFile.isEmpty())
            continue; // the body is a file's, read when sent
        const auto resolved = resolve(file->requests().first(), secrets);
        if (!resolved || *resolved != imported->request)
            std::abort();
    }
    return 0;
}
