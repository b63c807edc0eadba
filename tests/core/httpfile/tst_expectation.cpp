#include "core/httpfile/expectation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

ExpectationResult checkText(const QString &text, const ExchangeFacts &facts)
{
    const auto e = Expectation::parse(text);
    if (!e)
        qFatal("%s", qPrintable(e.error().message));
    return check(*e, facts);
}

} // namespace

class TestExpectation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesWhatTheRunnerDocuments_data();
    void parsesWhatTheRunnerDocuments();
    void rejectsWithAReason_data();
    void rejectsWithAReason();
    void status();
    void model();
    void jsonPaths_data();
    void jsonPaths();
    void jsonEqualsTakesJsonOrBareText();
    void ttft();
    void streamedAnswerReadsLikeABody();
};

void TestExpectation::parsesWhatTheRunnerDocuments_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("status") << u"status 200"_s << int(Expectation::Kind::Status);
    QTest::newRow("class") << u"status 4XX"_s << int(Expectation::Kind::Status);
    QTest::newRow("model") << u"model openai-main/gpt-4o"_s << int(Expectation::Kind::Model);
    QTest::newRow("equals") << u"json $.a[0]['b c'] == 3"_s << int(Expectation::Kind::JsonEquals);
    QTest::newRow("exists") << u"json $.usage exists"_s << int(Expectation::Kind::JsonExists);
    QTest::newRow("ttft ms") << u"ttft < 800ms"_s << int(Expectation::Kind::TtftBelow);
    QTest::newRow("ttft s") << u"ttft <1.5s"_s << int(Expectation::Kind::TtftBelow);
}

void TestExpectation::parsesWhatTheRunnerDocuments()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    const auto e = Expectation::parse(text);
    QVERIFY2(e, qPrintable(e ? QString() : e.error().message));
    QCOMPARE(int(e->kind), kind);
    QCOMPARE(e->text, text);
}

void TestExpectation::rejectsWithAReason_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("status word") << u"status ok"_s << u"such as 200 or 2xx"_s;
    QTest::newRow("status 600") << u"status 600"_s << u"such as 200 or 2xx"_s;
    QTest::newRow("two models") << u"model a b"_s << u"one model name"_s;
    QTest::newRow("path without $") << u"json choices exists"_s << u"it starts with $"_s;
    QTest::newRow("open bracket") << u"json $.a[0 exists"_s << u"'[' without ']'"_s;
    QTest::newRow("no condition") << u"json $.a"_s << u"PATH exists"_s;
    QTest::newRow("ttft unit") << u"ttft < 3 minutes"_s << u"\"< 800ms\""_s;
    QTest::newRow("unknown") << u"latency < 3s"_s << u"there are status, model, json and ttft"_s;
}

void TestExpectation::rejectsWithAReason()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const auto e = Expectation::parse(text);
    QVERIFY(!e);
    QVERIFY2(
        e.error().message.startsWith(u"@expect "_s + text + u':'), qPrintable(e.error().message));
    QVERIFY2(e.error().message.contains(reason), qPrintable(e.error().message));
}

void TestExpectation::status()
{
    ExchangeFacts facts;
    facts.status = 201;
    QVERIFY(checkText(u"status 201"_s, facts).passed);
    QVERIFY(checkText(u"status 2xx"_s, facts).passed);
    QVERIFY(!checkText(u"status 200"_s, facts).passed);
    QVERIFY(!checkText(u"status 4xx"_s, facts).passed);
    QCOMPARE(checkText(u"status 200"_s, facts).actual, u"201"_s);
    facts.status = 0;
    const ExpectationResult none = checkText(u"status 2xx"_s, facts);
    QVERIFY(!none.passed);
    QCOMPARE(none.actual, u"no response"_s);
}

void TestExpectation::model()
{
    ExchangeFacts facts;
    QCOMPARE(checkText(u"model a/b"_s, facts).actual, u"no model named"_s);
    facts.resolvedModel = u"a/b"_s;
    QVERIFY(checkText(u"model a/b"_s, facts).passed);
    QVERIFY(!checkText(u"model a/c"_s, facts).passed);
}

void TestExpectation::jsonPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("found"); // compact JSON, or empty for nothing there
    QTest::newRow("root") << u"$"_s << u"{\"a\":[{\"b c\":3},{\"d\":null}],\"e\":\"x\"}"_s;
    QTest::newRow("key") << u"$.e"_s << u"\"x\""_s;
    QTest::newRow("index") << u"$.a[0]"_s << u"{\"b c\":3}"_s;
    QTest::newRow("quoted") << u"$.a[0]['b c']"_s << u"3"_s;
    QTest::newRow("double quoted") << u"$['a'][0][\"b c\"]"_s << u"3"_s;
    QTest::newRow("negative") << u"$.a[-1].d"_s << u"null"_s;
    QTest::newRow("null is there") << u"$.a[1].d"_s << u"null"_s;
    QTest::newRow("out of range") << u"$.a[2]"_s << QString();
    QTest::newRow("missing") << u"$.z.y"_s << QString();
    QTest::newRow("key of array") << u"$.a.b"_s << QString();
}

void TestExpectation::jsonPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, found);
    const QJsonValue root = json(R"({"a": [{"b c": 3}, {"d": null}], "e": "x"})");
    QString error;
    const auto value = jsonAtPath(root, path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (found.isEmpty()) {
        QVERIFY(!value);
        return;
    }
    QVERIFY(value);
    const QByteArray text = QJsonDocument(QJsonArray { *value }).toJson(QJsonDocument::Compact);
    QCOMPARE(QString::fromUtf8(text.sliced(1, text.size() - 2)), found);
}

void TestExpectation::jsonEqualsTakesJsonOrBareText()
{
    ExchangeFacts facts;
    facts.json = json(R"({"n": 1, "s": "assistant", "b": false, "o": {"k": [1, 2]}})");
    QVERIFY(checkText(u"json $.n == 1.0"_s, facts).passed);
    QVERIFY(checkText(u"json $.s == \"assistant\""_s, facts).passed);
    QVERIFY(checkText(u"json $.s == assistant"_s, facts).passed); // bare text is a string
    QVERIFY(checkText(u"json $.b == false"_s, facts).passed);
    QVERIFY(checkText(u"json $.o == {\"k\": [1, 2]}"_s, facts).passed);
    QVERIFY(!checkText(u"json $.n == \"1\""_s, facts).passed); // a string is not a number
    const ExpectationResult missing = checkText(u"json $.x exists"_s, facts);
    QVERIFY(!missing.passed);
    QCOMPARE(missing.actual, u"nothing at $.x"_s);
    QCOMPARE(checkText(u"json $.s == user"_s, facts).actual, u"\"assistant\""_s);
    facts.json = QJsonValue::Undefined;
    QCOMPARE(checkText(u"json $.n exists"_s, facts).actual, u"the body is not JSON"_s);
}

void TestExpectation::ttft()
{
    ExchangeFacts facts;
    QCOMPARE(checkText(u"ttft < 1s"_s, facts).actual, u"no token arrived"_s);
    facts.ttftMs = 999.5;
    QVERIFY(checkText(u"ttft < 1s"_s, facts).passed);
    QVERIFY(checkText(u"ttft < 1000ms"_s, facts).passed);
    QVERIFY(!checkText(u"ttft < 999ms"_s, facts).passed);
    QCOMPARE(checkText(u"ttft < 999ms"_s, facts).actual, u"999.5 ms"_s);
}

void TestExpectation::streamedAnswerReadsLikeABody()
{
    OpenAiAssembler assembler;
    for (const char *chunk :
        { R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]})",
            R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]})",
            R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})",
            R"({"id":"c1","model":"m","choices":[],"usage":{"total_tokens":7}})" })
        assembler.addEvent("message", chunk);
    ExchangeFacts facts;
    facts.json = assembledAsJson(assembler.result());
    QVERIFY(checkText(u"json $.choices[0].message.content == \"Hello\""_s, facts).passed);
    QVERIFY(checkText(u"json $.choices[0].message.role == assistant"_s, facts).passed);
    QVERIFY(
        checkText(u"json $.choices[0].message.tool_calls[0].function.name == f"_s, facts).passed);
    QVERIFY(checkText(u"json $.choices[0].finish_reason == tool_calls"_s, facts).passed);
    QVERIFY(checkText(u"json $.usage.total_tokens == 7"_s, facts).passed);
    QVERIFY(checkText(u"json $.object == chat.completion"_s, facts).passed);
}

QTEST_GUILESS_MAIN(TestExpectation)
#include "tst_expectation.moc"
