#include "core/load/loadarchive.h"
#include "demo/demogateway.h"
#include "ui/compare/compareview.h"
#include "ui/historycontroller.h"
#include "ui/load/loadrunview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/requesttabs.h"
#include "ui/responseinspector.h"
#include "ui/sidebar.h"
#include "ui/tones.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include <algorithm>

using namespace gs::ui;
using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

//! Replaces what a field holds by typing, as a user does: focus, select all, type, Tab.
void typeInto(QWidget *field, const QString &text)
{
    field->setFocus();
    QTRY_VERIFY(field->hasFocus());
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(field, Qt::Key_Backspace);
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Tab);
}

//! Opens the streaming example and types a model routed 70/30 by weight into it.
RequestPage *weightedRequest(MainWindow &window)
{
    if (!window.openExample(u"chat-stream.http"_s))
        return nullptr;
    RequestPage *page = window.currentPage();
    typeInto(page->findChild<QLineEdit *>(u"model"_s), u"demo/chat"_s);
    return page;
}

QList<HistoryEntry> listedHistory(MainWindow &window)
{
    QSignalSpy listed(window.history(), &HistoryController::listed);
    window.filterHistory(QString());
    if (!listed.wait(10000))
        return {};
    return listed.last().first().value<QList<HistoryEntry>>();
}

//! The most requests that were on the wire at one moment (from the request sent to
//! the last byte), from the records: a request waiting for a connection is not.
int maxOnTheWire(const std::vector<LoadRecord> &records)
{
    std::vector<std::pair<qint64, int>> edges;
    for (const LoadRecord &r : records) {
        edges.push_back({ r.startUs + r.sentUs, +1 });
        edges.push_back({ r.startUs + r.totalUs, -1 });
    }
    std::ranges::sort(edges);
    int now = 0;
    int most = 0;
    for (const auto &[t, d] : edges) {
        now += d;
        most = std::max(most, now);
    }
    return most;
}

//! Distinct colours in an image: a chart that drew something has many.
int colours(const QImage &image)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            seen.insert(image.pixel(x, y));
    return int(seen.size());
}

} // namespace

// The Load Run view driven as a user drives it, against the embedded demo gateway over
// loopback: Request ▸ Load Run by its shortcut, the settings typed, Start clicked, the
// run followed to its end; a point of the scatter clicked opens that exchange in a tab;
// the run in the history and reopened; exports; stop; the cost question for a gateway
// that bills.
class TestLoadRunView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsFromTheWindow();
    void stopKeepsWhatFinished();
    void closedMidRunIsKept();
    void asksBeforeARunThatCosts();
    void aLargeRunIsDrawnAsPixels();
    void screenshots_data();
    void screenshots();

private:
    QTemporaryDir m_dir;
};

void TestLoadRunView::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_loadrunview"_s);
    QSettings().clear();
}

void TestLoadRunView::runsFromTheWindow()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"history.sqlite"_s)));
    window.resize(1360, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(weightedRequest(window));
    QVERIFY(window.currentPage()->editor()->request().body.contains("demo/chat"));
    const int tabsBefore = window.pageCount();

    // Request ▸ Load Run by its shortcut.
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
    LoadRunView *view = nullptr;
    QTRY_VERIFY((view = window.findChild<LoadRunView *>()) != nullptr);
    QTRY_VERIFY(view->isActiveWindow());

    // The settings typed in.
    typeInto(view->findChild<QSpinBox *>(u"loadCount"_s), u"120"_s);
    typeInto(view->findChild<QSpinBox *>(u"loadConcurrency"_s), u"12"_s);
    typeInto(view->findChild<QLineEdit *>(u"loadSplit"_s),
        u"openai-main/gpt-4o-mini=70,anthropic-main/claude-sonnet-4=30"_s);
    typeInto(view->findChild<QDoubleSpinBox *>(u"loadTolerance"_s), u"20"_s);
    typeInto(view->findChild<QLineEdit *>(u"loadChecks"_s), u"error_rate < 1%; p99(ttft) < 1ms"_s);

    QSignalSpy finished(view, &LoadRunView::finished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"loadStart"_s), Qt::LeftButton);
    QVERIFY(view->isRunning() || !finished.isEmpty());
    QVERIFY(finished.wait(60000) || !finished.isEmpty());

    // What went on the wire, by the run's own counts and the view's.
    LoadRun *run = view->run();
    QVERIFY(run);
    QCOMPARE(run->plan().count, 120);
    QVERIFY(run->plan().requests.first().body.contains("\"model\": \"demo/chat\""));
    QCOMPARE(run->plan().concurrency, 12);
    QCOMPARE(run->stats().finished, 120);
    QCOMPARE(run->stats().all.ok, 120);
    QCOMPARE(view->shown().records.size(), size_t(120));
    // All twelve at once, although the window had talked to the gateway before (its
    // models): Qt would otherwise have held the run at that connection's six.
    const int overlap = maxOnTheWire(view->shown().records);
    QVERIFY2(overlap > 6, QByteArray::number(overlap).constData());
    const QString counters = view->counters()->text();
    QVERIFY2(counters.contains(u"Done 120"_s) && counters.contains(u"In flight 0"_s),
        qPrintable(counters));
    // Two groups and All, each with its share.
    QTreeWidget *groups = view->groupTable();
    QCOMPARE(groups->topLevelItemCount(), 3);
    QStringList names { groups->topLevelItem(0)->text(0), groups->topLevelItem(1)->text(0) };
    names.sort();
    QCOMPARE(
        names, QStringList({ u"anthropic-main/claude-sonnet-4"_s, u"openai-main/gpt-4o-mini"_s }));
    QCOMPARE(groups->topLevelItem(2)->text(1), u"120"_s);
    // The checks: the split within 20 points and no errors pass; a 1 ms TTFT fails.
    const QList<LoadCheckResult> checks = view->checks();
    QCOMPARE(checks.size(), 3);
    QVERIFY2(checks[0].passed, qPrintable(checks[0].actual));
    QVERIFY(checks[1].passed);
    QVERIFY(!checks[2].passed);
    auto *checkList = view->findChild<QTreeWidget *>(u"loadCheckList"_s);
    QCOMPARE(checkList->topLevelItemCount(), 3);
    QVERIFY(checkList->topLevelItem(2)->text(0).startsWith(u"FAIL"_s));

    // A point of the scatter clicked: that exchange opens in a tab, not re-sent.
    ScatterChart *scatter = view->scatter();
    const qsizetype chosen = 7;
    const QPointF at = scatter->pointOf(chosen);
    QVERIFY(scatter->rect().contains(at.toPoint()));
    const qsizetype picked = scatter->recordAt(at);
    QVERIFY(picked >= 0);
    QSignalSpy chosenSpy(view, &LoadRunView::exchangeChosen);
    QTest::mouseClick(scatter, Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(chosenSpy.size(), 1);
    QTRY_COMPARE(window.pageCount(), tabsBefore + 1);
    RequestPage *page = window.currentPage();
    QVERIFY(!page->isBusy());
    const LoadRecord &record = view->shown().records[size_t(picked)];
    const QString status = page->inspector()->findChild<QLabel *>(u"responseStatus"_s)->text();
    QVERIFY2(status.contains(QString::number(record.status)) && status.contains(u"load run"_s),
        qPrintable(status));
    QCOMPARE(run->stats().started, 120); // nothing more was sent

    // Two exchanges Shift+clicked: compared side by side (what a load run keeps).
    const QPoint first = scatter->pointOf(3).toPoint();
    const QPoint second = scatter->pointOf(100).toPoint();
    const qsizetype firstIndex = scatter->recordAt(first);
    const qsizetype secondIndex = scatter->recordAt(second);
    QVERIFY(firstIndex >= 0 && secondIndex >= 0 && firstIndex != secondIndex);
    view->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view));
    QTest::mouseClick(scatter, Qt::LeftButton, Qt::ShiftModifier, first);
    QCOMPARE(scatter->marked(), firstIndex);
    QTest::mouseClick(scatter, Qt::LeftButton, Qt::ShiftModifier, second);
    QCOMPARE(scatter->marked(), -1);
    CompareView *compared = nullptr;
    QTRY_VERIFY((compared = window.findChild<CompareView *>()) != nullptr);
    if (compared->isBusy()) {
        QSignalSpy done(compared, &CompareView::compared);
        QVERIFY(done.wait(10000));
    }
    QCOMPARE(compared->comparison().labelA, u"load #%1"_s.arg(firstIndex + 1));
    QCOMPARE(compared->comparison().labelB, u"load #%1"_s.arg(secondIndex + 1));
    const auto statusField
        = std::ranges::find(compared->comparison().fields, u"status"_s, &FieldComparison::name);
    QCOMPARE(statusField->a, QString::number(view->shown().records[size_t(firstIndex)].status));
    QCOMPARE(compared->comparison().phases.last().a,
        qint64(view->shown().records[size_t(firstIndex)].totalUs));
    compared->close();

    // The run is one history entry, and reopens with the same records.
    QList<HistoryEntry> entries;
    QTRY_VERIFY(!(entries = listedHistory(window)).isEmpty());
    const auto load = std::ranges::find(entries, kLoadRunMethod, &HistoryEntry::method);
    QVERIFY(load != entries.end());
    QVERIFY2(load->error.startsWith(u"120 requests, 0 failed"_s), qPrintable(load->error));
    // Opened from the sidebar as a user does: the entry selected, Return.
    QTreeWidget *tree = window.findChild<Sidebar *>()->tree();
    QTreeWidgetItem *loadItem = nullptr;
    QTRY_VERIFY((loadItem = [&]() -> QTreeWidgetItem * {
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->text(0).contains(u"load run"_s))
                return *it;
        return nullptr;
    }()) != nullptr);
    tree->setFocus();
    tree->setCurrentItem(loadItem);
    QTest::keyClick(tree->viewport(), Qt::Key_Return);
    LoadRunView *reopened = nullptr;
    QTRY_VERIFY((reopened = [&] {
        for (LoadRunView *v : window.findChildren<LoadRunView *>())
            if (v != view)
                return v;
        return static_cast<LoadRunView *>(nullptr);
    }()) != nullptr);
    QCOMPARE(reopened->shown().records.size(), size_t(120));
    QCOMPARE(reopened->stats().all.ok, 120);
    QCOMPARE(reopened->stats().all.total.valueAt(99), run->stats().all.total.valueAt(99));
    QCOMPARE(reopened->checks().size(), 3);
    QCOMPARE(reopened->groupTable()->topLevelItemCount(), 3);
    QCOMPARE(reopened->findChild<QSpinBox *>(u"loadCount"_s)->value(), 120);

    // Exports: the report, every exchange, each chart as PNG and SVG.
    QVERIFY(view->exportJson(m_dir.filePath(u"run.json"_s)));
    QFile json(m_dir.filePath(u"run.json"_s));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QByteArray report = json.readAll();
    QVERIFY(report.contains("\"finished\": 120"));
    QVERIFY(!report.contains(gs::demo::kDemoToken.toByteArray()));
    QVERIFY(reopened->exportCsv(m_dir.filePath(u"run.csv"_s)));
    QFile csv(m_dir.filePath(u"run.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().trimmed().split('\n').size(), 121);
    for (int chart = 0; chart < 4; ++chart) {
        const QString png = m_dir.filePath(u"chart%1.png"_s.arg(chart));
        QVERIFY(view->exportChart(chart, png));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1600, 960));
        QVERIFY2(colours(image) > 8, qPrintable(png));
        const QString svg = m_dir.filePath(u"chart%1.svg"_s.arg(chart));
        QVERIFY(view->exportChart(chart, svg));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains(view->charts()[chart]->title().toUtf8()));
    }
}

void TestLoadRunView::stopKeepsWhatFinished()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    LoadRunView *view = window.openLoadRun();
    QVERIFY(view);
    QTRY_VERIFY(view->isActiveWindow());
    auto *mode = view->findChild<QComboBox *>(u"loadMode"_s);
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down); // Seconds
    QCOMPARE(mode->currentIndex(), 1);
    typeInto(view->findChild<QDoubleSpinBox *>(u"loadDuration"_s), u"60"_s);
    QSignalSpy finished(view, &LoadRunView::finished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"loadStart"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(view->run() && view->run()->stats().finished >= 20, 30000);
    // Escape stops it; what finished stays, counted once.
    QTest::keyClick(view, Qt::Key_Escape);
    QVERIFY(finished.wait(10000) || !finished.isEmpty());
    QVERIFY(view->run()->wasCanceled());
    const LoadStats &s = view->stats();
    QCOMPARE(qint64(view->shown().records.size()), s.finished);
    QCOMPARE(s.all.count + s.canceled, s.finished);
    QVERIFY(view->findChild<QPushButton *>(u"loadStart"_s)->isEnabled());
    QVERIFY(!view->findChild<QPushButton *>(u"loadStop"_s)->isEnabled());
}

void TestLoadRunView::closedMidRunIsKept()
{
    // Closing the window while a run goes on stops it; what finished is in the history.
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"closed.sqlite"_s)));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    QPointer<LoadRunView> view = window.openLoadRun();
    QVERIFY(view);
    view->findChild<QComboBox *>(u"loadMode"_s)->setCurrentIndex(1);
    view->findChild<QDoubleSpinBox *>(u"loadDuration"_s)->setValue(60);
    QVERIFY(view->start());
    QTRY_VERIFY_WITH_TIMEOUT(view->run()->stats().finished >= 10, 30000);
    QVERIFY(view->isRunning());
    view->close();
    QTRY_VERIFY_WITH_TIMEOUT(view.isNull(), 10000);
    QList<HistoryEntry> entries;
    QTRY_VERIFY(!(entries = listedHistory(window)).isEmpty());
    QCOMPARE(entries.first().method, kLoadRunMethod);
    const auto archive = readLoadArchive(window.history()->entry(entries.first().id)->body);
    QVERIFY(archive);
    QVERIFY(archive->records.size() >= 10);
    QVERIFY(archive->report.value("canceled"_L1).toBool());
}

void TestLoadRunView::asksBeforeARunThatCosts()
{
    // A gateway that is not the embedded demo (a second demo gateway stands in for a
    // real one): the run states its cost and waits for a yes.
    gs::demo::DemoGateway other(5);
    const auto url = other.listen();
    QVERIFY(url);
    MainWindow window;
    window.setGateway(*url, QString::fromLatin1(gs::demo::kDemoToken.toByteArray()));
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    LoadRunView *view = window.openLoadRun();
    QVERIFY(view);
    QStringList asked;
    bool answer = false;
    view->confirmCost = [&](const QString &cost) {
        asked << cost;
        return answer;
    };
    LoadRunView::setConfirmAbove(100);
    typeInto(view->findChild<QSpinBox *>(u"loadCount"_s), u"150"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"loadStart"_s), Qt::LeftButton);
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked.first().contains(u"150 requests"_s) && asked.first().contains(u"max_tokens"_s),
        qPrintable(asked.first()));
    QVERIFY(!view->run()); // declined: nothing sent

    // Under the threshold it is not asked; a higher threshold counts.
    LoadRunView::setConfirmAbove(200);
    QSignalSpy finished(view, &LoadRunView::finished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"loadStart"_s), Qt::LeftButton);
    QCOMPARE(asked.size(), 1);
    QVERIFY(finished.wait(60000) || !finished.isEmpty());
    QCOMPARE(view->run()->stats().all.ok, 150);
    LoadRunView::setConfirmAbove(100);
}

//! A run of \a count exchanges in two groups, one in fifty failing, as the history
//! would give it back.
LoadArchive syntheticRun(int count)
{
    LoadArchive a;
    a.groups = { u"(none)"_s, u"model-a"_s, u"model-b"_s };
    a.names = { QString(), u"model-a"_s, u"model-b"_s };
    WireRequest request;
    request.method = "POST";
    request.url = u"http://127.0.0.1:9/chat/completions"_s;
    a.requests = { request };
    a.requestNames = { u"chat"_s };
    a.requestedModels = { u"demo/chat"_s };
    for (int i = 0; i < count; ++i) {
        LoadRecord r;
        r.startUs = qint64(i) * 100;
        r.sentUs = 50;
        r.group = i % 3 == 0 ? 2 : 1;
        r.resolvedModel = r.group;
        r.ttftUs = 20'000 + (i * 7919) % 30'000;
        r.totalUs = r.ttftUs + 100'000 + (i * 104729) % 200'000;
        r.status = 200;
        r.tokens = 16;
        if (i % 50 == 7) {
            r.status = 503;
            r.outcome = LoadOutcome::HttpError;
            r.ttftUs = -1;
        }
        a.records.push_back(r);
    }
    a.elapsedUs = qint64(count) * 100 + 300'000;
    return a;
}

void TestLoadRunView::aLargeRunIsDrawnAsPixels()
{
    // Past 20,000 points the scatter sets pixels instead of drawing each point: it
    // still shows every group and failure, and a click still finds an exchange.
    LoadRunView view(nullptr);
    view.resize(1100, 760);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showArchive(syntheticRun(100'000), QDateTime::currentDateTimeUtc());
    QCOMPARE(view.stats().all.count, 100'000);
    QCOMPARE(view.stats().all.failures, 2'000);
    QCOMPARE(view.groupTable()->topLevelItemCount(), 3);
    const QImage scatter = view.scatter()->grab().toImage();
    const QColor a = groupColor(1, view.palette());
    const QColor b = groupColor(2, view.palette());
    const QColor failed = toneColor(Tone::Error, view.palette());
    int seenA = 0;
    int seenB = 0;
    int seenFailed = 0;
    for (int y = 0; y < scatter.height(); ++y) {
        for (int x = 0; x < scatter.width(); ++x) {
            const QRgb c = scatter.pixel(x, y);
            seenA += c == a.rgb();
            seenB += c == b.rgb();
            seenFailed += c == failed.rgb();
        }
    }
    QVERIFY2(seenA > 1000 && seenB > 500 && seenFailed > 50,
        qPrintable(u"%1 %2 %3"_s.arg(seenA).arg(seenB).arg(seenFailed)));
    const QPointF at = view.scatter()->pointOf(40'000);
    const qsizetype picked = view.scatter()->recordAt(at);
    QVERIFY(picked >= 0);
    QSignalSpy chosen(&view, &LoadRunView::exchangeChosen);
    QTest::mouseClick(view.scatter(), Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.first().first().value<HistoryEntry>().status,
        int(view.shown().records[size_t(picked)].status));
    // Every chart drew something.
    for (LoadChart *chart : view.charts())
        QVERIFY2(colours(chart->grab().toImage()) > 8, qPrintable(chart->title()));
}

void TestLoadRunView::screenshots_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("default") << QSize(1100, 760) << false;
    QTest::newRow("default, dark") << QSize(1100, 760) << true;
    QTest::newRow("smallest") << QSize(720, 520) << false;
    QTest::newRow("smallest, dark") << QSize(720, 520) << true;
}

// The view after a run at its default and its smallest size: nothing cut off (every
// button's text fits, the charts keep their room), light and dark.
// GATESCOPE_LOAD_SHOTS=DIR keeps the pictures.
void TestLoadRunView::screenshots()
{
    QFETCH(QSize, size);
    QFETCH(bool, dark);
    const QPalette saved = QApplication::palette();
    if (dark)
        QApplication::setPalette(darkPalette());
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.useDemoGateway());
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(weightedRequest(window));
    LoadRunView *view = window.openLoadRun();
    QVERIFY(view);
    view->resize(size);
    view->findChild<QSpinBox *>(u"loadCount"_s)->setValue(300);
    view->findChild<QSpinBox *>(u"loadConcurrency"_s)->setValue(16);
    view->findChild<QLineEdit *>(u"loadSplit"_s)
        ->setText(u"openai-main/gpt-4o-mini=70,anthropic-main/claude-sonnet-4=30"_s);
    view->findChild<QLineEdit *>(u"loadChecks"_s)->setText(u"p99(ttft) < 2s; error_rate < 1%"_s);
    QSignalSpy finished(view, &LoadRunView::finished);
    QVERIFY(view->start());
    QVERIFY(finished.wait(60000) || !finished.isEmpty());
    QTest::qWait(50);
    QCOMPARE(view->size(), size);
    if (const QString dir = qEnvironmentVariable("GATESCOPE_LOAD_SHOTS"); !dir.isEmpty()) {
        const QString name = u"load-%1x%2"_s.arg(size.width()).arg(size.height());
        view->grab().save(dir + u'/' + name + (dark ? u"-dark.png"_s : u".png"_s));
    }
    for (QPushButton *b : view->findChildren<QPushButton *>())
        QVERIFY2(b->width() >= b->minimumSizeHint().width(), qPrintable(b->text()));
    for (LoadChart *chart : view->charts()) {
        QVERIFY2(chart->width() >= chart->minimumSizeHint().width()
                && chart->height() >= chart->minimumSizeHint().height(),
            qPrintable(chart->title()));
        QVERIFY(colours(chart->grab().toImage()) > 8);
    }
    QApplication::setPalette(saved);
}

QTEST_MAIN(TestLoadRunView)
#include "tst_loadrunview.moc"
