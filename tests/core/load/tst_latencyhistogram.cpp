#include "core/load/latencyhistogram.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace gs::core;

// The load run's latency distribution: percentiles checked against the exact ones of
// the same values, sorted, never more than 1/128 above and never below.
class TestLatencyHistogram final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsZero();
    void smallValuesAreExact();
    void percentilesWithinTheirPrecision();
    void mergedIsAsIfRecordedTogether();
    void outOfRangeValuesAreClamped();
};

void TestLatencyHistogram::emptyIsZero()
{
    const LatencyHistogram h;
    QCOMPARE(h.count(), 0);
    QCOMPARE(h.valueAt(99), 0);
    QCOMPARE(h.max(), 0);
    QCOMPARE(h.mean(), 0.0);
}

void TestLatencyHistogram::smallValuesAreExact()
{
    LatencyHistogram h;
    for (qint64 v = 1; v <= 200; ++v)
        h.record(v);
    QCOMPARE(h.valueAt(50), 100);
    QCOMPARE(h.valueAt(99), 198);
    QCOMPARE(h.valueAt(100), 200);
    QCOMPARE(h.valueAt(0), 1);
    QCOMPARE(h.min(), 1);
    QCOMPARE(h.mean(), 100.5);
}

void TestLatencyHistogram::percentilesWithinTheirPrecision()
{
    // A long-tailed spread, as latencies have: from microseconds to minutes.
    QRandomGenerator random(42);
    std::vector<qint64> values;
    LatencyHistogram h;
    for (int i = 0; i < 200000; ++i) {
        const qint64 v = qint64(std::exp(random.generateDouble() * 18.0));
        values.push_back(v);
        h.record(v);
    }
    std::ranges::sort(values);
    QCOMPARE(h.count(), qint64(values.size()));
    QCOMPARE(h.max(), values.back());
    QCOMPARE(h.min(), values.front());
    for (const double p : { 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 99.99 }) {
        const auto rank = size_t(std::ceil(p / 100.0 * double(values.size())));
        const qint64 exact = values[rank - 1];
        const qint64 got = h.valueAt(p);
        QVERIFY2(got >= exact && double(got - exact) <= double(exact) / 128.0,
            qPrintable(QStringLiteral("p%1: %2, exactly %3").arg(p).arg(got).arg(exact)));
    }
}

void TestLatencyHistogram::mergedIsAsIfRecordedTogether()
{
    LatencyHistogram a;
    LatencyHistogram b;
    LatencyHistogram both;
    QRandomGenerator random(7);
    for (int i = 0; i < 5000; ++i) {
        const qint64 v = random.bounded(1, 5'000'000);
        (i % 3 ? a : b).record(v);
        both.record(v);
    }
    a.merge(b);
    QCOMPARE(a.count(), both.count());
    QCOMPARE(a.min(), both.min());
    QCOMPARE(a.max(), both.max());
    QCOMPARE(a.mean(), both.mean());
    for (const double p : { 50.0, 90.0, 99.0, 99.9 })
        QCOMPARE(a.valueAt(p), both.valueAt(p));
}

void TestLatencyHistogram::outOfRangeValuesAreClamped()
{
    LatencyHistogram h;
    h.record(-5);
    h.record(LatencyHistogram::kMaxValue * 4);
    QCOMPARE(h.min(), 0);
    QCOMPARE(h.max(), LatencyHistogram::kMaxValue);
    QCOMPARE(h.valueAt(100), LatencyHistogram::kMaxValue);
}

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
