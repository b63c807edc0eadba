#include "core/compare/exchangecompare.h"
#include "core/net/exchange.h"
#include "core/store/history.h"
#include "demo/demogateway.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gs::core;

// Two real exchanges with the demo gateway, kept in a real history and compared: the
// gateway headers as typed values, the body structurally, the gateway's routing, the
// answer by words, the timing phase by phase; Markdown and JSON.
class TestExchangeCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoRunsOfARequest();
    void anExchangeEqualsItself();
    void streamedAnswersByWords();
    void markdownMarksWords();
    void timingWithTheServersStages();

private:
    HistoryEntry sent(const QByteArray &model, const QByteArray &metadata, bool stream,
        const QByteArray &content = "hi");

    gs::demo::DemoGateway m_demo { 7 };
    QString m_base;
    QNetworkAccessManager m_network;
    QTemporaryDir m_dir;
    std::unique_ptr<History> m_history;
};

void TestExchangeCompare::initTestCase()
{
    const auto url = m_demo.listen();
    QVERIFY(url);
    m_base = *url;
    auto history = History::open(m_dir.filePath(u"history.sqlite"_s));
    QVERIFY(history);
    m_history = std::move(*history);
}

HistoryEntry TestExchangeCompare::sent(
    const QByteArray &model, const QByteArray &metadata, bool stream, const QByteArray &content)
{
    Exchange exchange(&m_network);
    QSignalSpy finished(&exchange, &Exchange::finished);
    const WireRequest request { "POST", m_base + u"/chat/completions"_s,
        { { "Authorization", "Bearer " + gs::demo::kDemoToken.toByteArray() },
            { "Content-Type", "application/json" }, { "x-tfy-metadata", metadata },
            { "x-gatescope-token-interval-ms", "0" } },
        R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false")
            + R"(,"messages":[{"role":"user","content":")" + content + R"("}]})" };
    exchange.start(request);
    if (!finished.wait(20000))
        return {};
    const auto id = m_history->record(historyEntry(exchange.snapshot(), QString::fromUtf8(model)));
    if (!id)
        return {};
    return *m_history->entry(*id);
}

void TestExchangeCompare::twoRunsOfARequest()
{
    const HistoryEntry a
        = sent("openai-main/gpt-4o-mini", R"({"team":"search","env":"prod"})", false);
    const HistoryEntry b = sent("demo/fallback", R"({"env":"prod","team":"ads"})", false);
    QCOMPARE(a.status, 200);
    QCOMPARE(b.status, 200);
    const ExchangeComparison c = compareExchanges(comparedExchange(a), comparedExchange(b));
    QVERIFY(!c.equal());

    // The metadata header compared key by key: its order does not count, the team does.
    QCOMPARE(c.requestHeaders.size(), 1);
    const HeaderComparison &metadata = c.requestHeaders.first();
    QCOMPARE(metadata.name, u"x-tfy-metadata"_s);
    QVERIFY(metadata.typedBoth);
    QCOMPARE(metadata.typed.size(), 1);
    QCOMPARE(metadata.typed.first().path, u"$.team"_s);
    QCOMPARE(metadata.typed.first().before.toString(), u"search"_s);
    QCOMPARE(metadata.typed.first().after.toString(), u"ads"_s);
    // The body: only the model.
    QCOMPARE(c.requestBody.size(), 1);
    QCOMPARE(c.requestBody.first().path, u"$.model"_s);
    // The gateway rerouted the second: its resolved model and its applied
    // configurations differ, field by field.
    const auto field = [&c](const QString &name) {
        return *std::ranges::find(c.fields, name, &FieldComparison::name);
    };
    QVERIFY(field(u"status"_s).equal());
    QVERIFY(!field(u"requested model"_s).equal());
    QCOMPARE(field(u"resolved model"_s).a, a.resolvedModel);
    QCOMPARE(field(u"resolved model"_s).b, b.resolvedModel);
    QVERIFY(!c.applied.isEmpty());
    for (const JsonChange &change : c.applied)
        QVERIFY2(change.path.startsWith(u"$."_s), qPrintable(change.path));
    // Whole JSON answers: id and created differ on every call and are left out; the
    // model each answer names is not.
    for (const JsonChange &change : c.responseJson) {
        QVERIFY2(!change.path.endsWith(u".id"_s) && change.path != u"$.created"_s,
            qPrintable(change.path));
    }
    QCOMPARE(c.phases.size(), 5);
    // The history kept the response's headers: the gateway's Server-Timing stages sit
    // inside the wait, on each side.
    QVERIFY(!comparedExchange(a).serverTiming.isEmpty());
    QCOMPARE(c.phases.at(1).name, u"waiting"_s);
    QVERIFY(!c.phases.at(1).stages.isEmpty());
    for (const PhaseComparison::Stage &stage : c.phases.at(1).stages)
        QVERIFY2(stage.a >= 0 && stage.b >= 0, qPrintable(stage.name));
    QVERIFY(
        timingSummary(c).startsWith(u"connect "_s) || timingSummary(c).startsWith(u"waiting "_s));
    QCOMPARE(c.phases.last().name, u"total"_s);
    QVERIFY(c.phases.last().a > 0 && c.phases.last().b > 0);

    const QString md = comparisonMarkdown(c);
    QVERIFY2(md.contains(u"`x-tfy-metadata` `$.team`: `\"search\"` → `\"ads\"`"_s), qPrintable(md));
    QVERIFY(md.contains(u"| requested model **≠** |"_s));
    QVERIFY(md.contains(u"### Timing"_s));
    QVERIFY(!md.contains(QString::fromLatin1(gs::demo::kDemoToken.toByteArray())));
    const QJsonObject json = comparisonJson(c);
    QCOMPARE(json.value("equal"_L1).toBool(), false);
    QCOMPARE(json.value("requestHeaders"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("changes"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("path"_L1)
                 .toString(),
        u"$.team"_s);
}

void TestExchangeCompare::anExchangeEqualsItself()
{
    // The same entry on both sides, and two calls that differ only in what changes on
    // every call (ids, dates, timing): equal.
    const HistoryEntry a = sent("openai-main/gpt-4o-mini", R"({"team":"search"})", false);
    QVERIFY(compareExchanges(comparedExchange(a), comparedExchange(a)).equal());
    const HistoryEntry b = sent("openai-main/gpt-4o-mini", R"({"team":"search"})", false);
    const ExchangeComparison c = compareExchanges(comparedExchange(a), comparedExchange(b));
    QVERIFY2(c.equal(), qPrintable(comparisonMarkdown(c)));
    QVERIFY(comparisonMarkdown(c).contains(u"Equal in everything compared"_s));
}

void TestExchangeCompare::streamedAnswersByWords()
{
    // Two streamed answers to different questions: the texts compared word by word,
    // both spelled back whole from the pieces.
    const HistoryEntry a = sent("openai-main/gpt-4o-mini", "{}", true, "hi");
    const HistoryEntry b = sent("openai-main/gpt-4o-mini", "{}", true, "tell me more");
    const ComparedExchange ca = comparedExchange(a);
    const ComparedExchange cb = comparedExchange(b);
    QVERIFY(!ca.text.isEmpty());
    QVERIFY(ca.json.isUndefined()); // a stream has no whole JSON answer
    const ExchangeComparison c = compareExchanges(ca, cb);
    if (ca.text == cb.text) {
        QVERIFY(c.text.isEmpty());
    } else {
        QString spelledA;
        QString spelledB;
        for (const TextSegment &s : c.text) {
            if (s.kind != TextSegment::Kind::Added)
                spelledA += s.text;
            if (s.kind != TextSegment::Kind::Removed)
                spelledB += s.text;
        }
        QCOMPARE(spelledA, ca.text);
        QCOMPARE(spelledB, cb.text);
        QVERIFY(comparisonMarkdown(c).contains(u"### Answer"_s));
    }
    QVERIFY(!c.requestBody.isEmpty());
}

void TestExchangeCompare::markdownMarksWords()
{
    // Marks around the words, never around spaces (Markdown would show "** x**" as it
    // is), and the answer's own Markdown characters escaped.
    ComparedExchange a;
    a.label = u"a"_s;
    a.text = u"the quick fox *runs*"_s;
    ComparedExchange b = a;
    b.label = u"b"_s;
    b.text = u"the slow old fox *runs*"_s;
    const QString md = comparisonMarkdown(compareExchanges(a, b));
    QVERIFY2(md.contains(u"the ~~quick~~**slow old** fox \\*runs\\*"_s), qPrintable(md));
}

void TestExchangeCompare::timingWithTheServersStages()
{
    // Two timelines made by hand: B waited 812 ms longer, the model call took 790 ms of
    // it, the gateway's own stage 30 ms less.
    ComparedExchange a;
    a.label = u"a"_s;
    a.timeline.requestSent = 1'000;
    a.timeline.firstByte = 201'000;
    a.timeline.firstToken = 201'000;
    a.timeline.finished = 301'000;
    a.serverTiming
        = { { u"routing"_s, 40, {} }, { u"model_call"_s, 150, {} }, { u"total"_s, 195, {} } };
    ComparedExchange b = a;
    b.label = u"b"_s;
    b.timeline.firstByte = 1'013'000;
    b.timeline.firstToken = 1'013'000;
    b.timeline.finished = 1'113'000;
    b.serverTiming
        = { { u"routing"_s, 10, {} }, { u"model_call"_s, 940, {} }, { u"total"_s, 1005, {} } };
    const ExchangeComparison c = compareExchanges(a, b);
    QVERIFY(c.equal()); // timing never makes two exchanges differ
    const PhaseComparison &waiting = c.phases.at(1);
    QCOMPARE(waiting.change(), 812'000);
    QCOMPARE(waiting.stages.size(), 3);
    QCOMPARE(waiting.stages.at(1).name, u"model_call"_s);
    QCOMPARE(waiting.stages.at(1).b - waiting.stages.at(1).a, 790'000);
    QVERIFY(waiting.stages.at(2).envelope);
    QCOMPARE(timingSummary(c),
        u"waiting +812 ms, of which model_call +790 ms; first token +812 ms; total +812 ms"_s);
    QVERIFY(comparisonMarkdown(c).contains(
        u"| ↳ server `model_call` | 150.0 ms | 940.0 ms | +790 ms |"_s));
    QCOMPARE(comparisonJson(c).value("timingSummary"_L1).toString(), timingSummary(c));
    // Faster: the stage that moved the same way explains it, one that moved the other
    // way does not.
    const ExchangeComparison back = compareExchanges(b, a);
    QCOMPARE(timingSummary(back),
        u"waiting −812 ms, of which model_call −790 ms; first token −812 ms; total −812 ms"_s);
    QCOMPARE(timeChange(12'345'678), u"+12.3 s"_s);
    QCOMPARE(timeChange(-4'250), u"−4.3 ms"_s);
    // Nothing measured: nothing to say.
    QCOMPARE(timingSummary(compareExchanges(ComparedExchange {}, ComparedExchange {})), QString());
}

QTEST_GUILESS_MAIN(TestExchangeCompare)
#include "tst_exchangecompare.moc"
