#include "ui/eventsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;

// The events table, checked by Qt's own model tester while it grows and clears.
class TestEventsModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void growsInBatchesAndClears();
    void showsTimesGapsAndTruncatedData();
};

void TestEventsModel::growsInBatchesAndClears()
{
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(EventsModel::ColumnCount));

    model.append({ { {}, "a", {} }, { "delta", "b", "7" } }, 1000);
    model.append({ { {}, "c", {} } }, 3500);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 2); // one insertion per batch
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(model.event(1).type, "delta"_ba);
    QCOMPARE(model.arrivalUs(2), 3500);
    // Rows have no children: a table.
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);

    model.append({}, 4000); // an empty batch changes nothing
    QCOMPARE(inserted.size(), 2);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEventsModel::showsTimesGapsAndTruncatedData()
{
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QByteArray longData(5000, 'x');
    model.append({ { {}, "first", {} } }, 1000);
    model.append({ { "message", longData, "id-2" } }, 26000);

    const auto text
        = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QCOMPARE(text(0, EventsModel::IndexColumn), u"1"_s);
    QCOMPARE(text(1, EventsModel::TypeColumn), u"message"_s);
    QCOMPARE(text(1, EventsModel::IdColumn), u"id-2"_s);
    // The gap since the previous event, and none for the first.
    QVERIFY2(text(1, EventsModel::GapColumn).contains(u"25"_s), qPrintable(text(1, 2)));
    QVERIFY(!text(1, EventsModel::ArrivalColumn).isEmpty());
    // The table shows a bounded excerpt; the full data is a role away.
    QVERIFY(text(1, EventsModel::DataColumn).size() < longData.size());
    QCOMPARE(model.data(model.index(1, EventsModel::DataColumn), EventsModel::FullDataRole)
                 .toByteArray(),
        longData);
    const QVariant header
        = model.headerData(EventsModel::DataColumn, Qt::Horizontal, Qt::DisplayRole);
    QVERIFY(!header.toString().isEmpty());
}

QTEST_MAIN(TestEventsModel)
#include "tst_eventsmodel.moc"
