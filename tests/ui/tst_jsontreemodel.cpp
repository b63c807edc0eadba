#include "ui/jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace gs::ui;
using namespace Qt::StringLiterals;

class TestJsonTreeModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void structureAndModelTester();
    void pathsAndCopyText();
    void filterKeepsAncestors();
    void emptyAndScalar();
};

namespace {

QJsonValue parse(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// The applied-configurations shape the demo gateway emits.
const char *kApplied = R"({
  "load_balancing": {"rule_id": "weighted-gpt", "target": "openai-main/gpt-4o-mini",
                      "weights": [70, 30]},
  "retry": {"attempts": 2, "on_status_codes": [429, 503]},
  "odd key": {"a.b": true, "n": null}
})";

} // namespace

void TestJsonTreeModel::structureAndModelTester()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.setJsonText(kApplied).isEmpty());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
    const QModelIndex lb = model.index(0, 0);
    QCOMPARE(lb.data().toString(), u"load_balancing"_s);
    QCOMPARE(model.index(0, JsonTreeModel::ValueColumn).data().toString(), u"{3 keys}"_s);
    QCOMPARE(model.index(0, JsonTreeModel::TypeColumn).data().toString(), u"object"_s);
    QCOMPARE(model.rowCount(lb), 3);
    const QModelIndex weights = model.index(2, 0, lb);
    QCOMPARE(weights.data().toString(), u"weights"_s);
    QCOMPARE(model.rowCount(weights), 2);
    QCOMPARE(model.index(1, JsonTreeModel::ValueColumn, weights).data().toString(), u"30"_s);
    QCOMPARE(model.index(1, 0, weights).data().toString(), u"[1]"_s);
    QCOMPARE(model.parent(model.index(1, 0, weights)), weights);
    QCOMPARE(model.parent(weights), lb);
    QVERIFY(!model.parent(lb).isValid());
    // A string shows as JSON, quoted.
    QCOMPARE(model.index(1, JsonTreeModel::ValueColumn, lb).data().toString(),
        u"\"openai-main/gpt-4o-mini\""_s);

    // From Qt's JSON the members come sorted; from text, as written.
    model.setJson(parse(R"({"x": [1, {"y": "z"}], "a": 1})"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), u"a"_s);
    QVERIFY(model.setJsonText(R"({"x": [1, {"y": "z"}], "a": 1})").isEmpty());
    QCOMPARE(model.index(0, 0).data().toString(), u"x"_s);

    // Invalid text: an empty tree and the reason.
    QVERIFY(model.setJsonText("{oops").startsWith(u"Not valid JSON"_s));
    QCOMPARE(model.rowCount(), 0);
}

void TestJsonTreeModel::pathsAndCopyText()
{
    JsonTreeModel model;
    QVERIFY(model.setJsonText(kApplied).isEmpty());
    const QModelIndex retry = model.index(1, 0);
    const QModelIndex codes = model.index(1, 0, retry);
    const QModelIndex second = model.index(1, 0, codes);
    QCOMPARE(second.data(JsonTreeModel::JsonPathRole).toString(), u"$.retry.on_status_codes[1]"_s);
    QCOMPARE(codes.data(JsonTreeModel::JsonTextRole).toString(), u"[429,503]"_s);
    const QModelIndex odd = model.index(2, 0);
    QCOMPARE(odd.data(JsonTreeModel::JsonPathRole).toString(), u"$[\"odd key\"]"_s);
    const QModelIndex ab = model.index(0, 0, odd);
    QCOMPARE(ab.data(JsonTreeModel::JsonPathRole).toString(), u"$[\"odd key\"][\"a.b\"]"_s);
    QCOMPARE(model.index(1, JsonTreeModel::TypeColumn, odd).data().toString(), u"null"_s);
    QCOMPARE(model.index(0, JsonTreeModel::TypeColumn, odd).data().toString(), u"boolean"_s);
}

void TestJsonTreeModel::filterKeepsAncestors()
{
    // The tree's filter box: rows that match, with the branches leading to them.
    JsonTreeModel model;
    QVERIFY(model.setJsonText(kApplied).isEmpty());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterKeyColumn(-1);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterFixedString(u"503"_s);
    QCOMPARE(proxy.rowCount(), 1);
    const QModelIndex retry = proxy.index(0, 0);
    QCOMPARE(retry.data().toString(), u"retry"_s);
    QCOMPARE(proxy.rowCount(retry), 1);
    const QModelIndex codes = proxy.index(0, 0, retry);
    QCOMPARE(codes.data().toString(), u"on_status_codes"_s);
    QCOMPARE(proxy.rowCount(codes), 1);
    QCOMPARE(proxy.index(0, 1, codes).data().toString(), u"503"_s);
    proxy.setFilterFixedString(QString());
    QCOMPARE(proxy.rowCount(), 3);
}

void TestJsonTreeModel::emptyAndScalar()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setJson(QJsonValue(QJsonValue::Null));
    QCOMPARE(model.rowCount(), 0);
    model.setJson(QJsonValue(u"just a string"_s));
    QCOMPARE(model.rowCount(), 0);
    model.setJson(QJsonDocument::fromJson("[1,2,3]").array());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, 0).data(JsonTreeModel::JsonPathRole).toString(), u"$[2]"_s);
}

QTEST_GUILESS_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
