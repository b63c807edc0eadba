#include "core/load/splitcheck.h"

#include <QTest>

#include <cmath>

using namespace gs::core;
using namespace Qt::StringLiterals;

// The routing split's test: the chi-square tail against closed forms (one and two
// degrees of freedom) and table values, Wilson's interval against a published one.
class TestSplitCheck final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tailMatchesClosedForms();
    void tailMatchesTables();
    void wilsonInterval();
    void aSplitThatHoldsPasses();
    void aSplitThatDoesNotFails();
    void anUnexpectedGroupAndTooFewSamplesAreSaid();
};

void TestSplitCheck::tailMatchesClosedForms()
{
    for (const double x : { 0.01, 0.5, 1.0, 3.0, 11.904761904761905, 40.0 }) {
        QVERIFY(std::abs(chiSquareUpperTail(x, 1) - std::erfc(std::sqrt(x / 2))) < 1e-12);
        QVERIFY(std::abs(chiSquareUpperTail(x, 2) - std::exp(-x / 2)) < 1e-12);
    }
}

void TestSplitCheck::tailMatchesTables()
{
    // Critical values at 5 % and 0.1 %.
    QVERIFY(std::abs(chiSquareUpperTail(3.841458820694124, 1) - 0.05) < 1e-9);
    QVERIFY(std::abs(chiSquareUpperTail(5.991464547107979, 2) - 0.05) < 1e-9);
    QVERIFY(std::abs(chiSquareUpperTail(18.307038053275146, 10) - 0.05) < 1e-9);
    QVERIFY(std::abs(chiSquareUpperTail(29.58829844507442, 10) - 0.001) < 1e-9);
    QCOMPARE(chiSquareUpperTail(0, 3), 1.0);
}

void TestSplitCheck::wilsonInterval()
{
    const auto [low, high] = gs::core::wilsonInterval(70, 100);
    QVERIFY(std::abs(low - 0.6042) < 1e-4 && std::abs(high - 0.7811) < 1e-4);
    QCOMPARE(gs::core::wilsonInterval(0, 10).first, 0.0);
}

void TestSplitCheck::aSplitThatHoldsPasses()
{
    const SplitCheck c
        = checkSplit({ { u"a"_s, 70 }, { u"b"_s, 30 } }, { { u"b"_s, 290 }, { u"a"_s, 710 } });
    QCOMPARE(c.total, 1000);
    QCOMPARE(c.groups.size(), 2);
    QCOMPARE(c.groups[0].name, u"a"_s);
    QCOMPARE(c.groups[0].observed, 710);
    QCOMPARE(c.degrees, 1);
    QVERIFY(c.pValue > 0.05);
    QVERIFY(c.passed);
    QVERIFY(c.warnings.isEmpty());
}

void TestSplitCheck::aSplitThatDoesNotFails()
{
    const SplitCheck c = checkSplit({ { u"a"_s, 7 }, { u"b"_s, 3 } }, // normalised to 70/30
        { { u"a"_s, 650 }, { u"b"_s, 350 } });
    QVERIFY(std::abs(c.statistic - 11.904761904761905) < 1e-9);
    QVERIFY(std::abs(c.pValue - std::erfc(std::sqrt(c.statistic / 2))) < 1e-12);
    QVERIFY(!c.passed);
    QCOMPARE(c.groups[0].expectedPercent, 70.0);
}

void TestSplitCheck::anUnexpectedGroupAndTooFewSamplesAreSaid()
{
    const SplitCheck c
        = checkSplit({ { u"a"_s, 90 }, { u"b"_s, 10 } }, { { u"a"_s, 18 }, { u"c"_s, 2 } });
    QCOMPARE(c.groups.size(), 3);
    QCOMPARE(c.groups[2].name, u"c"_s);
    QVERIFY(!c.passed);
    QVERIFY(c.warnings.join(u'\n').contains(u"c answered 2 requests"_s));
    QVERIFY(c.warnings.join(u'\n').contains(u"Too few answers"_s));
}

QTEST_GUILESS_MAIN(TestSplitCheck)
#include "tst_splitcheck.moc"
