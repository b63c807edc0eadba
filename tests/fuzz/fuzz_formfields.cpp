// libFuzzer harness: the client's reader of a composed multipart/form-data body (the
// parts that exports and HAR write) never crashes; each part it returns is named, a
// text part is a piece of the body, and every file is in exactly one part. Exporting
// the form as curl and as the Python SDK never crashes either.
#include "core/interop/requestexport.h"
#include "core/model/formfields.h"

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first line is the boundary; in the rest each \x01 marks where a file goes.
    const qsizetype newline = input.indexOf('\n');
    const QByteArray boundary = newline > 0 ? input.first(newline) : QByteArray("b");
    WireRequest wire { "POST", QStringLiteral("https://gw.example/api/llm/files"),
        { { "Content-Type", "multipart/form-data; boundary=" + boundary } }, {} };
    for (const char c : input.mid(newline + 1)) {
        if (c != '\x01' || wire.bodyFiles.size() >= 4) {
            wire.body.append(c);
            continue;
        }
        const QString path = QStringLiteral("/f%1").arg(wire.bodyFiles.size());
        wire.bodyFiles.append(BodyFile { wire.body.size(), path, 1 });
    }
    const auto fields = formFields(wire);
    if (!fields)
        return 0;
    qsizetype files = 0;
    for (const FormField &f : *fields) {
        if (f.name.isEmpty())
            std::abort();
        if (f.isFile())
            ++files;
        else if (!f.value.isEmpty() && !wire.body.contains(f.value))
            std::abort();
    }
    if (files != wire.bodyFiles.size())
        std::abort();
    const GatewayRequest request = decode(wire);
    (void)exportRequest(request, ExportFormat::Curl);
    (void)exportRequest(request, ExportFormat::Python);
    return 0;
}
