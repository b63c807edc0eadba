#include "commands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

const auto kUsage = uR"(Usage: gatescope-cli COMMAND [OPTIONS]

Commands:
  compose FILE.http   print the exact wire request a .http file describes
  send FILE.http      send it, stream the answer, report what the gateway did
  inspect FILE        report what a gateway said in a captured HTTP response
  run PATH            run a collection's requests and check their @expect lines
  mock                run the embedded demo gateway on loopback
  import curl FILE|-  print a curl command as a .http request
  import postman FILE OUTDIR
                      write a Postman v2.1 collection as a collection folder
  export FORMAT FILE.http
                      print a request as curl, python, javascript or http
  export postman DIR  print a collection folder as a Postman v2.1 collection

Run "gatescope-cli COMMAND --help" for a command's options.
)"_s;

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"gatescope-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));

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
    if (command == "mock"_L1)
        return gs::cli::runMock(args, out, err);
    if (command == "import"_L1)
        return gs::cli::runImport(args, out, err);
    if (command == "export"_L1)
        return gs::cli::runExport(args, out, err);
    err << "gatescope-cli: unknown command \"" << command << "\"\n\n" << kUsage;
    return gs::cli::kFailure;
}
