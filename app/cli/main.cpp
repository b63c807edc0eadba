#include "commands.h"
#include "core/model/error.h"
#include "core/net/trust.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QTextStream>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

const auto kUsage = uR"(Usage: gatescope-cli COMMAND [OPTIONS]

Commands:
  compose FILE.http   print the exact wire request a .http file describes
  send FILE.http      send it, stream the answer, report what the gateway did
  inspect FILE        report what a gateway said in a captured HTTP response
  run PATH            run a collection's requests and check their @expect lines
  load FILE.http      send it many times; shares, errors and latency per model
  diff A B            compare two exchanges (send --json reports, history:ID)
  replay --history Q  send recorded requests again elsewhere, compare each answer
  mock                run the embedded demo gateway on loopback
  import curl FILE|-  print a curl command as a .http request
  import postman FILE OUTDIR
                      write a Postman v2.1 collection as a collection folder
  export FORMAT FILE.http
                      print a request as curl, python, javascript or http
  export postman DIR  print a collection folder as a Postman v2.1 collection
  lint-batch FILE.jsonl
                      check a batch input file before it is uploaded
  batch FILE.jsonl    upload it, create the batch, follow it, join the results
  passphrase FILE     keep an encrypted client key's passphrase in the keyring

Run "gatescope-cli COMMAND --help" for a command's options.
)"_s;

} // namespace

namespace gs::cli {

bool isTerminal(FILE *stream)
{
#ifdef Q_OS_WIN
    return ::_isatty(::_fileno(stream)) != 0;
#else
    return ::isatty(::fileno(stream)) != 0;
#endif
}

QString commandHelp(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    // Qt names the program by the path it was started from.
    const qsizetype usageEnd = text.indexOf(u" [options]"_s);
    if (text.startsWith(u"Usage: "_s) && usageEnd > 0)
        text.replace(7, usageEnd - 7, u"gatescope-cli "_s + command);
    struct Code
    {
        int code;
        const char *meaning;
        QStringList commands; // empty: every command
    };
    const QList<Code> codes {
        { kOk, "success", {} },
        { kFailure, "usage, unreadable or unwritable files", {} },
        { kInvalid,
            "invalid input: a .http syntax error, an invalid request (nothing sent), "
            "a curl command that is no request, a capture with problems",
            { u"compose"_s, u"send"_s, u"import"_s, u"export"_s, u"inspect"_s, u"lint-batch"_s,
                u"batch"_s, u"load"_s } },
        { kTransport,
            "the exchange failed on the wire, its streamed answer ended before its end marker, or "
            "it hit --max-time; batch: the gateway refused a call or the network failed",
            { u"send"_s, u"batch"_s } },
        { kTestsFailed,
            "run: a request failed its expectations or was not sent; batch: lines failed or "
            "have no result, or the batch failed, was cancelled or expired; load: a check "
            "failed or no request got a successful answer",
            { u"run"_s, u"batch"_s, u"load"_s } },
        { kInterrupted, "interrupted (Ctrl+C, SIGTERM): outputs written with what arrived",
            { u"send"_s, u"run"_s, u"batch"_s, u"load"_s } },
        { kBrokenPipe, "standard output was closed; the exchange was stopped", { u"send"_s } },
    };
    text += u"\nExit codes:\n"_s;
    for (const Code &c : codes)
        if (c.commands.isEmpty() || c.commands.contains(command))
            text += u"  %1  %2\n"_s.arg(c.code, 3).arg(QString::fromLatin1(c.meaning));
    return text;
}

void printNotes(QTextStream &out, const QStringList &lines, const char *prefix)
{
    constexpr qsizetype kMaxDistinct = 50;
    QStringList distinct;
    QHash<QString, qsizetype> count;
    for (const QString &line : lines) {
        if (count[line]++ == 0)
            distinct << line;
    }
    for (qsizetype i = 0; i < std::min(distinct.size(), kMaxDistinct); ++i) {
        const qsizetype n = count.value(distinct[i]);
        out << prefix << core::quotedForMessage(distinct[i], 400)
            << (n > 1 ? u" (%1 times)"_s.arg(n) : QString()) << '\n';
    }
    if (distinct.size() > kMaxDistinct)
        out << prefix << "and " << distinct.size() - kMaxDistinct << " more different notes\n";
}

} // namespace gs::cli

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"gatescope-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));

    // A private CA named as OpenSSL-based tools name it is trusted too.
    gs::core::trustEnvironmentCaCertificates();
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == "--help"_L1 || args[1] == "-h"_L1 || args[1] == "help"_L1) {
        out << kUsage;
        return args.size() < 2 ? gs::cli::kFailure : gs::cli::kOk;
    }
    if (args[1] == "--version"_L1) {
        out << "gatescope-cli " << QCoreApplication::applicationVersion() << '\n';
        return gs::cli::kOk;
    }
    const QString command = args.takeAt(1);
    if (command == "compose"_L1)
        return gs::cli::runCompose(args, out, err);
    if (command == "inspect"_L1)
        return gs::cli::runInspect(args, out, err);
    if (command == "send"_L1)
        return gs::cli::runSend(args, out, err);
    if (command == "run"_L1)
        return gs::cli::runRun(args, out, err);
    if (command == "load"_L1)
        return gs::cli::runLoad(args, out, err);
    if (command == "diff"_L1)
        return gs::cli::runDiff(args, out, err);
    if (command == "replay"_L1)
        return gs::cli::runReplay(args, out, err);
    if (command == "mock"_L1)
        return gs::cli::runMock(args, out, err);
    if (command == "import"_L1)
        return gs::cli::runImport(args, out, err);
    if (command == "export"_L1)
        return gs::cli::runExport(args, out, err);
    if (command == "batch"_L1)
        return gs::cli::runBatch(args, out, err);
    if (command == "lint-batch"_L1)
        return gs::cli::runLintBatch(args, out, err);
    if (command == "passphrase"_L1)
        return gs::cli::runPassphrase(args, out, err);
    err << "gatescope-cli: unknown command \"" << command << "\"\n\n" << kUsage;
    return gs::cli::kFailure;
}
