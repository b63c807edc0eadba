// Benchmark (not a test) of the desktop inspector. Prints, in one run:
//  - time from process start to the first painted frame of `gatescope`, against a
//    bare Qt Widgets window started the same way (the floor), and its idle memory;
//  - streaming 100,000 tokens at full speed from the demo gateway (a separate
//    `gatescope-cli mock` process, so that the gateway's work is not the window's):
//    the longest event-loop stall and the peak resident memory of the window;
//  - time to the first screen of a 100 MB JSON body in the Body view.
//  - the window's longest stall while it opens a collection request whose token is
//    in a keyring that takes 200 ms to answer, saves one, searches a history of
//    2,000 entries with 256 KiB bodies, and exports a 100 MB exchange as HAR.
//  - a load run of 10,000 streamed requests in the Load Run view (tools/bench-gui load
//    [COUNT] for another count): the window's longest stall and its memory.
// Goals (issue 4): first frame under 300 ms, idle memory under 80 MB, no stall over
// 50 ms while streaming, 100 MB body first screen under 1 s; (issue 12) no stall over
// 50 ms in any of the window's jobs above.
//
//   tools/dev run tools/bench-gui [startup|streaming|body|window|load [COUNT]]

#include "benchutil.h"
#include "core/net/exchange.h"
#include "core/store/history.h"
#include "core/store/secretstore.h"
#include "tests/ui/widgetview.h"
#include "ui/collectiontree.h"
#include "ui/compare/compareview.h"
#include "ui/historycontroller.h"
#include "ui/largetextview.h"
#include "ui/load/loadrunview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/responseinspector.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
namespace view = gs::tests::view;
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

//! Starts `gatescope-cli mock` in \a mock; its URL, empty when it did not start.
QString startMock(QProcess &mock)
{
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
    if (url.isEmpty())
        std::fprintf(stderr, "the demo gateway did not start\n");
    return url;
}

//! \a window at 1440x900 on the gateway at \a url, the streaming example open.
RequestPage *openStreamingExample(MainWindow &window, const QString &url)
{
    window.resize(1440, 900);
    window.show();
    window.setGateway(url, u"gs-demo-token"_s);
    window.openExample(u"chat-stream.http"_s);
    return window.currentPage();
}

int benchStreaming()
{
    // 2. Streaming 100,000 tokens at full speed from a separate demo gateway.
    QProcess mock;
    const QString url = startMock(mock);
    if (url.isEmpty())
        return 1;
    {
        MainWindow window;
        RequestPage *page = openStreamingExample(window, url);
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
                return view::answerText(page->inspector()).size()
                    == page->exchange()->assembled().text().size();
            },
            60000);
        const double shown = double(clock.nsecsElapsed()) / 1e6;
        const auto &t = page->exchange()->timeline();
        std::printf("streaming %lld token events, %lld bytes, from a separate demo gateway:\n",
            qint64(t.tokenTimes.size()), t.bytes);
        std::printf("  wall %.0f ms (%.0f tokens/s); answer shown: %lld characters of %lld\n", wall,
            double(t.tokenTimes.size()) / (wall / 1000),
            qint64(view::answerText(page->inspector()).size()),
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
        view.setContent(json, LargeTextView::Kind::Json);
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

namespace {

// A keyring that takes its time, as one does while it asks the user to unlock it.
class SlowKeyring final : public gs::core::SecretStore
{
public:
    QString description() const override { return u"a slow keyring"_s; }
    void read(const gs::core::SecretKey &key, Callback done) override
    {
        const auto it = m_values.constFind(key.account());
        const gs::core::SecretReply reply = it == m_values.cend()
            ? gs::core::SecretReply { gs::core::SecretReply::Status::NotFound, {}, {} }
            : gs::core::SecretReply { gs::core::SecretReply::Status::Ok, *it, {} };
        QTimer::singleShot(200, &m_context, [this, done, reply] {
            ++answered;
            done(reply);
        });
    }
    void write(const gs::core::SecretKey &key, const QString &value, Callback done) override
    {
        m_values.insert(key.account(), value);
        QTimer::singleShot(200, &m_context, [this, done] {
            ++answered;
            done({});
        });
    }
    void remove(const gs::core::SecretKey &key, Callback done) override
    {
        m_values.remove(key.account());
        QTimer::singleShot(200, &m_context, [done] { done({}); });
    }

    int answered = 0;

private:
    QObject m_context;
    QHash<QString, QString> m_values;
};

// Serves one pre-built body to every request (HTTP/1.1, Content-Length): what the
// window receives is the client's work alone.
class BodyServer final : public QTcpServer
{
public:
    explicit BodyServer(const QByteArray &body)
        : m_response(responseWith(body))
    {
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (socket->readAll().contains("\r\n\r\n"))
                        socket->write(m_response);
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    static QByteArray responseWith(const QByteArray &body)
    {
        const QByteArray length = QByteArray::number(body.size());
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length
            + "\r\n\r\n" + body;
    }

    QByteArray m_response;
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
}

struct Stall
{
    double longestMs = 0; //!< the longest the event loop was held
    double wallMs = 0; //!< until the job was done
    long long peakKib = 0; //!< the largest resident memory seen meanwhile
};

// Runs \a job and the event loop until \a done; \a done must be false before.
Stall longestStall(const std::function<void()> &job, const std::function<bool()> &done)
{
    waitFor([] { return false; }, 100); // what came before settles
    StallMeter meter;
    meter.reset();
    QElapsedTimer clock;
    clock.start();
    job();
    if (!waitFor(done, 120000))
        std::fprintf(stderr, "  (did not finish in two minutes)\n");
    return { meter.longestMs(), double(clock.nsecsElapsed()) / 1e6, meter.peakKib() };
}

} // namespace

int benchWindow()
{
    // 4. The window's own jobs, with a keyring that takes 200 ms to answer.
    QTemporaryDir dir;
    const QString root = dir.filePath(u"team"_s);
    writeFile(root + u"/chat.http"_s,
        "### Hello\nPOST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n"
        "Content-Type: application/json\n\n{\"model\": \"openai-main/gpt-4o-mini\", "
        "\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}\n");
    writeFile(root + u"/http-client.env.json"_s,
        R"({"prod": {"baseUrl": "http://127.0.0.1:9/api/llm"}})");
    writeFile(root + u"/.gatescope.json"_s,
        R"({"schemaVersion": 1, "defaultEnvironment": "prod", "id": "bench-1", "secrets": ["token"]})");
    auto keyring = std::make_unique<SlowKeyring>();
    SlowKeyring *slow = keyring.get(); // owned by the window's vault
    const gs::core::SecretKey key { u"bench-1"_s, u"prod"_s, u"token"_s };
    keyring->write(key, u"sk-bench"_s, [](const gs::core::SecretReply &reply) { Q_UNUSED(reply); });
    WindowParts parts;
    parts.vault = std::make_unique<gs::core::SecretVault>(std::move(keyring));
    MainWindow window(std::move(parts));
    window.resize(1440, 900);
    window.show();
    window.openCollection(root);
    const QString canonical = window.collections()->roots().value(0);

    const Stall open
        = longestStall([&] { window.openCollectionRequest(canonical, u"chat.http"_s, 0); },
            [&] { return window.pageCount() == 1; });
    std::printf(
        "the window, with a keyring that answers after 200 ms (goal: no stall over 50 ms):\n");
    std::printf("  opening a collection request whose token is in the keyring: longest stall "
                "%.1f ms (open after %.0f ms)\n",
        open.longestMs, open.wallMs);

    RequestPage *page = window.currentPage();
    gs::core::GatewayRequest edited = page->editor()->request();
    edited.bearerToken = u"sk-bench-typed"_s;
    page->editor()->setRequest(edited);
    const int answeredBefore = slow->answered;
    const Stall save = longestStall(
        [&] { window.saveCurrent(); }, [&] { return slow->answered > answeredBefore; });
    std::printf("  saving it (the typed token to the keyring): longest stall %.1f ms (stored "
                "after %.0f ms)\n",
        save.longestMs, save.wallMs);

    // 2,000 entries with 256 KiB bodies (about 500 MB).
    const QString historyPath = dir.filePath(u"history.sqlite"_s);
    {
        gs::core::HistoryLimits limits;
        limits.maxBytes = 2LL * 1024 * 1024 * 1024;
        limits.maxEntries = 5000;
        auto history = gs::core::History::open(historyPath, limits);
        if (!history)
            return 1;
        QByteArray body(256 * 1024, 'x');
        for (int i = 0; i < 2000; ++i) {
            gs::core::HistoryEntry e;
            e.method = u"POST"_s;
            e.url = u"https://gw.example/api/llm/chat/completions"_s;
            e.status = 200;
            e.body = body;
            e.bodyBytes = body.size();
            body.replace(i % body.size(), 1, "y");
            (*history)->record(e);
        }
    }
    QSettings().setValue(u"history/maxBytes"_s, 2LL * 1024 * 1024 * 1024);
    QSettings().setValue(u"history/maxEntries"_s, 5000);
    window.history()->open(historyPath);
    int listed = -1;
    QObject::connect(window.history(), &gs::ui::HistoryController::listed, &window,
        [&](const QList<gs::core::HistoryEntry> &entries) { listed = int(entries.size()); });
    waitFor([&] { return listed >= 0; }, 120000); // the list opening the history fills
    const Stall search = longestStall(
        [&] {
            listed = -1;
            window.filterHistory(u"no such text"_s);
        },
        [&] { return listed >= 0; });
    std::printf("  searching 2,000 history entries of 256 KiB for text in none: longest stall "
                "%.1f ms (listed after %.0f ms)\n",
        search.longestMs, search.wallMs);

    // A 100 MB exchange, received from a server that sends pre-built bytes.
    QByteArray json;
    json.reserve(101 * 1024 * 1024);
    json += "{\"data\":[";
    while (json.size() < 100 * 1024 * 1024)
        json += R"({"object":"embedding","embedding":[0.0023064255,-0.009327292]},)";
    json += "{}]}";
    BodyServer server(json);
    server.listen(QHostAddress::LocalHost);
    json.clear();
    json.squeeze();
    window.setGateway(u"http://127.0.0.1:%1/api/llm"_s.arg(server.serverPort()), u"sk-x"_s);
    window.openExample(u"gateway-requests.http"_s, u"embeddings"_s);
    RequestPage *big = window.currentPage();
    gs::core::GatewayRequest r = big->editor()->request();
    r.baseUrl = window.gatewayBaseUrl();
    big->editor()->setRequest(r);
    window.sendCurrent();
    waitFor([&] { return big->lastExchange() != nullptr; }, 120000);
    const QString har = dir.filePath(u"big.har"_s);
    const Stall exportStall = longestStall([&] { window.exportHar(har); },
        [&] { return window.statusBar()->currentMessage().startsWith(u"Saved the exchange"_s); });
    std::printf("  exporting a %.0f MB exchange as HAR: longest stall %.1f ms (%.0f MB written "
                "in %.0f ms)\n",
        big->lastExchange() ? double(big->lastExchange()->bodySize) / 1e6 : 0.0,
        exportStall.longestMs, double(QFileInfo(har).size()) / 1e6, exportStall.wallMs);
    std::fflush(stdout);
    return 0;
}

int benchLoad(int count)
{
    // 5. A load run in the Load Run view, from a separate demo gateway streaming at
    // full speed: the window's longest stall while every chart follows the run.
    QProcess mock;
    const QString url = startMock(mock);
    if (url.isEmpty())
        return 1;
    {
        MainWindow window;
        RequestPage *page = openStreamingExample(window, url);
        QString wire = page->editor()->wireText();
        wire.replace(u"openai-main/gpt-4o-mini"_s, u"demo/chat"_s);
        // Tokens at full speed: the header right after the request line.
        wire.insert(wire.indexOf(u'\n') + 1, u"x-gatescope-token-interval-ms: 0\n"_s);
        page->editor()->setWireText(wire);
        if (!page->editor()->wireText().contains(u"x-gatescope-token-interval-ms"_s))
            return 1;
        LoadRunView *view = window.openLoadRun();
        if (!view)
            return 1;
        view->resize(1100, 760);
        view->confirmCost = [](const QString &) { return true; };
        view->findChild<QSpinBox *>(u"loadCount"_s)->setValue(count);
        view->findChild<QSpinBox *>(u"loadConcurrency"_s)->setValue(32);
        const long long before = residentKib();
        const Stall run = longestStall(
            [&] { view->start(); }, [&] { return view->run() && view->run()->isFinished(); });
        const gs::core::LoadStats &s = view->stats();
        std::printf("a load run of %d streamed requests at concurrency 32 in the Load Run view, "
                    "from a separate demo gateway:\n",
            count);
        std::printf("  %lld answered (%lld failed) in %.0f ms, %.0f requests/s\n", s.finished,
            s.all.failures, run.wallMs, double(s.finished) / (run.wallMs / 1000));
        std::printf("  longest event-loop stall %.1f ms   goal: under 50 ms\n", run.longestMs);
        std::printf("  resident %.1f MiB before, peak %.1f MiB during the run\n",
            double(before) / 1024, double(run.peakKib) / 1024);
        QElapsedTimer paint;
        paint.start();
        view->repaint();
        std::printf("  the whole view drawn again with its %zu records: %.1f ms\n",
            view->shown().records.size(), double(paint.nsecsElapsed()) / 1e6);
        std::fflush(stdout);
    }
    mock.kill();
    mock.waitForFinished();
    return 0;
}

int benchCompare()
{
    // 6. Two large answers in the Compare view: the time from asking to the comparison
    // shown, and the longest the window was held meanwhile (reading, decoding and
    // comparing run on a worker; filling the view does not).
    using gs::core::ComparedExchange;
    // Words from a vocabulary of 4,093 in an order each \a step makes its own.
    const auto words = [](qsizetype bytes, int step, int changes) {
        QStringList out;
        qsizetype size = 0;
        for (int i = 0; size < bytes; ++i) {
            out << u"w%1"_s.arg((qint64(i) * step) % 4093);
            size += out.last().size() + 1;
        }
        for (int c = 1; c <= changes; ++c)
            out[out.size() * c / (changes + 1)] = u"changed"_s;
        return out.join(u' ');
    };
    const auto chat = [](const QString &content) {
        ComparedExchange e;
        e.json = QJsonObject { { u"object"_s, u"chat.completion"_s },
            { u"choices"_s,
                QJsonArray { QJsonObject { { u"index"_s, 0 },
                    { u"message"_s,
                        QJsonObject {
                            { u"role"_s, u"assistant"_s }, { u"content"_s, content } } } } } } };
        e.text = content;
        return e;
    };
    const auto embeddings = [](int seed) {
        ComparedExchange e;
        QJsonArray data;
        for (int d = 0; d < 16; ++d) {
            QJsonArray vector;
            for (int i = 0; i < 16'000; ++i)
                vector.append(
                    double((i * 31 + d * 7 + (i == 9000 && d == 3 ? seed : 0)) % 1000) / 997.0);
            data.append(QJsonObject { { u"index"_s, d }, { u"embedding"_s, vector } });
        }
        e.json = QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data } };
        return e;
    };
    struct Case
    {
        const char *name;
        ComparedExchange a;
        ComparedExchange b;
    };
    std::vector<Case> cases;
    cases.push_back({ "a 5 MB chat answer, three words changed", chat(words(5'000'000, 7919, 0)),
        chat(words(5'000'000, 7919, 3)) });
    cases.push_back({ "a 5 MB embeddings answer (256,000 numbers), one number changed",
        embeddings(0), embeddings(1) });
    cases.push_back({ "two 5 MB chat answers with no word in the same place",
        chat(words(5'000'000, 7919, 0)), chat(words(5'000'000, 104'729, 0)) });
    cases.push_back({ "a 50 MB chat answer, three words changed", chat(words(50'000'000, 7919, 0)),
        chat(words(50'000'000, 7919, 3)) });
    std::printf("two large answers compared in the Compare view (1100x760):\n");
    for (Case &c : cases) {
        const qsizetype bytes
            = QJsonDocument(c.a.json.toObject()).toJson(QJsonDocument::Compact).size();
        c.a.label = u"a"_s;
        c.b.label = u"b"_s;
        gs::ui::CompareView view;
        view.resize(1100, 760);
        view.show();
        bool done = false;
        QObject::connect(&view, &gs::ui::CompareView::compared, &view, [&done] { done = true; });
        const Stall run = longestStall([&] { view.compare(c.a, c.b); }, [&] { return done; });
        std::printf("  %s (%.1f MB body): shown after %.0f ms, longest event-loop stall %.1f ms, "
                    "%lld changes and %lld text pieces\n",
            c.name, double(bytes) / 1e6, run.wallMs, run.longestMs,
            qint64(view.comparison().responseJson.size()), qint64(view.comparison().text.size()));
    }
    std::printf("  goal: two 5 MB bodies in under a second; stalls under 50 ms\n");
    std::fflush(stdout);
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
    // "startup", "streaming", "body" or "window" runs that part alone (for profiling).
    const QByteArray only = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    int rc = 0;
    if (only.isEmpty() || only == "startup")
        rc |= benchStartup();
    if (only.isEmpty() || only == "streaming")
        rc |= benchStreaming();
    if (only.isEmpty() || only == "body")
        rc |= benchBody();
    if (only.isEmpty() || only == "window")
        rc |= benchWindow();
    if (only.isEmpty() || only == "load")
        rc |= benchLoad(argc > 2 ? QByteArray(argv[2]).toInt() : 10'000);
    if (only.isEmpty() || only == "compare")
        rc |= benchCompare();
    return rc;
}
