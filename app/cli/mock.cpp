#include "commands.h"
#include "demo/demogateway.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace gs::core;
using namespace gs::demo;

namespace gs::cli {

int runMock(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Runs the embedded demo gateway until interrupted."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(
        u"port"_s, u"Port to listen on (default: a free one)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption seedOption(
        u"seed"_s, u"Seed for the gateway's choices (default 1)."_s, u"S"_s, u"1"_s);
    const QCommandLineOption quietOption(u"quiet"_s, u"Do not log requests."_s);
    parser.addOptions({ portOption, seedOption, quietOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli mock: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"mock"_s);
        return kOk;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    bool seedOk = false;
    const quint64 seed = parser.value(seedOption).toULongLong(&seedOk);
    if (!portOk || port > 65535 || !seedOk) {
        err << "gatescope-cli mock: --port takes 0-65535 and --seed a non-negative integer\n";
        return kFailure;
    }
    DemoGateway gateway(seed);
    const auto url = gateway.listen(QHostAddress::LocalHost, quint16(port));
    if (!url) {
        err << "gatescope-cli mock: " << url.error().message << '\n';
        return kFailure;
    }
    out << "Demo gateway listening at " << *url << '\n'
        << "Token: " << QString::fromLatin1(kDemoToken)
        << "  (limited to openai-main/*: " << QString::fromLatin1(kDemoLimitedToken) << ")\n"
        << "Try:   curl -N " << *url << "/chat/completions -H 'Authorization: Bearer "
        << QString::fromLatin1(kDemoToken)
        << "' -H 'Content-Type: application/json' -d '{\"model\":\"demo/chat\",\"stream\":true,"
           "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'\n"
        << "Stop with Ctrl+C.\n";
    out.flush();
    if (!parser.isSet(quietOption)) {
        QObject::connect(&gateway, &DemoGateway::requestHandled, &gateway,
            [&err](const QByteArray &method, const QByteArray &target, int status) {
                err << status << ' ' << method << ' ' << target << '\n';
                err.flush();
            });
    }
#ifdef Q_OS_UNIX
    // Quit cleanly on SIGINT/SIGTERM so that the port is released at once. (On
    // Windows, Ctrl+C ends the process and the system releases the port.)
    static int pipeFds[2];
    if (::pipe(pipeFds) == 0) {
        std::signal(SIGINT, [](int) { [[maybe_unused]] auto n = ::write(pipeFds[1], "x", 1); });
        std::signal(SIGTERM, [](int) { [[maybe_unused]] auto n = ::write(pipeFds[1], "x", 1); });
        auto *notifier = new QSocketNotifier(pipeFds[0], QSocketNotifier::Read, &gateway);
        QObject::connect(
            notifier, &QSocketNotifier::activated, &gateway, [] { QCoreApplication::quit(); });
    }
#endif
    return QCoreApplication::exec();
}

} // namespace gs::cli
