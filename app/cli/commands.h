#pragma once

#include <QStringList>

class QTextStream;

namespace gs::cli {

//! Exit codes shared by every command.
enum ExitCode : int {
    kOk = 0,
    kFailure = 1, //!< I/O, unreadable input, bad usage
    kInvalid = 2, //!< the request is not fit to be sent
    kTransport = 3, //!< send: the exchange failed on the wire or hit --max-time
    kTestsFailed = 4, //!< run: a request failed its expectations or could not be sent
    kInterrupted = 130, //!< Ctrl+C or SIGTERM (128 + SIGINT, as shells report it)
    kBrokenPipe = 141, //!< standard output was closed (128 + SIGPIPE)
};

int runCompose(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runInspect(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runSend(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runMock(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runImport(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runRun(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runExport(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace gs::cli
