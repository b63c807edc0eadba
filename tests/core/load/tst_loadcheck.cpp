#include "core/load/loadcheck.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gs::core;

// The load run's checks as the user writes them, and their verdicts on known numbers.
class TestLoadCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesLatencyChecks_data();
    void parsesLatencyChecks();
    void parsesRates();
    void refusesWhatItCannotCheck_data();
    void refusesWhatItCannotCheck();
    void evaluatesAgainstKnownValues();
    void warnsAboutTooFewSamples();
    void groupChecks();
    void parsesSplits();
    void splitWithTolerance();
    void groupBySpecs();
    void runWarnings();

private:
    static LoadRecord ok(qint64 totalMs, qint64 ttftMs, quint32 group = 0)
    {
        LoadRecord r;
        r.status = 200;
        r.totalUs = totalMs * 1000;
        r.ttftUs = ttftMs * 1000;
        r.group = group;
        return r;
    }
};

void TestLoadCheck::parsesLatencyChecks_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("percentile");
    QTest::addColumn<int>("op");
    QTest::addColumn<double>("boundUs");
    QTest::addColumn<QString>("group");
    using E = LoadExpectation;
    QTest::newRow("p99 ttft ms") << u"p99(ttft) < 800ms"_s << int(E::Metric::Ttft) << 99.0
                                 << int(E::Op::Less) << 800'000.0 << QString();
    QTest::newRow("p99.9 seconds") << u"p99.9(total) <= 2s"_s << int(E::Metric::Total) << 99.9
                                   << int(E::Op::LessOrEqual) << 2e6 << QString();
    QTest::newRow("latency alias, no unit")
        << u"p50( latency )>=10"_s << int(E::Metric::Total) << 50.0 << int(E::Op::GreaterOrEqual)
        << 10'000.0 << QString();
    QTest::newRow("max gap us") << u"MAX(gap) > 250us"_s << int(E::Metric::Gap) << 100.0
                                << int(E::Op::Greater) << 250.0 << QString();
    QTest::newRow("mean") << u"mean(ttft) < .5s"_s << int(E::Metric::Ttft) << E::kMean
                          << int(E::Op::Less) << 500'000.0 << QString();
    QTest::newRow("per group") << u"p90(ttft, openai-main/gpt-4o) < 300ms"_s << int(E::Metric::Ttft)
                               << 90.0 << int(E::Op::Less) << 300'000.0 << u"openai-main/gpt-4o"_s;
}

void TestLoadCheck::parsesLatencyChecks()
{
    QFETCH(QString, text);
    const auto e = LoadExpectation::parse(text);
    QVERIFY2(e, qPrintable(e ? QString() : e.error().message));
    QFETCH(int, metric);
    QCOMPARE(int(e->metric), metric);
    QFETCH(double, percentile);
    QFETCH(int, op);
    QFETCH(double, boundUs);
    QFETCH(QString, group);
    QCOMPARE(e->percentile, percentile);
    QCOMPARE(int(e->op), op);
    QCOMPARE(e->bound, boundUs);
    QCOMPARE(e->group, group);
}

void TestLoadCheck::parsesRates()
{
    auto e = LoadExpectation::parse(u"error_rate < 1%"_s);
    QVERIFY(e);
    QCOMPARE(e->metric, LoadExpectation::Metric::ErrorRate);
    QCOMPARE(e->bound, 0.01);
    e = LoadExpectation::parse(u"fallback_rate <= 0.05"_s);
    QVERIFY(e);
    QCOMPARE(e->metric, LoadExpectation::Metric::FallbackRate);
    QCOMPARE(e->bound, 0.05);
    e = LoadExpectation::parse(u"rps >= 50"_s);
    QVERIFY(e);
    QCOMPARE(e->metric, LoadExpectation::Metric::RequestsPerSecond);
    QCOMPARE(e->op, LoadExpectation::Op::GreaterOrEqual);
    QCOMPARE(e->bound, 50.0);
}

void TestLoadCheck::refusesWhatItCannotCheck_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("unknown metric") << u"p99(tokens) < 3"_s;
    QTest::newRow("no operator") << u"p99(ttft) 800ms"_s;
    QTest::newRow("percentile past 100") << u"p101(ttft) < 1s"_s;
    QTest::newRow("rate above 100%") << u"error_rate < 150%"_s;
    QTest::newRow("rps in percent") << u"rps > 5%"_s;
    QTest::newRow("unknown unit") << u"p50(ttft) < 3 minutes"_s;
    QTest::newRow("trailing text") << u"p50(ttft) < 3ms and more"_s;
}

void TestLoadCheck::refusesWhatItCannotCheck()
{
    QFETCH(QString, text);
    const auto e = LoadExpectation::parse(text);
    QVERIFY(!e);
    QVERIFY(e.error().message.contains(u"--expect"_s));
}

void TestLoadCheck::evaluatesAgainstKnownValues()
{
    LoadStats s;
    // TTFT 1..100 ms, total twice that; two failures.
    for (qint64 i = 1; i <= 100; ++i)
        s.all.add(ok(2 * i, i));
    LoadRecord failed;
    failed.status = 503;
    failed.outcome = LoadOutcome::HttpError;
    s.all.add(failed);
    s.all.add(failed);
    const auto check = [&s](const QString &text) {
        return evaluate(*LoadExpectation::parse(text), s, 2'000'000);
    };
    // Percentiles are exact to within 1/128 above (the histogram's steps); min and max
    // are exact.
    QVERIFY(check(u"p50(ttft) <= 50.4ms"_s).passed);
    QVERIFY(!check(u"p50(ttft) < 50ms"_s).passed);
    QVERIFY(check(u"max(ttft) <= 100ms"_s).passed);
    QVERIFY(!check(u"max(ttft) < 100ms"_s).passed);
    QVERIFY(check(u"min(total) >= 2ms"_s).passed);
    QVERIFY(check(u"mean(ttft) < 51ms"_s).passed);
    QVERIFY(!check(u"mean(ttft) < 50ms"_s).passed);
    QVERIFY(check(u"p99(total) < 199.6ms"_s).passed);
    QVERIFY(check(u"p99(total) >= 198ms"_s).passed);
    // 2 of 102 failed.
    QVERIFY(check(u"error_rate < 2%"_s).passed);
    QVERIFY(!check(u"error_rate < 1.9%"_s).passed);
    QCOMPARE(check(u"error_rate < 2%"_s).actual, u"1.96% (2 of 102)"_s);
    // 102 in 2 s.
    QVERIFY(check(u"rps >= 51"_s).passed);
    QVERIFY(!check(u"rps > 51"_s).passed);
    // No token gaps were recorded: a check on them cannot pass.
    const LoadCheckResult gap = check(u"max(gap) < 1s"_s);
    QVERIFY(!gap.passed);
    QVERIFY(gap.actual.contains(u"no streamed tokens"_s));
}

void TestLoadCheck::warnsAboutTooFewSamples()
{
    LoadStats s;
    for (qint64 i = 1; i <= 50; ++i)
        s.all.add(ok(i, i));
    const LoadCheckResult r = evaluate(*LoadExpectation::parse(u"p99.9(ttft) < 1s"_s), s, 1);
    QVERIFY(r.passed);
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY2(r.warnings.first().contains(u"at least 1000"_s), qPrintable(r.warnings.first()));
    QVERIFY(evaluate(*LoadExpectation::parse(u"p50(ttft) < 1s"_s), s, 1).warnings.isEmpty());
}

void TestLoadCheck::groupChecks()
{
    LoadStats s;
    LoadGroupStats fast;
    fast.name = u"fast"_s;
    LoadGroupStats slow;
    slow.name = u"slow"_s;
    for (int i = 0; i < 10; ++i) {
        fast.add(ok(10, 5));
        slow.add(ok(1000, 500));
    }
    s.groups = { fast, slow };
    QVERIFY(evaluate(*LoadExpectation::parse(u"p99(ttft, fast) < 10ms"_s), s, 1).passed);
    QVERIFY(!evaluate(*LoadExpectation::parse(u"p99(ttft, slow) < 10ms"_s), s, 1).passed);
    const LoadCheckResult missing
        = evaluate(*LoadExpectation::parse(u"p99(ttft, other) < 10ms"_s), s, 1);
    QVERIFY(!missing.passed);
    QVERIFY(missing.actual.contains(u"other"_s));
}

void TestLoadCheck::parsesSplits()
{
    const auto split
        = parseSplit(u"openai-main/gpt-4o-mini=70, anthropic-main/claude-sonnet-4=30%"_s);
    QVERIFY(split);
    QCOMPARE(split->size(), 2);
    QCOMPARE(split->at(0).first, u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(split->at(1).second, 30.0);
    // A name with '=' keeps it: the last one separates.
    QCOMPARE(parseSplit(u"a=b=1"_s)->first().first, u"a=b"_s);
    for (const QString &bad :
        { u""_s, u"a"_s, u"=70"_s, u"a=x"_s, u"a=-1"_s, u"a=0,b=0"_s, u"a=1,a=2"_s }) {
        QVERIFY2(!parseSplit(bad), qPrintable(bad));
    }
}

void TestLoadCheck::splitWithTolerance()
{
    LoadStats s;
    LoadGroupStats a;
    a.name = u"a"_s;
    a.ok = 7300;
    LoadGroupStats b;
    b.name = u"b"_s;
    b.ok = 2700;
    s.groups = { a, b };
    const QList<std::pair<QString, double>> expected { { u"a"_s, 70 }, { u"b"_s, 30 } };
    // 10,000 answers: the chi-square test rejects three points off...
    const LoadCheckResult strict = evaluateSplit(expected, s);
    QVERIFY(!strict.passed);
    QVERIFY(strict.actual.contains(u"73.0%"_s));
    // ...which five points of tolerance accept, and two do not.
    QVERIFY(evaluateSplit(expected, s, 5).passed);
    QVERIFY(!evaluateSplit(expected, s, 2).passed);
    // An unexpected group with a share past the tolerance fails it.
    LoadGroupStats c;
    c.name = u"c"_s;
    c.ok = 1000;
    s.groups.push_back(c);
    QVERIFY(!evaluateSplit(expected, s, 5).passed);
    // No answer: nothing to pass.
    QVERIFY(!evaluateSplit(expected, LoadStats {}, 5).passed);
}

void TestLoadCheck::groupBySpecs()
{
    auto g = GroupBy::parse(u"header:X-Tfy-Resolved-Model"_s);
    QVERIFY(g);
    QCOMPARE(g->source, GroupBy::Source::Header);
    QCOMPARE(g->header, "x-tfy-resolved-model");
    QCOMPARE(g->text(), u"header:x-tfy-resolved-model"_s);
    g = GroupBy::parse(u"x-request-region"_s);
    QVERIFY(g);
    QCOMPARE(g->header, "x-request-region");
    g = GroupBy::parse(u"json:$.choices[0].finish_reason"_s);
    QVERIFY(g);
    QCOMPARE(g->source, GroupBy::Source::Json);
    QCOMPARE(g->path, u"$.choices[0].finish_reason"_s);
    QVERIFY(!GroupBy::parse(u"json:"_s));
    QVERIFY(!GroupBy::parse(u"header:"_s));
    QVERIFY(!GroupBy::parse(u"header:bad name"_s));
    QVERIFY(!GroupBy::parse(u"json:$.[["_s));
}

void TestLoadCheck::runWarnings()
{
    LoadStats s;
    QVERIFY(gs::core::runWarnings(s).isEmpty());
    for (int i = 0; i < 10; ++i)
        s.all.add(ok(1, 1));
    s.latencyRouted = 3;
    s.stickyRouted = 2;
    s.unhealthyTargets << u"openai-shaky/gpt-4o-mini"_s;
    const QString text = gs::core::runWarnings(s).join(u'\n');
    QVERIFY(text.contains(u"Only 10 successful answers"_s));
    QVERIFY(text.contains(u"routed by latency"_s));
    QVERIFY(text.contains(u"sticky routing"_s));
    QVERIFY(text.contains(u"openai-shaky/gpt-4o-mini unhealthy"_s));
}

QTEST_GUILESS_MAIN(TestLoadCheck)
#include "tst_loadcheck.moc"
