#include "ui/historycontroller.h"

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;

// The window's history on a real SQLite file: recorded, searched on a worker (only the
// latest text's list comes out), retention limits kept in the settings.
class TestHistoryController final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void aFileThatCannotBeOpenedSaysWhy();
    void recordsAndListsTheLatestSearch();
    void limitsAreKeptAndApplied();

private:
    static HistoryEntry entry(const QString &url, const QByteArray &body);
    //! Searches \a text and waits for the list: how many entries it holds.
    static qsizetype listed(HistoryController &history, const QString &text);
    QTemporaryDir m_dir;
};

void TestHistoryController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_historycontroller"_s);
}

void TestHistoryController::init()
{
    QSettings().clear();
}

HistoryEntry TestHistoryController::entry(const QString &url, const QByteArray &body)
{
    HistoryEntry e;
    e.at = QDateTime::currentDateTimeUtc();
    e.method = u"POST"_s;
    e.url = url;
    e.requestText = u"POST "_s + url + u" HTTP/1.1\n"_s;
    e.status = 200;
    e.body = body;
    e.bodyBytes = body.size();
    return e;
}

qsizetype TestHistoryController::listed(HistoryController &history, const QString &text)
{
    QSignalSpy spy(&history, &HistoryController::listed);
    history.search(text);
    if (!spy.wait(10000))
        return -1;
    return spy.last().first().value<QList<HistoryEntry>>().size();
}

void TestHistoryController::aFileThatCannotBeOpenedSaysWhy()
{
    HistoryController history;
    QSignalSpy messages(&history, &HistoryController::message);
    // A folder where the file should be.
    QVERIFY(QDir().mkpath(m_dir.filePath(u"taken.sqlite"_s)));
    QVERIFY(!history.open(m_dir.filePath(u"taken.sqlite"_s)));
    QVERIFY(!history.isOpen());
    QCOMPARE(messages.size(), 1);
    QVERIFY(!messages.first().first().toString().isEmpty());
    // Without a file, recording and searching do nothing and list nothing.
    history.record(entry(u"http://gw/x"_s, "x"));
    QSignalSpy lists(&history, &HistoryController::listed);
    history.search(u"x"_s);
    QVERIFY(!lists.wait(300));
    QCOMPARE(history.count(), 0);
}

void TestHistoryController::recordsAndListsTheLatestSearch()
{
    HistoryController history;
    QSignalSpy lists(&history, &HistoryController::listed);
    QVERIFY(history.open(m_dir.filePath(u"nested/folder/history.sqlite"_s)));
    QVERIFY(lists.wait(10000)); // opening lists what the file holds
    QCOMPARE(lists.last().first().value<QList<HistoryEntry>>().size(), 0);

    history.record(entry(u"http://gw/chat/completions"_s, "the quick brown fox"));
    history.record(entry(u"http://gw/embeddings"_s, "a lazy dog"));
    QCOMPARE(history.count(), 2);
    QCOMPARE(listed(history, {}), 2);
    QCOMPARE(listed(history, u"  embeddings "_s), 1);
    QCOMPARE(listed(history, u"brown fox"_s), 1); // bodies are searched too
    QCOMPARE(listed(history, u"no such thing"_s), 0);

    // Three searches typed while one runs: the lists that come out end with the
    // latest text's, and no stale list follows it.
    lists.clear();
    history.search(u"gw"_s);
    history.search(u"chat"_s);
    history.search(u"dog"_s);
    QTRY_VERIFY(!lists.isEmpty());
    const auto last = [&] { return lists.last().first().value<QList<HistoryEntry>>(); };
    QTRY_COMPARE(last().size(), 1);
    QCOMPARE(last().first().url, u"http://gw/embeddings"_s);
    const qsizetype settled = lists.size();
    QVERIFY(settled <= 2);
    QTest::qWait(200);
    QCOMPARE(lists.size(), settled);

    // Recording lists the latest search again.
    history.record(entry(u"http://gw/dogs"_s, "another dog"));
    QVERIFY(lists.wait(10000));
    QCOMPARE(last().size(), 2);

    const qint64 id = last().first().id;
    const auto kept = history.entry(id);
    QVERIFY(kept);
    QCOMPARE(kept->body, QByteArray("another dog"));
    QVERIFY(!history.entry(id + 1000));
}

void TestHistoryController::limitsAreKeptAndApplied()
{
    QCOMPARE(HistoryController::limits().maxEntries, HistoryLimits {}.maxEntries);
    HistoryController history;
    QVERIFY(history.open(m_dir.filePath(u"limits.sqlite"_s)));
    for (int i = 0; i < 5; ++i)
        history.record(entry(u"http://gw/%1"_s.arg(i), "body"));
    QCOMPARE(history.count(), 5);

    HistoryLimits limits;
    limits.maxEntries = 2;
    limits.maxAgeDays = 9;
    QSignalSpy messages(&history, &HistoryController::message);
    QCOMPARE(history.setLimits(limits), 3);
    QCOMPARE(history.count(), 2);
    QVERIFY(messages.last().first().toString().contains(u"3"_s));
    QCOMPARE(listed(history, {}), 2);
    // Kept in the settings, where a new window finds them.
    QCOMPARE(HistoryController::limits().maxEntries, 2);
    QCOMPARE(HistoryController::limits().maxAgeDays, 9);
    HistoryController again;
    QVERIFY(again.open(m_dir.filePath(u"limits.sqlite"_s)));
    for (int i = 0; i < 3; ++i)
        again.record(entry(u"http://gw/more/%1"_s.arg(i), "body"));
    QCOMPARE(again.count(), 2);
}

QTEST_MAIN(TestHistoryController)
#include "tst_historycontroller.moc"
