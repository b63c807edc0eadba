// libFuzzer harness: a JSON tree written out reads back as the same tree.
#include "core/json/jsontree.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto tree
        = parseJsonTree(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!tree)
        return 0;
    const QString once = tree->toJson();
    const auto again = parseJsonTree(once.toUtf8());
    if (!again || again->toJson() != once)
        std::abort();
    return 0;
}
