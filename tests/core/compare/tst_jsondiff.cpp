#include "core/compare/jsondiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gs::core;
using Kind = JsonChange::Kind;

namespace {

QJsonValue json(const char *text)
{
    QJsonParseError error {};
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray("[") + text + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", text);
    return d.array().first();
}

QString describe(const QList<JsonChange> &changes)
{
    QStringList out;
    for (const JsonChange &c : changes) {
        const char *kind = c.kind == Kind::Added ? "added"
            : c.kind == Kind::Removed            ? "removed"
            : c.kind == Kind::Moved              ? "moved"
                                                 : "changed";
        out << QString::fromLatin1(kind) + u' ' + c.path
                + (c.toPath.isEmpty() ? QString() : u" -> "_s + c.toPath);
    }
    return out.join(u"; "_s);
}

//! A random document of nested objects and arrays.
QJsonValue randomValue(QRandomGenerator &random, int depth)
{
    const int kind = int(random.bounded(depth > 2 ? 4 : 6));
    switch (kind) {
    case 0:
        return double(random.bounded(5));
    case 1:
        return QString(QChar(u'a' + char16_t(random.bounded(4))));
    case 2:
        return random.bounded(2) == 1;
    case 3:
        return QJsonValue::Null;
    case 4: {
        QJsonObject o;
        for (int i = int(random.bounded(4)); i > 0; --i)
            o.insert(
                QString(QChar(u'k' + char16_t(random.bounded(4)))), randomValue(random, depth + 1));
        return o;
    }
    default: {
        QJsonArray a;
        for (int i = int(random.bounded(5)); i > 0; --i)
            a.append(randomValue(random, depth + 1));
        return a;
    }
    }
}

} // namespace

// The structural JSON diff: key order, numbers by value, arrays aligned (insertions,
// moves), volatile fields, paths with quoted keys, Unicode, large documents.
class TestJsonDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cases_data();
    void cases();
    void volatileFieldsAreIgnored();
    void randomDocumentsAgreeWithEquality();
    void largeDocuments();
};

void TestJsonDiff::cases_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<QString>("expected");
    QTest::newRow("key order") << QByteArray(R"({"a":1,"b":{"c":[1,2],"d":"x"}})")
                               << QByteArray(R"({"b":{"d":"x","c":[1,2]},"a":1})") << QString();
    QTest::newRow("numbers by value")
        << QByteArray(R"({"t":1,"p":0.5})") << QByteArray(R"({"t":1.0,"p":5e-1})") << QString();
    QTest::newRow("scalar changed")
        << QByteArray(R"({"a":1})") << QByteArray(R"({"a":2})") << u"changed $.a"_s;
    QTest::newRow("type changed") << QByteArray(R"({"a":1})") << QByteArray(R"({"a":"1"})")
                                  << u"changed $.a"_s;
    QTest::newRow("null is a value")
        << QByteArray(R"({"a":null})") << QByteArray(R"({})") << u"removed $.a"_s;
    QTest::newRow("added and removed")
        << QByteArray(R"({"a":1,"b":2})") << QByteArray(R"({"b":2,"c":3})")
        << u"removed $.a; added $.c"_s;
    QTest::newRow("quoted keys") << QByteArray(R"({"x-tfy-metadata":{"team":"a"}})")
                                 << QByteArray(R"({"x-tfy-metadata":{"team":"b"}})")
                                 << uR"(changed $["x-tfy-metadata"].team)"_s;
    QTest::newRow("nested in an array")
        << QByteArray(R"({"choices":[{"message":{"content":"hi","role":"assistant"}}]})")
        << QByteArray(R"({"choices":[{"message":{"content":"ho","role":"assistant"}}]})")
        << u"changed $.choices[0].message.content"_s;
    QTest::newRow("inserted at the front")
        << QByteArray("[1,2,3,4]") << QByteArray("[0,1,2,3,4]") << u"added $[0]"_s;
    QTest::newRow("removed in the middle") << QByteArray(R"(["a","b","c","d"])")
                                           << QByteArray(R"(["a","c","d"])") << u"removed $[1]"_s;
    QTest::newRow("moved") << QByteArray(R"(["a","b","c"])") << QByteArray(R"(["c","a","b"])")
                           << u"moved $[2] -> $[0]"_s;
    QTest::newRow("changed between equal ones")
        << QByteArray(R"([{"n":1},{"n":2},{"n":3}])") << QByteArray(R"([{"n":1},{"n":9},{"n":3}])")
        << u"changed $[1].n"_s;
    QTest::newRow("changed after an insertion")
        << QByteArray(R"([{"n":1},{"n":2,"v":"x"}])")
        << QByteArray(R"([{"n":0},{"n":1},{"n":2,"v":"y"}])")
        << u"added $[0]; changed $[1].v -> $[2].v"_s;
    QTest::newRow("nested arrays")
        << QByteArray("[[1,2],[3,4]]") << QByteArray("[[1,2],[3,5]]") << u"changed $[1][1]"_s;
    QTest::newRow("unicode") << QByteArray(R"({"名前":"héllo","e":"🍕"})")
                             << QByteArray(R"({"名前":"hèllo","e":"🍕"})")
                             << uR"(changed $["名前"])"_s;
    QTest::newRow("array and object")
        << QByteArray(R"({"a":[1]})") << QByteArray(R"({"a":{"0":1}})") << u"changed $.a"_s;
}

void TestJsonDiff::cases()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(QString, expected);
    const QList<JsonChange> changes = diffJson(json(a.constData()), json(b.constData()));
    QCOMPARE(describe(changes), expected);
    // The other way round finds as many differences.
    QCOMPARE(diffJson(json(b.constData()), json(a.constData())).size(), changes.size());
}

void TestJsonDiff::volatileFieldsAreIgnored()
{
    const QJsonValue a = json(R"({"id":"chatcmpl-1","created":1,"system_fingerprint":"fp_a",
        "choices":[{"index":0,"logprobs":{"x":1},"message":{"content":"hi"}}],"usage":{"total_tokens":5}})");
    const QJsonValue b = json(R"({"id":"chatcmpl-2","created":2,"system_fingerprint":"fp_b",
        "choices":[{"index":0,"logprobs":{"x":2},"message":{"content":"hi"}}],"usage":{"total_tokens":6}})");
    QCOMPARE(describe(diffJson(a, b)),
        u"changed $.choices[0].logprobs.x; changed $.usage.total_tokens"_s);
    JsonDiffOptions options;
    options.ignore << u"$.choices[*].logprobs"_s << u"$.usage.total_tokens"_s;
    QCOMPARE(describe(diffJson(a, b, options)), QString());
    // Nothing ignored: every field counts.
    options.ignore.clear();
    QCOMPARE(diffJson(a, b, options).size(), 5);
    // An element that differs only in ignored fields is equal when arrays are aligned.
    const QJsonValue x = json(R"([{"id":"1","v":1},{"id":"2","v":2}])");
    const QJsonValue y = json(R"([{"id":"9","v":0},{"id":"8","v":1},{"id":"7","v":2}])");
    QCOMPARE(describe(diffJson(x, y)), u"added $[0]"_s);
}

void TestJsonDiff::randomDocumentsAgreeWithEquality()
{
    // With nothing ignored, no change is found exactly when the documents are equal,
    // and every path found exists in the document it names.
    QRandomGenerator random(1234);
    JsonDiffOptions none;
    none.ignore.clear();
    int different = 0;
    for (int round = 0; round < 3000; ++round) {
        const QJsonValue a = randomValue(random, 0);
        const QJsonValue b = random.bounded(4) == 0 ? a : randomValue(random, 0);
        const QList<JsonChange> changes = diffJson(a, b, none);
        QCOMPARE(changes.isEmpty(), a == b);
        QVERIFY(diffJson(a, a, none).isEmpty());
        different += changes.isEmpty() ? 0 : 1;
        for (const JsonChange &c : changes) {
            QVERIFY2(c.path.startsWith(u'$'), qPrintable(c.path));
            if (c.kind == Kind::Removed || c.kind == Kind::Changed || c.kind == Kind::Moved)
                QVERIFY(!c.before.isUndefined());
            if (c.kind == Kind::Added || c.kind == Kind::Changed || c.kind == Kind::Moved)
                QVERIFY(!c.after.isUndefined());
            if (c.kind == Kind::Moved)
                QCOMPARE(c.before, c.after);
        }
    }
    QVERIFY(different > 1000);
}

void TestJsonDiff::largeDocuments()
{
    // Two answers of about 5 MB that differ in one place: found, and only it.
    QJsonArray data;
    for (int i = 0; i < 40'000; ++i)
        data.append(QJsonObject { { u"index"_s, i }, { u"object"_s, u"embedding"_s },
            { u"text"_s, u"a line of text that makes the body large, number %1"_s.arg(i) } });
    QJsonObject a { { u"data"_s, data } };
    QVERIFY(QJsonDocument(a).toJson(QJsonDocument::Compact).size() > 4'000'000);
    QJsonArray changed = data;
    changed[20'000] = QJsonObject { { u"index"_s, 20'000 }, { u"object"_s, u"embedding"_s },
        { u"text"_s, u"changed"_s } };
    const QJsonObject b { { u"data"_s, changed } };
    QCOMPARE(describe(diffJson(a, b)), u"changed $.data[20000].text"_s);
    // Past the alignment limit, arrays are compared index by index.
    JsonDiffOptions small;
    small.alignLimit = 2;
    QCOMPARE(describe(diffJson(json("[9,1,2,3,4]"), json("[1,2,3,4,5]"), small)),
        u"changed $[0]; changed $[1]; changed $[2]; changed $[3]; changed $[4]"_s);
}

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "tst_jsondiff.moc"
