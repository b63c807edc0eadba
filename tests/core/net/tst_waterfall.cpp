#include "core/net/waterfall.h"

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

QTEST_GUILESS_MAIN(TestWaterfall)
#include "tst_waterfall.moc"
