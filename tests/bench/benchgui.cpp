// Benchmark (not a test) of the desktop inspector. Prints, in one run:
//  - time from process start to the first painted frame of `gatescope`, against a
//    bare Qt Widgets window started the same way (the floor), and its idle memory;
//  - streaming 100,000 tokens at full speed from the demo gateway (a separate
//    `gatescope-cli mock` process, so that the gateway's work is not the window's):
//    the longest event-loop stall and the peak resident memory of the window;
//  - time to the first screen of a 100 MB JSON body in the Body view.
// Goals (issue 4): first frame under 300 ms, idle memory under 80 MB, no stall over
// 50 ms while streaming, 100 MB body first screen under 1 s.
//
//   tools/dev run tools/bench-gui

#include "benchutil.h"
#include "core/net/exchange.h"
#include "ui/largetextview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/responseinspector.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using gs::bench::median;
using gs::bench::residentKib;
using namespace gs::ui;

namespace {

// Starts PROGRAM ARGS and returns the milliseconds until it printed "first-frame"
// (and its idle RSS when it reports one).
std::pair<double, long long> timeToFirstFrame(const QString &program, const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    double firstFrame = -1;
    long long rss = -1;
    QByteArray out;
    while (p.state() != QProcess::NotRunning || p.bytesAvailable() > 0) {
        p.waitForReadyRead(100);
        out += p.readAllStandardOutput();
        if (firstFrame < 0 && out.contains("first-frame"))
            firstFrame = double(clock.nsecsElapsed()) / 1e6;
        if (const qsizetype at = out.indexOf("idle-rss-kib "); at >= 0 && out.indexOf('\n', at) > 0)
            rss = out.mid(at + 13, out.indexOf('\n', at) - at - 13).toLongLong();
        if (clock.elapsed() > 20000)
            break;
    }
    p.waitForFinished(5000);
    return { firstFrame, rss };
}

// The floor: a bare window, shown and painted.
int runReference(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setCentralWidget(new QLabel(u"reference"_s));
    window.resize(1280, 800);
    struct Filter : QObject
    {
        bool seen = false;
        bool eventFilter(QObject *o, QEvent *e) override
        {
            if (e->type() == QEvent::Paint && !seen) {
                seen = true;
                QTimer::singleShot(0, [] {
                    std::printf("first-frame\n");
                    std::fflush(stdout);
                    QTimer::singleShot(1000, [] {
                        std::printf("idle-rss-kib %lld\n", residentKib());
                        QCoreApplication::exit(0);
                    });
                });
            }
            return QObject::eventFilter(o, e);
        }
    } filter;
    window.installEventFilter(&filter);
    window.show();
    return QApplication::exec();
}

// Watches the event loop with a 1 ms timer: the longest gap between two of its
// ticks is the longest time the loop could not react, the stall a user would feel.
class StallMeter final : public QObject
{
public:
    StallMeter()
    {
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(1);
        connect(&m_tick, &QTimer::timeout, this, [this] {
            if (m_last.isValid())
                m_longest = std::max(m_longest, double(m_last.nsecsElapsed()) / 1e6);
            m_last.start();
        });
        m_tick.start();
        m_sampler.setInterval(20);
        connect(&m_sampler, &QTimer::timeout, this,
            [this] { m_peakKib = std::max(m_peakKib, residentKib()); });
        m_sampler.start();
    }
    void reset()
    {
        m_longest = 0;
        m_last.invalidate();
        m_peakKib = residentKib();
    }
    double longestMs() const { return m_longest; }
    long long peakKib() const { return m_peakKib; }

private:
    QTimer m_tick;
    QElapsedTimer m_last;
    QTimer m_sampler;
    double m_longest = 0;
    long long m_peakKib = 0;
};

// Runs the real event loop (so that the stall meter sees every iteration) until
// \a done or the timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

} // namespace

int benchStartup()
{
    const int runs = 5;
    // 1. Start-up.
    QList<double> app_, reference;
    long long appRss = -1;
    long long referenceRss = -1;
    for (int i = 0; i < runs; ++i) {
        const auto [a, rss]
            = timeToFirstFrame(QStringLiteral(GATESCOPE_GUI), { u"--benchmark-startup"_s });
        const auto [r, refRss]
            = timeToFirstFrame(QCoreApplication::applicationFilePath(), { u"startup-reference"_s });
        app_ << a;
        reference << r;
        appRss = std::max(appRss, rss);
        referenceRss = std::max(referenceRss, refRss);
    }
    std::printf("start-up, median of %d runs (offscreen):\n", runs);
    std::printf(
        "  first frame:   gatescope %.0f ms, bare Qt window %.0f ms (%.2fx)   goal: under 300 ms\n",
        median(app_), median(reference), median(app_) / std::max(1.0, median(reference)));
    std::printf(
        "  idle resident: gatescope %.1f MiB, bare Qt window %.1f MiB   goal: under 80 MB\n",
        double(appRss) / 1024, double(referenceRss) / 1024);
    std::fflush(stdout);

    return 0;
}

int benchStreaming()
{
    // 2. Streaming 100,000 tokens at full speed from a separate demo gateway.
    QProcess mock;
    mock.start(QStringLiteral(GATESCOPE_CLI), { u"mock"_s, u"--port"_s, u"0"_s, u"--quiet"_s });
    QString url;
    waitFor(
        [&] {
            const QByteArray out = mock.readAllStandardOutput() + mock.readAllStandardError();
            for (const QByteArray &line : out.split('\n')) {
                if (line.startsWith("Demo gateway listening at "))
                    url = QString::fromUtf8(line.mid(26).trimmed());
            }
            return !url.isEmpty();
        },
        10000);
    if (url.isEmpty()) {
        std::fprintf(stderr, "the demo gateway did not start\n");
        return 1;
    }
    {
        MainWindow window;
        window.resize(1440, 900);
        window.show();
        window.setGateway(url, u"gs-demo-token"_s);
        window.openExample(u"chat-stream.http"_s);
        RequestPage *page = window.currentPage();
        QString wire = page->editor()->wireText();
        wire.replace(u"\"stream\": true,"_s, u"\"stream\": true, \"max_tokens\": 100000,"_s);
        wire.replace(u"Content-Type: application/json\n"_s,
            u"Content-Type: application/json\nx-gatescope-token-interval-ms: 0\n"_s);
        page->editor()->setWireText(wire);
        waitFor([] { return false; }, 300); // let start-up work settle
        StallMeter meter;
        meter.reset();
        QElapsedTimer clock;
        clock.start();
        if (!window.sendCurrent()) {
            std::fprintf(stderr, "not sent: %s\n", qPrintable(page->editor()->blockReason()));
            return 1;
        }
        // The stall while tokens arrive, and the one when the exchange ends (the
        // inspector then fills Body and Timing), apart.
        double streamingStall = 0;
        QObject::connect(page->exchange(), &gs::core::Exchange::finished, &meter, [&] {
            streamingStall = meter.longestMs();
            meter.reset();
        });
        waitFor([&] { return page->exchange()->isFinished(); }, 120000);
        const double wall = double(clock.nsecsElapsed()) / 1e6;
        // The view lays out a bounded amount of text per frame: wait until it shows
        // everything.
        waitFor(
            [&] {
                return page->inspector()->answerText().size()
                    == page->exchange()->assembled().text().size();
            },
            60000);
        const double shown = double(clock.nsecsElapsed()) / 1e6;
        const auto &t = page->exchange()->timeline();
        std::printf("streaming %lld token events, %lld bytes, from a separate demo gateway:\n",
            qint64(t.tokenTimes.size()), t.bytes);
        std::printf("  wall %.0f ms (%.0f tokens/s); answer shown: %lld characters of %lld\n", wall,
            double(t.tokenTimes.size()) / (wall / 1000),
            qint64(page->inspector()->answerText().size()),
            qint64(page->exchange()->assembled().text().size()));
        std::printf("  whole answer on screen after %.0f ms\n", shown);
        std::printf("  longest event-loop stall %.1f ms while streaming, %.1f ms as it ends   "
                    "goal: under 50 ms\n",
            streamingStall, meter.longestMs());
        std::printf("  peak resident %.1f MiB while streaming\n", double(meter.peakKib()) / 1024);
        std::fflush(stdout);
    }
    mock.kill();
    mock.waitForFinished();

    return 0;
}

int benchBody()
{
    // 3. A 100 MB JSON body: time to the first screen in the Body view.
    QByteArray json;
    json.reserve(105 * 1024 * 1024);
    json += "{\"data\":[";
    for (int i = 0; json.size() < 100 * 1024 * 1024; ++i) {
        if (i)
            json += ',';
        json += R"({"object":"embedding","index":)" + QByteArray::number(i)
            + R"(,"embedding":[0.0023064255,-0.009327292,-0.0028842222,0.021736816,-0.0040372314],"model":"text-embedding-3-small","tags":["a","b"]})";
    }
    json += "]}";
    {
        LargeTextView view;
        view.resize(1000, 800);
        view.show();
        waitFor([] { return false; }, 100);
        StallMeter meter;
        meter.reset();
        QElapsedTimer clock;
        clock.start();
        view.setContent(json, true);
        waitFor([&] { return view.lineCount() > 0; }, 10000);
        view.viewport()->repaint();
        const double firstScreen = double(clock.nsecsElapsed()) / 1e6;
        waitFor([&] { return !view.isFormatting(); }, 120000);
        const double all = double(clock.nsecsElapsed()) / 1e6;
        std::printf("a %.0f MB JSON body in the Body view:\n", double(json.size()) / 1e6);
        std::printf("  first screen %.0f ms   goal: under 1 s\n", firstScreen);
        std::printf(
            "  all %lld lines formatted in %.0f ms (off the UI thread); longest stall %.1f ms\n",
            view.lineCount(), all, meter.longestMs());
        std::printf("  peak resident %.1f MiB\n", double(meter.peakKib()) / 1024);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "startup-reference") == 0)
        return runReference(argc, argv);

    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    // "startup", "streaming" or "body" runs that part alone (for profiling).
    const QByteArray only = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    int rc = 0;
    if (only.isEmpty() || only == "startup")
        rc |= benchStartup();
    if (only.isEmpty() || only == "streaming")
        rc |= benchStreaming();
    if (only.isEmpty() || only == "body")
        rc |= benchBody();
    return rc;
}
