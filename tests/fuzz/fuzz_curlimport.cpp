// libFuzzer harness: any pasted text either fails with a message or gives a request
// with a method and a URL whose .http text, when it can be written, reads back as
// exactly that request (no include, no second request, no variable it did not have).
// A form's files are made, empty, in a folder of the harness's own, so that the parts
// read back from the same paths.
#include "core/httpfile/httpfile.h"
#include "core/interop/curlimport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

namespace {

//! The request as resolve() gives it from \a base: each part's file there, absolute,
//! or nothing when a file lies outside \a base (then it is not made or compared).
std::optional<WireRequest> withFilesIn(WireRequest request, const QDir &base)
{
    for (BodyFile &f : request.bodyFiles) {
        f.path = QDir::cleanPath(base.absoluteFilePath(f.path));
        if (!f.path.startsWith(base.path() + u'/'))
            return std::nullopt;
        if (!QFile::exists(f.path)) {
            if (!base.mkpath(QFileInfo(f.path).path()))
                return std::nullopt; // a file where a folder is needed
            QFile file(f.path);
            if (!file.open(QIODevice::WriteOnly))
                return std::nullopt; // a folder where the file is needed
        }
        if (!QFileInfo(f.path).isFile() || QFileInfo(f.path).size() != 0)
            return std::nullopt;
    }
    return request;
}

} // namespace

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
        static const QTemporaryDir base;
        const auto expected = withFilesIn(imported->request, QDir(base.path()));
        if (!expected)
            continue;
        const auto resolved = resolve(file->requests().first(), secrets, base.path());
        if (!resolved || *resolved != *expected)
            std::abort();
    }
    return 0;
}
