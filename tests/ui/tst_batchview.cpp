#include "core/store/history.h"
#include "demo/demogateway.h"
#include "tests/testfiles.h"
#include "ui/batchview.h"
#include "ui/historycontroller.h"
#include "ui/mainwindow.h"
#include "ui/tones.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace gs::ui;
using namespace Qt::StringLiterals;

namespace {

QByteArray batchLines(int count, const QByteArray &failing = {})
{
    QByteArray jsonl;
    for (int i = 0; i < count; ++i) {
        const QByteArray id = "req-" + QByteArray::number(i);
        jsonl += R"({"custom_id":")" + id
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":")"
            + (id == failing ? "no-such-model" : "gpt-4o-mini")
            + R"(","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}})" + '\n';
    }
    return jsonl;
}

int listedHistory(MainWindow &window, const QString &text)
{
    QSignalSpy listed(window.history(), &HistoryController::listed);
    window.filterHistory(text);
    if (!listed.wait(10000))
        return -1;
    return int(listed.last().first().value<QList<gs::core::HistoryEntry>>().size());
}

} // namespace

// The Batch view driven as a user drives it, against the embedded demo gateway over
// loopback: File ▸ New Batch, a file typed in, Start clicked, the batch followed to
// the end, the results filtered, read and exported; every call in the history.
class TestBatchView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsABatchEndToEnd();
    void aFileWithErrorsIsNotSent();
    void cancelledOnTheGateway();
    void screenshots_data();
    void screenshots();

private:
    QTemporaryDir m_dir;
};

void TestBatchView::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_batchview"_s);
    QSettings().clear();
}

void TestBatchView::runsABatchEndToEnd()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.history()->open(m_dir.filePath(u"history.sqlite"_s)));
    window.resize(1360, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.useDemoGateway());
    const QString input = m_dir.filePath(u"in.jsonl"_s);
    gs::tests::writeFile(input, batchLines(3, "req-1"));

    // File ▸ New Batch by its shortcut.
    QTest::keyClick(&window, Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier);
    BatchView *view = nullptr;
    QTRY_VERIFY((view = window.findChild<BatchView *>()) != nullptr);
    QTRY_VERIFY(view->isActiveWindow());
    auto *start = view->findChild<QPushButton *>(u"batchStart"_s);
    QVERIFY(!start->isEnabled()); // no file yet

    // The path typed, then Tab: the file is checked.
    QSignalSpy linted(view, &BatchView::lintFinished);
    auto *file = view->findChild<QLineEdit *>(u"batchFile"_s);
    file->setFocus();
    QTest::keyClicks(file, input);
    QTest::keyClick(file, Qt::Key_Tab);
    QVERIFY2(linted.wait(10000),
        qPrintable(file->text() + u" | "_s + view->findChild<QLabel *>(u"batchLint"_s)->text()));
    const QString lint = view->findChild<QLabel *>(u"batchLint"_s)->text();
    QVERIFY2(lint.contains(u"3 requests to /v1/chat/completions"_s), qPrintable(lint));
    // The demo's provider account is filled in; typed over, it stays as typed.
    auto *provider = view->findChild<QLineEdit *>(u"batchProvider"_s);
    QCOMPARE(provider->text(), u"openai-main"_s);
    provider->setFocus();
    provider->selectAll();
    QTest::keyClicks(provider, u"openai-main"_s);
    QVERIFY(start->isEnabled());

    QSignalSpy done(view, &BatchView::finished);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY(view->findChild<QPushButton *>(u"batchStop"_s)->isEnabled() || !done.isEmpty());
    QVERIFY(done.wait(30000) || !done.isEmpty());
    QCOMPARE(view->job()->outcome(), gs::core::BatchJob::Outcome::Completed);

    // The status timeline as polled, and the results joined by custom_id.
    auto *timeline = view->findChild<QTreeWidget *>(u"batchTimeline"_s);
    QVERIFY(timeline->topLevelItemCount() >= 3);
    QCOMPARE(timeline->topLevelItem(0)->text(1), u"validating"_s);
    QCOMPARE(timeline->topLevelItem(timeline->topLevelItemCount() - 1)->text(1), u"completed"_s);
    QAbstractItemModel *results = view->results();
    QCOMPARE(results->rowCount(), 3);
    QStringList ids;
    for (int r = 0; r < 3; ++r)
        ids << results->index(r, 0).data().toString();
    QCOMPARE(ids, QStringList({ u"req-0"_s, u"req-1"_s, u"req-2"_s }));
    QCOMPARE(results->index(0, 1).data().toInt(), 200);
    QCOMPARE(results->index(1, 1).data().toInt(), 404);
    QVERIFY(results->index(1, 5).data().toString().contains(u"no-such-model"_s));
    QCOMPARE(results->index(0, 2).data().toString(), u"gpt-4o-mini"_s);
    QVERIFY(results->index(0, 3).data().toInt() > 0);

    // Filtered as typed; the selected row's answer below.
    auto *filter = view->findChild<QLineEdit *>(u"batchFilter"_s);
    QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, u"404"_s);
    QCOMPARE(results->rowCount(), 1);
    auto *table = view->findChild<QTableView *>(u"batchResults"_s);
    const QRect cell = table->visualRect(table->model()->index(0, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    const QString answer = view->findChild<QPlainTextEdit *>(u"batchAnswer"_s)->toPlainText();
    QVERIFY2(answer.contains(u"no-such-model"_s), qPrintable(answer));
    filter->clear();
    QCOMPARE(results->rowCount(), 3);

    // Exported as CSV and JSONL.
    const QString csv = m_dir.filePath(u"results.csv"_s);
    QVERIFY(view->exportResults(csv));
    const QList<QByteArray> csvLines = gs::tests::readFile(csv).trimmed().split('\n');
    QCOMPARE(csvLines.size(), 4);
    QVERIFY(csvLines[0].startsWith("custom_id,Status,Model"));
    QVERIFY(csvLines[2].startsWith("req-1,404,"));
    const QString jsonl = m_dir.filePath(u"results.jsonl"_s);
    QVERIFY(view->exportResults(jsonl));
    const QList<QByteArray> jsonLines = gs::tests::readFile(jsonl).trimmed().split('\n');
    QCOMPARE(jsonLines.size(), 3);
    QVERIFY(jsonLines[1].contains(R"("custom_id":"req-1")"));

    // Every call it made is in the history: upload, create, polls, two downloads.
    QTRY_VERIFY(listedHistory(window, {}) >= 5);
    QVERIFY(listedHistory(window, u"files"_s) >= 3);
    QVERIFY(listedHistory(window, u"batches"_s) >= 2);
}

void TestBatchView::aFileWithErrorsIsNotSent()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.useDemoGateway());
    const QString input = m_dir.filePath(u"bad.jsonl"_s);
    gs::tests::writeFile(input, batchLines(1) + "{not json\n" + batchLines(1));
    BatchView *view = window.openBatch(input);
    QSignalSpy linted(view, &BatchView::lintFinished);
    QVERIFY(linted.wait(10000));
    const QString lint = view->findChild<QLabel *>(u"batchLint"_s)->text();
    QVERIFY2(
        lint.contains(u"2 errors"_s) && lint.contains(u"line 2"_s) && lint.contains(u"line 3"_s),
        qPrintable(lint));
    QVERIFY(!view->findChild<QPushButton *>(u"batchStart"_s)->isEnabled());
    QVERIFY(!view->start());
    QVERIFY(view->job() == nullptr);
}

// Cancel Batch on Gateway, clicked while it runs: the batch ends cancelled on the
// gateway, and the table shows what was done and what has no result.
void TestBatchView::cancelledOnTheGateway()
{
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.useDemoGateway());
    const QString input = m_dir.filePath(u"many.jsonl"_s);
    gs::tests::writeFile(input, batchLines(200));
    BatchView *view = window.openBatch(input);
    QSignalSpy linted(view, &BatchView::lintFinished);
    QVERIFY(linted.wait(10000));
    QVERIFY(QTest::qWaitForWindowExposed(view));
    auto *cancel = view->findChild<QPushButton *>(u"batchCancel"_s);
    QVERIFY(!cancel->isEnabled());
    auto *start = view->findChild<QPushButton *>(u"batchStart"_s);
    QVERIFY(start->isEnabled());
    QSignalSpy done(view, &BatchView::finished);
    // The file field has the focus (as after opening); the click that takes it away
    // starts the batch (found here: it used to start a new check of the file instead).
    view->findChild<QLineEdit *>(u"batchFile"_s)->setFocus();
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(view->job());
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isEnabled(), 20000); // the batch exists
    // Some lines done, as the polled status says: then cancelled.
    QTRY_VERIFY_WITH_TIMEOUT(
        !view->job()->history().isEmpty() && view->job()->history().last().completed > 0, 20000);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!cancel->isEnabled()); // asked once
    QVERIFY(done.wait(30000) || !done.isEmpty());
    QCOMPARE(view->job()->outcome(), gs::core::BatchJob::Outcome::Cancelled);
    QCOMPARE(view->job()->status(), u"cancelled"_s);
    QAbstractItemModel *results = view->results();
    QCOMPARE(results->rowCount(), 200);
    int withoutResult = 0;
    for (int r = 0; r < 200; ++r)
        withoutResult += results->index(r, 1).data().toString() == u"no result"_s ? 1 : 0;
    QVERIFY2(withoutResult > 0 && withoutResult < 200, qPrintable(QString::number(withoutResult)));
    QVERIFY(view->findChild<QPushButton *>(u"batchExport"_s)->isEnabled());
}

void TestBatchView::screenshots_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("default") << QSize(900, 640) << false;
    QTest::newRow("smallest, dark") << QSize(640, 480) << true;
}

// The view after a run at its default and a small size: nothing cut off (every
// button's text fits), light and dark. GATESCOPE_BATCH_SHOTS=DIR keeps the pictures.
void TestBatchView::screenshots()
{
    QFETCH(QSize, size);
    QFETCH(bool, dark);
    const QPalette saved = QApplication::palette();
    if (dark)
        QApplication::setPalette(darkPalette());
    MainWindow window(WindowParts { nullptr, gs::demo::startLocalGateway });
    QVERIFY(window.useDemoGateway());
    const QString input = m_dir.filePath(u"shot.jsonl"_s);
    gs::tests::writeFile(input, batchLines(6, "req-3"));
    BatchView *view = window.openBatch(input);
    view->resize(size);
    QSignalSpy linted(view, &BatchView::lintFinished);
    QVERIFY(linted.wait(10000));
    QSignalSpy done(view, &BatchView::finished);
    QVERIFY(view->start());
    QVERIFY(done.wait(30000));
    QTest::qWait(50);
    QCOMPARE(view->size(), size);
    for (QPushButton *b : view->findChildren<QPushButton *>())
        QVERIFY2(b->width() >= b->sizeHint().width() || b->width() >= b->minimumSizeHint().width(),
            qPrintable(b->text()));
    if (const QString dir = qEnvironmentVariable("GATESCOPE_BATCH_SHOTS"); !dir.isEmpty()) {
        const QString name = u"batch-%1x%2"_s.arg(size.width()).arg(size.height());
        view->grab().save(dir + u'/' + name + (dark ? u"-dark.png"_s : u".png"_s));
    }
    QApplication::setPalette(saved);
}

QTEST_MAIN(TestBatchView)
#include "tst_batchview.moc"
