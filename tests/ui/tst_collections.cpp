#include "core/net/exchange.h"
#include "core/store/collection.h"
#include "core/store/secretstore.h"
#include "tests/testfiles.h"
#include "tests/tlsserver.h"
#include "ui/collectiontree.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPalette>
#include <QScopeGuard>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <functional>
#include <utility>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;
using namespace gs::tests;

namespace {

const QByteArray kChat
    = "# Team chat requests\n"
      "\n"
      "### Hello\n"
      "POST {{baseUrl}}/chat/completions\n"
      "Authorization: Bearer {{token}}\n"
      "Content-Type: application/json\n"
      "\n"
      "{\"model\": \"openai-main/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", "
      "\"content\": \"hello\"}]}\n"
      "\n"
      "### Models\n"
      "GET {{baseUrl}}/models\n"
      "Authorization: Bearer {{token}}\n";

// A keyring that answers only when the test says so (as one waiting for the user to
// unlock it does). Its calls and values outlive the store, as a keyring daemon
// outlives the window that asked it.
struct Keyring
{
    QList<std::function<void()>> waiting;
    QHash<QString, QString> values;
    //! Answers every call made so far.
    void answer()
    {
        const auto calls = std::exchange(waiting, {});
        for (const auto &call : calls)
            call();
    }
};

class LateStore final : public SecretStore
{
public:
    explicit LateStore(std::shared_ptr<Keyring> keyring)
        : m_keyring(std::move(keyring))
    { }
    QString description() const override { return u"a slow keyring"_s; }
    void read(const SecretKey &key, Callback done) override
    {
        m_keyring->waiting.append([k = m_keyring, key, done] {
            const auto it = k->values.constFind(key.account());
            done(it == k->values.cend() ? SecretReply { SecretReply::Status::NotFound, {}, {} }
                                        : SecretReply { SecretReply::Status::Ok, *it, {} });
        });
    }
    void write(const SecretKey &key, const QString &value, Callback done) override
    {
        m_keyring->waiting.append([k = m_keyring, key, value, done] {
            k->values.insert(key.account(), value);
            done({});
        });
    }
    void remove(const SecretKey &key, Callback done) override
    {
        m_keyring->waiting.append([k = m_keyring, key, done] {
            k->values.remove(key.account());
            done({});
        });
    }

private:
    std::shared_ptr<Keyring> m_keyring;
};

QStringList texts(const QTreeWidgetItem *item)
{
    QStringList out;
    for (int i = 0; i < item->childCount(); ++i)
        out << item->child(i)->text(0);
    return out;
}

} // namespace

// A real collection folder opened in the real window, offscreen.
class TestCollections final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void sidebarShowsTheCollection();
    void opensWithTheChosenEnvironment();
    void savesEditsBackByteForByte();
    void typedTokenGoesToTheVaultNotTheFile();
    void externalChangesReloadOrAsk();
    void sidebarOperations();
    void withoutAKeyringSecretsStayInTheSessionOrAFileOnRequest();
    void contextMenus();
    void bodyFromAFileIsNamed();
    void savedIntoACollectionCredentialsGoToTheVault();
    void aSlowKeyringNeverHoldsTheWindow();
    void anEnvironmentsPrivateCaIsTrusted();
    void screenshot();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    //! Types \a token into the current tab's bearer token, as the Gateway form does.
    static void typeToken(MainWindow &window, const QString &token);
    QString m_root;
};

void TestCollections::typeToken(MainWindow &window, const QString &token)
{
    GatewayRequest r = window.currentPage()->editor()->request();
    r.bearerToken = token;
    window.currentPage()->editor()->setRequest(r);
}

void TestCollections::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_collections"_s);
}

void TestCollections::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    writeFile(path(u"team/chat.http"_s), kChat);
    writeFile(path(u"team/tools/weather.http"_s),
        "# @name weather\nPOST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n\n"
        "{\"model\": \"openai-main/gpt-4o\", \"messages\": []}\n");
    writeFile(path(u"team/broken.http"_s), "GET {{baseUrl}}/models\nnot a header\n");
    writeFile(path(u"team/http-client.env.json"_s),
        R"({"demo": {"baseUrl": "http://127.0.0.1:1/demo"}, "prod": {"baseUrl": "https://gw.example/api/llm"}})");
    writeFile(
        path(u"team/.gatescope.json"_s), R"({"schemaVersion": 1, "defaultEnvironment": "prod"})");
    m_root = QFileInfo(path(u"team"_s)).canonicalFilePath();
}

void TestCollections::sidebarShowsTheCollection()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    auto *tree = window.findChild<QTreeWidget *>(u"sidebar"_s);
    QTreeWidgetItem *top = tree->topLevelItem(0);
    QCOMPARE(top->text(0), u"team"_s);
    QCOMPARE(
        texts(top), QStringList({ u"tools"_s, u"broken.http (does not parse)"_s, u"chat.http"_s }));
    QTreeWidgetItem *broken = top->child(1);
    QVERIFY2(broken->toolTip(0).contains(u"broken.http: line 2, column 1"_s),
        qPrintable(broken->toolTip(0)));
    QCOMPARE(broken->childCount(), 0);
    QCOMPARE(texts(top->child(2)), QStringList({ u"Hello"_s, u"Models"_s }));
    QCOMPARE(texts(top->child(0)), QStringList({ u"weather.http"_s }));
    QVERIFY(window.statusBar()->currentMessage().contains(u"broken.http"_s));

    // Opened again at the next start.
    QCOMPARE(QSettings().value(u"collections/open"_s).toStringList(), QStringList { m_root });
    MainWindow next; // they open right after the first frame
    QTRY_COMPARE(next.collections()->roots(), QStringList { m_root });

    // Search filters requests by name, file and URL.
    auto *search = window.findChild<QLineEdit *>(u"historySearch"_s);
    search->setText(u"models"_s);
    QVERIFY(top->child(2)->child(0)->isHidden());
    QVERIFY(!top->child(2)->child(1)->isHidden());
    QVERIFY(top->child(0)->isHidden()); // tools has nothing that matches
    QCOMPARE(window.collections()->filter(u"weather"_s), 1);
    search->clear();
    QVERIFY(!top->child(0)->isHidden());
}

void TestCollections::opensWithTheChosenEnvironment()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    auto *picker = window.findChild<QComboBox *>(u"environmentPicker"_s);
    QCOMPARE(picker->count(), 3);
    QCOMPARE(picker->currentText(), u"prod"_s); // the collection's default
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(window.currentPage()->editor()->request().baseUrl, u"https://gw.example/api/llm"_s);
    // Opening it again focuses the tab.
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(window.pageCount(), 1);

    window.setEnvironment(m_root, u"demo"_s);
    QCOMPARE(picker->currentText(), u"demo"_s);
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 1));
    QCOMPARE(window.currentPage()->editor()->request().baseUrl, u"http://127.0.0.1:1/demo"_s);
    QCOMPARE(window.currentPage()->variablePreview(),
        u"Variables (demo): baseUrl = http://127.0.0.1:1/demo  ·  token: not set"_s);
    // No token anywhere: sending is blocked and says which variable is missing.
    QVERIFY(!window.currentPage()->editor()->canSend());
    QVERIFY2(window.currentPage()->editor()->blockReason().contains(u"{{token}}"_s),
        qPrintable(window.currentPage()->editor()->blockReason()));
    // Remembered per collection.
    {
        MainWindow next;
        QTRY_COMPARE(next.environment(m_root), u"demo"_s);
    }
    // No environment is a choice too: the active gateway alone fills in.
    window.setEnvironment(m_root, QString());
    QCOMPARE(picker->currentText(), u"(none)"_s);
    MainWindow later;
    QTRY_VERIFY(!later.collections()->roots().isEmpty());
    QCOMPARE(later.environment(m_root), QString());
}

// A request whose body is "< file" (an imported one, say) names that file and its size
// above the editor before anything is sent; one written inline says nothing.
void TestCollections::bodyFromAFileIsNamed()
{
    writeFile(path(u"team/payload.json"_s), R"({"model":"openai-main/gpt-4o","messages":[]})"_ba);
    writeFile(path(u"team/included.http"_s),
        "POST {{baseUrl}}/chat/completions\nContent-Type: application/json\n\n< ./payload.json\n"_ba);
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    QVERIFY(window.openCollectionRequest(m_root, u"included.http"_s, 0));
    const QString shown = window.currentPage()->bodyInclude();
    QVERIFY2(shown.contains(QFileInfo(path(u"team/payload.json"_s)).absoluteFilePath()),
        qPrintable(shown));
    QVERIFY2(shown.contains(u"(44 bytes)"_s), qPrintable(shown));
    QVERIFY(window.currentPage()->findChild<QLabel *>(u"bodyInclude"_s)->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.grab().save(
        QDir(QStringLiteral(GATESCOPE_BINARY_DIR)).filePath(u"body-include.png"_s)));
    window.resize(window.minimumSizeHint());
    QVERIFY(window.grab().save(
        QDir(QStringLiteral(GATESCOPE_BINARY_DIR)).filePath(u"body-include-small.png"_s)));
    // And in a dark palette: the line follows it like the rest of the window.
    const QPalette light = QApplication::palette();
    QPalette dark = light;
    dark.setColor(QPalette::Window, QColor(40, 40, 44));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Base, QColor(25, 25, 28));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    QApplication::setPalette(dark);
    QCoreApplication::sendPostedEvents();
    QVERIFY(window.palette().color(QPalette::Window).lightness() < 60);
    QVERIFY(window.grab().save(
        QDir(QStringLiteral(GATESCOPE_BINARY_DIR)).filePath(u"body-include-dark.png"_s)));
    QApplication::setPalette(light);
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    QVERIFY(window.currentPage()->bodyInclude().isEmpty());
    QVERIFY(!window.currentPage()->findChild<QLabel *>(u"bodyInclude"_s)->isVisible());
}

// A new request saved into a collection: a credential header other than the
// gateway's token goes to the keyring under the name the file now says.
void TestCollections::savedIntoACollectionCredentialsGoToTheVault()
{
    MainWindow window;
    window.show();
    window.setGateway(u"https://gw.example/api/llm"_s, u"tok-gateway-secret-1"_s);
    QVERIFY(window.openCollection(path(u"team"_s)));
    RequestPage *page = window.newRequest();
    GatewayRequest r = page->editor()->request();
    r.extraHeaders.append(HttpHeader { "X-Auth-Token", "xt-typed-secret-77" });
    page->editor()->setRequest(r);
    QVERIFY(window.saveCurrentToCollection(m_root, u"tools"_s, u"authed"_s));
    const QByteArray text = gs::tests::readFile(path(u"team/tools/authed.http"_s));
    QVERIFY2(text.contains("X-Auth-Token: {{x_auth_token}}"), text.constData());
    QVERIFY(!text.contains("xt-typed-secret-77"));
    QVERIFY(!text.contains("tok-gateway-secret-1"));
    const QString id = window.collections()->collection(m_root)->settings().id;
    QVERIFY(
        window.collections()->collection(m_root)->settings().secrets.contains(u"x_auth_token"_s));
    QCOMPARE(window.vault()->readNow({ id, u"prod"_s, u"x_auth_token"_s }).value,
        u"xt-typed-secret-77"_s);
    // The gateway's own token stays the gateway's.
    QVERIFY(!window.collections()->collection(m_root)->settings().secrets.contains(u"token"_s));
}

// The window asks the keyring and goes on; the request opens when the answer comes,
// and an answer that comes after the window closed goes nowhere.
void TestCollections::aSlowKeyringNeverHoldsTheWindow()
{
    writeFile(path(u"team/.gatescope.json"_s),
        R"({"schemaVersion": 1, "defaultEnvironment": "prod", "id": "c-1", "secrets": ["token"]})");
    auto keyring = std::make_shared<Keyring>();
    WindowParts parts;
    parts.vault = std::make_unique<SecretVault>(std::make_unique<LateStore>(keyring));
    auto window = std::make_unique<MainWindow>(std::move(parts));
    window->show();
    QVERIFY(window->openCollection(path(u"team"_s)));

    // A secret set from the sidebar: the settings name it at once, the value is on its way.
    QVERIFY(window->setCollectionSecret(m_root, u"token"_s, u"sk-slow-1"_s));
    QCOMPARE(keyring->waiting.size(), 1);
    keyring->answer();
    QVERIFY(window->statusBar()->currentMessage().contains(u"a slow keyring"_s));

    // Opening a request that needs it: nothing opens until the keyring answers, and
    // the window keeps handling events meanwhile.
    QVERIFY(window->openCollectionRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(window->pageCount(), 0);
    QCOMPARE(keyring->waiting.size(), 1);
    bool ticked = false;
    QTimer::singleShot(0, window.get(), [&ticked] { ticked = true; });
    QTRY_VERIFY(ticked);
    // Asked twice before the answer: one tab.
    QVERIFY(window->openCollectionRequest(m_root, u"chat.http"_s, 0));
    keyring->answer();
    QCOMPARE(window->pageCount(), 1);
    QCOMPARE(window->currentPage()->editor()->request().bearerToken, u"sk-slow-1"_s);

    // Closed while the keyring is still thinking: the late answer is dropped.
    QVERIFY(window->openCollectionRequest(m_root, u"chat.http"_s, 1));
    QCOMPARE(keyring->waiting.size(), 1);
    window.reset();
    keyring->answer(); // no crash, no tab: the window that asked is gone
}

// An environment whose SSLConfiguration names a private CA (a file next to it): its
// requests reach a gateway with a certificate that CA issued; the same gateway from an
// environment without it is refused, the certificate problem named.
void TestCollections::anEnvironmentsPrivateCaIsTrusted()
{
    gs::tests::LoopbackTlsServer server;
    QVERIFY(QDir().mkpath(path(u"team/certs"_s)));
    QVERIFY(QFile::copy(server.file("self-signed.crt"), path(u"team/certs/private-ca.pem"_s)));
    const QByteArray base = server.base().toUtf8();
    writeFile(path(u"team/http-client.env.json"_s),
        R"({"selfhosted": {"baseUrl": ")" + base + R"(", "token": "t",
              "SSLConfiguration": {"caCertificate": "certs/private-ca.pem"}},
            "plain": {"baseUrl": ")"
            + base + R"(", "token": "t"}})");
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    // Each from a request of its own: a request open in a tab keeps the environment
    // it was opened with.
    const auto sendFrom = [&](const QString &environment, int index) -> gs::core::Exchange * {
        window.setEnvironment(m_root, environment);
        if (!window.openCollectionRequest(m_root, u"chat.http"_s, index))
            return nullptr;
        RequestPage *page = window.currentPage();
        if (!page->send())
            return nullptr;
        if (!QTest::qWaitFor(
                [page] { return page->exchange() && page->exchange()->isFinished(); }, 20000))
            return nullptr;
        return page->exchange();
    };
    const gs::core::Exchange *plain = sendFrom(u"plain"_s, 0);
    QVERIFY(plain);
    QCOMPARE(plain->error().kind, gs::core::ExchangeError::Kind::Tls);
    QVERIFY(plain->error().message.contains(u"self-signed"_s, Qt::CaseInsensitive));
    QCOMPARE(server.answered().size(), 0);
    const gs::core::Exchange *trusted = sendFrom(u"selfhosted"_s, 1);
    QVERIFY(trusted);
    QCOMPARE(trusted->error().message, QString());
    QCOMPARE(trusted->status(), 200);
    QCOMPARE(server.answered().size(), 1);
}

void TestCollections::savesEditsBackByteForByte()
{
    MainWindow window;
    window.show();
    window.setGateway(u"https://gw.example/api/llm"_s, u"tok-gateway-secret-1"_s);
    QVERIFY(window.openCollection(path(u"team"_s)));
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    RequestPage *page = window.currentPage();
    QVERIFY(!page->isModified());
    // The preview shows where the values came from, the token masked.
    QCOMPARE(page->variablePreview(),
        u"Variables (prod): baseUrl = https://gw.example/api/llm  ·  token = ••••••"_s);

    // Unchanged: nothing written (the file keeps its old time).
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-2);
    {
        QFile f(path(u"team/chat.http"_s));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(old, QFileDevice::FileModificationTime));
    }
    window.collections()->refresh(m_root);
    QVERIFY(window.saveCurrent());
    QCOMPARE(QFileInfo(path(u"team/chat.http"_s)).lastModified().toSecsSinceEpoch(),
        old.toSecsSinceEpoch());

    GatewayRequest r = page->editor()->request();
    r.body.replace("hello", "hello again");
    page->editor()->setRequest(r);
    QVERIFY(page->isModified());
    QVERIFY(window.saveCurrent());
    QVERIFY(!page->isModified());
    QByteArray expected = kChat;
    expected.replace("\"content\": \"hello\"", "\"content\": \"hello again\"");
    const QByteArray text = readFile(path(u"team/chat.http"_s));
    QCOMPARE(text, expected);
    QVERIFY(!text.contains("tok-gateway-secret-1"));
}

void TestCollections::typedTokenGoesToTheVaultNotTheFile()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 1));
    typeToken(window, u"sk-typed-in-4242"_s);
    QVERIFY(window.saveCurrent());
    const QByteArray text = readFile(path(u"team/chat.http"_s));
    QCOMPARE(text, kChat); // the file already said {{token}}: nothing to write
    const QByteArray settings = readFile(path(u"team/.gatescope.json"_s));
    QVERIFY(settings.contains("\"secrets\""));
    QVERIFY(!settings.contains("sk-typed-in-4242"));
    const QString id = window.collections()->collection(m_root)->settings().id;
    QVERIFY(!id.isEmpty() && id != m_root);
    QCOMPARE(window.vault()->readNow({ id, u"prod"_s, u"token"_s }).value, u"sk-typed-in-4242"_s);
    QVERIFY(window.statusBar()->currentMessage().contains(u"memory, for this session only"_s));

    // A secret variable set from the sidebar: listed in the settings, kept in the
    // vault, filled in (and masked in the preview) when a request uses it.
    writeFile(path(u"team/keyed.http"_s),
        "POST {{baseUrl}}/chat/completions\nx-team-key: {{teamKey}}\n\n{\"model\": \"a/b\"}\n");
    window.collections()->refresh(m_root);
    QVERIFY(!window.setCollectionSecret(m_root, u"not a name"_s, u"x"_s));
    QVERIFY(window.setCollectionSecret(m_root, u"teamKey"_s, u"tk-secret-77"_s));
    QVERIFY(readFile(path(u"team/.gatescope.json"_s)).contains("\"teamKey\""));
    QVERIFY(!readFile(path(u"team/.gatescope.json"_s)).contains("tk-secret-77"));
    QVERIFY(window.openCollectionRequest(m_root, u"keyed.http"_s, 0));
    QCOMPARE(window.currentPage()->variablePreview(),
        u"Variables (prod): baseUrl = https://gw.example/api/llm  ·  teamKey = ••••••"_s);
    QVERIFY(window.currentPage()->editor()->request().extraHeaders.contains(
        HttpHeader { "x-team-key", "tk-secret-77" }));

    // The next request opened from the collection gets the token from the vault.
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    QCOMPARE(window.currentPage()->editor()->request().bearerToken, u"sk-typed-in-4242"_s);
}

void TestCollections::externalChangesReloadOrAsk()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    RequestPage *page = window.currentPage();
    int asked = 0;
    bool keep = false;
    window.keepMyEdits = [&](const QString &) {
        ++asked;
        return keep;
    };

    // Not edited here: the tab follows the file without asking.
    writeFile(path(u"team/chat.http"_s), QByteArray(kChat).replace("hello", "pulled"));
    QTRY_VERIFY_WITH_TIMEOUT(page->editor()->request().body.contains("pulled"), 5000);
    QCOMPARE(asked, 0);

    // Edited here and changed there: asked; "take theirs" reloads.
    GatewayRequest r = page->editor()->request();
    r.body.replace("pulled", "mine");
    page->editor()->setRequest(r);
    writeFile(path(u"team/chat.http"_s), QByteArray(kChat).replace("hello", "theirs"));
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 5000);
    QVERIFY(page->editor()->request().body.contains("theirs"));

    // "Keep mine": the edit stays and saving writes it over the file's version.
    r = page->editor()->request();
    r.body.replace("theirs", "mine again");
    page->editor()->setRequest(r);
    keep = true;
    writeFile(path(u"team/chat.http"_s), QByteArray(kChat).replace("hello", "theirs again"));
    QTRY_COMPARE_WITH_TIMEOUT(asked, 2, 5000);
    QVERIFY(page->editor()->request().body.contains("mine again"));
    QVERIFY(window.saveCurrent());
    QVERIFY(readFile(path(u"team/chat.http"_s)).contains("mine again"));

    // A file that stops parsing is shown as broken and never written.
    writeFile(path(u"team/chat.http"_s), "POST {{baseUrl}}\nbroken header line\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        window.collections()->collection(m_root)->file(u"chat.http"_s)->isBroken(), 5000);
    QVERIFY(!window.saveCurrent());
    QCOMPARE(
        readFile(path(u"team/chat.http"_s)), QByteArray("POST {{baseUrl}}\nbroken header line\n"));
}

void TestCollections::sidebarOperations()
{
    MainWindow window;
    window.show();
    QVERIFY(window.openCollection(path(u"team"_s)));
    CollectionTree *tree = window.collections();
    tree->confirm = [](const QString &) { return true; };
    const CollectionTree::Location root { m_root, {}, -1, true };
    const CollectionTree::Location tools { m_root, u"tools"_s, -1, true };

    QVERIFY(tree->newFolder(root, u"drafts"_s));
    QVERIFY(QFileInfo(path(u"team/drafts"_s)).isDir());
    QVERIFY(tree->newRequest({ m_root, u"drafts"_s, -1, true }, u"Try Claude"_s));
    QVERIFY(QFile::exists(path(u"team/drafts/try-claude.http"_s)));
    QCOMPARE(window.currentPage()->title(), u"Try Claude"_s); // opened for editing
    QVERIFY(tree->newRequest({ m_root, u"chat.http"_s, -1, false }, u"Third"_s));
    QCOMPARE(tree->collection(m_root)->file(u"chat.http"_s)->requests().size(), 3);
    QVERIFY(readFile(path(u"team/chat.http"_s)).startsWith(kChat)); // appended, the rest untouched

    QVERIFY(tree->rename({ m_root, u"chat.http"_s, 2, false }, u"Third, renamed"_s));
    QCOMPARE(
        tree->collection(m_root)->file(u"chat.http"_s)->requests().at(2).name, u"Third, renamed"_s);
    QVERIFY(tree->duplicate({ m_root, u"chat.http"_s, 0, false }));
    QCOMPARE(
        tree->collection(m_root)->file(u"chat.http"_s)->requests().at(3).name, u"Hello copy"_s);
    QVERIFY(tree->remove({ m_root, u"chat.http"_s, 3, false }));
    QCOMPARE(tree->collection(m_root)->file(u"chat.http"_s)->requests().size(), 3);

    QVERIFY(tree->rename({ m_root, u"drafts/try-claude.http"_s, -1, false }, u"claude"_s));
    QVERIFY(QFile::exists(path(u"team/drafts/claude.http"_s)));
    QVERIFY(tree->move({ m_root, u"drafts"_s, -1, true }, tools)); // drag and drop
    QVERIFY(QFile::exists(path(u"team/tools/drafts/claude.http"_s)));
    QVERIFY(!tree->move(tools, { m_root, u"tools/drafts"_s, -1, true })); // not into itself
    QVERIFY(tree->duplicate({ m_root, u"tools/weather.http"_s, -1, false }));
    QVERIFY(QFile::exists(path(u"team/tools/weather copy.http"_s)));

    // Deleting asks, and goes to the trash.
    tree->confirm = [](const QString &) { return false; };
    QVERIFY(!tree->remove({ m_root, u"tools/weather copy.http"_s, -1, false }));
    QVERIFY(QFile::exists(path(u"team/tools/weather copy.http"_s)));
    tree->confirm = [](const QString &) { return true; };
    QVERIFY(tree->remove({ m_root, u"tools/weather copy.http"_s, -1, false }));
    QVERIFY(!QFile::exists(path(u"team/tools/weather copy.http"_s)));
    const QString trash
        = qEnvironmentVariable("XDG_DATA_HOME") + u"/Trash/files/weather copy.http"_s;
    QVERIFY2(QFile::exists(trash), qPrintable(trash));

    // Failures are reported, not thrown away.
    QVERIFY(!tree->newFolder(root, u"tools"_s));
    QVERIFY(window.statusBar()->currentMessage().contains(u"already exists"_s));
    QVERIFY(!tree->newRequest({ m_root, u"broken.http"_s, -1, false }, u"x"_s));
    QVERIFY(window.statusBar()->currentMessage().contains(u"will not write"_s));
    QCOMPARE(readFile(path(u"team/broken.http"_s)),
        QByteArray("GET {{baseUrl}}/models\nnot a header\n"));

    // A drop on the tree: weather.http (the current item, as a drag starts from it)
    // onto the drafts folder. (Qt delivers no synthetic drop events, so the drop
    // handler is called as the event filter calls it.)
    auto *sidebar = window.findChild<QTreeWidget *>(u"sidebar"_s);
    QTreeWidgetItem *weather = tree->itemAt({ m_root, u"tools/weather.http"_s, -1, false });
    QTreeWidgetItem *drafts = tree->itemAt({ m_root, u"tools/drafts"_s, -1, true });
    QVERIFY(weather && drafts);
    sidebar->setCurrentItem(weather);
    QVERIFY(tree->dropOn(drafts));
    QVERIFY(QFile::exists(path(u"team/tools/drafts/weather.http"_s)));
    QVERIFY(!QFile::exists(path(u"team/tools/weather.http"_s)));
    QVERIFY(tree->move({ m_root, u"tools/drafts/weather.http"_s, -1, false }, tools));

    // The tree shows it all.
    QTreeWidgetItem *toolsItem = tree->itemAt(tools);
    QVERIFY(toolsItem);
    QCOMPARE(texts(toolsItem), QStringList({ u"drafts"_s, u"weather.http"_s }));
    QCOMPARE(sidebar->topLevelItem(0)->text(0), u"team"_s);
}

void TestCollections::withoutAKeyringSecretsStayInTheSessionOrAFileOnRequest()
{
    // The real credential store, with no D-Bus to reach it (a headless machine).
    const QByteArray store = qgetenv("GATESCOPE_SECRET_STORE");
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("GATESCOPE_SECRET_STORE");
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gatescope-test-bus");
    const auto restore = qScopeGuard([&] {
        qputenv("GATESCOPE_SECRET_STORE", store);
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
    });
    const QString file = m_dir->filePath(u"config/secrets.json"_s);
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openCollection(path(u"team"_s)));
        QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 1));
        typeToken(window, u"sk-headless-1"_s);
        QVERIFY(window.saveCurrent());
        // Said plainly, and kept for the session only: no file anywhere.
        // (The keyring answers in the background; the window never waited for it.)
        QTRY_VERIFY2(window.statusBar()->currentMessage().contains(u"for this session only"_s),
            qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(
            window.vault()->fallbackReason().startsWith(u"No system credential store answered"_s));
        QVERIFY(!QFile::exists(file));

        // The user asks for the file: from then on secrets go there, owner-only.
        window.keepSecretsInFile(file);
        typeToken(window, u"sk-headless-2"_s);
        QVERIFY(window.saveCurrent());
        QTRY_VERIFY(QFile::exists(file));
#ifdef Q_OS_UNIX // Windows has no mode bits (tst_secrets says more)
        QCOMPARE(QFile::permissions(file) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), 0);
#endif
        QVERIFY(readFile(file).contains("sk-headless-2"));
    }
    // A later start reads it back from the file.
    MainWindow next;
    QTRY_VERIFY(next.collections()->collection(m_root));
    const QString id = next.collections()->collection(m_root)->settings().id;
    QCOMPARE(next.vault()->readNow({ id, u"prod"_s, u"token"_s }).value, u"sk-headless-2"_s);
}

void TestCollections::contextMenus()
{
    MainWindow window;
    window.resize(1360, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openCollection(path(u"team"_s)));
    auto *sidebar = window.findChild<QTreeWidget *>(u"sidebar"_s);
    CollectionTree *tree = window.collections();
    // Opens the menu of an item as a right click does, reads it and closes it.
    const auto menuOf = [&](const CollectionTree::Location &at, const QString &shot) {
        QTreeWidgetItem *item = tree->itemAt(at);
        sidebar->scrollToItem(item);
        QStringList texts;
        QTimer::singleShot(100, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (QAction *a : menu->actions())
                if (!a->isSeparator())
                    texts << a->text();
            menu->grab().save(QStringLiteral(GATESCOPE_BINARY_DIR "/") + shot);
            menu->close();
        });
        Q_EMIT sidebar->customContextMenuRequested(sidebar->visualItemRect(item).center());
        return texts;
    };
    QCOMPARE(menuOf({ m_root, {}, -1, true }, u"menu-collection.png"_s),
        QStringList({ u"New Request…"_s, u"New Folder…"_s, u"Set a Secret Variable…"_s,
            u"Close Collection"_s }));
    QCOMPARE(menuOf({ m_root, u"tools"_s, -1, true }, u"menu-folder.png"_s),
        QStringList({ u"New Request…"_s, u"New Folder…"_s, u"Rename…"_s, u"Duplicate"_s,
            u"Move to Trash"_s }));
    QCOMPARE(menuOf({ m_root, u"chat.http"_s, 0, false }, u"menu-request.png"_s),
        QStringList({ u"Rename…"_s, u"Duplicate"_s, u"Delete Request"_s }));
    // A broken file can be renamed, copied or thrown away, not added to.
    QCOMPARE(menuOf({ m_root, u"broken.http"_s, -1, false }, u"menu-broken.png"_s),
        QStringList({ u"Rename…"_s, u"Duplicate"_s, u"Move to Trash"_s }));
}

void TestCollections::screenshot()
{
    MainWindow window;
    window.resize(1360, 820);
    window.show();
    window.setGateway(u"https://gw.example/api/llm"_s, u"tok-screenshot"_s);
    QVERIFY(window.openCollection(path(u"team"_s)));
    QVERIFY(window.openCollectionRequest(m_root, u"chat.http"_s, 0));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString out = QDir(QStringLiteral(GATESCOPE_BINARY_DIR)).filePath(u"collections.png"_s);
    QVERIFY(window.grab().save(out));
}

int main(int argc, char **argv)
{
    // Deleting goes to a private trash, never the user's.
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.path().toLocal8Bit());
    QApplication app(argc, argv);
    TestCollections test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_collections.moc"
