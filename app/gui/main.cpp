#include "core/net/trust.h"
#include "demo/demogateway.h"
#include "screenshots.h"
#include "ui/appicon.h"
#include "ui/historycontroller.h"
#include "ui/mainwindow.h"
#include "ui/requesttabs.h"
#include "ui/tones.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QIcon>
#include <QNetworkProxyFactory>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// Signals once, after the main window's first paint has been handled.
class FirstFrameReporter final : public QObject
{
    Q_OBJECT

public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, &FirstFrameReporter::painted);
        }
        return QObject::eventFilter(watched, event);
    }

Q_SIGNALS:
    void painted();

private:
    bool m_seen = false;
};

long long residentKib()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Gatescope"_s);
    QApplication::setApplicationName(u"gatescope"_s);
    QApplication::setApplicationDisplayName(u"Gatescope"_s);
    QApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));
    // Ties the windows to the installed desktop file (icon and name in docks and
    // task switchers, Wayland's app id).
    QGuiApplication::setDesktopFileName(QStringLiteral(GATESCOPE_APP_ID));
    QApplication::setWindowIcon(gs::ui::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Native inspector for AI gateway requests."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        u"demo"_s, u"Start the embedded demo gateway and make it the active gateway."_s);
    const QCommandLineOption screenshots(u"screenshots"_s,
        u"With --demo: run a scripted session (streaming, non-streaming, error) and save a "
        "PNG of the editor and of each inspector tab to DIR, then exit."_s,
        u"DIR"_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s, u"Save a PNG of the main window to FILE and exit."_s, u"FILE"_s);
    const QCommandLineOption quitAfter(
        u"quit-after"_s, u"Close the window after MS milliseconds (smoke tests)."_s, u"MS"_s);
    QCommandLineOption benchmark(u"benchmark-startup"_s,
        u"Print \"first-frame\" once the window has painted, then its idle resident memory "
        "a second later, and exit (tests/bench/benchgui)."_s);
    benchmark.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption windowSize(u"window-size"_s,
        u"With --screenshots or --screenshot: the window's size, WIDTHxHEIGHT."_s, u"SIZE"_s);
    windowSize.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption dark(
        u"dark"_s, u"With --screenshots or --screenshot: a dark palette, as in dark mode."_s);
    dark.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ demo, screenshots, screenshot, quitAfter, benchmark, windowSize, dark });
    parser.addPositionalArgument(u"paths"_s,
        u"A .http file to open in tabs, or a folder to open as a collection (what a file "
        "manager's Open With passes)."_s,
        u"[PATH...]"_s);
    parser.process(app);
    if (parser.isSet(dark))
        QApplication::setPalette(gs::ui::darkPalette());
    if (parser.isSet(screenshots) && !parser.isSet(demo)) {
        std::fputs(
            "gatescope: --screenshots needs --demo (it talks to the embedded gateway)\n", stderr);
        return 2;
    }

    // A scripted session neither reads nor changes the user's settings: the pictures
    // look the same on every machine, and the user's window stays as they left it.
    QTemporaryDir scratchSettings;
    if (parser.isSet(screenshots)) {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratchSettings.path());
        // A scripted session keeps secrets in memory, never in the user's keyring.
        qputenv("GATESCOPE_SECRET_STORE", "session");
    }

    // The composition root: what the window is built from. Requests go through the
    // system's proxy settings.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    // A private CA named in SSL_CERT_FILE or SSL_CERT_DIR is trusted too.
    gs::core::trustEnvironmentCaCertificates();
    gs::ui::WindowParts parts;
    parts.vault = gs::core::SecretVault::forThisUser();
    parts.demoGateway = gs::demo::startLocalGateway;
    gs::ui::MainWindow window(std::move(parts));
    // The history of exchanges: the user's own, or a scratch one for a scripted session.
    window.history()->open(parser.isSet(screenshots)
            ? scratchSettings.filePath(u"history.sqlite"_s)
            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                + u"/history.sqlite"_s);
    if (parser.isSet(screenshots))
        window.resize(1440, 900);
    if (parser.isSet(windowSize)) {
        const QStringList wh = parser.value(windowSize).split(u'x');
        window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    }
    // The requests open when the last session crashed or was killed come back (not in
    // a scripted or timed run, which is not the user's session).
    if (!parser.isSet(screenshots) && !parser.isSet(screenshot) && !parser.isSet(quitAfter)
        && !parser.isSet(benchmark))
        window.keepSessionIn(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/session.json"_s);
    window.show();
    for (const QString &path : parser.positionalArguments()) {
        // The status bar says why; a terminal hears it too.
        if (!window.openPath(path))
            std::fprintf(stderr, "gatescope: cannot open %s\n", qPrintable(path));
    }
    if (parser.isSet(demo)) {
        // With screenshots, the scripted session drives; otherwise the newcomer's
        // round trip: the streaming example goes out at once.
        if (!(parser.isSet(screenshots) ? window.useDemoGateway() : window.tryDemo()))
            return 1;
    }

    FirstFrameReporter reporter;
    if (parser.isSet(benchmark)) {
        window.installEventFilter(&reporter);
        QObject::connect(&reporter, &FirstFrameReporter::painted, &window, [&window] {
            std::printf("first-frame\n");
            std::fflush(stdout);
            QTimer::singleShot(1000, &window, [] {
                std::printf("idle-rss-kib %lld\n", residentKib());
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        });
    }

    std::unique_ptr<ScreenshotSession> session;
    // A scripted session ends without asking about what it typed.
    if (parser.isSet(screenshots) || parser.isSet(screenshot))
        window.tabs()->askUnsaved
            = [](gs::ui::RequestPage *) { return gs::ui::RequestTabs::Unsaved::Discard; };
    if (parser.isSet(screenshots)) {
        session = std::make_unique<ScreenshotSession>(window, parser.value(screenshots));
        QObject::connect(session.get(), &ScreenshotSession::done, &window, [&](bool ok) {
            for (const QString &path : session->saved())
                std::printf("%s\n", qPrintable(path));
            window.close();
            QCoreApplication::exit(ok ? 0 : 1);
        });
        // Time out rather than hang if the scripted session gets stuck.
        QTimer::singleShot(60000, &window, [] {
            std::fputs("gatescope: the screenshot session did not finish in 60 s\n", stderr);
            QCoreApplication::exit(1);
        });
        QTimer::singleShot(200, session.get(), &ScreenshotSession::start);
    } else if (parser.isSet(screenshot)) {
        QTimer::singleShot(300, &window, [&window, path = parser.value(screenshot)] {
            const bool saved = window.grab().save(path, "PNG");
            window.close();
            QCoreApplication::exit(saved ? 0 : 1);
        });
    } else if (parser.isSet(quitAfter)) {
        QTimer::singleShot(parser.value(quitAfter).toInt(), &window, &QWidget::close);
    }
    return QApplication::exec();
}

#include "main.moc"
