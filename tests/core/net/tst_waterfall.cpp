#include "core/net/waterfall.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestWaterfall final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void phasesAndServerStages();
    void reusedConnectionIsNotAMeasuredZero();
    void serverLongerThanTheWaitIsFlagged();
    void nothingHappenedYet();
    void attemptsAreDrawnInsideTheWait();
    void attemptsAreFoundInAppliedConfigurations();
};

namespace {

Timeline fresh()
{
    Timeline t;
    t.connecting = 1'000;
    t.encrypted = 6'000;
    t.requestSent = 7'000;
    t.headers = 57'000;
    t.firstByte = 57'500;
    t.firstEvent = 57'600;
    t.firstToken = 58'000;
    t.finished = 90'000;
    t.tokenTimes = { 58'000, 60'000, 62'000 };
    t.bytes = 1234;
    t.events = 5;
    return t;
}

} // namespace

void TestWaterfall::phasesAndServerStages()
{
    const Waterfall w = Waterfall::build(
        fresh(), parseServerTiming("auth;dur=2, model_call;dur=40;desc=\"m\", total;dur=45"));
    QStringList labels;
    for (const WaterfallBar &b : w.bars)
        labels << b.label;
    QCOMPARE(labels,
        (QStringList { u"connect"_s, u"tls"_s, u"waiting"_s, u"auth"_s, u"model_call"_s, u"total"_s,
            u"first token"_s, u"body"_s }));
    QCOMPARE(w.bars[0].startMs, 1.0);
    QCOMPARE(w.bars[0].durationMs, 5.0);
    QCOMPARE(w.bars[2].durationMs, 50.0);
    // Server stages start at "request sent", one after another; total is the envelope.
    QCOMPARE(w.bars[3].startMs, 7.0);
    QCOMPARE(w.bars[4].startMs, 9.0);
    QCOMPARE(w.bars[4].description, u"m"_s);
    QCOMPARE(w.bars[5].startMs, 7.0);
    QVERIFY(w.bars[5].envelope);
    for (qsizetype i = 3; i <= 5; ++i)
        QVERIFY(w.bars[i].inferred);
    QVERIFY(!w.bars[2].inferred);
    QVERIFY(!w.serverExceedsWait);
    QCOMPARE(w.tokenTicksMs, (QList<double> { 58.0, 60.0, 62.0 }));
    QCOMPARE(w.endMs, 90.0);
}

void TestWaterfall::reusedConnectionIsNotAMeasuredZero()
{
    Timeline t = fresh();
    t.connecting = -1;
    t.encrypted = -1;
    t.connectionReused = true;
    const Waterfall w = Waterfall::build(t, {});
    QCOMPARE(w.bars.first().kind, WaterfallBar::Kind::Connect);
    QVERIFY(!w.bars.first().measured);
    QVERIFY(w.bars.first().description.contains(u"reused"_s));
    QVERIFY(std::ranges::none_of(
        w.bars, [](const WaterfallBar &b) { return b.kind == WaterfallBar::Kind::Tls; }));
}

void TestWaterfall::serverLongerThanTheWaitIsFlagged()
{
    const Waterfall w = Waterfall::build(fresh(), parseServerTiming("model_call;dur=80"));
    QVERIFY(w.serverExceedsWait);
    QCOMPARE(w.endMs, 90.0);
    const Waterfall longer = Waterfall::build(fresh(), parseServerTiming("model_call;dur=200"));
    QCOMPARE(longer.endMs, 207.0);
}

void TestWaterfall::nothingHappenedYet()
{
    const Waterfall w = Waterfall::build(Timeline {}, parseServerTiming("a;dur=1"));
    QVERIFY(w.bars.isEmpty());
    QCOMPARE(w.endMs, 0.0);
}

// A request that fell back after retries: each attempt in order, each retry's delay
// before it, from the moment the request was sent, failed ones marked.
void TestWaterfall::attemptsAreDrawnInsideTheWait()
{
    const QList<GatewayAttempt> attempts { { u"openai-down/gpt-4o"_s, 503, 5, 0 },
        { u"openai-down/gpt-4o"_s, 503, 5, 100 }, { u"openai-main/gpt-4o-mini"_s, 200, 40, 0 } };
    const Waterfall w = Waterfall::build(fresh(), {}, attempts);
    QStringList labels;
    for (const WaterfallBar &b : w.bars)
        labels << b.label;
    QCOMPARE(labels,
        (QStringList { u"connect"_s, u"tls"_s, u"waiting"_s, u"attempt 1 · 503"_s, u"retry delay"_s,
            u"attempt 2 · 503"_s, u"attempt 3 · 200"_s, u"first token"_s, u"body"_s }));
    QCOMPARE(w.bars[3].startMs, 7.0);
    QCOMPARE(w.bars[4].startMs, 12.0);
    QCOMPARE(w.bars[4].kind, WaterfallBar::Kind::RetryDelay);
    QCOMPARE(w.bars[5].startMs, 112.0);
    QCOMPARE(w.bars[6].startMs, 117.0);
    QCOMPARE(w.bars[6].durationMs, 40.0);
    QVERIFY(w.bars[3].failed && w.bars[5].failed && !w.bars[6].failed);
    QVERIFY(w.bars[6].description.startsWith(u"fallback: openai-main/gpt-4o-mini"_s));
    for (qsizetype i = 3; i <= 6; ++i)
        QVERIFY(w.bars[i].inferred && Waterfall::isGatewaySide(w.bars[i].kind));
    // 157 ms of attempts in a 50 ms wait cannot be placed right, and says so.
    QVERIFY(w.serverExceedsWait);
    // One attempt is the wait itself: no rows of its own.
    QCOMPARE(Waterfall::build(fresh(), {}, { attempts.last() }).bars.size(), 5);
}

void TestWaterfall::attemptsAreFoundInAppliedConfigurations()
{
    // The demo gateway's explanatory shape.
    const QByteArray demo = R"({"fallback":{"triggered":true},"retries":{"max_retries":2,
        "attempts":[{"model":"a/x","status":503,"duration_ms":5,"delay_before_ms":0},
                    {"model":"b/y","status":200,"duration_ms":40,"delay_before_ms":100}]}})";
    GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(
        { { "x-tfy-applied-configurations", QByteArray(demo).replace('\n', ' ') } });
    QCOMPARE(info.attempts.size(), 2);
    QCOMPARE(info.attempts[1].target, u"b/y"_s);
    QCOMPARE(info.attempts[1].status, 200);
    QCOMPARE(info.attempts[1].durationMs, 40.0);
    QCOMPARE(info.attempts[1].delayBeforeMs, 100.0);
    // Other spellings, deeper down.
    const QByteArray calls
        = R"({"routing":{"calls":[{"target":"t","statusCode":429,"durationMs":7,"delayMs":3}]}})";
    const QList<GatewayAttempt> camel = attemptsIn(QJsonDocument::fromJson(calls).object());
    QCOMPARE(camel.size(), 1);
    QCOMPARE(camel[0].target, u"t"_s);
    QCOMPARE(camel[0].status, 429);
    QCOMPARE(camel[0].delayBeforeMs, 3.0);
    // Rule ids and targets without a status and a duration are not attempts.
    const QByteArray rules
        = R"({"load_balancing":{"targets":[{"target":"a","weight":70}]},"rate_limiting":["rl"]})";
    QVERIFY(attemptsIn(QJsonDocument::fromJson(rules).object()).isEmpty());
}

QTEST_GUILESS_MAIN(TestWaterfall)
#include "tst_waterfall.moc"
