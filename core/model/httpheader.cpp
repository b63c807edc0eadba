#include "core/model/httpheader.h"

#include <QList>

#include <algorithm>

namespace gs::core {

bool headerNameEquals(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    const auto it = std::ranges::find_if(
        headers, [name](const HttpHeader &h) { return headerNameEquals(h.name, name); });
    return it == headers.end() ? QByteArray() : it->value;
}

QByteArray combinedHeaderValue(const HttpHeaders &headers, QByteArrayView name)
{
    // Null means "no such header"; an empty value is still a value.
    QByteArray joined("");
    bool any = false;
    for (const HttpHeader &h : headers) {
        if (!headerNameEquals(h.name, name))
            continue;
        if (any)
            joined += ", ";
        joined += h.value;
        any = true;
    }
    return any ? joined : QByteArray();
}

bool isHttpToken(QByteArrayView name)
{
    return !name.isEmpty() && std::ranges::all_of(name, [](char c) { return isTokenChar(c); });
}

QByteArray headerParameter(QByteArrayView value, QByteArrayView name)
{
    for (const QByteArray &piece : value.toByteArray().split(';')) {
        const QByteArray p = piece.trimmed();
        const qsizetype eq = p.indexOf('=');
        if (eq <= 0 || p.first(eq).trimmed().compare(name, Qt::CaseInsensitive) != 0)
            continue;
        QByteArray v = p.mid(eq + 1).trimmed();
        if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
            v = v.mid(1, v.size() - 2);
        return v;
    }
    return {};
}

} // namespace gs::core
