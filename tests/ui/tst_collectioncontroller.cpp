#include "core/net/gatewaysession.h"
#include "core/store/secretstore.h"
#include "tests/testfiles.h"
#include "ui/collectioncontroller.h"
#include "ui/collectiontree.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"

#include <KSyntaxHighlighting/Repository>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace gs::core;
using namespace gs::ui;
using namespace gs::tests;
using namespace Qt::StringLiterals;

// The collection controller on its own: real collection folders, a real vault (in
// memory), and a stand-in for the window's tabs.
class TestCollectionController final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void opensWithTheEnvironmentAndTheVault();
    void savesBackAndReloadsWhatChangedOnDisk();
    void remembersTheEnvironment();
    void opensCollectionsAgainAtTheNextStart();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    KSyntaxHighlighting::Repository m_repository;
    QNetworkAccessManager m_network;
    QTreeWidget m_sidebar;
    std::unique_ptr<CollectionTree> m_tree;
    std::unique_ptr<SecretVault> m_vault;
    std::unique_ptr<GatewaySession> m_session;
    std::unique_ptr<CollectionController> m_controller;
    QList<RequestPage *> m_pages;
    RequestPage *m_focused = nullptr;
    int m_asked = 0;
    QString m_root;
};

void TestCollectionController::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_collectioncontroller"_s);
}

void TestCollectionController::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    writeFile(m_dir->filePath(u"team/chat.http"_s),
        "### Hello\nPOST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n"
        "Content-Type: application/json\n\n{\"model\": \"a/b\", \"messages\": []}\n");
    writeFile(m_dir->filePath(u"team/http-client.env.json"_s),
        R"({"prod": {"baseUrl": "https://gw.example/api/llm"}, "demo": {"baseUrl": "http://127.0.0.1:1/demo"}})");
    writeFile(m_dir->filePath(u"team/.gatescope.json"_s),
        R"({"schemaVersion": 1, "defaultEnvironment": "prod", "id": "c-7", "secrets": ["token"]})");
    m_root = QFileInfo(m_dir->filePath(u"team"_s)).canonicalFilePath();

    m_tree = std::make_unique<CollectionTree>(&m_sidebar);
    m_vault = std::make_unique<SecretVault>(std::make_unique<SessionSecretStore>());
    m_session = std::make_unique<GatewaySession>(&m_network, m_vault.get());
    CollectionController::Pages pages;
    pages.add = [this](const QString &title) {
        auto *page = new RequestPage(&m_repository, &m_network);
        page->setTitle(title);
        m_pages << page;
        return page;
    };
    pages.all = [this] { return m_pages; };
    pages.focus = [this](RequestPage *page) { m_focused = page; };
    pages.setToolTip = [](RequestPage *page, const QString &toolTip) { page->setToolTip(toolTip); };
    pages.keepMyEdits = [this](const QString &) {
        ++m_asked;
        return true;
    };
    m_controller = std::make_unique<CollectionController>(
        m_tree.get(), m_vault.get(), m_session.get(), std::move(pages));
    QVERIFY(m_tree->open(m_root));
}

void TestCollectionController::cleanup()
{
    m_controller.reset();
    qDeleteAll(m_pages);
    m_pages.clear();
    m_focused = nullptr;
    m_asked = 0;
}

void TestCollectionController::opensWithTheEnvironmentAndTheVault()
{
    QCOMPARE(m_vault->writeNow({ u"c-7"_s, u"prod"_s, u"token"_s }, u"sk-vault-9"_s).status,
        SecretReply::Status::Ok);
    QVERIFY(m_controller->openRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(m_pages.size(), 1);
    const GatewayRequest r = m_pages.first()->editor()->request();
    QCOMPARE(r.baseUrl, u"https://gw.example/api/llm"_s); // the collection's environment
    QCOMPARE(r.bearerToken, u"sk-vault-9"_s); // the vault's secret
    QCOMPARE(m_pages.first()->title(), u"Hello"_s);
    QCOMPARE(m_pages.first()->source()->relativePath, u"chat.http"_s);

    // Again: the open tab is focused, no second one.
    QVERIFY(m_controller->openRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(m_pages.size(), 1);
    QCOMPARE(m_focused, m_pages.first());

    // No such request: false, and a message that says so.
    QSignalSpy message(m_controller.get(), &CollectionController::message);
    QVERIFY(!m_controller->openRequest(m_root, u"chat.http"_s, 5));
    QCOMPARE(message.size(), 1);
}

void TestCollectionController::savesBackAndReloadsWhatChangedOnDisk()
{
    QVERIFY(m_controller->openRequest(m_root, u"chat.http"_s, 0));
    RequestPage *page = m_pages.first();
    GatewayRequest r = page->editor()->request();
    r.body.replace("\"messages\": []", "\"messages\": [], \"n\": 2");
    r.bearerToken = u"sk-typed-3"_s;
    page->editor()->setRequest(r);
    QVERIFY(m_controller->save(page));
    const QByteArray text = readFile(m_dir->filePath(u"team/chat.http"_s));
    QVERIFY(text.contains("\"n\": 2"));
    QVERIFY(text.contains("Bearer {{token}}")); // the typed token went to the vault
    QVERIFY(!text.contains("sk-typed-3"));
    QCOMPARE(m_vault->readNow({ u"c-7"_s, u"prod"_s, u"token"_s }).value, u"sk-typed-3"_s);

    // Changed on disk, not edited here: the tab follows without asking. (A change of
    // the same size within the file system's time resolution goes unseen: the watcher
    // compares size and time, so the test changes the size.)
    writeFile(
        m_dir->filePath(u"team/chat.http"_s), QByteArray(text).replace("\"n\": 2", "\"n\": 30"));
    QTRY_VERIFY_WITH_TIMEOUT(page->editor()->request().body.contains("\"n\": 30"), 5000);
    QCOMPARE(m_asked, 0);
}

void TestCollectionController::remembersTheEnvironment()
{
    QCOMPARE(m_controller->environment(m_root), u"prod"_s); // the collection's default
    QSignalSpy changed(m_controller.get(), &CollectionController::environmentsChanged);
    m_controller->setEnvironment(m_root, u"demo"_s);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_controller->environment(m_root), u"demo"_s);
    QVERIFY(m_controller->openRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(m_pages.first()->editor()->request().baseUrl, u"http://127.0.0.1:1/demo"_s);
    // Remembered for the next session (by the collection's id, not its path).
    CollectionController::Pages none;
    none.all = [] { return QList<RequestPage *> {}; };
    CollectionController next(m_tree.get(), m_vault.get(), m_session.get(), none);
    QCOMPARE(next.environment(m_root), u"demo"_s);
}

void TestCollectionController::opensCollectionsAgainAtTheNextStart()
{
    writeFile(m_dir->filePath(u"other/a.http"_s), "GET http://gw.test/models\n");
    writeFile(m_dir->filePath(u"gone/a.http"_s), "GET http://gw.test/models\n");
    QSignalSpy messages(m_controller.get(), &CollectionController::message);
    QSignalSpy environments(m_controller.get(), &CollectionController::environmentsChanged);
    QVERIFY(m_controller->openCollection(m_dir->filePath(u"other"_s)));
    QVERIFY(messages.last().first().toString().contains(u"1 requests in 1 files"_s));
    QCOMPARE(environments.size(), 1);
    QVERIFY(m_controller->openCollection(m_dir->filePath(u"gone"_s)));
    QVERIFY(m_controller->openCollection(m_dir->filePath(u"other"_s))); // listed once
    QVERIFY(!m_controller->openCollection(m_dir->filePath(u"absent"_s)));
    QVERIFY(!messages.last().first().toString().isEmpty());
    const QString other = QFileInfo(m_dir->filePath(u"other"_s)).canonicalFilePath();
    const QString gone = QFileInfo(m_dir->filePath(u"gone"_s)).canonicalFilePath();
    QCOMPARE(
        QSettings().value(u"collections/open"_s).toStringList(), (QStringList { other, gone }));
    QVERIFY(QDir(gone).removeRecursively());

    // The next start: the collections that still exist open again.
    QTreeWidget sidebar;
    CollectionTree tree(&sidebar);
    CollectionController next(&tree, m_vault.get(), m_session.get(), {});
    next.reopenRemembered();
    QCOMPARE(tree.roots(), QStringList { other });
}

QTEST_MAIN(TestCollectionController)
#include "tst_collectioncontroller.moc"
