#include "ui/requestpage.h"
#include "ui/requesttabs.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCompleter>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>

#include <cmath>
#include <cstdlib>

using namespace gs::ui;
using namespace Qt::StringLiterals;

namespace {

// The same sizes, rounding aside (a ratio is kept as shares of the whole).
bool sameWithin(const QList<int> &a, const QList<int> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (std::abs(a[i] - b[i]) > 2)
            return false;
    }
    return true;
}

} // namespace

// The window's tabs of open requests, driven by the mouse: pages added and closed,
// model names for every page, splitter positions remembered across pages and sessions.
class TestRequestTabs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void addsAndClosesPages();
    void everyPageGetsTheModelNames();
    void splittersOpenAsTheUserLeftThem();
    void modifiedPagesSayItAndAskBeforeClosing();

private:
    static int modelSuggestions(RequestPage *page)
    {
        return page->findChild<QLineEdit *>(u"model"_s)->completer()->model()->rowCount();
    }
    QNetworkAccessManager m_network;
};

void TestRequestTabs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_requesttabs"_s);
    QSettings().clear();
}

void TestRequestTabs::addsAndClosesPages()
{
    RequestTabs tabs(&m_network);
    tabs.resize(1000, 650);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    QSignalSpy changed(&tabs, &RequestTabs::pagesChanged);
    RequestPage *first = tabs.addPage(u"first"_s);
    RequestPage *second = tabs.addPage(u"second"_s);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(tabs.currentPage(), second);
    QCOMPARE(tabs.pages(), (QList<RequestPage *> { first, second }));
    QCOMPARE(tabs.tabText(0), u"first"_s);

    second->setTitle(u"renamed"_s);
    tabs.updateTitle(second);
    QCOMPARE(tabs.tabText(1), u"renamed"_s);

    // The close button on the first tab, clicked.
    QPointer<RequestPage> closing = first;
    QWidget *close = tabs.tabBar()->tabButton(0, QTabBar::RightSide);
    if (!close)
        close = tabs.tabBar()->tabButton(0, QTabBar::LeftSide);
    QVERIFY(close);
    QTest::mouseClick(close, Qt::LeftButton);
    QVERIFY(closing.isNull()); // deleted, not only hidden
    QCOMPARE(changed.size(), 3);
    QCOMPARE(tabs.pages(), QList<RequestPage *> { second });

    // Closing all is quiet: the window calls it while it is going away.
    tabs.closeAll();
    QCOMPARE(tabs.count(), 0);
    QCOMPARE(changed.size(), 3);
    QCOMPARE(tabs.currentPage(), nullptr);
}

void TestRequestTabs::everyPageGetsTheModelNames()
{
    RequestTabs tabs(&m_network);
    RequestPage *before = tabs.addPage(u"before"_s);
    QCOMPARE(modelSuggestions(before), 0);
    tabs.setModelSuggestions({ u"openai-main/gpt-4o"_s, u"anthropic/claude"_s });
    QCOMPARE(modelSuggestions(before), 2);
    QCOMPARE(modelSuggestions(tabs.addPage(u"after"_s)), 2);
}

void TestRequestTabs::splittersOpenAsTheUserLeftThem()
{
    QList<int> dragged;
    {
        RequestTabs tabs(&m_network);
        tabs.resize(1200, 700);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        RequestPage *open = tabs.addPage(u"open"_s);
        RequestPage *page = tabs.addPage(u"one"_s);
        auto *splitter = page->findChild<QSplitter *>(u"pageSplitter"_s);
        QVERIFY(splitter);
        const QList<int> before = splitter->sizes();
        // Drag the handle 150 pixels to the left.
        QSplitterHandle *handle = splitter->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        QTest::mouseMove(handle, grip - QPoint(150, 0));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip - QPoint(150, 0));
        dragged = splitter->sizes();
        QVERIFY2(dragged.first() < before.first() - 100, "the drag moved the handle");

        // One ratio for every tab: a page that was already open follows.
        tabs.setCurrentWidget(open);
        auto *other = open->findChild<QSplitter *>(u"pageSplitter"_s);
        QTRY_VERIFY2(sameWithin(other->sizes(), dragged), "the open page follows the drag");
        // And a narrower window keeps the ratio, not the pixels.
        tabs.resize(900, 700);
        QTRY_COMPARE(tabs.width(), 900);
        const QList<int> narrow = other->sizes();
        const double ratio = double(narrow.first()) / (narrow.first() + narrow.last());
        const double draggedRatio = double(dragged.first()) / (dragged.first() + dragged.last());
        QVERIFY2(std::abs(ratio - draggedRatio) < 0.01, qPrintable(QString::number(ratio)));
        tabs.resize(1200, 700);
        QTRY_COMPARE(tabs.width(), 1200);
        tabs.setCurrentWidget(page);

        // A page opened later in the same session opens the same way.
        auto *next = tabs.addPage(u"two"_s)->findChild<QSplitter *>(u"pageSplitter"_s);
        QVERIFY2(sameWithin(next->sizes(), dragged), "the same ratio in the next page");
        tabs.saveSplitters();
    }
    // And in the next session.
    RequestTabs tabs(&m_network);
    tabs.resize(1200, 700);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    auto *again = tabs.addPage(u"three"_s)->findChild<QSplitter *>(u"pageSplitter"_s);
    QVERIFY2(sameWithin(again->sizes(), dragged), "the same ratio in the next session");
}

// A page edited after it was saved shows a dot on its tab; closing it asks, and the
// answer is honoured: cancel keeps it, save keeps it unless saving worked, discard
// closes it.
void TestRequestTabs::modifiedPagesSayItAndAskBeforeClosing()
{
    RequestTabs tabs(&m_network);
    tabs.resize(1200, 700);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    RequestTabs::Unsaved answer = RequestTabs::Unsaved::Cancel;
    int asked = 0;
    tabs.askUnsaved = [&](RequestPage *) {
        ++asked;
        return answer;
    };
    bool saves = false;
    int saved = 0;
    tabs.save = [&](RequestPage *page) {
        ++saved;
        if (saves)
            page->markSaved();
        return saves;
    };
    RequestPage *page = tabs.addPage(u"chat"_s);
    page->markSaved();
    QCOMPARE(tabs.tabText(0), u"chat"_s);
    // Typed into the URL field, as a user does.
    auto *url = page->findChild<QLineEdit *>(u"url"_s);
    url->setFocus();
    QTest::keyClicks(url, u"https://gw.test/chat/completions"_s);
    QVERIFY(page->isModified());
    QCOMPARE(tabs.tabText(0), u"chat ●"_s);

    QVERIFY(!tabs.closePage(0)); // cancel
    QCOMPARE(asked, 1);
    QCOMPARE(tabs.count(), 1);
    answer = RequestTabs::Unsaved::Save; // saving fails: the page stays
    QVERIFY(!tabs.closePage(0));
    QCOMPARE(saved, 1);
    QVERIFY(!tabs.mayCloseAll());
    saves = true;
    QVERIFY(tabs.mayCloseAll()); // saved now
    QCOMPARE(tabs.tabText(0), u"chat"_s);
    QVERIFY(tabs.closePage(0)); // not modified: no question
    QCOMPARE(asked, 4);

    // Discard closes; a page never marked saved (nothing to compare with) never asks.
    RequestPage *other = tabs.addPage(u"other"_s);
    other->markSaved();
    other->findChild<QLineEdit *>(u"url"_s)->setFocus();
    QTest::keyClicks(other->findChild<QLineEdit *>(u"url"_s), u"x"_s);
    answer = RequestTabs::Unsaved::Discard;
    QVERIFY(tabs.closePage(0));
    QCOMPARE(asked, 5);
    RequestPage *loose = tabs.addPage(u"loose"_s);
    QTest::keyClicks(loose->findChild<QLineEdit *>(u"url"_s), u"x"_s);
    QVERIFY(!loose->isModified());
    QVERIFY(tabs.closePage(0));
    QCOMPARE(asked, 5);
}

QTEST_MAIN(TestRequestTabs)
#include "tst_requesttabs.moc"
