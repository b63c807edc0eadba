// libFuzzer harness: any text either is refused with a message or gives files that
// each parse, hold as many requests as were counted, and read back without a file
// include, every request resolvable with the variables the import wrote.
#include "core/httpfile/httpfile.h"
#include "core/interop/postmanimport.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto imported
        = importPostman(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!imported) {
        if (imported.error().message.isEmpty())
            std::abort();
        return 0;
    }
    Variables variables = imported->sharedVariables;
    for (auto it = imported->privateVariables.begin(); it != imported->privateVariables.end(); ++it)
        variables.insert(it.key(), it.value());
    int requests = 0;
    for (const QString &text : imported->files) {
        const auto file = HttpFile::parse(text);
        if (!file)
            std::abort();
        for (const HttpFileRequest &r : file->requests()) {
            ++requests;
            std::optional<BodyInclude> include;
            // A missing variable is left in place; a cycle (Postman's own values may
            // refer to each other) is an error, never a crash.
            const auto resolved = resolve(r, variables, QStringLiteral("/nonexistent"), &include);
            if (include)
                std::abort();
            (void)resolved;
        }
    }
    if (requests != imported->requests)
        std::abort();
    return 0;
}
