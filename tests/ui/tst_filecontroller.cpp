#include "core/net/gatewaysession.h"
#include "core/store/secretstore.h"
#include "tests/testfiles.h"
#include "tests/ui/widgetview.h"
#include "ui/filecontroller.h"
#include "ui/historycontroller.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/requesttabs.h"
#include "ui/responseinspector.h"

#include <QApplication>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

// Requests outside collections: the bundled examples, plain files with the environment
// beside them, saving to a plain file without the token, and history entries reopened.
class TestFileController final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void examplesOpenOnceEach();
    void plainFilesResolveWithTheirEnvironment();
    void savingWritesNoToken();
    void historyEntriesReopenWithTheGatewaysToken();

private:
    QString lastMessage() const
    {
        return m_messages->isEmpty() ? QString() : m_messages->last().first().toString();
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<SecretVault> m_vault;
    std::unique_ptr<GatewaySession> m_session;
    std::unique_ptr<RequestTabs> m_tabs;
    std::unique_ptr<HistoryController> m_history;
    std::unique_ptr<FileController> m_files;
    std::unique_ptr<QSignalSpy> m_messages;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFileController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_filecontroller"_s);
}

void TestFileController::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_vault = std::make_unique<SecretVault>(std::make_unique<SessionSecretStore>());
    m_session = std::make_unique<GatewaySession>(&m_network, m_vault.get());
    m_tabs = std::make_unique<RequestTabs>(&m_network);
    m_history = std::make_unique<HistoryController>();
    m_files = std::make_unique<FileController>(m_session.get(), m_tabs.get(), m_history.get());
    m_messages = std::make_unique<QSignalSpy>(m_files.get(), &FileController::message);
}

void TestFileController::cleanup()
{
    m_messages.reset();
    m_files.reset();
    m_tabs.reset();
    m_history.reset();
    m_session.reset();
    m_vault.reset();
}

void TestFileController::examplesOpenOnceEach()
{
    const QStringList names = FileController::exampleNames();
    QVERIFY(names.contains(u"chat-stream.http"_s));
    QVERIFY(m_files->openExample(u"chat-stream.http"_s));
    QCOMPARE(m_tabs->count(), 1);
    // Without a gateway, the examples' first environment (the demo's) fills in.
    const GatewayRequest &r = m_tabs->currentPage()->editor()->request();
    QCOMPARE(r.baseUrl, u"http://127.0.0.1:8787/api/llm"_s);
    QCOMPARE(r.bearerToken, u"gs-demo-token"_s);
    QVERIFY(r.metadata && r.metadata->contains(std::pair { u"team"_s, u"platform"_s }));

    // Opening it again focuses its tab.
    m_tabs->addPage(u"other"_s);
    QVERIFY(m_files->openExample(u"chat-stream.http"_s));
    QCOMPARE(m_tabs->count(), 2);
    QCOMPARE(m_tabs->currentIndex(), 0);

    QVERIFY(!m_files->openExample(u"chat-stream.http"_s, u"no-such-request"_s));
    QVERIFY(lastMessage().contains(u"no-such-request"_s));
    QVERIFY(!m_files->openExample(u"missing.http"_s));
    QVERIFY(lastMessage().contains(u"missing.http"_s));
    QCOMPARE(m_tabs->count(), 2);
}

void TestFileController::plainFilesResolveWithTheirEnvironment()
{
    using gs::tests::writeFile;
    const QString dir = m_dir->path();
    writeFile(dir + u"/http-client.env.json"_s, R"({"$shared": {"team": "search"}})");
    writeFile(dir + u"/one.http"_s,
        "@host = http://gw.test\n"
        "POST {{host}}/chat/completions\n"
        "x-tfy-metadata: {\"team\":\"{{team}}\"}\n"
        "Content-Type: application/json\n\n"
        "{\"model\":\"m\"}\n");
    writeFile(dir + u"/two.http"_s,
        "### first\nGET http://gw.test/models\n\n### second\nGET http://gw.test/models\n");
    writeFile(dir + u"/none.http"_s, "# nothing but a comment\n");

    QVERIFY(m_files->openFile(dir + u"/one.http"_s));
    RequestPage *one = m_tabs->currentPage();
    QCOMPARE(one->title(), u"one"_s);
    QCOMPARE(one->filePath(), dir + u"/one.http"_s); // one request: this tab saves it
    QCOMPARE(one->editor()->request().baseUrl, u"http://gw.test"_s);
    QVERIFY(one->editor()->request().metadata->contains(std::pair { u"team"_s, u"search"_s }));

    QVERIFY(m_files->openFile(dir + u"/two.http"_s));
    QCOMPARE(m_tabs->count(), 3);
    QCOMPARE(m_tabs->page(1)->title(), u"first"_s);
    QCOMPARE(m_tabs->page(2)->title(), u"second"_s);
    QVERIFY(m_tabs->page(2)->filePath().isEmpty());

    QVERIFY(!m_files->openFile(dir + u"/none.http"_s));
    QVERIFY(lastMessage().contains(u"no requests"_s));
    QVERIFY(!m_files->openFile(dir + u"/absent.http"_s));
    QVERIFY(lastMessage().contains(u"absent.http"_s));
    QCOMPARE(m_tabs->count(), 3);
}

void TestFileController::savingWritesNoToken()
{
    m_session->setGateway(u"http://127.0.0.1:9/api/llm"_s, u"sk-canary-file"_s);
    RequestPage *page = m_files->newRequest();
    QCOMPARE(page->editor()->request().bearerToken, u"sk-canary-file"_s);
    const QString path = m_dir->filePath(u"saved request.http"_s);
    QVERIFY(m_files->save(page, path));
    const QByteArray text = gs::tests::readFile(path);
    QVERIFY2(!text.contains("sk-canary-file"), text.constData());
    QVERIFY2(text.contains("Bearer {{token}}"), text.constData());
    QVERIFY2(text.contains("{{baseUrl}}/chat/completions"), text.constData());
    QVERIFY(lastMessage().contains(u"{{token}}"_s));
    QCOMPARE(page->filePath(), path);
    QCOMPARE(m_tabs->tabText(m_tabs->indexOf(page)), u"saved request"_s);

    QVERIFY(!m_files->save(page, m_dir->filePath(u"no/such/folder/x.http"_s)));
    QVERIFY(lastMessage().startsWith(u"Cannot write"_s));
    QCOMPARE(page->filePath(), path);
}

void TestFileController::historyEntriesReopenWithTheGatewaysToken()
{
    QVERIFY(m_history->open(m_dir->filePath(u"history.sqlite"_s)));
    HistoryEntry e;
    e.at = QDateTime::currentDateTimeUtc();
    e.method = u"POST"_s;
    e.url = u"http://gw.test/chat/completions"_s;
    e.requestText = u"POST http://gw.test/chat/completions HTTP/1.1\n"
                    "Authorization: Bearer ****\n"
                    "Content-Type: application/json\n\n"
                    "{\"model\":\"openai-main/gpt-4o\"}"_s;
    e.status = 200;
    e.resolvedModel = u"openai-main/gpt-4o"_s;
    m_history->record(e);
    QSignalSpy listed(m_history.get(), &HistoryController::listed);
    m_history->search({});
    QVERIFY(listed.wait(10000));
    const qint64 id = listed.last().first().value<QList<HistoryEntry>>().first().id;

    m_session->setGateway(u"http://127.0.0.1:9"_s, u"sk-now"_s);
    QVERIFY(m_files->openHistoryEntry(id));
    RequestPage *page = m_tabs->currentPage();
    QCOMPARE(page->editor()->request().bearerToken, u"sk-now"_s);
    QCOMPARE(page->editor()->request().model, u"openai-main/gpt-4o"_s);
    QVERIFY(view::statusText(page->inspector()).contains(u"recorded"_s));
    QVERIFY(lastMessage().contains(u"200"_s));

    // Recorded against another address: it goes to the active gateway, and one click
    // sends it where it was recorded instead (another goes back).
    QCOMPARE(page->editor()->request().baseUrl, u"http://127.0.0.1:9"_s);
    page->show();
    auto *choice = view::part<QPushButton>(page, "addressChoiceButton");
    QVERIFY(view::part<QLabel>(page, "addressChoiceText")->text().contains(u"http://gw.test"_s));
    QTest::mouseClick(choice, Qt::LeftButton);
    QCOMPARE(page->editor()->request().baseUrl, u"http://gw.test"_s);
    QCOMPARE(page->editor()->request().bearerToken, u"sk-now"_s);
    QTest::mouseClick(choice, Qt::LeftButton);
    QCOMPARE(page->editor()->request().baseUrl, u"http://127.0.0.1:9"_s);

    QVERIFY(!m_files->openHistoryEntry(id + 1000));
    QCOMPARE(m_tabs->count(), 1);
}

QTEST_MAIN(TestFileController)
#include "tst_filecontroller.moc"
