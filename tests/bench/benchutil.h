#pragma once

// Helpers shared by the benchmark programs.

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <algorithm>

namespace gs::bench {

//! A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or -1.
inline long long residentKib(const QString &field = QStringLiteral("VmRSS:"))
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field.toLatin1()))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

inline double median(QList<double> v)
{
    std::ranges::sort(v);
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

} // namespace gs::bench
