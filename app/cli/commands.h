#pragma once

#include <QStringList>

#include <cstdio>

class QCommandLineParser;
class QJsonArray;

namespace gs::core {
struct BatchLint;
} // namespace gs::core
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

//! Whether \a stream (stdin, stdout, stderr) is a terminal, not a pipe or a file.
bool isTerminal(FILE *stream);

//! A command's --help: its usage line as "gatescope-cli COMMAND", whatever path the
//! binary was started from, then its options and the exit codes it uses.
QString commandHelp(const QCommandLineParser &parser, const QString &command);

//! Writes \a lines, each after \a prefix ("note: "), on one line each: a line that
//! comes again is counted ("(3 times)"), not repeated, and after 50 distinct lines
//! the rest are counted in one more.
void printNotes(QTextStream &out, const QStringList &lines, const char *prefix = "note: ");

//! Each problem of a batch input file as a line "NAME:LINE: error|warning: ..." (no
//! line for the file as a whole), then how many were left out.
void printBatchLint(QTextStream &out, const QString &name, const core::BatchLint &lint);
//! The problems as JSON: [{line, severity, message}].
QJsonArray batchLintProblemsJson(const core::BatchLint &lint);

//! Where the window keeps its history (its application's data folder): what diff and
//! replay read unless told otherwise.
QString windowHistoryPath();

int runCompose(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runInspect(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runSend(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runMock(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runImport(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runRun(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runExport(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runBatch(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runLintBatch(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runLoad(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runDiff(const QStringList &args, QTextStream &out, QTextStream &err);
int runReplay(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runPassphrase(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace gs::cli
