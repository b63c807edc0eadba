#include "core/load/loadarchive.h"
#include "core/load/loadcheck.h"
#include "core/load/loadreport.h"
#include "core/load/loadrun.h"
#include "demo/demogateway.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace gs::core;

// The load run against the demo gateway over loopback: counts and aggregates that agree
// by construction, the concurrency and rate it promises, cancel, faults by class.
class TestLoadRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void countsAndAggregatesAgree();
    void concurrencyIsNeverExceeded();
    void opensAConnectionPerSlot();
    void rateCapSpacesTheStarts();
    void durationStopsStarting();
    void cancelLeavesAConsistentPartialResult();
    void faultsAreCountedByClass();
    void groupsByAJsonPath();
    void splitOfTheDemoWeights();
    void reportsAsJsonAndCsv();
    void archivedInTheHistory();
    void planProblems();

private:
    WireRequest chat(const QByteArray &model = "demo/chat", const HttpHeaders &extra = {},
        bool stream = true) const;
    LoadPlan plan(const QList<WireRequest> &requests, qint64 count, int concurrency) const;
    static void runToEnd(LoadRun &run);
    //! The most exchanges that were in flight at one moment, from the records.
    static int maxOverlap(const std::vector<LoadRecord> &records);

    gs::demo::DemoGateway m_demo { 3 };
    QString m_base;
    QNetworkAccessManager m_network;
};

void TestLoadRun::initTestCase()
{
    const auto url = m_demo.listen();
    QVERIFY(url);
    m_base = *url;
}

WireRequest TestLoadRun::chat(const QByteArray &model, const HttpHeaders &extra, bool stream) const
{
    WireRequest w;
    w.method = "POST";
    w.url = m_base + u"/chat/completions"_s;
    w.headers = { { "authorization", "Bearer " + gs::demo::kDemoToken.toByteArray() },
        { "content-type", "application/json" }, { "x-gatescope-token-interval-ms", "0" } };
    w.headers += extra;
    w.body = "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false")
        + ",\"max_tokens\":6,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return w;
}

LoadPlan TestLoadRun::plan(const QList<WireRequest> &requests, qint64 count, int concurrency) const
{
    LoadPlan p;
    p.requests = requests;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        p.names << u"r%1"_s.arg(i);
        p.requestedModels << u"demo/chat"_s;
    }
    p.count = count;
    p.concurrency = concurrency;
    p.exchange.idleTimeoutMs = 30'000;
    return p;
}

void TestLoadRun::runToEnd(LoadRun &run)
{
    QSignalSpy finished(&run, &LoadRun::finished);
    run.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60'000);
    QVERIFY(run.isFinished());
}

int TestLoadRun::maxOverlap(const std::vector<LoadRecord> &records)
{
    std::vector<std::pair<qint64, int>> edges;
    for (const LoadRecord &r : records) {
        edges.push_back({ r.startUs, +1 });
        edges.push_back({ r.startUs + r.totalUs, -1 });
    }
    // An end before a start at the same moment: a slot is free once its exchange ended.
    std::ranges::sort(edges);
    int now = 0;
    int most = 0;
    for (const auto &[t, d] : edges) {
        now += d;
        most = std::max(most, now);
    }
    return most;
}

void TestLoadRun::countsAndAggregatesAgree()
{
    LoadRun run(&m_network, plan({ chat(), chat("openai-main/gpt-4o", {}, false) }, 120, 12));
    runToEnd(run);
    const LoadStats &s = run.stats();
    QCOMPARE(s.started, 120);
    QCOMPARE(s.finished, 120);
    QCOMPARE(qint64(run.records().size()), 120);
    QCOMPARE(s.all.count, 120);
    QCOMPARE(s.all.ok, 120);
    QCOMPARE(s.all.total.count(), 120);
    // Streamed answers have a TTFT, whole ones do not.
    QCOMPARE(s.all.ttft.count(), 60);
    qint64 grouped = 0;
    for (const LoadGroupStats &g : s.groups)
        grouped += g.count;
    QCOMPARE(grouped, 120);
    QCOMPARE(s.statuses.at(200), 120);
    // The requests went in turn, and the records say which.
    QCOMPARE(std::ranges::count(run.records(), quint16(1), &LoadRecord::request), 60);
    for (const LoadRecord &r : run.records()) {
        QCOMPARE(r.status, 200);
        QVERIFY(r.totalUs > 0);
        QVERIFY(r.bytes > 0);
        QVERIFY(r.tokens > 0);
        QVERIFY(!run.name(r.resolvedModel).isEmpty());
        QCOMPARE(run.groupName(r.group), run.name(r.resolvedModel));
        if (r.request == 0)
            QVERIFY(r.ttftUs >= 0 && r.ttftUs <= r.totalUs);
    }
    QVERIFY(run.elapsedUs() > 0);
    QCOMPARE(run.inFlight(), 0);
}

void TestLoadRun::concurrencyIsNeverExceeded()
{
    // A slow answer keeps every slot busy, so the cap is what limits the run.
    LoadPlan p
        = plan({ chat("openai-main/gpt-4o", { { "x-gatescope-token-interval-ms", "3" } }) }, 48, 6);
    LoadRun run(&m_network, p);
    int most = 0;
    connect(&run, &LoadRun::progress, this, [&] { most = std::max(most, int(run.inFlight())); });
    runToEnd(run);
    QCOMPARE(run.stats().all.ok, 48);
    QVERIFY2(
        maxOverlap(run.records()) <= 6, qPrintable(QString::number(maxOverlap(run.records()))));
    QVERIFY(most <= 6);
}

void TestLoadRun::opensAConnectionPerSlot()
{
    // A server that accepts and never answers: every slot holds its own connection,
    // past Qt's default of six per host, and never more than the concurrency.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> accepted;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            accepted << s;
    });
    WireRequest w = chat();
    w.url = u"http://127.0.0.1:%1/chat/completions"_s.arg(silent.serverPort());
    LoadRun run(&m_network, plan({ w }, 100, 16));
    QSignalSpy finished(&run, &LoadRun::finished);
    run.start();
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 16, 20'000);
    QCOMPARE(run.inFlight(), 16);
    run.cancel();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(accepted.size(), 16);
    QCOMPARE(run.stats().canceled, 16);
    QCOMPARE(run.stats().all.count, 0);
    qDeleteAll(accepted);
}

void TestLoadRun::rateCapSpacesTheStarts()
{
    LoadPlan p = plan({ chat() }, 12, 8);
    p.ratePerSecond = 40; // one start every 25 ms
    LoadRun run(&m_network, p);
    runToEnd(run);
    std::vector<qint64> starts;
    for (const LoadRecord &r : run.records())
        starts.push_back(r.startUs);
    std::ranges::sort(starts);
    // The n-th start is never before n / rate: a lower bound, whatever the machine's load.
    for (std::size_t n = 0; n < starts.size(); ++n)
        QVERIFY2(starts[n] >= qint64(n) * 25'000 - 1000,
            qPrintable(u"start %1 at %2 us"_s.arg(n).arg(starts[n])));
    QVERIFY(run.elapsedUs() >= 11 * 25'000);
}

void TestLoadRun::durationStopsStarting()
{
    LoadPlan p = plan({ chat() }, 0, 4);
    p.durationMs = 300;
    LoadRun run(&m_network, p);
    runToEnd(run);
    QVERIFY(run.stats().started > 0);
    QCOMPARE(run.stats().finished, run.stats().started);
    for (const LoadRecord &r : run.records())
        QVERIFY(r.startUs < 300'000 + 50'000);
}

void TestLoadRun::cancelLeavesAConsistentPartialResult()
{
    // Streams that stall never end by themselves: only cancel ends this run.
    LoadPlan p = plan({ chat(), chat("demo/chat", { { "x-gatescope-fault", "stall" } }) }, 1000, 8);
    LoadRun run(&m_network, p);
    QSignalSpy finished(&run, &LoadRun::finished);
    run.start();
    // Every slot ends up held by a stalled stream.
    QTRY_VERIFY_WITH_TIMEOUT(run.stats().finished >= 4 && run.inFlight() == 8, 30'000);
    run.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
    const LoadStats &s = run.stats();
    QVERIFY(run.wasCanceled());
    QCOMPARE(run.inFlight(), 0);
    QCOMPARE(s.finished, s.started);
    QCOMPARE(qint64(run.records().size()), s.finished);
    QVERIFY(s.canceled >= 1);
    QCOMPARE(s.all.count + s.canceled, s.finished);
    QCOMPARE(s.outcomes.at(LoadOutcome::Canceled), s.canceled);
    QVERIFY(s.started < 1000);
    // Nothing starts after the end.
    const qint64 started = s.started;
    QTest::qWait(50);
    QCOMPARE(run.stats().started, started);
    QVERIFY(runWarnings(s).join(u' ').contains(u"canceled"_s));
}

void TestLoadRun::faultsAreCountedByClass()
{
    const QList<WireRequest> requests {
        chat(),
        chat("demo/chat", { { "x-gatescope-fault", "reset" } }),
        chat("demo/chat", { { "x-gatescope-fault", "unavailable" } }),
        chat("demo/chat", { { "x-gatescope-fault", "stall" } }),
        chat("demo/chat", { { "x-gatescope-fault", "truncated-chunked" } }),
    };
    LoadPlan p = plan(requests, 20, 5);
    // A stall becomes a timeout; the others answer well within it even on a busy machine.
    p.exchange.idleTimeoutMs = 3000;
    LoadRun run(&m_network, p);
    runToEnd(run);
    const LoadStats &s = run.stats();
    QCOMPARE(s.all.count, 20);
    QCOMPARE(s.outcomes.at(LoadOutcome::Ok), 4);
    QCOMPARE(s.outcomes.at(LoadOutcome::HttpError), 4);
    QCOMPARE(s.statuses.at(503), 4);
    QCOMPARE(s.outcomes.at(LoadOutcome::Timeout), 4);
    // A reset and a cut chunk both end a stream early; how Qt reports each varies, but
    // neither is ever a success, and together they are eight.
    qint64 broken = 0;
    for (const auto &[outcome, n] : s.outcomes)
        if (outcome != LoadOutcome::Ok && outcome != LoadOutcome::HttpError
            && outcome != LoadOutcome::Timeout)
            broken += n;
    QCOMPARE(broken, 8);
    QCOMPARE(s.all.failures, 16);
    QCOMPARE(s.errorRate(), 0.8);
    for (const LoadRecord &r : run.records()) {
        if (r.request == 0)
            QCOMPARE(r.outcome, LoadOutcome::Ok);
        else
            QVERIFY(r.outcome != LoadOutcome::Ok);
    }
}

void TestLoadRun::groupsByAJsonPath()
{
    LoadPlan p = plan({ chat(), chat("openai-main/gpt-4o", {}, false) }, 20, 4);
    p.groupBy = *GroupBy::parse(u"json:$.model"_s);
    LoadRun run(&m_network, p);
    runToEnd(run);
    QStringList names;
    for (const LoadGroupStats &g : run.stats().groups)
        if (g.count > 0)
            names << g.name;
    // The body's model: the provider's name without the account, streamed or not.
    QVERIFY2(names.contains(u"gpt-4o"_s), qPrintable(names.join(u", "_s)));
    QVERIFY(!names.contains(LoadRun::kNoGroup));
    QVERIFY(std::ranges::all_of(names, [](const QString &n) { return !n.contains(u'/'); }));
}

void TestLoadRun::splitOfTheDemoWeights()
{
    // demo/chat routes 70/30 by weight, drawn anew for each request.
    LoadRun run(&m_network, plan({ chat() }, 600, 16));
    runToEnd(run);
    const QList<std::pair<QString, double>> expected { { u"openai-main/gpt-4o-mini"_s, 70 },
        { u"anthropic-main/claude-sonnet-4"_s, 30 } };
    const LoadCheckResult within = evaluateSplit(expected, run.stats(), 6);
    QVERIFY2(within.passed, qPrintable(within.actual));
    // The opposite expectation fails, by either test.
    const QList<std::pair<QString, double>> wrong { { u"openai-main/gpt-4o-mini"_s, 30 },
        { u"anthropic-main/claude-sonnet-4"_s, 70 } };
    QVERIFY(!evaluateSplit(wrong, run.stats()).passed);
    QVERIFY(!evaluateSplit(wrong, run.stats(), 6).passed);
    QVERIFY(runWarnings(run.stats()).isEmpty());
}

void TestLoadRun::reportsAsJsonAndCsv()
{
    LoadRun run(&m_network, plan({ chat() }, 30, 4));
    runToEnd(run);
    const auto expectation = LoadExpectation::parse(u"p99(ttft) < 10s"_s);
    QVERIFY(expectation);
    const QList<LoadCheckResult> checks { evaluate(*expectation, run.stats(), run.elapsedUs()) };
    QVERIFY(checks.first().passed);
    const QJsonObject json = loadRunJson(run, checks);
    QCOMPARE(json.value("finished"_L1).toInteger(), 30);
    QCOMPARE(json.value("statuses"_L1).toObject().value("200"_L1).toInteger(), 30);
    QCOMPARE(
        json.value("all"_L1).toObject().value("ttftMs"_L1).toObject().value("count"_L1).toInteger(),
        30);
    QVERIFY(json.value("all"_L1).toObject().value("ttftMs"_L1).toObject().value("p99"_L1).toDouble()
        > 0);
    QCOMPARE(json.value("checks"_L1).toArray().size(), 1);
    QVERIFY(json.value("passed"_L1).toBool());

    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QVERIFY(writeLoadCsv(csv, run));
    const QList<QByteArray> lines = csv.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 31);
    QCOMPARE(lines.first().trimmed(), loadCsvColumns().join(u',').toUtf8());
    const QList<QByteArray> first = lines[1].trimmed().split(',');
    QCOMPARE(first.size(), loadCsvColumns().size());
    QCOMPARE(first[3], "200");
    QCOMPARE(first[4], "ok");
}

void TestLoadRun::archivedInTheHistory()
{
    // A run with failures, two groups and a secret in a request header.
    HttpHeaders extra { { "x-api-key", "sk-canary-archive-1234567890" } };
    LoadRun run(&m_network,
        plan({ chat("demo/chat", extra),
                 chat("openai-main/gpt-4o", { { "x-gatescope-fault", "unavailable" } }, false) },
            80, 8));
    runToEnd(run);
    QVERIFY(run.stats().all.failures > 0);
    const auto expectation = LoadExpectation::parse(u"error_rate < 1%"_s);
    QVERIFY(expectation);
    const LoadArchive archive = archiveOf(
        run, { evaluate(*expectation, run.stats(), run.elapsedUs()) }, { u"sk-canary-archive"_s });
    const QByteArray bytes = writeLoadArchive(archive);
    QVERIFY(!bytes.contains("sk-canary-archive"));
    QVERIFY(!bytes.contains(gs::demo::kDemoToken.toByteArray()));

    QTemporaryDir dir;
    auto history = History::open(dir.filePath(u"history.sqlite"_s));
    QVERIFY(history);
    const QDateTime at = QDateTime::currentDateTimeUtc();
    const auto id = (*history)->record(loadRunHistoryEntry(archive, at));
    QVERIFY(id);
    const auto entry = (*history)->entry(*id);
    QVERIFY(entry);
    QCOMPARE(entry->method, kLoadRunMethod);
    QVERIFY2(entry->error.startsWith(u"80 requests, "_s), qPrintable(entry->error));
    const auto back = readLoadArchive(entry->body);
    QVERIFY2(back, back ? "" : qPrintable(back.error().message));
    QCOMPARE(back->records.size(), size_t(80));
    for (size_t i = 0; i < back->records.size(); ++i) {
        const LoadRecord &a = run.records()[i];
        const LoadRecord &b = back->records[i];
        QCOMPARE(b.startUs, a.startUs);
        QCOMPARE(b.totalUs, a.totalUs);
        QCOMPARE(b.ttftUs, a.ttftUs);
        QCOMPARE(b.sentUs, a.sentUs);
        QCOMPARE(b.status, a.status);
        QCOMPARE(b.outcome, a.outcome);
        QCOMPARE(b.group, a.group);
    }
    // The statistics rebuilt from the records are the run's.
    const LoadStats stats = back->stats();
    QCOMPARE(stats.all.count, run.stats().all.count);
    QCOMPARE(stats.all.failures, run.stats().all.failures);
    QCOMPARE(stats.all.total.valueAt(99), run.stats().all.total.valueAt(99));
    QCOMPARE(stats.groups.size(), run.stats().groups.size());
    for (size_t g = 0; g < stats.groups.size(); ++g) {
        QCOMPARE(stats.groups[g].name, run.stats().groups[g].name);
        QCOMPARE(stats.groups[g].count, run.stats().groups[g].count);
    }
    QCOMPARE(back->report.value("checks"_L1).toArray().size(), 1);
    QCOMPARE(back->requests.size(), 2);
    QCOMPARE(back->requestNames, run.plan().names);

    // One exchange of it, for the inspector: what the record knows, nothing more.
    const HistoryEntry one = loadRecordEntry(*back, 0, at);
    QCOMPARE(one.status, int(run.records()[0].status));
    QCOMPARE(one.method, u"POST"_s);
    QVERIFY(one.requestText.contains(u"/chat/completions"_s));
    QVERIFY(!one.requestText.contains(u"sk-canary-archive"_s));
    QCOMPARE(timelineFromJson(one.timeline).finished, run.records()[0].totalUs);

    // Anything else is refused, not misread.
    QVERIFY(!readLoadArchive("GSLOAD1\nxx"));
    QVERIFY(!readLoadArchive(bytes.first(bytes.size() - 20)));
    QVERIFY(!readLoadArchive("{}"));
}

void TestLoadRun::planProblems()
{
    LoadPlan p;
    QVERIFY(!p.problem().isEmpty());
    p.requests << chat();
    QVERIFY(p.problem().contains(u"either"_s));
    p.count = 1;
    QVERIFY(p.problem().isEmpty());
    p.durationMs = 10;
    QVERIFY(!p.problem().isEmpty());
    p.durationMs = 0;
    p.concurrency = 0;
    QVERIFY(!p.problem().isEmpty());
    // A plan that cannot run finishes at once, having sent nothing.
    LoadRun run(&m_network, p);
    runToEnd(run);
    QCOMPARE(run.stats().started, 0);
}

QTEST_GUILESS_MAIN(TestLoadRun)
#include "tst_loadrun.moc"
