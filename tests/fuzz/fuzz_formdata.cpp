// libFuzzer harness: the demo gateway's multipart/form-data reader never crashes on
// what a client sends, and every part it returns is a piece of the body.
#include "demo/files.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::demo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first line, when there is one, is the boundary; the fuzzer finds the rest.
    const qsizetype newline = body.indexOf('\n');
    const QByteArray boundary = newline > 0 ? body.first(newline) : QByteArray("b");
    const auto parts = parseFormData("multipart/form-data; boundary=" + boundary, body);
    if (!parts)
        return 0;
    for (const FormPart &part : *parts) {
        if (part.name.isEmpty() || part.data.size() > body.size())
            std::abort();
        if (!part.data.isEmpty() && !body.contains(part.data))
            std::abort();
    }
    return 0;
}
