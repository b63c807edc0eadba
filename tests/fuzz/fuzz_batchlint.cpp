// libFuzzer harness: the batch linter never crashes, and its verdict does not depend
// on where the input is cut.
#include "core/batch/batchlint.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    BatchLinter one;
    one.feed(input);
    const BatchLint whole = one.finish();

    const qsizetype cut = size ? qsizetype(data[0]) % (qsizetype(size) + 1) : 0;
    BatchLinter two;
    two.feed(input.first(cut));
    two.feed(input.sliced(cut));
    if (two.finish() != whole)
        std::abort();
    if (whole.bytes != qsizetype(size)
        || whole.errors + whole.warnings != whole.problems.size() + whole.problemsLeftOut)
        std::abort();
    return 0;
}
