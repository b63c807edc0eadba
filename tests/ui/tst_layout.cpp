#include "core/net/exchange.h"
#include "demo/demogateway.h"
#include "tests/ui/widgetview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/responseinspector.h"
#include "ui/tones.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <cstdlib>

using namespace gs::ui;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

namespace {

WindowParts withDemo()
{
    WindowParts parts;
    parts.demoGateway = gs::demo::startLocalGateway;
    return parts;
}

// Where in \a root a shown widget sticks out of the widget that holds it (and so is
// cut off), or is given less room than it needs; empty when nothing is.
QStringList clipped(const QWidget *root)
{
    QStringList found;
    for (const QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(root) || w->isWindow() || !w->parentWidget())
            continue;
        const QWidget *holder = w->parentWidget();
        // What scrolls is meant to be larger than its viewport; a tab bar scrolls too.
        if (qobject_cast<const QAbstractScrollArea *>(holder->parentWidget())
            && holder->objectName() == u"qt_scrollarea_viewport"_s)
            continue;
        if (holder->inherits("QTabBar") || holder->inherits("QAbstractScrollArea"))
            continue;
        const QRect inside = holder->rect();
        if (!inside.contains(w->geometry()))
            found << u"%1 (%2) at %3,%4 %5x%6 outside %7 %8x%9"_s
                         .arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()))
                         .arg(w->x())
                         .arg(w->y())
                         .arg(w->width())
                         .arg(w->height())
                         .arg(holder->objectName())
                         .arg(inside.width())
                         .arg(inside.height());
        const bool field = qobject_cast<const QLineEdit *>(w) || qobject_cast<const QComboBox *>(w)
            || qobject_cast<const QAbstractButton *>(w);
        if (field && w->width() < w->minimumSizeHint().width())
            found << u"%1 (%2) squeezed to %3 (needs %4)"_s
                         .arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()))
                         .arg(w->width())
                         .arg(w->minimumSizeHint().width());
    }
    return found;
}

void checkPage(MainWindow &window)
{
    RequestPage *page = window.currentPage();
    QVERIFY(page->send());
    QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 20000);

    // Editor and inspector side by side, half each.
    const QList<int> halves = page->findChild<QSplitter *>(u"pageSplitter"_s)->sizes();
    QVERIFY2(std::abs(halves.first() - halves.last()) < 20,
        qPrintable(u"%1 / %2"_s.arg(halves.first()).arg(halves.last())));
    // The URL and the model are read whole.
    for (const char *name : { "url", "model" }) {
        auto *field = view::part<QLineEdit>(page, name);
        const int needed = field->fontMetrics().horizontalAdvance(field->text()) + 16;
        QVERIFY2(field->width() >= needed,
            qPrintable(
                u"%1: %2 of %3"_s.arg(QLatin1StringView(name)).arg(field->width()).arg(needed)));
    }
    // The Gateway form fits its pane: no horizontal scroll bar, every chip in view.
    auto *form = view::part<QScrollArea>(page, "gatewayForm");
    QVERIFY(!form->horizontalScrollBar()->isVisible());
    QVERIFY(form->widget()->width() <= form->viewport()->width());
    for (const int code : { 408, 429, 500, 502, 503, 504 }) {
        auto *chip = view::part<QToolButton>(form, qPrintable(u"chip%1"_s.arg(code)));
        const QRect where(chip->mapTo(form->widget(), QPoint(0, 0)), chip->size());
        QVERIFY2(form->widget()->rect().contains(where), qPrintable(QString::number(code)));
    }
    // The metadata table shows four rows at least.
    auto *metadata = view::part<QTableWidget>(form, "metadata");
    QVERIFY(metadata->viewport()->height() >= 4 * metadata->verticalHeader()->defaultSectionSize());

    // The inspector leaves no empty box: the chart and the tree as tall as what they
    // show (when it fits), the waterfall's actions and the feedback line right under.
    QTabWidget *tabs = page->inspector()->tabs();
    const auto gapBelow = [page](const QWidget *above, const QWidget *below) {
        const QPoint a = above->mapTo(page, QPoint(0, above->height()));
        return below->mapTo(page, QPoint(0, 0)).y() - a.y();
    };
    tabs->setCurrentIndex(ResponseInspector::TimingTab);
    QApplication::processEvents();
    auto *chart = view::part<QScrollArea>(page, "waterfallArea");
    if (!chart->verticalScrollBar()->isVisible()) {
        const int content = chart->widget()->heightForWidth(chart->viewport()->width());
        QVERIFY2(chart->viewport()->height() <= content + 8,
            qPrintable(u"%1 for %2"_s.arg(chart->viewport()->height()).arg(content)));
        const int gap = gapBelow(chart, view::buttonBeside(chart, u"Show All"_s));
        QVERIFY2(gap < 30, qPrintable(QString::number(gap)));
    }
    tabs->setCurrentIndex(ResponseInspector::GatewayTab);
    QApplication::processEvents();
    auto *tree = view::part<QAbstractScrollArea>(page, "appliedTree");
    if (!tree->verticalScrollBar()->isVisible()) {
        auto *rows = qobject_cast<QTreeView *>(tree);
        QModelIndex last = rows->model()->index(0, 0);
        for (QModelIndex i = last; i.isValid(); i = rows->indexBelow(i))
            last = i;
        const int empty = rows->viewport()->height() - rows->visualRect(last).bottom();
        QVERIFY2(empty <= 5 * rows->visualRect(last).height(), qPrintable(QString::number(empty)));
        const int gap = gapBelow(tree, view::part<QLabel>(page, "feedback"));
        QVERIFY2(gap < 40, qPrintable(QString::number(gap)));
    }

    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        QApplication::processEvents();
        const QStringList problems = clipped(&window);
        QVERIFY2(
            problems.isEmpty(), qPrintable(tabs->tabText(tab) + u": "_s + problems.join(u"\n"_s)));
    }
}

} // namespace

// The window at its default size and at the smallest it allows, light and dark:
// nothing cut off, no pane that needs a horizontal scroll bar, fields wide enough
// for what they hold.
class TestLayout final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void fits_data();
    void fits();
    void allowsNoSmaller();
    void theResponseGoesBelowWhenNarrowOrAsked();
    void longStatusMessagesElide();
};

void TestLayout::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_layout"_s);
}

void TestLayout::init()
{
    QSettings().clear();
}

void TestLayout::fits_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("default") << QSize(1360, 820) << false;
    QTest::newRow("smallest") << QSize(1000, 650) << false;
    QTest::newRow("smallest, dark") << QSize(1000, 650) << true;
}

void TestLayout::fits()
{
    QFETCH(QSize, size);
    QFETCH(bool, dark);
    const QPalette light = QApplication::palette();
    if (dark)
        QApplication::setPalette(darkPalette());
    MainWindow window(withDemo());
    window.resize(size);
    window.show();
    QCOMPARE(window.size(), size);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.useDemoGateway());
    // A streamed answer, and one with reasoning, server timing and a long model id.
    const QList<std::pair<QString, QString>> examples { { u"chat-stream.http"_s, QString() },
        { u"gateway-requests.http"_s, u"claude-thinking"_s } };
    for (const auto &[file, name] : examples) {
        QVERIFY(window.openExample(file, name));
        checkPage(window);
        if (QTest::currentTestFailed())
            return;
    }
    QApplication::setPalette(light);
}

// The smallest size is one the window fits (above).
void TestLayout::allowsNoSmaller()
{
    MainWindow window(withDemo());
    window.resize(700, 450);
    QCOMPARE(window.size(), QSize(1000, 650));
}

// Automatic: below the request while the page is narrow (a wide sidebar), beside it
// again when there is room; View ▸ Response Pane puts it below for good, in the next
// window too.
void TestLayout::theResponseGoesBelowWhenNarrowOrAsked()
{
    {
        MainWindow window(withDemo());
        window.resize(1000, 650);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openExample(u"chat-stream.http"_s));
        auto *page = window.currentPage()->findChild<QSplitter *>(u"pageSplitter"_s);
        QCOMPARE(page->orientation(), Qt::Horizontal);
        // The sidebar dragged wide: the page is narrow.
        QSplitterHandle *handle = window.findChild<QSplitter *>(u"mainSplitter"_s)->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        QTest::mouseMove(handle, grip + QPoint(200, 0));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip + QPoint(200, 0));
        QTRY_COMPARE(page->orientation(), Qt::Vertical);
        QTest::keyClick(&window, Qt::Key_F9); // the sidebar hidden: room again
        QTRY_COMPARE(page->orientation(), Qt::Horizontal);

        auto *below
            = window.findChild<QAction *>(u"placement%1"_s.arg(int(RequestPage::Placement::Below)));
        QVERIFY(below);
        below->trigger();
        QCOMPARE(page->orientation(), Qt::Vertical);
        window.close();
    }
    MainWindow again(withDemo());
    again.resize(1360, 820);
    again.show();
    QVERIFY(again.openExample(u"chat-stream.http"_s));
    auto *page = again.currentPage()->findChild<QSplitter *>(u"pageSplitter"_s);
    QTRY_COMPARE(page->orientation(), Qt::Vertical);
    const QList<int> sizes = page->sizes();
    QVERIFY2(std::abs(sizes.first() - sizes.last()) < 20, "half each, one above the other");
}

// A message longer than the status bar ends in an ellipsis short of the gateway
// indicator; the whole of it is the tooltip.
void TestLayout::longStatusMessagesElide()
{
    MainWindow window(withDemo());
    window.resize(1000, 650);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.useDemoGateway());
    const QString path
        = u"/no/such/folder/"_s + QString(u"deeply-nested-"_s).repeated(12) + u"requests.http"_s;
    QVERIFY(!window.openPath(path));
    QStatusBar *bar = window.statusBar();
    const QString shown = bar->currentMessage();
    QVERIFY2(shown.endsWith(QChar(0x2026)), qPrintable(shown));
    auto *gateway = view::part<QLabel>(&window, "gatewayLabel");
    QVERIFY(gateway->isVisible());
    QVERIFY(bar->fontMetrics().horizontalAdvance(shown) < gateway->x());
    QVERIFY2(bar->toolTip().contains(path), qPrintable(bar->toolTip()));
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
