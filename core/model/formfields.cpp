#include "core/model/formfields.h"

using namespace Qt::StringLiterals;

namespace gs::core {

std::optional<QList<FormField>> formFields(const WireRequest &wire)
{
    const QByteArray type = headerValue(wire.headers, "content-type");
    if (!type.trimmed().toLower().startsWith("multipart/form-data"))
        return std::nullopt;
    const QByteArray boundary = headerParameter(type, "boundary");
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray &body = wire.body;
    const QByteArray delimiter = "--" + boundary;
    const QByteArray between = "\r\n" + delimiter;
    if (!body.startsWith(delimiter))
        return std::nullopt;
    QList<FormField> fields;
    qsizetype placed = 0; // files found as a part's content
    qsizetype at = delimiter.size();
    for (;;) {
        if (body.mid(at, 2) == "--") {
            if (placed != wire.bodyFiles.size())
                return std::nullopt; // a file outside any part's content
            return fields;
        }
        if (body.mid(at, 2) != "\r\n")
            return std::nullopt;
        at += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", at);
        const qsizetype next = body.indexOf(between, at);
        if (headersEnd < 0 || next < 0 || headersEnd > next)
            return std::nullopt;
        FormField field;
        for (const QByteArray &line : body.mid(at, headersEnd - at).split('\n')) {
            const QByteArray l = line.trimmed();
            const qsizetype colon = l.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = l.first(colon).trimmed();
            const QByteArray value = l.mid(colon + 1).trimmed();
            if (name.compare("content-disposition", Qt::CaseInsensitive) == 0) {
                field.name = QString::fromUtf8(headerParameter(value, "name"));
                field.filename = QString::fromUtf8(headerParameter(value, "filename"));
            } else if (name.compare("content-type", Qt::CaseInsensitive) == 0) {
                field.contentType = value;
            }
        }
        if (field.name.isEmpty())
            return std::nullopt;
        const qsizetype start = headersEnd + 4;
        for (const BodyFile &f : wire.bodyFiles) {
            if (f.offset >= start && f.offset <= next) {
                if (start != next || field.isFile())
                    return std::nullopt; // text around a file, or two files: no tool writes that
                field.path = f.path;
                ++placed;
            }
        }
        if (!field.isFile())
            field.value = body.mid(start, next - start);
        fields.append(field);
        at = next + between.size();
    }
}

} // namespace gs::core
