#pragma once

// Small file helpers shared by the tests that build collections on disk.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QString>

#include <cstdio>
#include <cstdlib>

//! Declares \a var as the path of the program \a name on PATH. When it is missing,
//! the test is skipped on a developer's machine and fails where CI is set: CI has
//! every program a test needs (tools/packages-debian.txt), so a skip there would
//! hide a test that never ran.
#define GATESCOPE_REQUIRE_PROGRAM(var, name)                                                       \
    const QString var = QStandardPaths::findExecutable(QStringLiteral(name));                      \
    if (var.isEmpty()) {                                                                           \
        if (qEnvironmentVariableIsSet("CI"))                                                       \
            QFAIL(name " is missing where CI is set (tools/packages-debian.txt lists it)");        \
        QSKIP(name " is not installed here (tools/packages-debian.txt lists it)");                 \
    }

namespace gs::tests {

//! Writes \a bytes to \a path, creating its folder; a test cannot go on without it.
inline void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        std::abort();
    }
}

//! The bytes of \a path, or "<missing>".
inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace gs::tests
