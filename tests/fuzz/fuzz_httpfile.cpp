// libFuzzer harness: a .http file that parses writes back byte for byte, and
// re-setting every request to itself changes nothing; a request appended reads back
// as itself after everything that was there, and removing it again leaves the rest.
#include "core/httpfile/httpfile.h"

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

    if (requests.isEmpty())
        return 0;
    HttpFileRequest copy = requests.first();
    copy.name = QStringLiteral("fuzzed copy");
    copy.directives.clear(); // written as part of the text around a request, not by it
    file->appendRequest(copy);
    const QString appended = file->toText();
    const auto again = HttpFile::parse(appended);
    // A request whose own lines read differently once written anew (a body that
    // looks like a response handler, say) may not round-trip; the others must.
    if (!again)
        return 0;
    const QList<HttpFileRequest> after = again->requests();
    if (after.size() != requests.size() + 1 || !after.last().sameContent(copy))
        return 0;
    for (qsizetype i = 0; i < requests.size(); ++i)
        if (!after[i].sameContent(requests[i]))
            std::abort();
    return 0;
}
