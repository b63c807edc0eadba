#include "core/store/history.h"
#include "ui/collectiontree.h"
#include "ui/sidebar.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;

// The sidebar on its own: one tree for examples, collections and history, driven as
// a user does (activation, typing), each section's items carrying the sidebar's roles.
class TestSidebar final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsTheExamplesAndOpensThem();
    void typingSettlesIntoOneSearch();
    void searchFiltersTheExamples();
    void historyHasASectionOfItsOwn();
    void offersTheEnvironmentsOfACollection();
};

void TestSidebar::listsTheExamplesAndOpensThem()
{
    Sidebar sidebar(u":/examples"_s);
    QTreeWidget *tree = sidebar.tree();
    QVERIFY(tree->topLevelItemCount() >= 2);
    QTreeWidgetItem *file = tree->topLevelItem(0);
    QCOMPARE(file->text(0), u"chat-stream.http"_s);
    QVERIFY(file->childCount() >= 1);
    QSignalSpy opened(&sidebar, &Sidebar::exampleActivated);
    Q_EMIT tree->itemActivated(file->child(0), 0);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().at(0).toString(), u"chat-stream.http"_s);
    QCOMPARE(opened.first().at(1).toString(),
        file->child(0)->data(0, Sidebar::ExampleNameRole).toString());
    QVERIFY(sidebar.collections());
    QVERIFY(sidebar.environmentPicker());
}

void TestSidebar::typingSettlesIntoOneSearch()
{
    Sidebar sidebar(u":/examples"_s);
    sidebar.show();
    QSignalSpy settled(&sidebar, &Sidebar::searchSettled);
    QTest::keyClicks(sidebar.searchField(), u"embeddings"_s);
    QVERIFY(settled.wait(5000));
    QCOMPARE(settled.size(), 1);
    QCOMPARE(settled.first().first().toString(), u"embeddings"_s);
}

// The search narrows the bundled examples as it narrows collections and history: by
// a request's name or URL, or a file's name.
void TestSidebar::searchFiltersTheExamples()
{
    Sidebar sidebar(u":/examples"_s);
    sidebar.show();
    QTreeWidget *tree = sidebar.tree();
    const auto shown = [tree] {
        QStringList names;
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            bool visible = !(*it)->isHidden();
            for (QTreeWidgetItem *p = (*it)->parent(); p && visible; p = p->parent())
                visible = !p->isHidden();
            if (visible && (*it)->childCount() == 0)
                names << (*it)->text(0);
        }
        return names;
    };
    const QStringList everything = shown();
    QVERIFY(everything.contains(u"embeddings"_s));
    QVERIFY(everything.contains(u"chat-stream"_s));
    QTest::keyClicks(sidebar.searchField(), u"EMBED"_s);
    QCOMPARE(shown().filter(u"embed"_s, Qt::CaseInsensitive), QStringList { u"embeddings"_s });
    QVERIFY(!shown().contains(u"chat-stream"_s));
    QVERIFY(!shown().contains(u"models"_s));
    // By URL (the request's tooltip): /models.
    sidebar.searchField()->clear();
    QTest::keyClicks(sidebar.searchField(), u"/models"_s);
    QVERIFY(shown().contains(u"models"_s));
    QVERIFY(!shown().contains(u"embeddings"_s));
    // By file: every request of it.
    sidebar.searchField()->clear();
    QTest::keyClicks(sidebar.searchField(), u"gateway-requests"_s);
    QVERIFY(shown().contains(u"models"_s) && shown().contains(u"embeddings"_s));
    QVERIFY(!shown().contains(u"chat-stream"_s));
    // Cleared: all again.
    QTest::keyClick(sidebar.searchField(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(sidebar.searchField(), Qt::Key_Backspace);
    QCOMPARE(shown(), everything);
}

void TestSidebar::historyHasASectionOfItsOwn()
{
    Sidebar sidebar(u":/examples"_s);
    const int before = sidebar.tree()->topLevelItemCount();
    HistoryEntry e;
    e.id = 42;
    e.status = 200;
    e.method = u"POST"_s;
    e.url = u"https://gw.example/api/llm/chat/completions"_s;
    e.at = QDateTime::currentDateTimeUtc();
    sidebar.showHistory({ e });
    QCOMPARE(sidebar.tree()->topLevelItemCount(), before + 1);
    QTreeWidgetItem *history = sidebar.tree()->topLevelItem(before);
    QCOMPARE(history->text(0), u"History (1)"_s);
    // Time first (what a narrow sidebar must not elide), then status and endpoint.
    QCOMPARE(history->child(0)->text(0),
        e.at.toLocalTime().toString(u"HH:mm:ss"_s) + u" · 200 completions"_s);
    QSignalSpy opened(&sidebar, &Sidebar::historyActivated);
    Q_EMIT sidebar.tree()->itemActivated(history->child(0), 0);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().first().toLongLong(), 42);
    // Listed again: the same section, new contents.
    sidebar.showHistory({});
    QCOMPARE(sidebar.tree()->topLevelItemCount(), before + 1);
    QCOMPARE(history->childCount(), 0);
}

void TestSidebar::offersTheEnvironmentsOfACollection()
{
    Sidebar sidebar(u":/examples"_s);
    QComboBox *picker = sidebar.environmentPicker();
    sidebar.showEnvironments(std::nullopt, {});
    QVERIFY(!picker->isEnabled());
    QCOMPARE(picker->count(), 1);
    sidebar.showEnvironments(QStringList { u"dev"_s, u"prod"_s }, u"prod"_s);
    QVERIFY(picker->isEnabled());
    QCOMPARE(picker->count(), 3);
    QCOMPARE(picker->currentText(), u"prod"_s);
    QCOMPARE(picker->itemData(0).toString(), QString()); // "(none)"
    sidebar.showEnvironments(QStringList { u"dev"_s }, u"removed"_s);
    QCOMPARE(picker->currentIndex(), 0);
}

QTEST_MAIN(TestSidebar)
#include "tst_sidebar.moc"
