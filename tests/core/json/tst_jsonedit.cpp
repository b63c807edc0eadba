#include "core/json/jsonedit.h"
#include "core/json/jsonutil.h"

#include <QTest>

using namespace gs::core;

// Setting one member of a JSON object changes that member's value and nothing else.
class TestJsonEdit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void setsOneMember_data();
    void setsOneMember();
    void refusesWhatIsNotAnObject();
};

void TestJsonEdit::setsOneMember_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    const auto row = [](const char *name, const QByteArray &json, const QByteArray &expected) {
        QTest::newRow(name) << json << expected;
    };
    row("replaced, pretty, order kept",
        "{\n    \"b\": 1,\n    \"model\": \"old\",\n    \"a\": [1, 2]\n}\n",
        "{\n    \"b\": 1,\n    \"model\": \"new/m\",\n    \"a\": [1, 2]\n}\n");
    row("replaced, compact", R"({"model":"old","stream":true})",
        R"({"model":"new/m","stream":true})");
    row("replaced, not a string before", R"({"model": null, "n": 2})",
        R"({"model": "new/m", "n": 2})");
    row("only the top level", R"({"x":{"model":"inner"},"model":"top"})",
        R"({"x":{"model":"inner"},"model":"new/m"})");
    row("strings with braces and quotes",
        R"({"messages":[{"content":"a \"}\" ] { b"}],"model":"m"})",
        R"({"messages":[{"content":"a \"}\" ] { b"}],"model":"new/m"})");
    row("an escaped key", R"({"mo\u0064el":"a"})", R"({"mo\u0064el":"new/m"})");
    row("the last of a repeated key", R"({"model":"a","model":"b"})",
        R"({"model":"a","model":"new/m"})");
    row("added, pretty", "{\n  \"messages\": [],\n  \"stream\": true\n}",
        "{\n  \"model\": \"new/m\",\n  \"messages\": [],\n  \"stream\": true\n}");
    row("added, compact", R"({"messages":[],"stream":true})",
        R"({"model":"new/m","messages":[],"stream":true})");
    row("added, spaced on one line", R"({ "messages": [], "stream": true })",
        R"({ "model": "new/m", "messages": [], "stream": true })");
    row("added beside a nested model", R"({"x":{"model":"inner"}})",
        R"({"model":"new/m","x":{"model":"inner"}})");
    row("added to an empty object", "{}", R"({"model":"new/m"})");
    row("added to an empty object with space", "  { }\n",
        R"(  {"model":"new/m" })"
        "\n");
}

void TestJsonEdit::setsOneMember()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const auto edited = withTopLevelMember(json, "model", "\"new/m\"");
    QVERIFY(edited);
    QCOMPARE(*edited, expected);
    const auto object = parseJsonObject(*edited);
    QVERIFY(object);
    QCOMPARE(object->value(QLatin1StringView("model")).toString(), QStringLiteral("new/m"));
}

void TestJsonEdit::refusesWhatIsNotAnObject()
{
    for (const QByteArray &json : { QByteArray("[1]"), QByteArray("nope"), QByteArray("{\"a\":"),
             QByteArray(""), QByteArray("\"model\"") })
        QVERIFY2(!withTopLevelMember(json, "model", "\"x\""), json.constData());
}

QTEST_GUILESS_MAIN(TestJsonEdit)
#include "tst_jsonedit.moc"
