#include "ui/inspector/bodytab.h"
#include "ui/inspector/eventstab.h"
#include "ui/inspector/gatewaytab.h"
#include "ui/inspector/headerstab.h"
#include "ui/inspector/timingtab.h"
#include "ui/jsontreemodel.h"
#include "ui/largetextview.h"
#include "ui/waterfallwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace gs::core;
using namespace gs::ui;
using namespace gs::ui::inspector;
using namespace Qt::StringLiterals;

// The inspector's Headers, Timing and Gateway tabs on their own, driven and read as a
// user would: keys, the widgets' own text.
class TestInspectorTabs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headersGroupTheGatewaysAndCopyLines();
    void gatewaySaysWhenTheModelWasRerouted();
    void gatewayFiltersTheAppliedConfigurations();
    void timingSaysWhatItKnows();
    void eventsShowTheSelectedEventInFull();
    void bodySaysWhatItShows();
};

void TestInspectorTabs::headersGroupTheGatewaysAndCopyLines()
{
    HeadersTab tab;
    tab.show();
    tab.showHeaders({ { "content-type", "application/json" },
        { "x-tfy-resolved-model", "openai-main/gpt-4o" }, { "server-timing", "a;dur=1" } });
    QCOMPARE(tab.topLevelItemCount(), 2);
    QCOMPARE(tab.topLevelItem(0)->text(0), u"Gateway (x-tfy-*)"_s);
    QCOMPARE(tab.topLevelItem(0)->childCount(), 1);
    QCOMPARE(tab.topLevelItem(1)->childCount(), 2);
    QCOMPARE(tab.headerCount(), 3);

    // Select two headers and press Ctrl+C: "Name: value" lines.
    tab.topLevelItem(1)->child(0)->setSelected(true);
    tab.topLevelItem(1)->child(1)->setSelected(true);
    tab.setFocus();
    QTest::keyClick(&tab, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(),
        u"content-type: application/json\nserver-timing: a;dur=1"_s);

    // No gateway header: no empty group.
    tab.showHeaders({ { "content-type", "text/plain" } });
    QCOMPARE(tab.topLevelItemCount(), 1);
}

void TestInspectorTabs::gatewaySaysWhenTheModelWasRerouted()
{
    GatewayTab tab;
    tab.showHeaders({ { "x-tfy-resolved-model", "openai-main/gpt-4o-mini" } }, u"demo/chat"_s);
    const auto *models = tab.findChild<QLabel *>(u"models"_s);
    QVERIFY(models->text().contains(u"demo/chat"_s));
    QVERIFY(models->text().contains(u"openai-main/gpt-4o-mini"_s));
    QVERIFY(models->text().contains(u"rerouted"_s));
    QVERIFY(tab.reroutedShown());
    const auto *feedback = tab.findChild<QLabel *>(u"feedback"_s);
    QVERIFY(feedback->text().contains(u"No feedback target"_s));

    tab.showHeaders({ { "x-tfy-resolved-model", "demo/chat" } }, u"demo/chat"_s);
    QVERIFY(!tab.reroutedShown());
    QVERIFY(!models->text().contains(u"rerouted"_s));

    tab.showErrors({ u"{\"error\": 1}"_s });
    const auto *errors = tab.findChild<QPlainTextEdit *>(u"gatewayErrors"_s);
    QVERIFY(!errors->isHidden());
    tab.clear();
    QVERIFY(errors->isHidden());
    QVERIFY(models->text().isEmpty());
}

void TestInspectorTabs::gatewayFiltersTheAppliedConfigurations()
{
    GatewayTab tab;
    tab.show();
    tab.showHeaders(
        { { "x-tfy-applied-configurations",
            R"({"load_balancing":{"rule_id":"lb-1"},"rate_limiting":{"rule_id":"rl-9"}})" } },
        u"a/b"_s);
    auto *view = tab.findChild<QTreeView *>(u"appliedTree"_s);
    QCOMPARE(view->model()->rowCount(), 2);
    QTest::keyClicks(tab.findChild<QLineEdit *>(u"appliedFilter"_s), u"rl-9"_s);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 0).data().toString(), u"rate_limiting"_s);

    // Not JSON: said, and the raw text shown.
    tab.showHeaders({ { "x-tfy-applied-configurations", "{broken" } }, u"a/b"_s);
    QCOMPARE(tab.appliedConfigurations()->rowCount(), 0);
}

void TestInspectorTabs::timingSaysWhatItKnows()
{
    TimingTab tab;
    Timeline t;
    t.requestSent = 1000;
    t.headers = 40'000;
    t.firstByte = 41'000;
    t.firstToken = 51'000;
    t.finished = 90'000;
    tab.showTimeline(t, {});
    const auto *summary = tab.findChild<QLabel *>(u"timingSummary"_s);
    QVERIFY2(summary->text().contains(u"TTFT 50.0 ms"_s), qPrintable(summary->text()));
    QVERIFY(summary->text().contains(u"no server-timing header"_s));
    QVERIFY(!tab.waterfall()->waterfall().bars.isEmpty());

    tab.showTimeline(t, { ServerTimingMetric { u"model_call"_s, 30, {} } });
    QVERIFY(!summary->text().contains(u"no server-timing header"_s));

    tab.showRecorded(t);
    QVERIFY(summary->text().contains(u"Recorded"_s));
    tab.clear();
    QVERIFY(summary->text().isEmpty());
    QVERIFY(tab.waterfall()->waterfall().bars.isEmpty());
}

void TestInspectorTabs::eventsShowTheSelectedEventInFull()
{
    EventsTab tab;
    tab.resize(600, 400);
    tab.show();
    tab.append({ { {}, R"({"a":1,"b":[2]})", {} }, { "ping", "not json", {} } }, 1000);
    QCOMPARE(tab.eventCount(), 2);
    auto *table = tab.findChild<QTableView *>(u"eventsTable"_s);
    auto *detail = tab.findChild<QPlainTextEdit *>(u"eventDetail"_s);
    QVERIFY(detail->toPlainText().isEmpty());
    // Select the first row, then the next with the Down key, as a user does.
    table->setFocus();
    table->setCurrentIndex(table->model()->index(0, 0));
    QVERIFY(detail->toPlainText().contains(u"\"a\": 1"_s)); // pretty JSON
    QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(detail->toPlainText(), u"not json"_s);
    tab.clear();
    QCOMPARE(tab.eventCount(), 0);
    QVERIFY(detail->toPlainText().isEmpty());
}

void TestInspectorTabs::bodySaysWhatItShows()
{
    BodyTab tab;
    tab.resize(600, 400);
    tab.show();
    tab.showBody(R"({"k":"v"})", true, u"9 B"_s);
    QTRY_VERIFY(tab.view()->lineCount() > 0);
    QTRY_COMPARE(tab.findChild<QLabel *>()->text(), u"9 B"_s);
    tab.showBody("abc", false, u"The first 3 B of 9 B"_s);
    QCOMPARE(tab.findChild<QLabel *>()->text(), u"The first 3 B of 9 B"_s);
    tab.clear();
    QCOMPARE(tab.view()->lineCount(), 0);
}

QTEST_MAIN(TestInspectorTabs)
#include "tst_tabs.moc"
