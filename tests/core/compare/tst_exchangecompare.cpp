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

QTEST_GUILESS_MAIN(TestExchangeCompare)
#include "tst_exchangecompare.moc"
