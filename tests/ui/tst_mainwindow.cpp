#include "core/net/exchange.h"
#include "core/store/secretstore.h"
#include "demo/demogateway.h"
#include "tests/cutshortstream.h"
#include "tests/testfiles.h"
#include "tests/tlsserver.h"
#include "tests/ui/widgetview.h"
#include "ui/collectiontree.h"
#include "ui/eventsmodel.h"
#include "ui/filecontroller.h"
#include "ui/gatewaydialog.h"
#include "ui/historycontroller.h"
#include "ui/historydialog.h"
#include "ui/jsontreemodel.h"
#include "ui/largetextview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/requesttabs.h"
#include "ui/responseinspector.h"
#include "ui/tones.h"
#include "ui/waterfallwidget.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace gs::ui;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

namespace {

// A window as the application builds it: with the embedded demo gateway to start.
WindowParts withDemo()
{
    WindowParts parts;
    parts.demoGateway = gs::demo::startLocalGateway;
    return parts;
}

// Searches the history as the sidebar's search field does and waits for the list:
// how many entries it shows.
int listedHistory(MainWindow &window, const QString &text)
{
    QSignalSpy listed(window.history(), &HistoryController::listed);
    window.filterHistory(text);
    if (!listed.wait(10000))
        return -1;
    return int(listed.last().first().value<QList<gs::core::HistoryEntry>>().size());
}

// Shows \a window at a comfortable size and waits until it has the focus, so that
// keys reach it as they reach a window the user works in.
bool showActive(MainWindow &window)
{
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    return QTest::qWaitForWindowActive(&window);
}

} // namespace

// The whole window against the embedded demo gateway over real loopback HTTP.
class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void firstRunOffersTheDemo();
    void withoutADemoNoneIsOffered();
    void opensExamplesInTabs();
    void opensPathsFromTheCommandLine();
    void sendFillsEveryTab();
    void aMetadataRowTypedGoesOnTheWire();
    void aNewRequestOpensWithoutAnError();
    void unsavedEditsAreNotLostOnClose();
    void unsavedTextComesBackAfterAKill();
    void menusAreGroupedAndModelsRefreshVisibly();
    void theSidebarCollapsesAndStaysSo();
    void cancelMidStreamKeepsThePartialAnswer();
    void aStreamCutShortSaysIncomplete();
    void anErrorStatusIsExplained();
    void invalidRequestIsNotSent();
    void certificateProblemsAreShown();
    void clientCertificateFromTheGatewayDialog();
    void anUploadGoesOutWithItsFile();
    void keyboardToolCallsChoicesAndCopying();
    void savedFileCarriesNoToken();
    void rendersText();
    void followsADarkPalette();
    void splittersAreRemembered();
    void historyRecordsSearchesAndReopens();
    void closesCleanly();
};

void TestMainWindow::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_mainwindow"_s);
}

void TestMainWindow::init()
{
    QSettings().clear(); // a first run every time
}

// A window built without the demo gateway (the program did not hand it one) does not
// invite the user to try what is not there.
void TestMainWindow::withoutADemoNoneIsOffered()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.welcomeShown());
    QCOMPARE(window.findChild<QWidget *>(u"tryDemo"_s), nullptr);
    const auto *welcome = window.findChild<QFrame *>(u"welcome"_s);
    for (const QLabel *label : welcome->findChildren<QLabel *>())
        QVERIFY2(
            !label->text().contains(u"demo"_s, Qt::CaseInsensitive), qPrintable(label->text()));
    QVERIFY(!window.statusBar()->currentMessage().contains(u"demo"_s, Qt::CaseInsensitive));
    QVERIFY(!window.useDemoGateway());
    QVERIFY(!window.demoRunning());
}

void TestMainWindow::firstRunOffersTheDemo()
{
    MainWindow window(withDemo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.welcomeShown());
    QCOMPARE(window.pageCount(), 0);
    // One click: the demo gateway starts, the example opens and goes out.
    auto *tryDemo = window.findChild<QWidget *>(u"tryDemo"_s);
    QVERIFY(tryDemo);
    QTest::mouseClick(tryDemo, Qt::LeftButton);
    QVERIFY(window.demoRunning());
    QVERIFY(!window.welcomeShown());
    QCOMPARE(window.pageCount(), 1);
    RequestPage *page = window.currentPage();
    QVERIFY(page->exchange());
    // It streams where the newcomer can watch: reasoning first, then the answer
    // growing while the exchange is still running (seen, not timed).
    QTRY_VERIFY_WITH_TIMEOUT(!view::reasoningText(page->inspector()).isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!view::answerText(page->inspector()).isEmpty(), 10000);
    const QString partial = view::answerText(page->inspector());
    QVERIFY2(!page->exchange()->isFinished(), "the answer was seen only once it was whole");
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->status(), 200);
    QTRY_VERIFY(view::answerText(page->inspector()).size() > partial.size());
    QVERIFY(view::answerText(page->inspector()).startsWith(partial));
    // Prose about what a gateway does, not a word list.
    QVERIFY(view::answerText(page->inspector()).contains(u"gateway"_s));
    QVERIFY(view::eventCount(page->inspector()) > 300);
    QTRY_VERIFY(!window.models().isEmpty());
}

void TestMainWindow::opensPathsFromTheCommandLine()
{
    MainWindow window(withDemo());
    window.show();
    const QString examples = QStringLiteral(GATESCOPE_SOURCE_DIR "/resources/examples");
    // A file: each of its requests in a tab.
    QVERIFY(window.openPath(examples + u"/gateway-requests.http"_s));
    QCOMPARE(window.pageCount(), 4);
    // A folder: a collection in the sidebar, nothing opened in tabs.
    QVERIFY(window.openPath(examples));
    QCOMPARE(window.collections()->roots().size(), 1);
    QCOMPARE(QFileInfo(window.collections()->roots().constFirst()).canonicalFilePath(),
        QFileInfo(examples).canonicalFilePath());
    QCOMPARE(window.pageCount(), 4);
    // Something that is not there: refused, and the status bar says what.
    QVERIFY(!window.openPath(examples + u"/missing.http"_s));
    QVERIFY(window.statusBar()->currentMessage().contains(u"missing.http: no such file"_s));
    QCOMPARE(window.pageCount(), 4);
}

void TestMainWindow::opensExamplesInTabs()
{
    MainWindow window(withDemo());
    window.show();
    QVERIFY(FileController::exampleNames().contains(u"chat-stream.http"_s));
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"responses"_s));
    QCOMPARE(window.pageCount(), 2);
    QVERIFY(window.openExample(u"chat-stream.http"_s)); // already open: focused, not doubled
    QCOMPARE(window.pageCount(), 2);
    const RequestEditor *editor = window.currentPage()->editor();
    // Without a gateway, the examples' demo environment fills the variables.
    QVERIFY(editor->wireText().startsWith(
        u"POST http://127.0.0.1:8787/api/llm/chat/completions HTTP/1.1\n"_s));
    QVERIFY(editor->wireText().contains(u"Authorization: Bearer ********"_s));
    QVERIFY2(editor->canSend(), qPrintable(editor->blockReason()));
    QVERIFY(!window.openExample(u"does-not-exist.http"_s));
    QVERIFY(window.statusBar()->currentMessage().contains(u"does-not-exist"_s));
}

void TestMainWindow::sendFillsEveryTab()
{
    MainWindow window(withDemo());
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.useDemoGateway());

    // Streaming: Stream, Events, Headers, Timing, Gateway.
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    ResponseInspector *inspector = page->inspector();
    QTRY_VERIFY(!view::answerText(inspector).isEmpty());
    QTRY_COMPARE(view::answerText(inspector), page->exchange()->assembled().text());
    QCOMPARE(view::eventCount(inspector), int(page->exchange()->timeline().events));
    QVERIFY(view::eventCount(inspector) > 10);
    // The Events tab opened at the first event, and the stream's [DONE] is its last row.
    const QAbstractItemModel *events = view::part<QTableView>(inspector, "eventsTable")->model();
    QCOMPARE(view::part<QTableView>(inspector, "eventsTable")->currentIndex().row(), 0);
    QCOMPARE(events->index(events->rowCount() - 1, EventsModel::DataColumn).data().toString(),
        u"[DONE]"_s);
    QVERIFY(view::headerCount(inspector) >= 3);
    QVERIFY(view::statusText(inspector).contains(u"200"_s));
    QVERIFY(view::waterfall(inspector)->waterfall().bars.size() >= 3);
    QVERIFY(view::appliedConfigurations(inspector)->rowCount() > 0);
    QVERIFY(view::modelsText(inspector).contains(u"Resolved model"_s));
    // File > Export Exchange as HAR.
    QTemporaryDir harDir;
    const QString har = harDir.filePath(u"e.har"_s);
    QVERIFY(window.exportHar(har));
    // Written in the background; the status bar says when it is there.
    QTRY_VERIFY(window.statusBar()->currentMessage().startsWith(u"Saved the exchange as"_s));
    QFile harFile(har);
    QVERIFY(harFile.open(QIODevice::ReadOnly));
    const QByteArray harText = harFile.readAll();
    QVERIFY(harText.contains("\"version\": \"1.2\""));
    QVERIFY(!harText.contains("gs-demo-token"));

    // Reasoning kept apart from the answer.
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"claude-thinking"_s));
    page = window.currentPage();
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QTRY_VERIFY(!view::reasoningText(page->inspector()).isEmpty());
    QVERIFY(!view::answerText(page->inspector()).isEmpty());
    QVERIFY(!view::answerText(page->inspector()).contains(view::reasoningText(page->inspector())));

    // Non-streaming with server-timing: the server stages appear in the waterfall.
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"responses"_s));
    page = window.currentPage();
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->status(), 200);
    bool inferred = false;
    for (const auto &bar : view::waterfall(page->inspector())->waterfall().bars)
        inferred |= bar.inferred;
    QVERIFY(inferred);
    QVERIFY(!view::answerText(page->inspector()).isEmpty());

    // A rerouted request is marked: demo/fallback's first target is down, so the
    // gateway answers from the fallback.
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    page = window.currentPage();
    view::part<QLineEdit>(page, "model")->setText(u"demo/fallback"_s);
    Q_EMIT view::part<QLineEdit>(page, "model")->textEdited(u"demo/fallback"_s);
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->status(), 200);
    QVERIFY(view::reroutedShown(page->inspector()));
    QVERIFY(view::modelsText(page->inspector()).contains(u"rerouted"_s));
    // The gateway's story in both tabs: its attempts (three on the target that is
    // down, then the fallback) as rows of the waterfall and as words in the Gateway tab.
    QStringList attempts;
    for (const auto &bar : view::waterfall(page->inspector())->waterfall().bars) {
        if (bar.kind == gs::core::WaterfallBar::Kind::Attempt)
            attempts << bar.label;
    }
    // The request's retry config allows three retries: four calls to the target that
    // is down, then the fallback.
    QCOMPARE(attempts,
        (QStringList { u"attempt 1 · 503"_s, u"attempt 2 · 503"_s, u"attempt 3 · 503"_s,
            u"attempt 4 · 503"_s, u"attempt 5 · 200"_s }));
    QVERIFY2(
        view::modelsText(page->inspector()).contains(u"Attempts (5): openai-down/gpt-4o → 503"_s),
        qPrintable(view::modelsText(page->inspector())));
    QVERIFY(view::modelsText(page->inspector()).contains(u"openai-main/gpt-4o-mini → 200"_s));
}

// Adding a metadata row as a user does it (Add, key, Tab, value, Enter) and sending
// with Ctrl+Enter: the row goes out whole, after the rows that were there.
void TestMainWindow::aMetadataRowTypedGoesOnTheWire()
{
    MainWindow window(withDemo());
    QVERIFY(showActive(window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    QTest::keyClick(&window, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
    auto *table = view::part<QTableWidget>(page->editor(), "metadata");
    QTRY_VERIFY(table->isVisible());
    const int rows = table->rowCount();
    QPushButton *add = view::buttonBeside(table, u"Add"_s);
    QVERIFY(add);
    QTest::mouseClick(add, Qt::LeftButton);
    QWidget *keyEditor = QApplication::focusWidget();
    QVERIFY(keyEditor && table->isAncestorOf(keyEditor));
    QTest::keyClicks(keyEditor, u"app"_s);
    QTest::keyClick(keyEditor, Qt::Key_Tab);
    QWidget *valueEditor = QApplication::focusWidget();
    QVERIFY(valueEditor && table->isAncestorOf(valueEditor));
    QTest::keyClicks(valueEditor, u"arch"_s);
    // Home, then more: the editor stays, its cursor where the user put it, and the
    // wire follows every key.
    QTest::keyClick(valueEditor, Qt::Key_Home);
    QTest::keyClicks(valueEditor, u"se"_s);
    QCOMPARE(QApplication::focusWidget(), valueEditor);
    QVERIFY2(page->editor()->wireText().contains(u"\"app\":\"search\"}"_s),
        qPrintable(page->editor()->wireText()));
    QCOMPARE(table->rowCount(), rows + 1);
    QCOMPARE(table->item(rows, 0)->text(), u"app"_s);
    // Ctrl+Enter while the value is still being typed: what the cell shows is sent.
    QTest::keyClick(valueEditor, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange() && page->exchange()->isFinished(), 20000);
    QByteArray metadata;
    for (const auto &h : page->lastExchange()->request.headers)
        if (h.name.compare("x-tfy-metadata", Qt::CaseInsensitive) == 0)
            metadata = h.value;
    QVERIFY2(metadata.endsWith(R"(,"app":"search"})"), metadata.constData());
    QCOMPARE(page->lastExchange()->status, 200);
}

// Ctrl+N: a new request is not wrong yet. Its problems are said at a field once the
// user edits it, and all of them when the user tries to send.
void TestMainWindow::aNewRequestOpensWithoutAnError()
{
    MainWindow window(withDemo());
    QVERIFY(showActive(window));
    QVERIFY(window.useDemoGateway());
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(window.pageCount(), 1);
    RequestEditor *editor = window.currentPage()->editor();
    QVERIFY(!editor->canSend()); // no model yet
    QCOMPARE(editor->fieldMessage(u"model"_s), QString());
    auto *model = view::part<QLineEdit>(window.currentPage(), "model");
    QCOMPARE(model->styleSheet(), QString());

    // Typing a model without a provider prefix: the field speaks (a warning).
    model->setFocus();
    QTest::keyClicks(model, u"gpt"_s);
    QVERIFY(editor->fieldMessage(u"model"_s).contains(u"prefix"_s));
    model->selectAll();
    QTest::keyClick(model, Qt::Key_Backspace);
    QVERIFY(editor->fieldMessage(u"model"_s).contains(u"needs a model id"_s));

    // A second new request, sent at once with Ctrl+Enter: every problem is said.
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    editor = window.currentPage()->editor();
    QCOMPARE(editor->fieldMessage(u"model"_s), QString());
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(!editor->fieldMessage(u"model"_s).isEmpty());
    QVERIFY(window.statusBar()->currentMessage().startsWith(u"Not sent"_s));
    QVERIFY(!window.currentPage()->exchange());
}

// An example edited in its body: the tab says so, Ctrl+W and closing the window ask,
// and Cancel keeps both the tab and the window.
void TestMainWindow::unsavedEditsAreNotLostOnClose()
{
    MainWindow window(withDemo());
    QVERIFY(showActive(window));
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestTabs *tabs = window.tabs();
    const QString title = tabs->tabText(0);
    QVERIFY(!title.endsWith(u"●"_s));
    auto *body = view::part<QPlainTextEdit>(window.currentPage()->editor(), "body");
    body->setFocus();
    QTest::keyClick(body, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(body, u" "_s);
    QTRY_COMPARE(tabs->tabText(0), title + u" ●"_s);

    int asked = 0;
    tabs->askUnsaved = [&](RequestPage *) {
        ++asked;
        return RequestTabs::Unsaved::Cancel;
    };
    // File ▸ Close Tab by its shortcut (Ctrl+W here; the platform's own elsewhere).
    QAction *closeTab = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->text() == u"&Close Tab"_s)
            closeTab = action;
    QVERIFY(closeTab && !closeTab->shortcut().isEmpty());
    QTest::keySequence(&window, closeTab->shortcut());
    QCOMPARE(asked, 1);
    QCOMPARE(window.pageCount(), 1);
    QVERIFY(!window.close());
    QCOMPARE(asked, 2);
    QVERIFY(window.isVisible());

    tabs->askUnsaved = [&](RequestPage *) {
        ++asked;
        return RequestTabs::Unsaved::Discard;
    };
    QVERIFY(window.close());
    QCOMPARE(asked, 3);
}

// A window that goes away without closing (a crash, a kill) leaves its requests behind,
// unsaved text included and credentials left out; the next window brings them back.
void TestMainWindow::unsavedTextComesBackAfterAKill()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"session.json"_s);
    {
        auto window = std::make_unique<MainWindow>(withDemo());
        window->resize(1400, 900);
        window->show();
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QVERIFY(window->useDemoGateway());
        QCOMPARE(window->keepSessionIn(path), 0);
        QVERIFY(window->openExample(u"chat-stream.http"_s));
        auto *model = view::part<QLineEdit>(window->currentPage(), "model");
        model->setFocus();
        model->selectAll();
        QTest::keyClicks(model, u"openai-main/kept-model"_s);
        QTest::keyClick(window.get(), Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(window->pageCount(), 2);
        // Written a moment after the typing stops.
        QTRY_VERIFY_WITH_TIMEOUT(gs::tests::readFile(path).contains("kept-model"), 10000);
        QTRY_VERIFY(gs::tests::readFile(path).count("\"title\"") == 2);
        const QByteArray kept = gs::tests::readFile(path);
        QVERIFY2(!kept.contains(gs::demo::kDemoToken), kept.constData());
        QVERIFY(kept.contains("{{token}}"));
    } // gone without a close event
    MainWindow again(withDemo());
    again.show();
    QVERIFY(again.useDemoGateway());
    QCOMPARE(again.keepSessionIn(path), 2);
    QVERIFY(again.statusBar()->currentMessage().contains(u"Brought back 2"_s));
    RequestPage *first = again.tabs()->page(0);
    QCOMPARE(first->editor()->request().model, u"openai-main/kept-model"_s);
    QVERIFY(first->isModified());
    QVERIFY(again.tabs()->tabText(0).endsWith(u"●"_s));
    // The token comes from the gateway of this session, never from the file.
    QCOMPARE(first->editor()->request().bearerToken, QString::fromLatin1(gs::demo::kDemoToken));
    QVERIFY(!again.tabs()->page(1)->isModified());

    // A normal close forgets the session.
    again.tabs()->askUnsaved = [](RequestPage *) { return RequestTabs::Unsaved::Discard; };
    QVERIFY(again.close());
    QVERIFY(!QFile::exists(path));
}

// The File menu in the order users expect, in groups; Refresh Models (by its shortcut)
// says that it asks and what the gateway listed.
void TestMainWindow::menusAreGroupedAndModelsRefreshVisibly()
{
    MainWindow window(withDemo());
    QVERIFY(showActive(window));
    QStringList file;
    for (QAction *action : window.menuBar()->actions().first()->menu()->actions())
        file << (action->isSeparator() ? u"--"_s : action->text());
    QCOMPARE(file,
        (QStringList { u"&New Request"_s, u"&Open…"_s, u"Open &Collection…"_s, u"New &Batch…"_s,
            u"--"_s, u"&Save"_s, u"Save &As…"_s, u"Save to &Collection…"_s, u"--"_s,
            u"Export Exchange as &HAR…"_s, u"Co&mpare Saved Exchanges…"_s, u"&History Settings…"_s,
            u"--"_s, u"&Close Tab"_s, u"&Quit"_s }));

    QVERIFY(window.useDemoGateway());
    QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(window.statusBar()->currentMessage().startsWith(u"Asking"_s));
    QTRY_VERIFY2(window.statusBar()->currentMessage().contains(u"lists"_s),
        qPrintable(window.statusBar()->currentMessage()));
    const QRegularExpression listed(uR"(lists ([1-9]\d*) model\(s\): \S)"_s);
    QVERIFY2(listed.match(window.statusBar()->currentMessage()).hasMatch(),
        qPrintable(window.statusBar()->currentMessage()));
}

// F9 hides the sidebar and gives its room to the requests; the next window opens the
// way this one closed.
void TestMainWindow::theSidebarCollapsesAndStaysSo()
{
    {
        MainWindow window(withDemo());
        window.resize(1200, 800);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *sidebar = window.findChild<QSplitter *>(u"mainSplitter"_s)->widget(0);
        QVERIFY(sidebar->isVisible());
        QTest::keyClick(&window, Qt::Key_F9);
        QVERIFY(!sidebar->isVisible());
        QTest::keyClick(&window, Qt::Key_F9);
        QVERIFY(sidebar->isVisible());
        QTest::keyClick(&window, Qt::Key_F9);
        QVERIFY(window.close());
    }
    MainWindow again(withDemo());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(!again.findChild<QSplitter *>(u"mainSplitter"_s)->widget(0)->isVisible());
    QVERIFY(!again.findChild<QAction *>(u"showSidebar"_s)->isChecked());
}

// A server that closes its stream after three events, as a reset close-delimited
// stream looks to the client: the window says the answer is incomplete in the status
// bar, the response line and the Stream tab, and the history keeps it so.
void TestMainWindow::aStreamCutShortSaysIncomplete()
{
    gs::tests::CutShortStreamServer server;
    QTemporaryDir dir;
    MainWindow window(withDemo());
    window.history()->open(dir.filePath(u"history.sqlite"_s));
    QVERIFY(showActive(window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    auto *url = view::part<QLineEdit>(page, "url");
    url->setFocus();
    url->selectAll();
    QTest::keyClicks(url, server.chatUrl());
    QTest::keyClick(url, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(page->exchange() && page->exchange()->isFinished());
    QCOMPARE(page->exchange()->status(), 200);
    QCOMPARE(view::answerText(page->inspector()), u"w w w "_s);
    QTRY_VERIFY2(window.statusBar()->currentMessage().contains(u"incomplete"_s),
        qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(view::statusText(page->inspector()).contains(u"Incomplete"_s));
    auto *banner = view::part<QLabel>(page->inspector(), "streamError");
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(u"without [DONE] or a finish reason"_s));
    QSignalSpy listed(window.history(), &HistoryController::listed);
    window.filterHistory(QString());
    QVERIFY(listed.wait(10000));
    const auto entries = listed.last().first().value<QList<gs::core::HistoryEntry>>();
    QCOMPARE(entries.size(), 1);
    QVERIFY2(entries.first().error.startsWith(u"Incomplete:"_s), qPrintable(entries.first().error));
}

// A 503 from a target that is down: the response line says what it means beside the
// gateway's message; the Cancel button says what a cancel does at the gateway.
void TestMainWindow::anErrorStatusIsExplained()
{
    MainWindow window(withDemo());
    QVERIFY(showActive(window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    auto *model = view::part<QLineEdit>(page, "model");
    model->setFocus();
    model->selectAll();
    QTest::keyClicks(model, u"openai-down/gpt-4o"_s);
    QTest::keyClick(model, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange() && page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->status(), 503);
    QTRY_VERIFY2(view::statusText(page->inspector()).contains(u"No healthy target"_s),
        qPrintable(view::statusText(page->inspector())));
    auto *cancel
        = view::buttonBeside(view::part<QWidget>(page->inspector(), "answer"), u"Cancel"_s);
    QVERIFY(cancel);
    QVERIFY(cancel->toolTip().contains(u"499"_s));
}

void TestMainWindow::cancelMidStreamKeepsThePartialAnswer()
{
    MainWindow window(withDemo());
    window.show();
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    // Slow tokens, so that there is a middle to cancel in.
    QString wire = page->editor()->wireText();
    wire.replace(u"Content-Type: application/json\n"_s,
        u"Content-Type: application/json\nx-gatescope-token-interval-ms: 50\n"_s);
    page->editor()->setWireText(wire);
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(view::answerText(page->inspector()).size() > 5, 20000);
    QVERIFY(!page->exchange()->isFinished());
    QTest::keyClick(&window, Qt::Key_Escape);
    QTRY_VERIFY(page->exchange()->isFinished());
    QCOMPARE(page->exchange()->error().kind, gs::core::ExchangeError::Kind::Canceled);
    // Everything that arrived before the cancel is shown, and nothing after it.
    QTRY_COMPARE(view::answerText(page->inspector()), page->exchange()->assembled().text());
    const QString partial = view::answerText(page->inspector());
    QVERIFY(!partial.isEmpty());
    QVERIFY(view::statusText(page->inspector()).contains(u"Canceled"_s));
    QTest::qWait(200);
    QCOMPARE(view::answerText(page->inspector()), partial); // nothing more, nothing lost
}

void TestMainWindow::invalidRequestIsNotSent()
{
    MainWindow window(withDemo());
    window.show();
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    QString wire = page->editor()->wireText();
    wire.replace(u"x-tfy-request-timeout: 30000"_s, u"x-tfy-request-timeout: soon"_s);
    page->editor()->setWireText(wire);
    QVERIFY(!window.sendCurrent());
    QVERIFY(page->exchange() == nullptr);
    QVERIFY(window.statusBar()->currentMessage().contains(u"requestTimeoutMs"_s));
}

void TestMainWindow::keyboardToolCallsChoicesAndCopying()
{
    MainWindow window(withDemo());
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();

    // Ctrl+L goes to the URL.
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(view::part<QLineEdit>(page, "url")->hasFocus());

    // Two choices and a tool: Ctrl+Enter sends.
    view::part<QPlainTextEdit>(page->editor(), "body")
        ->setPlainText(
            uR"({"model":"openai-main/gpt-4o-mini","stream":true,"n":2,"messages":[{"role":"user","content":"hi"}],)"
            uR"("tools":[{"type":"function","function":{"name":"search_docs","parameters":{}}}]})"_s);
    QTRY_VERIFY(page->editor()->request().body.contains("search_docs"));
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(page->exchange() != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    ResponseInspector *inspector = page->inspector();
    QTRY_COMPARE(view::toolCallCards(inspector), 1);
    auto *choices = inspector->findChild<QComboBox *>(u"choiceSelector"_s);
    QVERIFY(choices && choices->isVisible());
    QCOMPARE(choices->count(), 2);
    const QString first = view::answerText(inspector);
    choices->setCurrentIndex(1);
    QTRY_COMPARE(view::answerText(inspector), page->exchange()->assembled().choices[1].text);
    QVERIFY(view::answerText(inspector) != first);

    // Copy a header line; filter the applied configurations and copy a JSON path.
    inspector->tabs()->setCurrentIndex(ResponseInspector::HeadersTab);
    auto *headers = inspector->findChild<QTreeWidget *>(u"headers"_s);
    QTreeWidgetItem *resolved = nullptr;
    for (QTreeWidgetItem *item :
        headers->findItems(u"x-tfy-resolved-model"_s, Qt::MatchExactly | Qt::MatchRecursive))
        resolved = item;
    QVERIFY(resolved);
    headers->setCurrentItem(resolved);
    resolved->setSelected(true);
    QTest::keyClick(headers, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), u"x-tfy-resolved-model: "_s + resolved->text(1));

    inspector->tabs()->setCurrentIndex(ResponseInspector::GatewayTab);
    auto *filter = inspector->findChild<QLineEdit *>(u"appliedFilter"_s);
    auto *tree = inspector->findChild<QTreeView *>(u"appliedTree"_s);
    QTest::keyClicks(filter, u"team"_s);
    QCOMPARE(tree->model()->rowCount(), 1); // metadata, the branch that holds it
    const QModelIndex team = tree->model()->index(0, 0, tree->model()->index(0, 0));
    QCOMPARE(team.data().toString(), u"team"_s);
    tree->setFocus();
    tree->setCurrentIndex(team);
    QTRY_VERIFY(tree->hasFocus());
    QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QApplication::clipboard()->text(), u"$.metadata.team"_s);
    QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), u"\"platform\""_s);
}

void TestMainWindow::certificateProblemsAreShown()
{
    // A TLS server with a self-signed certificate on loopback.
    QSslServer server;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QFile cert(QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/self-signed.crt"));
    QFile key(QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/self-signed.key"));
    QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    config.setLocalCertificate(QSslCertificate(&cert, QSsl::Pem));
    config.setPrivateKey(QSslKey(&key, QSsl::Rsa, QSsl::Pem));
    server.setSslConfiguration(config);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&server] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            if (!socket->peek(65536).contains("\r\n\r\n"))
                return;
            socket->readAll();
            const QByteArray body
                = R"({"choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        });
    });
    MainWindow window(withDemo());
    window.show();
    window.setGateway(u"https://127.0.0.1:%1"_s.arg(server.serverPort()), u"tok"_s);
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    RequestPage *page = window.currentPage();
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->error().kind, gs::core::ExchangeError::Kind::Tls);
    QVERIFY(view::statusText(page->inspector()).contains(u"self-signed"_s, Qt::CaseInsensitive));

    // Ticked for this request: it goes through, and the problem is still shown.
    page->editor()->findChild<QCheckBox *>(u"allowInsecureTls"_s)->setChecked(true);
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->status(), 200);
    QVERIFY(view::statusText(page->inspector()).contains(u"self-signed"_s, Qt::CaseInsensitive));
    // The certificate the server presented, as the user checks it.
    QVERIFY2(
        view::statusText(page->inspector())
            .contains(u"Certificate: Gatescope test server, issued by Gatescope test server"_s),
        qPrintable(view::statusText(page->inspector())));
}

// A self-hosted gateway behind a private CA that requires a client certificate: the
// user types the CA, the certificate, its encrypted key and the passphrase into the
// gateway dialog, and the request goes through; the passphrase is in the keyring, and
// a window whose keyring lacks it says so instead of sending.
void TestMainWindow::clientCertificateFromTheGatewayDialog()
{
    gs::tests::LoopbackTlsServer server(gs::tests::LoopbackTlsServer::Clients::WithCertificate);
    const QString tls = gs::tests::LoopbackTlsServer::file("");
    const QString base = server.base();
    const QString encryptedKey = tls + u"client-encrypted.key"_s;
    {
        MainWindow window(withDemo());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The dialog, as a user fills it in: typed into each field, then Enter.
        bool filled = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<GatewayDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            const auto type = [dialog](const char *name, const QString &text) {
                auto *edit = dialog->findChild<QLineEdit *>(QLatin1StringView(name));
                edit->setFocus();
                QTest::keyClicks(edit, text);
            };
            type("gatewayUrl", base);
            type("gatewayToken", u"tok-mtls"_s);
            type("gatewayCaFile", tls + u"self-signed.crt"_s);
            type("gatewayClientCertificate", tls + u"client.crt"_s);
            type("gatewayClientKey", encryptedKey);
            auto *note = dialog->findChild<QLabel *>(u"gatewayTlsNote"_s);
            QVERIFY(note->isVisible() && note->text().contains(u"is encrypted"_s));
            type("gatewayKeyPassphrase", u"wrong"_s);
            auto *problem = dialog->findChild<QLabel *>(u"gatewayProblem"_s);
            QVERIFY(problem->text().contains(u"passphrase does not open"_s));
            auto *passphrase = dialog->findChild<QLineEdit *>(u"gatewayKeyPassphrase"_s);
            passphrase->selectAll();
            QTest::keyClicks(passphrase, u"gatescope-test"_s);
            QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
            QTest::keyClick(passphrase, Qt::Key_Return);
            filled = true;
        });
        QAction *setUp = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->text() == u"&Set Up Gateway…"_s)
                setUp = a;
        QVERIFY(setUp);
        setUp->trigger();
        QVERIFY(filled);
        QCOMPARE(window.gatewayBaseUrl(), base);

        QVERIFY(window.openExample(u"chat-stream.http"_s));
        RequestPage *page = window.currentPage();
        QVERIFY(window.sendCurrent());
        QTRY_VERIFY_WITH_TIMEOUT(page->exchange() && page->exchange()->isFinished(), 20000);
        QCOMPARE(page->exchange()->error().message, QString());
        QCOMPARE(page->exchange()->status(), 200);
        // Every request the gateway answered (the chat, and the model list) carried the
        // client certificate.
        QVERIFY(server.answered().size() >= 1);
        QCOMPARE(server.answered().count(u"Gatescope test client"_s), server.answered().size());
        const auto kept = window.vault()->readNow(gs::core::passphraseKey(encryptedKey));
        QCOMPARE(kept.value, u"gatescope-test"_s);
    }
    {
        // The next start: the files are remembered, the passphrase is not in this
        // (memory-only) keyring: the request is not sent, and the window says why.
        MainWindow window(withDemo());
        window.show();
        QCOMPARE(window.gatewayBaseUrl(), base);
        window.setGateway(base, u"tok-mtls"_s); // the token: this keyring lost it too
        QVERIFY(window.openExample(u"chat-stream.http"_s));
        window.sendCurrent();
        QTRY_VERIFY(window.statusBar()->currentMessage().startsWith(u"Not sent"_s));
        QVERIFY2(window.statusBar()->currentMessage().contains(u"holds no passphrase"_s),
            qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(!window.currentPage()->exchange());
    }
}

// A .http upload opened in the window goes out with its file's content, read from
// disk: the bytes that arrive are the part's text with the file in it.
void TestMainWindow::anUploadGoesOutWithItsFile()
{
    QTemporaryDir dir;
    QByteArray content;
    for (int i = 0; i < 5000; ++i)
        content += R"({"custom_id":"r)" + QByteArray::number(i) + R"("})" + '\n';
    QFile input(dir.filePath(u"input.jsonl"_s));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.write(content);
    input.close();
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QByteArray received;
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [&received, socket] {
            received += socket->readAll();
            const qsizetype end = received.indexOf("\r\n\r\n");
            const qsizetype at = received.toLower().indexOf("content-length:");
            if (end < 0 || at < 0)
                return;
            const qint64 length = received.mid(at + 15, received.indexOf('\r', at) - at - 15)
                                      .trimmed()
                                      .toLongLong();
            if (received.size() - end - 4 < length)
                return;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: 2\r\n\r\n{}");
        });
    });
    const QString path = dir.filePath(u"upload.http"_s);
    QFile http(path);
    QVERIFY(http.open(QIODevice::WriteOnly));
    http.write("POST http://127.0.0.1:" + QByteArray::number(server.serverPort())
        + "/files\nAuthorization: Bearer t\nx-tfy-provider-name: openai-main\n"
          "Content-Type: multipart/form-data; boundary=gsb\n\n--gsb\n"
          "Content-Disposition: form-data; name=\"purpose\"\n\nbatch\n--gsb\n"
          "Content-Disposition: form-data; name=\"file\"; filename=\"input.jsonl\"\n\n"
          "< ./input.jsonl\n--gsb--\n");
    http.close();
    MainWindow window(withDemo());
    window.show();
    QVERIFY(window.openFile(path));
    RequestPage *page = window.currentPage();
    QCOMPARE(page->editor()->request().bodyFiles.size(), 1);
    // Shown with the file in its place, read only: its text is the .http file's.
    auto *body = page->editor()->findChild<QPlainTextEdit *>(u"body"_s);
    auto *wire = page->editor()->findChild<QPlainTextEdit *>(u"wire"_s);
    QVERIFY(body && wire);
    QVERIFY(body->isReadOnly() && wire->isReadOnly());
    QVERIFY(body->toPlainText().contains(u"<file "_s + QFileInfo(input).absoluteFilePath()));
    QVERIFY(page->editor()->findChild<QLabel *>(u"wireNote"_s)->text().contains(u"uploads"_s));
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(page->exchange() && page->exchange()->isFinished(), 20000);
    QCOMPARE(page->exchange()->error().message, QString());
    QCOMPARE(page->exchange()->status(), 200);
    const QByteArray filePart
        = "name=\"file\"; filename=\"input.jsonl\"\r\n\r\n" + content + "\r\n--gsb--";
    QVERIFY(received.contains(filePart));
}

void TestMainWindow::savedFileCarriesNoToken()
{
    QTemporaryDir dir;
    MainWindow window(withDemo());
    window.show();
    window.setGateway(u"https://gw.example/api/llm"_s, u"tok-very-secret-42"_s);
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    QVERIFY(window.currentPage()->editor()->request().bearerToken == u"tok-very-secret-42"_s);
    const QString path = dir.filePath(u"saved.http"_s);
    QVERIFY(window.saveCurrent(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(!text.contains("tok-very-secret-42"));
    QVERIFY(text.contains("Authorization: Bearer {{token}}"));
    QVERIFY(text.startsWith("POST {{baseUrl}}/chat/completions\n"));
    // And it opens again, token filled from the gateway.
    QVERIFY(window.openFile(path));
    QCOMPARE(window.currentPage()->editor()->request().bearerToken, u"tok-very-secret-42"_s);
}

void TestMainWindow::rendersText()
{
    // Offscreen rendering with fonts: the body editor must show glyphs, not an empty
    // box, once the highlighter has run.
    MainWindow window(withDemo());
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openExample(u"chat-stream.http"_s);
    QPlainTextEdit *body = view::part<QPlainTextEdit>(window.currentPage()->editor(), "body");
    const auto differing = [body] {
        const QImage image = body->viewport()->grab().toImage();
        const QRgb background = image.pixel(image.width() - 2, image.height() - 2);
        int count = 0;
        for (int y = 0; y < std::min(image.height(), 200); ++y) {
            for (int x = 0; x < std::min(image.width(), 400); ++x)
                count += image.pixel(x, y) != background;
        }
        return count;
    };
    // Until the highlighter has run, however long a busy machine takes.
    QTRY_VERIFY2(differing() > 500,
        qPrintable(u"only %1 pixels differ from the background"_s.arg(differing())));
}

void TestMainWindow::followsADarkPalette()
{
    MainWindow window(withDemo());
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openExample(u"chat-stream.http"_s);
    QPlainTextEdit *body = view::part<QPlainTextEdit>(window.currentPage()->editor(), "body");
    // The brightest and darkest pixels of the body: background and text.
    const auto extremes = [body] {
        const QImage image = body->viewport()->grab().toImage();
        int lightest = 0;
        int darkest = 255;
        std::array<int, 256> histogram {};
        for (int y = 0; y < std::min(image.height(), 150); ++y) {
            for (int x = 0; x < std::min(image.width(), 400); ++x) {
                const int gray = qGray(image.pixel(x, y));
                lightest = std::max(lightest, gray);
                darkest = std::min(darkest, gray);
                ++histogram[gray];
            }
        }
        // The background is the most common shade.
        const int background = int(std::ranges::max_element(histogram) - histogram.begin());
        return std::tuple { background, lightest, darkest };
    };
    const QPalette light = QApplication::palette();
    QApplication::setPalette(gs::ui::darkPalette());
    // A dark background, and text far lighter than it: the highlighting theme
    // followed the palette (a light theme's dark text would be all but invisible).
    // The palette change and the rehighlighting arrive as events: waited for, not timed.
    QTRY_VERIFY2(
        std::get<0>(extremes()) < 60, qPrintable(QString::number(std::get<0>(extremes()))));
    QTRY_VERIFY2(
        std::get<1>(extremes()) > 170, qPrintable(QString::number(std::get<1>(extremes()))));
    QApplication::setPalette(light);
    QTRY_VERIFY(std::get<0>(extremes()) > 200);
    QTRY_VERIFY(std::get<2>(extremes()) < 120);
}

void TestMainWindow::splittersAreRemembered()
{
    QList<int> sizes;
    {
        MainWindow window(withDemo());
        window.resize(1400, 900);
        window.show();
        QVERIFY(window.openExample(u"chat-stream.http"_s));
        QSplitter *page = window.currentPage()->findChild<QSplitter *>(u"pageSplitter"_s);
        page->setSizes({ 300, 1000 });
        sizes = page->sizes();
        Q_EMIT page->splitterMoved(sizes.first(), 1); // as a drag would
        window.close();
    }
    MainWindow again;
    again.resize(1400, 900);
    again.show();
    QVERIFY(again.openExample(u"chat-stream.http"_s));
    // The same ratio (rounding aside: it is kept as shares of the width).
    const QList<int> now = again.currentPage()->findChild<QSplitter *>(u"pageSplitter"_s)->sizes();
    QCOMPARE(now.size(), 2);
    QVERIFY2(std::abs(now.first() - sizes.first()) <= 2, qPrintable(QString::number(now.first())));
}

void TestMainWindow::historyRecordsSearchesAndReopens()
{
    QTemporaryDir dir;
    MainWindow window(withDemo());
    window.show();
    QVERIFY(window.history()->open(dir.filePath(u"history.sqlite"_s)));
    QCOMPARE(listedHistory(window, {}), 0);
    QVERIFY(window.useDemoGateway());
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(window.currentPage()->exchange()->isFinished(), 20000);
    QVERIFY(window.openExample(u"gateway-requests.http"_s, u"embeddings"_s));
    QVERIFY(window.sendCurrent());
    QTRY_VERIFY_WITH_TIMEOUT(window.currentPage()->exchange()->isFinished(), 20000);
    QTRY_COMPARE(listedHistory(window, {}), 2);
    QCOMPARE(listedHistory(window, u"embeddings"_s), 1);
    QCOMPARE(listedHistory(window, u"no such thing"_s), 0);
    // Typed into the search field, as a user does: one search after the pause, for
    // the whole text.
    {
        auto *field = window.findChild<QLineEdit *>(u"historySearch"_s);
        QSignalSpy listed(window.history(), &HistoryController::listed);
        QTest::keyClicks(field, u"embeddings"_s);
        QVERIFY(listed.wait(10000));
        QCOMPARE(listed.last().first().value<QList<gs::core::HistoryEntry>>().size(), 1);
        QTest::qWait(300); // nothing more follows for the same text
        QCOMPARE(listed.size(), 1);
        field->clear();
    }

    // Reopen the chat from history: the same request, the gateway's token in place
    // of the mask the history keeps.
    auto *sidebar = window.findChild<QTreeWidget *>(u"sidebar"_s);
    QCOMPARE(listedHistory(window, u"chat/completions"_s), 1);
    QTreeWidgetItem *history = sidebar->topLevelItem(sidebar->topLevelItemCount() - 1);
    QCOMPARE(history->childCount(), 1);
    const int before = window.pageCount();
    Q_EMIT sidebar->itemActivated(history->child(0), 0);
    QCOMPARE(window.pageCount(), before + 1);
    const gs::core::GatewayRequest reopened = window.currentPage()->editor()->request();
    QCOMPARE(reopened.model, u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(reopened.bearerToken, u"gs-demo-token"_s);
    QCOMPARE(reopened.requestTimeoutMs, 30000);
    QVERIFY2(window.currentPage()->editor()->canSend(),
        qPrintable(window.currentPage()->editor()->blockReason()));
    // And what came back, in the inspector, marked as recorded.
    ResponseInspector *inspector = window.currentPage()->inspector();
    QVERIFY2(view::statusText(inspector).contains(u"recorded"_s),
        qPrintable(view::statusText(inspector)));
    QVERIFY(view::statusText(inspector).contains(u"200"_s));
    QVERIFY(view::answerText(inspector).size() > 20);
    QVERIFY(view::modelsText(inspector).contains(u"openai-main/gpt-4o-mini"_s));
    QVERIFY(view::appliedConfigurations(inspector)->rowCount() > 0);
    QTRY_VERIFY(view::bodyView(inspector)->lineCount() > 10);
    QVERIFY(view::bodyView(inspector)->lineText(0).startsWith(u"data: "_s));
    // For a look at it.
    QVERIFY(window.grab().save(QStringLiteral(GATESCOPE_BINARY_DIR "/history-reopened.png")));
    // Saved into a collection: a new file, the token as {{token}}, the tab tied to it.
    QVERIFY(QDir(dir.path()).mkpath(u"team/chat"_s));
    QVERIFY(window.openCollection(dir.filePath(u"team"_s)));
    const QString team = QFileInfo(dir.filePath(u"team"_s)).canonicalFilePath();
    QVERIFY(window.saveCurrentToCollection(team, u"chat"_s, u"from history"_s));
    QFile saved(dir.filePath(u"team/chat/from history.http"_s));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray savedText = saved.readAll();
    QVERIFY(savedText.contains("Authorization: Bearer {{token}}"));
    QVERIFY(!savedText.contains("gs-demo-token"));
    QVERIFY(window.currentPage()->source().has_value());
    QVERIFY(!window.currentPage()->isModified());
    QVERIFY(
        !window.saveCurrentToCollection(team, u"chat"_s, u"from history"_s)); // never over a file

    // Fewer kept from now on: the oldest goes, the limit is remembered.
    HistoryDialog dialog;
    dialog.setLimits(HistoryController::limits());
    QCOMPARE(dialog.limits().maxEntries, 2000); // the defaults
    dialog.findChild<QSpinBox *>(u"maxEntries"_s)->setValue(1);
    dialog.findChild<QSpinBox *>(u"maxAgeDays"_s)->setValue(7);
    QCOMPARE(window.history()->setLimits(dialog.limits()), 1);
    QCOMPARE(listedHistory(window, {}), 1);
    QCOMPARE(listedHistory(window, u"embeddings"_s), 1); // the newest stays
    QCOMPARE(HistoryController::limits().maxEntries, 1);
    QCOMPARE(HistoryController::limits().maxAgeDays, 7);

    // Nothing the window wrote holds the token.
    window.close();
    for (const QString &name : QDir(dir.path()).entryList(QDir::Files)) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("gs-demo-token"), qPrintable(name));
    }
}

void TestMainWindow::closesCleanly()
{
    auto *window = new MainWindow(withDemo());
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    QVERIFY(window->useDemoGateway());
    QVERIFY(window->openExample(u"chat-stream.http"_s));
    QSignalSpy destroyed(window, &QObject::destroyed);
    QVERIFY(window->close());
    QTRY_COMPARE(destroyed.size(), 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
