// libFuzzer harness: the demo gateway's multipart/form-data reader never crashes on
// what a client sends, every part it returns is a piece of the body, and the parts
// (or the refusal) are the same when the body is read a few bytes at a time, with
// the parts named "file" going to a device of the caller's.
#include "demo/files.h"

#include <QBuffer>

#include <cstdint>
#include <cstdlib>
#include <limits>

using namespace gs::demo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first line, when there is one, is the boundary; the fuzzer finds the rest.
    const qsizetype newline = body.indexOf('\n');
    const QByteArray boundary = newline > 0 ? body.first(newline) : QByteArray("b");
    const QByteArray type = "multipart/form-data; boundary=" + boundary;
    const auto parts = parseFormData(type, body);
    QBuffer in;
    in.setData(body);
    in.open(QIODevice::ReadOnly);
    QList<QByteArray> files;
    QBuffer file;
    const auto pieces = readFormData(
        type, in,
        [&](const FormPart &p) -> QIODevice * {
            if (p.name != QLatin1String("file"))
                return nullptr;
            if (file.isOpen())
                files.append(file.data());
            file.close();
            file.setData(QByteArray());
            file.open(QIODevice::WriteOnly);
            return &file;
        },
        std::numeric_limits<qint64>::max(), qint64(size % 7) + 1);
    if (file.isOpen())
        files.append(file.data());
    if (parts.has_value() != pieces.has_value())
        std::abort();
    if (!parts) {
        if (parts.error() != pieces.error())
            std::abort();
        return 0;
    }
    if (parts->size() != pieces->size())
        std::abort();
    for (qsizetype i = 0, f = 0; i < parts->size(); ++i) {
        const FormPart &a = parts->at(i);
        const FormPart &b = pieces->at(i);
        const QByteArray data = b.name == QLatin1String("file") ? files.value(f++) : b.data;
        if (a.name != b.name || a.filename != b.filename || a.contentType != b.contentType
            || a.data != data || a.size != b.size || a.size != a.data.size())
            std::abort();
    }
    for (const FormPart &part : *parts) {
        if (part.name.isEmpty() || part.data.size() > body.size())
            std::abort();
        if (!part.data.isEmpty() && !body.contains(part.data))
            std::abort();
    }
    return 0;
}
