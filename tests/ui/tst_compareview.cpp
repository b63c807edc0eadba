#include "core/compare/exchangecompare.h"
#include "core/net/exchange.h"
#include "demo/demogateway.h"
#include "ui/compare/comparecontroller.h"
#include "ui/compare/compareview.h"
#include "ui/compare/replayview.h"
#include "ui/historycontroller.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/sidebar.h"
#include "ui/tones.h"
#include "ui/waterfallwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QThread>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

using namespace gs::ui;
using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

void typeInto(QWidget *field, const QString &text)
{
    field->setFocus();
    QTRY_VERIFY(field->hasFocus());
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(field, Qt::Key_Backspace);
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Tab);
}

//! Sends the current tab by its shortcut and waits for the exchange to end and join
//! the history.
bool sendByKeys(MainWindow &window)
{
    RequestPage *page = window.currentPage();
    const qint64 before = window.history()->count();
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    return QTest::qWaitFor(
        [&] { return !page->isBusy() && window.history()->count() > before; }, 20000);
}

//! The view that \a action opened, once it has shown its comparison.
CompareView *shownComparison(MainWindow &window, const QList<CompareView *> &before)
{
    CompareView *view = nullptr;
    for (int i = 0; i < 200 && !view; ++i) {
        for (CompareView *v : window.findChildren<CompareView *>())
            if (!before.contains(v))
                view = v;
        if (!view)
            QTest::qWait(10);
    }
    if (!view)
        return nullptr;
    if (view->isBusy()) {
        QSignalSpy compared(view, &CompareView::compared);
        if (!compared.wait(20000))
            return nullptr;
    }
    return view;
}

QTreeWidgetItem *rowNamed(QTreeWidget *tree, const QString &startsWith)
{
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if ((*it)->text(0).startsWith(startsWith))
            return *it;
    return nullptr;
}

QList<QTreeWidgetItem *> historyItems(QTreeWidget *tree)
{
    QList<QTreeWidgetItem *> out;
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if ((*it)->data(0, Sidebar::HistoryIdRole).isValid())
            out << *it;
    return out;
}

} // namespace

// The Compare view as a user reaches it: two requests sent from the window to the demo
// gateway, Request ▸ Compare with Previous by its shortcut, two history entries selected
// in the sidebar with the keyboard and compared with Ctrl+D; the parts shown side by
// side; the ignore list typed; exports; a slow side canceled with Esc; large bodies
// compared off the UI thread; pictures at the default and smallest size, light and dark.
class TestCompareView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void comparesWhatTheWindowSent();
    void savedFilesSideBySide();
    void escapeCancelsASlowComparison();
    void largeBodiesOffTheUiThread();
    void replaysFromTheSidebar();
    void replaysACollectionFile();
    void screenshots_data();
    void screenshots();

private:
    QTemporaryDir m_dir;
};

void TestCompareView::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_compareview"_s);
    QSettings().clear();
}

void TestCompareView::comparesWhatTheWindowSent()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"history.sqlite"_s)));
    window.resize(1360, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());

    // Nothing sent yet: nothing to compare, and the status bar says why.
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"claude-thinking"_s));
    QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(window.findChildren<CompareView *>().isEmpty());

    // The same request twice, the second time through a model the gateway reroutes.
    QVERIFY(sendByKeys(window));
    typeInto(window.currentPage()->findChild<QLineEdit *>(u"model"_s), u"demo/fallback"_s);
    QVERIFY(window.currentPage()->editor()->request().body.contains("demo/fallback"));
    QVERIFY(sendByKeys(window));

    // Request ▸ Compare with Previous, by its shortcut: the tab's exchange (right)
    // against the one before it (left).
    QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    CompareView *view = shownComparison(window, {});
    QVERIFY(view);
    QVERIFY(view->problem().isEmpty());
    const ExchangeComparison c = view->comparison();
    QVERIFY(c.labelA.startsWith(u"history "_s));
    QCOMPARE(c.labelB, window.currentPage()->title());
    QVERIFY(!c.equal());
    QCOMPARE(view->findChild<QLabel *>(u"compareVerdict"_s)->text(), u"They differ."_s);

    // Overview: the requested and resolved models side by side, marked as differing.
    auto *fields = view->findChild<QTreeWidget *>(u"compareFields"_s);
    QTreeWidgetItem *requested = rowNamed(fields, u"requested model"_s);
    QVERIFY(requested);
    QCOMPARE(requested->text(1), u"tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0"_s);
    QCOMPARE(requested->text(2), u"demo/fallback"_s);
    QVERIFY(requested->text(0).endsWith(u"≠"_s));
    QCOMPARE(requested->background(1).color(), markBackground(Mark::Changed, view->palette()));
    QVERIFY(rowNamed(fields, u"status"_s)->text(0) == u"status"_s); // the same: unmarked

    // Request: the body's model, nothing else.
    auto *request = view->findChild<QTreeWidget *>(u"compareRequest"_s);
    QTreeWidgetItem *body = rowNamed(request, u"Body"_s);
    QVERIFY(body);
    QCOMPARE(body->childCount(), 1);
    QCOMPARE(body->child(0)->text(0), u"$.model"_s);
    QVERIFY(rowNamed(request, u"Headers: the same"_s));

    // Gateway: the applied configurations as one tree, open down to each change and
    // folded where nothing changed.
    auto *gateway = view->findChild<QTreeWidget *>(u"compareGateway"_s);
    QTreeWidgetItem *applied = rowNamed(gateway, u"applied configurations"_s);
    QVERIFY(applied);
    QVERIFY(applied->childCount() > 0);
    QVERIFY(!c.applied.isEmpty());
    const auto isMarked = [](const QTreeWidgetItem *item) {
        return item->background(1).style() != Qt::NoBrush
            || item->background(2).style() != Qt::NoBrush;
    };
    const std::function<bool(const QTreeWidgetItem *)> markedBelow
        = [&](const QTreeWidgetItem *item) {
              for (int i = 0; i < item->childCount(); ++i)
                  if (isMarked(item->child(i)) || markedBelow(item->child(i)))
                      return true;
              return false;
          };
    int marked = 0;
    for (QTreeWidgetItemIterator it(gateway); *it; ++it) {
        marked += isMarked(*it);
        // Open exactly where a change is below.
        if ((*it)->childCount() > 0)
            QVERIFY2((*it)->isExpanded() == markedBelow(*it), qPrintable((*it)->text(0)));
    }
    QVERIFY(marked >= 3); // both models and at least one applied configuration

    // Response: the answers side by side, the words only in A struck out on the left.
    view->findChild<QTabWidget *>(u"compareTabs"_s)->setCurrentIndex(3);
    const QString left = view->findChild<QTextBrowser *>(u"compareAnswerA"_s)->toPlainText();
    const QString right = view->findChild<QTextBrowser *>(u"compareAnswerB"_s)->toPlainText();
    QVERIFY(!left.isEmpty() && !right.isEmpty());
    QVERIFY(left.contains(u"Reasoning"_s)); // the thinking model's reasoning, then the answer

    // Timing: both waterfalls on one axis, the change with the server's stages.
    auto *waterfallA = view->findChild<WaterfallWidget *>(u"compareWaterfallA"_s);
    auto *waterfallB = view->findChild<WaterfallWidget *>(u"compareWaterfallB"_s);
    QCOMPARE(waterfallA->viewEndMs(), waterfallB->viewEndMs());
    QVERIFY(!waterfallA->waterfall().bars.isEmpty());
    const QString timing = view->findChild<QLabel *>(u"compareTimingSummary"_s)->text();
    QVERIFY2(timing.contains(u"total "_s), qPrintable(timing));
    auto *phases = view->findChild<QTreeWidget *>(u"comparePhases"_s);
    QTreeWidgetItem *waiting = rowNamed(phases, u"waiting"_s);
    QVERIFY(waiting);
    QVERIFY2(waiting->childCount() > 0, "the gateway's Server-Timing stages under the wait");

    // Exports: Markdown on the clipboard and in a file, JSON in a file; no token.
    QTest::mouseClick(view->findChild<QPushButton *>(u"compareCopy"_s), Qt::LeftButton);
    const QString md = QApplication::clipboard()->text();
    QVERIFY2(md.contains(u"| requested model **≠** |"_s), qPrintable(md));
    QVERIFY(md.contains(u"### Applied configurations"_s));
    QVERIFY(view->exportMarkdown(m_dir.filePath(u"c.md"_s)));
    QVERIFY(view->exportJson(m_dir.filePath(u"c.json"_s)));
    for (const QString &name : { u"c.md"_s, u"c.json"_s }) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains(gs::demo::kDemoToken.toByteArray()));
    }
    QFile json(m_dir.filePath(u"c.json"_s));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(
        QJsonDocument::fromJson(json.readAll()).object().value("equal"_L1).toBool(true), false);

    // The ignore list typed: "model" leaves the answers' model field out of the JSON
    // body; kept for the next comparison.
    const auto bodyPaths = [](const ExchangeComparison &x) {
        QStringList paths;
        for (const JsonChange &j : x.responseJson)
            paths << j.path;
        return paths;
    };
    QVERIFY2(bodyPaths(view->comparison()).contains(u"$.model"_s),
        qPrintable(bodyPaths(view->comparison()).join(u' ')));
    auto *ignore = view->findChild<QLineEdit *>(u"compareIgnore"_s);
    QSignalSpy compared(view, &CompareView::compared);
    ignore->setFocus();
    QTest::keyClick(ignore, Qt::Key_End);
    QTest::keyClicks(ignore, u", model"_s);
    QTest::keyClick(ignore, Qt::Key_Return);
    QVERIFY(compared.wait(10000));
    QVERIFY(!bodyPaths(view->comparison()).contains(u"$.model"_s));
    QVERIFY(CompareView::savedIgnoreList().contains(u"model"_s));

    // Swap: the sides change places.
    const QString a = view->comparison().labelA;
    QTest::mouseClick(view->findChild<QPushButton *>(u"compareSwap"_s), Qt::LeftButton);
    QVERIFY(compared.wait(10000));
    QCOMPARE(view->comparison().labelB, a);

    // Two history entries picked in the sidebar by keys (the newest, Shift+Down for the
    // one before), Ctrl+D: the older on the left. The comparison's window closed first,
    // as a user goes back to the main window.
    QPointer<CompareView> closing = view;
    view->close();
    QTRY_VERIFY(!closing);
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *tree = window.findChild<Sidebar *>()->tree();
    QList<QTreeWidgetItem *> items;
    QTRY_COMPARE((items = historyItems(tree)).size(), 2);
    tree->setFocus();
    tree->setCurrentItem(items.first());
    QTest::keyClick(tree->viewport(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(tree->selectedItems().size(), 2);
    const QList<CompareView *> before = window.findChildren<CompareView *>();
    QTest::keyClick(tree->viewport(), Qt::Key_D, Qt::ControlModifier);
    CompareView *pair = shownComparison(window, before);
    QVERIFY2(pair, qPrintable(window.statusBar()->currentMessage()));
    const qint64 newer = items.first()->data(0, Sidebar::HistoryIdRole).toLongLong();
    const qint64 older = items.last()->data(0, Sidebar::HistoryIdRole).toLongLong();
    QCOMPARE(pair->comparison().labelA, u"history %1"_s.arg(older));
    QCOMPARE(pair->comparison().labelB, u"history %1"_s.arg(newer));
    QCOMPARE(pair->comparison().fields, c.fields);
    pair->close();
    QTRY_VERIFY(window.findChildren<CompareView *>().isEmpty());
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    tree->setFocus();
    QTRY_VERIFY(tree->hasFocus());

    // Compare with Previous on the history entry the sidebar points at: the newest
    // against the one before.
    tree->setCurrentItem(items.first(), 0, QItemSelectionModel::ClearAndSelect);
    const QList<CompareView *> before2 = window.findChildren<CompareView *>();
    QTest::keyClick(tree->viewport(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    CompareView *previous = shownComparison(window, before2);
    QVERIFY(previous);
    QCOMPARE(previous->comparison().labelA, u"history %1"_s.arg(older));
    QCOMPARE(previous->comparison().labelB, u"history %1"_s.arg(newer));
    // The oldest has none before it: the status bar says so, no window opens.
    tree->setCurrentItem(items.last(), 0, QItemSelectionModel::ClearAndSelect);
    QTest::keyClick(tree->viewport(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(window.findChildren<CompareView *>().size(), before2.size() + 1);
}

void TestCompareView::savedFilesSideBySide()
{
    // Two HAR files the window wrote, compared as saved exchanges (File ▸ Compare
    // Saved Exchanges); a file that is neither HAR nor a report says so.
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"files.sqlite"_s)));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"embeddings"_s));
    QStringList paths;
    for (const QString &model : { u"openai-main/text-embedding-3-small"_s, u"demo/embed"_s }) {
        typeInto(window.currentPage()->findChild<QLineEdit *>(u"model"_s), model);
        QVERIFY(sendByKeys(window));
        paths << m_dir.filePath(u"%1.har"_s.arg(paths.size()));
        QVERIFY(window.exportHar(paths.last()));
        QTRY_VERIFY(QFile::exists(paths.last()));
    }
    CompareView *view = window.comparisons()->compareFiles(paths[0], paths[1]);
    QVERIFY(view);
    QSignalSpy compared(view, &CompareView::compared);
    QVERIFY(compared.wait(10000) || !view->isBusy());
    QVERIFY(view->problem().isEmpty());
    QCOMPARE(view->comparison().labelA, u"0.har"_s);
    QCOMPARE(view->comparison().labelB, u"1.har"_s);
    QVERIFY(!view->comparison().requestBody.isEmpty());

    QFile junk(m_dir.filePath(u"junk.json"_s));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("[1, 2]");
    junk.close();
    CompareView *bad = window.comparisons()->compareFiles(paths[0], junk.fileName());
    QSignalSpy badDone(bad, &CompareView::compared);
    QVERIFY(badDone.wait(10000) || !bad->isBusy());
    QVERIFY2(
        bad->problem().contains(u"neither a HAR file nor a report"_s), qPrintable(bad->problem()));
    QVERIFY(bad->findChild<QLabel *>(u"compareVerdict"_s)->text().startsWith(u"Cannot compare"_s));
}

void TestCompareView::escapeCancelsASlowComparison()
{
    // A side that takes its time (held by the test, not by a sleep): the progress
    // shows, Esc stops it, and what was shown before stays.
    CompareView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    ComparedExchange quick;
    quick.label = u"quick"_s;
    quick.text = u"one two"_s;
    QSignalSpy compared(&view, &CompareView::compared);
    view.compare(quick, quick);
    QVERIFY(compared.wait(10000));
    QCOMPARE(view.comparison().labelA, u"quick"_s);

    QSemaphore gate;
    view.compare(
        [&gate, quick] {
            gate.acquire();
            ComparedExchange slow = quick;
            slow.label = u"slow"_s;
            return Result<ComparedExchange>(slow);
        },
        [quick] { return Result<ComparedExchange>(quick); });
    QVERIFY(view.isBusy());
    auto *busy = view.findChild<QWidget *>(u"compareBusy"_s);
    QTRY_VERIFY(busy->isVisible());
    QVERIFY(!view.findChild<QLineEdit *>(u"compareIgnore"_s)->isEnabled());
    QVERIFY(QTest::qWaitForWindowActive(&view));
    auto *tabs = view.findChild<QTabWidget *>(u"compareTabs"_s);
    tabs->setFocus();
    QTRY_VERIFY(tabs->hasFocus());
    QTest::keyClick(tabs, Qt::Key_Escape);
    gate.release();
    QVERIFY(compared.wait(10000));
    QVERIFY(!view.isBusy());
    QVERIFY(!busy->isVisible());
    QCOMPARE(view.comparison().labelA, u"quick"_s); // the canceled one is dropped
    QVERIFY(view.findChild<QLineEdit *>(u"compareIgnore"_s)->isEnabled());
}

void TestCompareView::largeBodiesOffTheUiThread()
{
    // Two 5 MB answers (JSON bodies and their texts) that differ in three places: read
    // and compared on a worker, the changes found exactly (with the default ignore list:
    // an earlier test typed into it).
    QSettings().remove(u"compare/ignore"_s);
    const auto document = [](int variant) {
        QJsonArray items;
        for (int i = 0; i < 40'000; ++i)
            items.append(QJsonObject { { u"index"_s, i },
                { u"text"_s,
                    u"item %1 of the long answer, with some words to fill it up"_s.arg(i) },
                { u"score"_s, i == 12'345 && variant == 1 ? 0.5 : 0.25 } });
        return QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, items },
            { u"model"_s, variant == 1 ? u"m-b"_s : u"m-a"_s } };
    };
    QElapsedTimer timer;
    timer.start();
    ComparedExchange a;
    a.label = u"a"_s;
    a.json = document(0);
    QStringList words;
    for (int i = 0; i < 500'000; ++i)
        words << u"word%1"_s.arg(i % 977);
    a.text = words.join(u' ');
    ComparedExchange b = a;
    b.label = u"b"_s;
    b.json = document(1);
    words[250'000] = u"changed"_s;
    b.text = words.join(u' ');
    QVERIFY(a.text.size() > 2'500'000); // 5 MB as UTF-16
    QVERIFY(QJsonDocument(a.json.toObject()).toJson(QJsonDocument::Compact).size() > 3'000'000);

    CompareView view;
    view.resize(900, 600);
    view.show();
    QSignalSpy compared(&view, &CompareView::compared);
    QThread *worker = nullptr;
    timer.restart();
    view.compare(
        [&worker, a] {
            worker = QThread::currentThread();
            return Result<ComparedExchange>(a);
        },
        [b] { return Result<ComparedExchange>(b); });
    QVERIFY(compared.wait(60000));
    qInfo("two 5 MB answers compared in %lld ms (off the UI thread)", timer.elapsed());
    QVERIFY(worker && worker != QThread::currentThread());
    QStringList paths;
    for (const JsonChange &j : view.comparison().responseJson)
        paths << j.path;
    QCOMPARE(paths, QStringList({ u"$.data[12345].score"_s, u"$.model"_s }));
    int removed = 0;
    int added = 0;
    for (const TextSegment &s : view.comparison().text) {
        removed += s.kind == TextSegment::Kind::Removed;
        added += s.kind == TextSegment::Kind::Added;
    }
    QCOMPARE(removed, 1);
    QCOMPARE(added, 1);
    // The texts shown in part, and saying so.
    QVERIFY(view.findChild<QLabel *>(u"compareAnswerNote"_s)->text().contains(u"in part"_s));
}

void TestCompareView::replaysFromTheSidebar()
{
    // Two exchanges sent from the window; both picked in the sidebar by keys and
    // replayed (Ctrl+Alt+R) with their model mapped: the dry run, the pairs, the history,
    // a pair opened by Return, the exports; no token anywhere.
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"replay.sqlite"_s)));
    window.resize(1360, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    // A collection with a staging environment, its token in the keyring: a target.
    const QString staging = m_dir.filePath(u"staging"_s);
    QVERIFY(QDir().mkpath(staging));
    QFile env(staging + u"/http-client.env.json"_s);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write(R"({"staging": {"baseUrl": "https://gateway.example.com/api/llm"}})");
    env.close();
    QVERIFY(window.openCollection(staging));
    QVERIFY(window.setCollectionSecret(staging, u"token"_s, u"env-token-5678"_s));
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"claude-thinking"_s));
    QVERIFY(sendByKeys(window));
    typeInto(window.currentPage()->findChild<QLineEdit *>(u"model"_s), u"demo/fallback"_s);
    QVERIFY(sendByKeys(window));
    auto *tree = window.findChild<Sidebar *>()->tree();
    QList<QTreeWidgetItem *> items;
    QTRY_COMPARE((items = historyItems(tree)).size(), 2);
    // (The sidebar lists anew as the replay records: the ids, not the items, are kept.)
    const QString older
        = u"history %1"_s.arg(items.last()->data(0, Sidebar::HistoryIdRole).toLongLong());
    tree->setFocus();
    tree->setCurrentItem(items.first());
    QTest::keyClick(tree->viewport(), Qt::Key_Down, Qt::ShiftModifier);
    QTest::keyClick(tree->viewport(), Qt::Key_R, Qt::ControlModifier | Qt::AltModifier);
    ReplayView *view = nullptr;
    QTRY_VERIFY((view = window.findChild<ReplayView *>()) != nullptr);
    QCOMPARE(view->findChild<QLineEdit *>(u"replayBaseUrl"_s)->text(), window.gatewayBaseUrl());
    QVERIFY(QTest::qWaitForWindowActive(view));
    typeInto(view->findChild<QLineEdit *>(u"replayModels"_s), u"*=openai-main/gpt-4o-mini"_s);
    typeInto(view->findChild<QLineEdit *>(u"replayDrop"_s), u"x-tfy-metadata"_s);

    // The dry run: each request as it will go out, the token masked.
    QTest::mouseClick(view->findChild<QPushButton *>(u"replayDryRun"_s), Qt::LeftButton);
    const QString plan = view->findChild<QPlainTextEdit *>(u"replayPlan"_s)->toPlainText();
    QVERIFY2(plan.contains(u"# model tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0 → "
                           "openai-main/gpt-4o-mini"_s),
        qPrintable(plan));
    QVERIFY(plan.contains(u"# model demo/fallback → openai-main/gpt-4o-mini"_s));
    QVERIFY(plan.contains(u"# dropped x-tfy-metadata"_s));
    QVERIFY(plan.contains(u"Authorization: Bearer ********"_s));
    QVERIFY(!plan.contains(QString::fromLatin1(gs::demo::kDemoToken)));

    // Replayed: a pair each, in the history too.
    const qint64 before = window.history()->count();
    QSignalSpy finished(view, &ReplayView::finished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"replayStart"_s), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QCOMPARE(view->pairs().size(), 2);
    QTreeWidget *table = view->table();
    QCOMPARE(table->topLevelItemCount(), 2);
    QCOMPARE(table->topLevelItem(0)->text(0), older);
    QCOMPARE(table->topLevelItem(0)->text(1), u"200"_s);
    // The thinking model's reasoning is gone with the mapping: the shape changed, and
    // the resolved model with it.
    QCOMPARE(table->topLevelItem(0)->text(2), u"changed"_s);
    QCOMPARE(table->topLevelItem(0)->text(3),
        u"tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0 → openai-main/gpt-4o-mini"_s);
    QCOMPARE(table->topLevelItem(0)->background(2).color(),
        markBackground(Mark::Changed, view->palette()));
    QVERIFY2(view->findChild<QLabel *>(u"replayStatus"_s)->text().startsWith(u"2 replayed"_s),
        qPrintable(view->findChild<QLabel *>(u"replayStatus"_s)->text()));
    QTRY_COMPARE(window.history()->count(), before + 2);

    // A row opened by Return: its recording against its replay.
    table->setFocus();
    table->setCurrentItem(table->topLevelItem(0));
    QTest::keyClick(table->viewport(), Qt::Key_Return);
    CompareView *compared = shownComparison(window, {});
    QVERIFY(compared);
    QCOMPARE(compared->comparison().labelA, older);
    QCOMPARE(compared->comparison().labelB, u"replay of "_s + older);

    // Exports, and no token in them.
    QVERIFY(view->exportJson(m_dir.filePath(u"replay.json"_s)));
    QVERIFY(view->exportJUnit(m_dir.filePath(u"replay.xml"_s)));
    for (const QString &name : { u"replay.json"_s, u"replay.xml"_s }) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 100);
        QVERIFY(!bytes.contains(gs::demo::kDemoToken.toByteArray()));
    }
    // The staging environment picked by keys: its base URL, its token from the keyring,
    // and the dry run sends there without showing the token.
    compared->close();
    view->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view));
    auto *environment = view->findChild<QComboBox *>(u"replayEnvironment"_s);
    QCOMPARE(environment->count(), 2);
    QVERIFY(environment->itemText(1).endsWith(u" ▸ staging"_s));
    environment->setFocus();
    QTRY_VERIFY(environment->hasFocus());
    QTest::keyClick(environment, Qt::Key_Down);
    auto *baseUrl = view->findChild<QLineEdit *>(u"replayBaseUrl"_s);
    QTRY_COMPARE(baseUrl->text(), u"https://gateway.example.com/api/llm"_s);
    QCOMPARE(view->findChild<QLineEdit *>(u"replayToken"_s)->text(), u"env-token-5678"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"replayDryRun"_s), Qt::LeftButton);
    const QString toStaging = view->findChild<QPlainTextEdit *>(u"replayPlan"_s)->toPlainText();
    QVERIFY2(
        toStaging.contains(u"→ https://gateway.example.com/api/llm\n"_s), qPrintable(toStaging));
    QVERIFY(!toStaging.contains(u"env-token-5678"_s));
    // Back to the window's gateway.
    QTest::keyClick(environment, Qt::Key_Up);
    QCOMPARE(baseUrl->text(), window.gatewayBaseUrl());

    // A base URL that is not one: said, nothing sent.
    typeInto(view->findChild<QLineEdit *>(u"replayBaseUrl"_s), u"not a url"_s);
    QVERIFY(!view->start());
    QVERIFY(view->findChild<QLabel *>(u"replayStatus"_s)->text().contains(u"not an http"_s));
}

void TestCompareView::replaysACollectionFile()
{
    // A collection's file of two requests (its environment names the demo gateway):
    // replayed from its context menu's entry, sent as they are first, then to the target
    // with another model, each pair compared.
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"replay-file.sqlite"_s)));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    const QString root = m_dir.filePath(u"asks"_s);
    QVERIFY(QDir().mkpath(root));
    QFile env(root + u"/http-client.env.json"_s);
    QVERIFY(env.open(QIODevice::WriteOnly));
    const QJsonObject local { { u"baseUrl"_s, window.gatewayBaseUrl() },
        { u"token"_s, QString::fromLatin1(gs::demo::kDemoToken) } };
    env.write(QJsonDocument(QJsonObject { { u"local"_s, local } }).toJson());
    env.close();
    QFile http(root + u"/ask.http"_s);
    QVERIFY(http.open(QIODevice::WriteOnly));
    for (const char *name : { "ask", "ask-again" })
        http.write(QByteArray("### ") + name + "\n# @name " + name
            + "\nPOST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n"
              "Content-Type: application/json\n\n"
              R"({"model": "openai-main/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})"
              "\n\n");
    http.close();
    QVERIFY(window.openCollection(root));
    window.setEnvironment(root, u"local"_s);

    const qint64 before = window.history()->count();
    ReplayView *view = window.replayCollectionFile(root, u"ask.http"_s);
    QVERIFY(view);
    QTRY_VERIFY(view->isVisible());
    QVERIFY(QTest::qWaitForWindowActive(view));
    typeInto(view->findChild<QLineEdit *>(u"replayModels"_s), u"*=demo/chat"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"replayDryRun"_s), Qt::LeftButton);
    const QString plan = view->findChild<QPlainTextEdit *>(u"replayPlan"_s)->toPlainText();
    QVERIFY2(
        plan.startsWith(u"### ask\n"_s) && plan.contains(u"### ask-again\n"_s), qPrintable(plan));
    QVERIFY(plan.contains(u"# model openai-main/gpt-4o-mini → demo/chat"_s));
    QVERIFY(!plan.contains(QString::fromLatin1(gs::demo::kDemoToken)));

    QSignalSpy finished(view, &ReplayView::finished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"replayStart"_s), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QTreeWidget *table = view->table();
    QCOMPARE(table->topLevelItemCount(), 2);
    QStringList labels { table->topLevelItem(0)->text(0), table->topLevelItem(1)->text(0) };
    labels.sort();
    QCOMPARE(labels, QStringList({ u"ask"_s, u"ask-again"_s }));
    for (const ReplayPair &pair : view->pairs()) {
        QCOMPARE(pair.before.status, 200);
        QCOMPARE(pair.after.status, 200);
        QCOMPARE(pair.before.requestedModel, u"openai-main/gpt-4o-mini"_s);
        QCOMPARE(pair.after.requestedModel, u"demo/chat"_s);
    }
    // Both passes joined the history.
    QTRY_COMPARE(window.history()->count(), before + 4);
}

void TestCompareView::screenshots_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("default") << QSize(1100, 760) << false;
    QTest::newRow("default, dark") << QSize(1100, 760) << true;
    QTest::newRow("smallest") << QSize(720, 520) << false;
    QTest::newRow("smallest, dark") << QSize(720, 520) << true;
}

// The view on two real exchanges at its default and smallest size, light and dark:
// every button's text fits. GATESCOPE_COMPARE_SHOTS=DIR keeps a picture of each tab.
void TestCompareView::screenshots()
{
    QFETCH(QSize, size);
    QFETCH(bool, dark);
    const QPalette saved = QApplication::palette();
    if (dark)
        QApplication::setPalette(darkPalette());
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"shots.sqlite"_s)));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"claude-thinking"_s));
    QVERIFY(sendByKeys(window));
    typeInto(window.currentPage()->findChild<QLineEdit *>(u"model"_s), u"demo/fallback"_s);
    QVERIFY(sendByKeys(window));
    CompareView *view = window.compareWithPrevious();
    QVERIFY(view);
    view->resize(size);
    if (view->isBusy()) {
        QSignalSpy compared(view, &CompareView::compared);
        QVERIFY(compared.wait(10000));
    }
    QTest::qWait(50);
    QCOMPARE(view->size(), size);
    auto *tabs = view->findChild<QTabWidget *>(u"compareTabs"_s);
    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        QTest::qWait(20);
        if (const QString dir = qEnvironmentVariable("GATESCOPE_COMPARE_SHOTS"); !dir.isEmpty()) {
            const QString name
                = u"compare-%1x%2-%3"_s.arg(size.width()).arg(size.height()).arg(tab);
            view->grab().save(dir + u'/' + name + (dark ? u"-dark.png"_s : u".png"_s));
        }
        for (QPushButton *b : view->findChildren<QPushButton *>())
            if (b->isVisible())
                QVERIFY2(b->width() >= b->minimumSizeHint().width(), qPrintable(b->text()));
    }
    // The Replay view after a replay of both, at the same size.
    auto *tree = window.findChild<Sidebar *>()->tree();
    QList<QTreeWidgetItem *> items;
    QTRY_VERIFY((items = historyItems(tree)).size() >= 2);
    tree->setCurrentItem(items[0], 0, QItemSelectionModel::ClearAndSelect);
    tree->setCurrentItem(items[1], 0, QItemSelectionModel::Select);
    ReplayView *replay = window.replaySelected();
    QVERIFY(replay);
    replay->resize(size);
    replay->findChild<QLineEdit *>(u"replayModels"_s)->setText(u"*=demo/chat"_s);
    QSignalSpy finished(replay, &ReplayView::finished);
    QVERIFY(replay->start());
    QVERIFY(finished.wait(20000));
    QTest::qWait(50);
    if (const QString dir = qEnvironmentVariable("GATESCOPE_COMPARE_SHOTS"); !dir.isEmpty()) {
        const QString name = u"replay-%1x%2"_s.arg(size.width()).arg(size.height());
        replay->grab().save(dir + u'/' + name + (dark ? u"-dark.png"_s : u".png"_s));
    }
    for (QPushButton *b : replay->findChildren<QPushButton *>())
        QVERIFY2(b->width() >= b->minimumSizeHint().width(), qPrintable(b->text()));
    QApplication::setPalette(saved);
}

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
