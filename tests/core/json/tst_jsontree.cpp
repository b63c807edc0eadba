#include "core/json/jsontree.h"

#include <QJsonDocument>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestJsonTree final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsDocumentOrderAndNumberText();
    void stringsAreUnescapedAndRequoted();
    void roundTripsThroughQtJson_data();
    void roundTripsThroughQtJson();
    void scalarsAtTheRoot();
    void rejectsInvalidJson_data();
    void rejectsInvalidJson();
};

void TestJsonTree::keepsDocumentOrderAndNumberText()
{
    const auto tree
        = parseJsonTree(R"({"zeta": 1.50, "alpha": [3, 1e3, -0], "mid": {"b": true, "a": null}})");
    QVERIFY(tree);
    QCOMPARE(tree->type, JsonNode::Type::Object);
    QCOMPARE(tree->children.size(), 3);
    QCOMPARE(tree->children[0].key, u"zeta"_s);
    QCOMPARE(tree->children[0].scalar, u"1.50"_s); // as written, not 1.5
    QCOMPARE(tree->children[1].key, u"alpha"_s);
    QCOMPARE(tree->children[1].children[1].scalar, u"1e3"_s);
    QCOMPARE(tree->children[1].children[2].scalar, u"-0"_s);
    QCOMPARE(tree->children[2].children[0].key, u"b"_s);
    QCOMPARE(tree->children[2].children[1].type, JsonNode::Type::Null);
    QCOMPARE(tree->children[2].children[1].typeName(), u"null"_s);
    QCOMPARE(tree->toJson(), uR"({"zeta":1.50,"alpha":[3,1e3,-0],"mid":{"b":true,"a":null}})"_s);
}

void TestJsonTree::stringsAreUnescapedAndRequoted()
{
    const auto tree = parseJsonTree(R"({"k\u00e9y": "line\nbreak \"q\" \ud83d\ude00"})");
    QVERIFY(tree);
    QCOMPARE(tree->children[0].key, u"k\u00e9y"_s);
    QCOMPARE(tree->children[0].scalar, u"line\nbreak \"q\" \U0001F600"_s);
    QCOMPARE(tree->children[0].toJson(), u"\"line\\nbreak \\\"q\\\" \U0001F600\""_s);
}

void TestJsonTree::roundTripsThroughQtJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("nested") << R"({"a":[{"b":[[],{}]},"x",false],"c":{"d":{"e":-1.25e-3}}})"_ba;
    QTest::newRow("empty object") << "{}"_ba;
    QTest::newRow("empty array") << "[]"_ba;
    QTest::newRow("whitespace") << " { \"a\" :\n[ 1 ,\t2 ] } "_ba;
}

void TestJsonTree::roundTripsThroughQtJson()
{
    // Whatever the order, the tree says the same thing as Qt's own parser.
    QFETCH(QByteArray, json);
    const auto tree = parseJsonTree(json);
    QVERIFY2(tree, qPrintable(tree ? QString() : tree.error().message));
    QCOMPARE(QJsonDocument::fromJson(tree->toJson().toUtf8()), QJsonDocument::fromJson(json));
}

void TestJsonTree::scalarsAtTheRoot()
{
    // Found by fuzz_jsontree: byte order marks inside a string survive a round trip.
    const auto bom = parseJsonTree("\"\xEF\xBB\xBF\xEF\xBB\xBF\"");
    QVERIFY(bom);
    QCOMPARE(bom->scalar, QString(u"\uFEFF\uFEFF"_s));
    const auto bomAgain = parseJsonTree(bom->toJson().toUtf8());
    QVERIFY2(bomAgain, qPrintable(bomAgain ? QString() : bomAgain.error().message));
    QCOMPARE(bomAgain->toJson(), bom->toJson());

    const auto s = parseJsonTree(R"("just text")");
    QVERIFY(s);
    QCOMPARE(s->type, JsonNode::Type::String);
    QCOMPARE(s->scalar, u"just text"_s);
    const auto n = parseJsonTree("42");
    QVERIFY(n);
    QCOMPARE(n->type, JsonNode::Type::Number);
    QCOMPARE(n->scalar, u"42"_s);
    const auto b = parseJsonTree("true");
    QVERIFY(b);
    QCOMPARE(b->toJson(), u"true"_s);
}

void TestJsonTree::rejectsInvalidJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("unterminated") << R"({"a": [1, 2)"_ba;
    QTest::newRow("trailing") << R"({"a": 1} {"b": 2})"_ba;
    QTest::newRow("bad atom") << R"({"a": nul})"_ba;
    QTest::newRow("bare word") << "hello"_ba;
    QTest::newRow("two scalars") << "1] [2"_ba;
    QTest::newRow("deep") << QByteArray(2000, '[') + QByteArray(2000, ']');
}

void TestJsonTree::rejectsInvalidJson()
{
    QFETCH(QByteArray, json);
    const auto tree = parseJsonTree(json);
    QVERIFY(!tree);
    QVERIFY(tree.error().message.startsWith(u"Not"_s));
}

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_jsontree.moc"
