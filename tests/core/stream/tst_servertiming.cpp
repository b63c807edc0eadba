#include "core/stream/servertiming.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

using Metrics = QList<ServerTimingMetric>;
Q_DECLARE_METATYPE(Metrics)

class TestServerTiming final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void neverCrashesOnGarbage();
    void placement_data();
    void placement();
};

namespace {
ServerTimingMetric m(const char *name, double dur = 0, const char *desc = "")
{
    return { QString::fromUtf8(name), dur, QString::fromUtf8(desc) };
}
} // namespace

void TestServerTiming::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<Metrics>("expected");

    // The specification's own examples.
    QTest::newRow("spec: miss, db, app")
        << "miss, db;dur=53, app;dur=47.2"_ba << Metrics { m("miss"), m("db", 53), m("app", 47.2) };
    QTest::newRow("spec: dc desc token")
        << "customView, dc;desc=atl"_ba << Metrics { m("customView"), m("dc", 0, "atl") };
    QTest::newRow("spec: quoted desc")
        << "cache;desc=\"Cache Read\";dur=23.2"_ba << Metrics { m("cache", 23.2, "Cache Read") };
    QTest::newRow("spec: space before dur") << "edge; dur=33"_ba << Metrics { m("edge", 33) };
    QTest::newRow("gateway doc row")
        << "authentication;dur=0.9"_ba << Metrics { m("authentication", 0.9) };

    // The web-platform-tests parsing cases (server-timing/resources/parsing).
    QTest::newRow("wpt 0 empty") << ""_ba << Metrics {};
    QTest::newRow("wpt 1 name only") << "metric"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 2 dur") << "metric;dur=123.4"_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 3 quoted dur")
        << "metric;dur=\"123.4\""_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 4 desc") << "metric;desc=description"_ba
                                << Metrics { m("metric", 0, "description") };
    QTest::newRow("wpt 5 quoted desc")
        << "metric;desc=\"description\""_ba << Metrics { m("metric", 0, "description") };
    QTest::newRow("wpt 6 dur desc")
        << "metric;dur=123.4;desc=description"_ba << Metrics { m("metric", 123.4, "description") };
    QTest::newRow("wpt 7 desc dur")
        << "metric;desc=description;dur=123.4"_ba << Metrics { m("metric", 123.4, "description") };
    QTest::newRow("wpt 8 token chars")
        << "aB3!#$%&'*+-.^_`|~"_ba << Metrics { m("aB3!#$%&'*+-.^_`|~") };
    QTest::newRow("wpt 9 delimiters in quotes") << "metric;desc=\"descr;,=iption\";dur=123.4"_ba
                                                << Metrics { m("metric", 123.4, "descr;,=iption") };
    QTest::newRow("wpt 10 trailing ;") << "metric ; "_ba << Metrics { m("metric") };
    QTest::newRow("wpt 11 trailing ,") << "metric , "_ba << Metrics { m("metric") };
    QTest::newRow("wpt 12 spaces") << "metric ; dur = 123.4 ; desc = description"_ba
                                   << Metrics { m("metric", 123.4, "description") };
    QTest::newRow("wpt 13 spaces reversed") << "metric ; desc = description ; dur = 123.4"_ba
                                            << Metrics { m("metric", 123.4, "description") };
    QTest::newRow("wpt 14 space before quoted")
        << "metric;desc = \"description\""_ba << Metrics { m("metric", 0, "description") };
    QTest::newRow("wpt 15 three metrics")
        << "metric1;dur=12.3;desc=description1,metric2;dur=45.6;desc=description2,metric3;dur=78.9;desc=description3"_ba
        << Metrics { m("metric1", 12.3, "description1"), m("metric2", 45.6, "description2"),
               m("metric3", 78.9, "description3") };
    QTest::newRow("wpt 16 comma spacing")
        << "metric1,metric2 ,metric3, metric4 , metric5"_ba
        << Metrics { m("metric1"), m("metric2"), m("metric3"), m("metric4"), m("metric5") };
    QTest::newRow("wpt 18 whitespace kept in quotes")
        << "metric;desc=\"\t description \t\""_ba
        << Metrics { m("metric", 0, "\t description \t") };
    QTest::newRow("wpt 19 escaped quote")
        << "metric;desc=\"descr\\\"iption\""_ba << Metrics { m("metric", 0, "descr\"iption") };
    QTest::newRow("wpt 20 lone backslash") << "metric;desc=\\"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 21 lone quote") << "metric;desc=\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 24 unterminated escape") << "metric;desc=\"\\"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 25 empty quotes") << "metric;desc=\"\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 29 backslash quote quote")
        << "metric;desc=\\\"\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 33 three quotes") << "metric;desc=\"\"\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 43 escaped backslash")
        << "metric;desc=\"\\\\\""_ba << Metrics { m("metric", 0, "\\") };
    QTest::newRow("wpt 44 escaped quote unterminated")
        << "metric;desc=\"\\\"\\"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 45 escaped quote")
        << "metric;desc=\"\\\"\""_ba << Metrics { m("metric", 0, "\"") };
    QTest::newRow("wpt 47 empty then garbage")
        << "metric;desc=\"\"\\\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 50 repeated names kept")
        << "metric;dur=12.3;desc=description1,metric;dur=45.6;desc=description2"_ba
        << Metrics { m("metric", 12.3, "description1"), m("metric", 45.6, "description2") };
    QTest::newRow("wpt 51 param names case-insensitive")
        << "metric;DuR=123.4;DeSc=description"_ba << Metrics { m("metric", 123.4, "description") };
    QTest::newRow("wpt 52 name case kept")
        << "MeTrIc;desc=DeScRiPtIoN"_ba << Metrics { m("MeTrIc", 0, "DeScRiPtIoN") };
    QTest::newRow("wpt 53 dur not a number") << "metric;dur=foo"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 54 quoted dur not a number")
        << "metric;dur=\"foo\""_ba << Metrics { m("metric") };
    QTest::newRow("wpt 55 unknown params ignored")
        << "metric1;foo=bar;desc=description;foo=bar;dur=123.4;foo=bar,metric2"_ba
        << Metrics { m("metric1", 123.4, "description"), m("metric2") };
    QTest::newRow("wpt 56 first dur wins")
        << "metric;dur=123.4;dur=567.8"_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 57 first dur wins even invalid")
        << "metric;dur=foo;dur=567.8"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 58 first desc wins") << "metric;desc=description1;desc=description2"_ba
                                            << Metrics { m("metric", 0, "description1") };
    QTest::newRow("wpt 59 valueless dur counts")
        << "metric;dur;dur=123.4;desc=description"_ba << Metrics { m("metric", 0, "description") };
    QTest::newRow("wpt 60 empty dur counts")
        << "metric;dur=;dur=123.4;desc=description"_ba << Metrics { m("metric", 0, "description") };
    QTest::newRow("wpt 61 valueless desc counts")
        << "metric;desc;desc=description;dur=123.4"_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 62 empty desc counts")
        << "metric;desc=;desc=description;dur=123.4"_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 63 garbage after token")
        << "metric;desc=d1 d2;dur=123.4"_ba << Metrics { m("metric", 123.4, "d1") };
    QTest::newRow("wpt 64 garbage before comma")
        << "metric1;desc=d1 d2,metric2"_ba << Metrics { m("metric1", 0, "d1"), m("metric2") };
    QTest::newRow("wpt 65 garbage after quoted")
        << "metric;desc=\"d1\" d2;dur=123.4"_ba << Metrics { m("metric", 123.4, "d1") };
    QTest::newRow("wpt 66 garbage after quoted, comma")
        << "metric1;desc=\"d1\" d2,metric2"_ba << Metrics { m("metric1", 0, "d1"), m("metric2") };
    QTest::newRow("wpt 67 garbage after name")
        << "metric==   \"\"foo;dur=123.4"_ba << Metrics { m("metric", 123.4) };
    QTest::newRow("wpt 68 garbage after name, comma")
        << "metric1==   \"\"foo,metric2"_ba << Metrics { m("metric1"), m("metric2") };
    QTest::newRow("wpt 69 dur then garbage") << "metric;dur foo=12"_ba << Metrics { m("metric") };
    QTest::newRow("wpt 70 unknown then garbage")
        << "metric;foo dur=12"_ba << Metrics { m("metric") };
    for (const char *junk :
        { " ", "=", "[", "]", ";", ",", "=;", ";=", "=,", ",=", ";,", ",;", "=;," })
        QTest::addRow("wpt junk '%s'", junk) << QByteArray(junk) << Metrics {};
    QTest::newRow("wpt 84 tabs trimmed")
        << "metric;\tdesc=\ttabs-should-get-trimmed\t;dur=\t42\t"_ba
        << Metrics { m("metric", 42, "tabs-should-get-trimmed") };

    // Beyond the suite.
    QTest::newRow("empty elements skipped") << "a,,b"_ba << Metrics { m("a"), m("b") };
    QTest::newRow("two fields joined")
        << "auth;dur=1, total;dur=9"_ba << Metrics { m("auth", 1), m("total", 9) };
    QTest::newRow("unterminated quote swallows the rest")
        << "a;desc=\"x, b;dur=1"_ba << Metrics { m("a") };
    QTest::newRow("negative dur is a number") << "a;dur=-5"_ba << Metrics { m("a", -5) };
    QTest::newRow("inf is not a duration") << "a;dur=inf"_ba << Metrics { m("a") };
    QTest::newRow("utf-8 in quoted desc")
        << "a;desc=\"caf\xC3\xA9\""_ba << Metrics { m("a", 0, "caf\xC3\xA9") };
    QTest::newRow("quoted name is not a metric")
        << "\"quoted\";dur=1, ok"_ba << Metrics { m("ok") };
}

void TestServerTiming::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(Metrics, expected);
    const Metrics actual = parseServerTiming(header);
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].name, expected[i].name);
        QCOMPARE(actual[i].duration, expected[i].duration);
        QCOMPARE(actual[i].description, expected[i].description);
    }
}

void TestServerTiming::neverCrashesOnGarbage()
{
    // Every prefix of a tricky header, and bytes of every value: no crash, no hang,
    // and never a metric with an empty name.
    const QByteArray tricky
        = "a;desc=\"x\\\"y,;\";dur=1.5e2 junk , b ; DUR = \"7\" ;desc=\\\"\", \xff\x00;dur=3"_ba;
    for (qsizetype n = 0; n <= tricky.size(); ++n) {
        for (const ServerTimingMetric &metric : parseServerTiming(QByteArrayView(tricky).first(n)))
            QVERIFY(!metric.name.isEmpty());
    }
    // The whole header still yields what is well-formed in it: a test that passed on
    // an empty result would prove nothing.
    const QList<ServerTimingMetric> whole = parseServerTiming(tricky);
    QVERIFY(whole.size() >= 2);
    QCOMPARE(whole.at(0).name, u"a"_s);
    QCOMPARE(whole.at(0).description, u"x\"y,;"_s);
    QCOMPARE(whole.at(0).duration, 150.0);
    QCOMPARE(whole.at(1).name, u"b"_s);
    QCOMPARE(whole.at(1).duration, 7.0);
    QByteArray all;
    for (int c = 0; c < 256; ++c)
        all += char(c);
    for (const ServerTimingMetric &metric : parseServerTiming(QByteArray(all + all)))
        QVERIFY(!metric.name.isEmpty());
    // A well-formed metric after the garbage is still found (garbage without a quote:
    // an unclosed quoted string rightly swallows the rest of the header).
    QByteArray unquoted = all;
    unquoted.replace('"', ' ');
    const QList<ServerTimingMetric> after
        = parseServerTiming(QByteArray(unquoted + ", late;dur=4"));
    QVERIFY(!after.isEmpty());
    QCOMPARE(after.last().name, u"late"_s);
    QCOMPARE(after.last().duration, 4.0);
}

void TestServerTiming::placement_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QList<double>>("starts");
    QTest::addColumn<int>("envelope");

    QTest::newRow("sequential") << "a;dur=1, b;dur=2, c;dur=3"_ba << QList<double> { 0, 1, 3 }
                                << -1;
    QTest::newRow("total is the envelope")
        << "a;dur=1, total;dur=10, b;dur=2"_ba << QList<double> { 0, 0, 1 } << 1;
    QTest::newRow("TOTAL any case") << "TOTAL;dur=5, a;dur=1"_ba << QList<double> { 0, 0 } << 0;
    QTest::newRow("longest spanning the rest")
        << "a;dur=1, app;dur=10, b;dur=2"_ba << QList<double> { 0, 0, 1 } << 1;
    QTest::newRow("no envelope when nothing spans")
        << "a;dur=5, b;dur=6"_ba << QList<double> { 0, 5 } << -1;
    QTest::newRow("negative does not move the cursor back")
        << "a;dur=-4, b;dur=2"_ba << QList<double> { 0, 0 } << -1;
    QTest::newRow("single metric is no envelope") << "only;dur=3"_ba << QList<double> { 0 } << -1;
}

void TestServerTiming::placement()
{
    QFETCH(QByteArray, header);
    QFETCH(QList<double>, starts);
    QFETCH(int, envelope);
    const QList<PlacedMetric> placed = inferPlacement(parseServerTiming(header));
    QCOMPARE(placed.size(), starts.size());
    for (qsizetype i = 0; i < placed.size(); ++i) {
        QCOMPARE(placed[i].start, starts[i]);
        QCOMPARE(placed[i].envelope, i == envelope);
        QVERIFY(placed[i].inferred);
    }
}

QTEST_GUILESS_MAIN(TestServerTiming)
#include "tst_servertiming.moc"
