#include "mainwindow.h"

#include "aboutdialog.h"
#include "batchview.h"
#include "collectiontree.h"
#include "core/store/collection.h"
#include "core/store/history.h"
#include "core/store/secretstore.h"
#include "filecontroller.h"
#include "gatewaydialog.h"
#include "harexport.h"
#include "historycontroller.h"
#include "historydialog.h"
#include "load/loadrunview.h"
#include "requesteditor.h"
#include "requestpage.h"
#include "requesttabs.h"
#include "responseinspector.h"
#include "sessionkeeper.h"
#include "sidebar.h"
#include "welcomebanner.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyleHints>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <array>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

//! A window of its own beside the main one, sized to fit inside it.
void showAsWindow(QWidget *view, const QWidget *main, QSize most)
{
    view->setWindowFlag(Qt::Window);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->resize(std::min(main->width(), most.width()), std::min(main->height(), most.height()));
    view->show();
    view->activateWindow();
}

} // namespace

MainWindow::MainWindow(WindowParts parts, QWidget *parent)
    : QMainWindow(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_sidebar(new Sidebar(u":/examples"_s))
    , m_history(new HistoryController(this))
    , m_harExport(new HarExport(this))
    , m_tabs(new RequestTabs(m_network))
    , m_gatewayLabel(new QLabel)
{
    setWindowTitle(u"Gatescope"_s);
    m_vault = parts.vault ? std::move(parts.vault) : SecretVault::forThisUser();
    m_session = new GatewaySession(m_network, m_vault.get(), this);
    m_tabs->setGatewaySession(m_session);
    m_session->setDemoFactory(std::move(parts.demoGateway));
    keepMyEdits = [this](const QString &question) {
        QMessageBox box(
            QMessageBox::Question, tr("Gatescope"), question, QMessageBox::NoButton, this);
        QPushButton *mine = box.addButton(tr("Keep My Edits"), QMessageBox::AcceptRole);
        box.addButton(tr("Take the File's Version"), QMessageBox::RejectRole);
        box.exec();
        return box.clickedButton() == mine;
    };
    buildSidebar();
    CollectionController::Pages pages;
    pages.add = [this](const QString &title) { return m_tabs->addPage(title); };
    pages.all = [this] { return m_tabs->pages(); };
    pages.focus = [this](RequestPage *page) { m_tabs->setCurrentWidget(page); };
    pages.setToolTip = [this](RequestPage *page, const QString &toolTip) {
        m_tabs->setTabToolTip(m_tabs->indexOf(page), toolTip);
    };
    // Through the member, which tests replace.
    pages.keepMyEdits = [this](const QString &question) { return keepMyEdits(question); };
    m_collectionController
        = new CollectionController(m_collections, m_vault.get(), m_session, std::move(pages), this);
    m_files = new FileController(m_session, m_tabs, m_history, this);
    m_sessionKeeper = new SessionKeeper(m_tabs, m_files, m_session, this);
    m_tabs->save = [this](RequestPage *page) {
        m_tabs->setCurrentWidget(page);
        return saveCurrent();
    };
    m_welcome = new WelcomeBanner(m_session->canStartDemo());
    connectParts();
    buildCentral();
    buildFileMenu();
    buildRequestMenus();
    buildGatewayMenus();
    restoreSession();
}

void MainWindow::connectParts()
{
    CompareController::Parts compare;
    compare.history = m_history;
    compare.sidebar = m_sidebar->tree();
    compare.collections = m_collections;
    compare.collectionController = m_collectionController;
    compare.session = m_session;
    compare.window = this;
    compare.present = [this](QWidget *view) { showAsWindow(view, this, { 1100, 760 }); };
    compare.openEntry = [this](qint64 id) { openHistoryEntry(id); };
    compare.currentExchange = [this]() -> std::optional<std::pair<HistoryEntry, QString>> {
        RequestPage *page = currentPage();
        const ExchangeSnapshot *exchange = page ? page->lastExchange() : nullptr;
        if (!exchange)
            return std::nullopt;
        return std::pair(historyEntry(*exchange, page->editor()->request().model), page->title());
    };
    m_compare = new CompareController(std::move(compare), this);
    connect(m_compare, &CompareController::message, this, &MainWindow::say);
    // What the parts have to tell the user goes to the status bar.
    connect(m_vault.get(), &SecretVault::fallbackChanged, this, &MainWindow::say);
    connect(m_session, &GatewaySession::message, this, &MainWindow::say);
    connect(m_collectionController, &CollectionController::message, this, &MainWindow::say);
    connect(m_files, &FileController::message, this, &MainWindow::say);
    connect(m_history, &HistoryController::message, this, &MainWindow::say);
    connect(m_harExport, &HarExport::finished, this,
        [this](const QString &path, const QString &problem) {
            say(problem.isEmpty() ? tr("Saved the exchange as %1 (credentials masked)").arg(path)
                                  : tr("Cannot write %1: %2").arg(path, problem));
        });

    connect(m_session, &GatewaySession::changed, this, [this] {
        if (m_session->isSet())
            m_welcome->hide();
        updateGatewayLabel();
    });
    connect(m_session, &GatewaySession::modelsChanged, m_tabs, &RequestTabs::setModelSuggestions);
    connect(m_session, &GatewaySession::modelsChanged, this, [this](const QStringList &models) {
        if (!std::exchange(m_modelsAsked, false))
            return;
        const QString shown = QStringList(models.mid(0, 3)).join(u", "_s)
            + (models.size() > 3 ? u", …"_s : QString());
        say(tr("%1 lists %n model(s): %2", nullptr, int(models.size()))
                .arg(m_session->baseUrl(), shown));
    });
    connect(m_collectionController, &CollectionController::environmentsChanged, this,
        &MainWindow::updateEnvironmentPicker);
    connect(m_tabs, &RequestTabs::pageAdded, this, &MainWindow::followPage);
    connect(m_tabs, &RequestTabs::pagesChanged, this, &MainWindow::updateActions);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(m_welcome, &WelcomeBanner::tryDemoClicked, this, &MainWindow::tryDemo);
    connect(m_welcome, &WelcomeBanner::setUpClicked, this, &MainWindow::configureGateway);
    connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, this,
        &MainWindow::applyTheme);
}

void MainWindow::say(const QString &text)
{
    if (text.isEmpty())
        return;
    m_said = text;
    showSaid();
}

void MainWindow::showSaid()
{
    // Elided short of the gateway indicator rather than running into it; the whole
    // message is the status bar's tooltip.
    const int room = statusBar()->width() - m_gatewayLabel->sizeHint().width()
        - 4 * statusBar()->fontMetrics().averageCharWidth();
    statusBar()->showMessage(
        statusBar()->fontMetrics().elidedText(m_said, Qt::ElideRight, std::max(room, 80)));
    statusBar()->setToolTip(m_said);
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    if (!m_said.isEmpty() && statusBar()->currentMessage() != QString())
        showSaid();
}

void MainWindow::buildCentral()
{
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    const QString newKey = QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText);
    const QString hint = tr("Open a request from the sidebar, or press %1 for a new one.\n"
                            "Ctrl+Enter sends it; Esc cancels.");
    m_empty = new QLabel(hint.arg(newKey));
    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    rightLayout->addWidget(m_welcome);
    rightLayout->addWidget(m_empty, 1);
    rightLayout->addWidget(m_tabs, 1);

    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 210, 1150 });
    setCentralWidget(m_splitter);
    // The smallest size the window is laid out for (tests/ui/tst_layout).
    setMinimumSize(1000, 650);

    m_gatewayLabel->setObjectName(u"gatewayLabel"_s);
    statusBar()->addPermanentWidget(m_gatewayLabel);
}

void MainWindow::restoreSession()
{
    QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    m_splitter->restoreState(settings.value(u"mainWindow/splitter"_s).toByteArray());
    m_sidebarAction->setChecked(settings.value(u"mainWindow/sidebar"_s, true).toBool());
    const int placement = settings.value(u"mainWindow/placement"_s, 0).toInt();
    for (QAction *choice : m_placements->actions()) {
        if (choice->objectName() == u"placement%1"_s.arg(placement))
            choice->trigger();
    }
    // A geometry saved on another screen (or by an offscreen run) can be tiny.
    if (settings.value(u"mainWindow/geometry"_s).isNull() || width() < 800 || height() < 500)
        resize(1360, 820);
    // The gateway of the last session; its token comes from the keyring when it answers.
    m_session->restore();
    m_welcome->setVisible(!m_session->isSet());
    // The collections of the last session open right after the first frame: reading a
    // large one takes a noticeable moment that the window should not wait for.
    updateEnvironmentPicker();
    QTimer::singleShot(0, m_collectionController, &CollectionController::reopenRemembered);

    applyTheme();
    updateGatewayLabel();
    updateActions();
    QString ready = tr("Ready");
    if (!m_session->isSet())
        ready = m_session->canStartDemo()
            ? tr("No gateway set up: try the demo gateway, or set one up in Gateway ▸ Set Up "
                 "Gateway.")
            : tr("No gateway set up: set one up in Gateway ▸ Set Up Gateway.");
    say(ready);
}

MainWindow::~MainWindow()
{
    // Pages and batch views go first, while the network they send through is still there.
    m_tabs->closeAll();
    qDeleteAll(findChildren<BatchView *>(Qt::FindDirectChildrenOnly));
}

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Request"), QKeySequence::New, this, [this] { newRequest(); });
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open Requests"), QString(), tr("HTTP requests (*.http *.rest)"));
        if (!path.isEmpty())
            openFile(path);
    });
    file->addAction(
        tr("Open &Collection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
            const QString root = QFileDialog::getExistingDirectory(this, tr("Open Collection"));
            if (!root.isEmpty())
                openCollection(root);
        });
    file->addAction(tr("New &Batch…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), this,
        [this] { openBatch(); });
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] { saveCurrent(); });
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, [this] {
        if (RequestPage *page = currentPage()) {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Save Request"), page->title() + u".http"_s, tr("HTTP requests (*.http)"));
            if (!path.isEmpty())
                saveCurrent(path);
        }
    });
    file->addAction(tr("Save to &Collection…"), this, &MainWindow::askSaveToCollection);
    file->addSeparator();
    file->addAction(tr("Export Exchange as &HAR…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H),
        this, [this] {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export Exchange"), u"exchange.har"_s, tr("HTTP Archive (*.har)"));
            if (!path.isEmpty())
                exportHar(path);
        });
    file->addAction(tr("Co&mpare Saved Exchanges…"), this, [this] {
        const QString filter = tr("Saved exchanges (*.har *.json)");
        const QString a = QFileDialog::getOpenFileName(this, tr("First Exchange (A)"), {}, filter);
        if (a.isEmpty())
            return;
        const QString b = QFileDialog::getOpenFileName(
            this, tr("Second Exchange (B)"), QFileInfo(a).absolutePath(), filter);
        if (!b.isEmpty())
            m_compare->compareFiles(a, b);
    });
    file->addAction(tr("&History Settings…"), this, [this] {
        HistoryDialog dialog(this);
        dialog.setLimits(HistoryController::limits());
        if (m_history->isOpen())
            dialog.setCurrent(m_history->count(), m_history->path());
        if (dialog.exec() == QDialog::Accepted)
            m_history->setLimits(dialog.limits());
    });
    file->addSeparator();
    file->addAction(tr("&Close Tab"), QKeySequence::Close, this,
        [this] { m_tabs->closePage(m_tabs->currentIndex()); });
    QAction *quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);
}

void MainWindow::buildRequestMenus()
{
    QMenu *request = menuBar()->addMenu(tr("&Request"));
    m_sendAction = request->addAction(tr("&Send"), this, [this] { sendCurrent(); });
    m_sendAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) });
    m_cancelAction = request->addAction(tr("&Cancel"), this, [this] { cancelCurrent(); });
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    request->addAction(tr("&Load Run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this,
        [this] { openLoadRun(); });
    request->addAction(tr("Compare with &Previous"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        this, [this] { compareWithPrevious(); });
    request->addAction(tr("Compare Selected &History Entries"), QKeySequence(Qt::CTRL | Qt::Key_D),
        this, [this] { compareSelected(); });
    request->addAction(tr("Re&play Selected History Entries…"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R), this, [this] { replaySelected(); });
    request->addSeparator();
    request->addAction(tr("Focus &URL"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        if (RequestPage *page = currentPage())
            page->editor()->focusUrl();
    });
    request->addAction(
        tr("&Gateway Form"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), this, [this] {
            if (RequestPage *page = currentPage())
                page->editor()->showPage(RequestEditor::GatewayPage);
        });
    request->addAction(
        tr("&Wire Text"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, [this] {
            if (RequestPage *page = currentPage())
                page->editor()->showPage(RequestEditor::WirePage);
        });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList tabs { tr("&Stream"), tr("&Events"), tr("&Body"), tr("&Headers"),
        tr("&Timing"), tr("&Gateway") };
    for (int i = 0; i < tabs.size(); ++i) {
        view->addAction(tabs[i], QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this, [this, i] {
            if (RequestPage *page = currentPage())
                page->inspector()->tabs()->setCurrentIndex(i);
        });
    }
    view->addSeparator();
    // The sidebar collapses for room (F9, as in KDE's applications), and stays so.
    m_sidebarAction = view->addAction(tr("Show S&idebar"));
    m_sidebarAction->setObjectName(u"showSidebar"_s);
    m_sidebarAction->setCheckable(true);
    m_sidebarAction->setChecked(true);
    m_sidebarAction->setShortcut(QKeySequence(Qt::Key_F9));
    connect(m_sidebarAction, &QAction::toggled, m_sidebar, &QWidget::setVisible);

    // Where the response goes: beside the request, below it, or below when narrow.
    QMenu *placement = view->addMenu(tr("&Response Pane"));
    auto *placements = new QActionGroup(this);
    const std::array choices { std::pair { tr("&Automatic (Below When Narrow)"),
                                   RequestPage::Placement::Automatic },
        std::pair { tr("&Beside the Request"), RequestPage::Placement::Beside },
        std::pair { tr("B&elow the Request"), RequestPage::Placement::Below } };
    for (const auto &[text, where] : choices) {
        QAction *choice = placement->addAction(text);
        choice->setObjectName(u"placement%1"_s.arg(int(where)));
        choice->setCheckable(true);
        choice->setChecked(where == RequestPage::Placement::Automatic);
        placements->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, where] { m_tabs->setPlacement(where); });
    }
    m_placements = placements;
}

void MainWindow::buildGatewayMenus()
{
    QMenu *gateway = menuBar()->addMenu(tr("&Gateway"));
    QAction *useDemo
        = gateway->addAction(tr("Use the &Demo Gateway"), this, [this] { useDemoGateway(); });
    useDemo->setEnabled(m_session->canStartDemo());
    gateway->addAction(tr("&Set Up Gateway…"), this, &MainWindow::configureGateway);
    gateway->addSeparator();
    gateway->addAction(tr("&Refresh Models"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
        &MainWindow::refreshModels);
    gateway->addSeparator();
    gateway->addAction(tr("Keep Secrets in a &File…"), this, &MainWindow::askKeepSecretsInFile);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Gatescope"), this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::refreshModels()
{
    if (!m_session->isSet()) {
        say(tr("Set up a gateway first (Gateway ▸ Set Up Gateway)."));
        return;
    }
    // Said when the answer comes (or why none did, by the session).
    m_modelsAsked = true;
    say(tr("Asking %1 for its models…").arg(m_session->baseUrl()));
    m_session->fetchModels();
}

void MainWindow::askSaveToCollection()
{
    RequestPage *page = currentPage();
    if (!page)
        return;
    // Every folder of every open collection, as "collection › folder".
    QStringList places;
    QList<std::pair<QString, QString>> targets;
    for (const QString &root : m_collections->roots()) {
        const Collection *c = m_collections->collection(root);
        places << c->name();
        targets.append({ root, QString() });
        for (const QString &folder : c->folders()) {
            places << c->name() + u" › "_s + folder;
            targets.append({ root, folder });
        }
    }
    if (places.isEmpty()) {
        say(tr("Open a collection first (File ▸ Open Collection)."));
        return;
    }
    bool ok = false;
    const QString place = QInputDialog::getItem(
        this, tr("Save to Collection"), tr("Folder:"), places, 0, false, &ok);
    if (!ok)
        return;
    const QString name = QInputDialog::getText(
        this, tr("Save to Collection"), tr("File name:"), QLineEdit::Normal, page->title(), &ok);
    if (ok && !name.trimmed().isEmpty()) {
        const auto &[root, folder] = targets.at(places.indexOf(place));
        saveCurrentToCollection(root, folder, name.trimmed());
    }
}

void MainWindow::askKeepSecretsInFile()
{
    const QString path
        = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/secrets.json"_s;
    const QString warning = tr("Where no system keyring answers, Gatescope keeps tokens for "
                               "this session only. It can keep them in %1 instead: plain "
                               "text, readable by your user only, but readable by anything "
                               "running as you and by whoever gets your backups. The "
                               "keyring is still used whenever it answers.\n\nKeep secrets "
                               "in that file?")
                                .arg(path);
    if (QMessageBox::warning(this, tr("Keep Secrets in a File"), warning,
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Yes)
        keepSecretsInFile(path);
}

void MainWindow::buildSidebar()
{
    m_collections = m_sidebar->collections();
    connect(m_sidebar, &Sidebar::searchSettled, this, &MainWindow::filterHistory);
    connect(m_history, &HistoryController::listed, m_sidebar, &Sidebar::showHistory);
    connect(m_sidebar, &Sidebar::exampleActivated, this,
        [this](const QString &file, const QString &name) { openExample(file, name); });
    connect(m_sidebar, &Sidebar::historyActivated, this, &MainWindow::openHistoryEntry);
    QComboBox *picker = m_sidebar->environmentPicker();
    connect(picker, &QComboBox::activated, this, [this, picker] {
        const QString root = activeCollectionRoot();
        if (!root.isEmpty())
            setEnvironment(root, picker->currentData().toString());
    });
    connect(m_collections, &CollectionTree::requestActivated, this,
        [this](const QString &root, const QString &path, qsizetype index) {
            openCollectionRequest(root, path, index);
        });
    connect(m_collections, &CollectionTree::message, this, &MainWindow::say);
    connect(m_collections, &CollectionTree::collectionsChanged, this,
        &MainWindow::updateEnvironmentPicker);
    connect(m_sidebar->tree(), &QTreeWidget::currentItemChanged, this,
        &MainWindow::updateEnvironmentPicker);
}

void MainWindow::followPage(RequestPage *page)
{
    connect(page, &RequestPage::statusMessage, this, &MainWindow::say);
    connect(page, &RequestPage::busyChanged, this, &MainWindow::updateActions);
    connect(page, &RequestPage::busyChanged, this, [this, page](bool busy) {
        if (!busy)
            recordExchange(page);
    });
}

void MainWindow::recordExchange(RequestPage *page)
{
    if (const ExchangeSnapshot *exchange = page->lastExchange(); exchange && m_history->isOpen())
        m_history->record(historyEntry(*exchange, page->editor()->request().model));
}

void MainWindow::filterHistory(const QString &text)
{
    m_collections->filter(text);
    m_history->search(text);
}

bool MainWindow::welcomeShown() const
{
    return !m_welcome->isHidden();
}

bool MainWindow::tryDemo()
{
    // The first-run request streams reasoning and an answer at a pace one can watch.
    return useDemoGateway() && openExample(u"first-run.http"_s) && sendCurrent();
}

bool MainWindow::useDemoGateway()
{
    const auto used = m_session->useDemo();
    if (!used) {
        say(tr("The demo gateway could not start: %1").arg(used.error().message));
        return false;
    }
    say(tr("Demo gateway running at %1").arg(m_session->baseUrl()));
    return true;
}

void MainWindow::setGateway(const QString &baseUrl, const QString &token)
{
    m_session->setGateway(baseUrl, token);
}

void MainWindow::configureGateway()
{
    GatewayDialog dialog(this);
    // The demo's address and token are not the user's to edit.
    if (!m_session->isDemo()) {
        dialog.setBaseUrl(m_session->baseUrl());
        dialog.setToken(m_session->token());
    }
    dialog.setTls(m_session->tls());
    if (dialog.exec() == QDialog::Accepted) {
        // The TLS files first: the gateway's model list is fetched with them.
        m_session->setTls(dialog.tls(), dialog.passphrase());
        setGateway(dialog.baseUrl(), dialog.token());
    }
}

void MainWindow::updateGatewayLabel()
{
    const QString baseUrl = m_session->baseUrl();
    if (baseUrl.isEmpty())
        m_gatewayLabel->setText(tr("Gateway: none"));
    else if (m_session->isDemo())
        m_gatewayLabel->setText(tr("Gateway: demo at %1").arg(baseUrl));
    else {
        const QString noToken
            = m_session->token().isEmpty() ? tr(" (no token for this session)") : QString();
        m_gatewayLabel->setText(tr("Gateway: %1%2").arg(baseUrl, noToken));
    }
}

RequestPage *MainWindow::currentPage() const
{
    return m_tabs->currentPage();
}

int MainWindow::pageCount() const
{
    return m_tabs->count();
}

bool MainWindow::sendCurrent()
{
    RequestPage *page = currentPage();
    if (!page) {
        say(tr("Open a request first (File ▸ New Request, or an example)."));
        return false;
    }
    page->inspector()->tabs()->setCurrentIndex(ResponseInspector::StreamTab);
    return page->send();
}

void MainWindow::cancelCurrent()
{
    if (RequestPage *page = currentPage(); page && page->isBusy()) {
        page->cancel();
        say(tr("Canceled; what arrived is kept."));
    }
}

bool MainWindow::saveCurrent(const QString &path)
{
    RequestPage *page = currentPage();
    if (!page)
        return false;
    if (page->source() && path.isEmpty())
        return m_collectionController->save(page);
    QString target = path.isEmpty() ? page->filePath() : path;
    if (target.isEmpty()) {
        target = QFileDialog::getSaveFileName(
            this, tr("Save Request"), page->title() + u".http"_s, tr("HTTP requests (*.http)"));
        if (target.isEmpty())
            return false;
    }
    return m_files->save(page, target);
}

bool MainWindow::exportHar(const QString &path)
{
    RequestPage *page = currentPage();
    const ExchangeSnapshot *exchange = page ? page->lastExchange() : nullptr;
    if (!exchange) {
        say(tr("No finished exchange in this tab to export."));
        return false;
    }
    if (!m_harExport->start(*exchange, path)) {
        say(tr("An export is still being written."));
        return false;
    }
    say(tr("Writing %1…").arg(path));
    return true;
}

void MainWindow::updateActions()
{
    RequestPage *page = currentPage();
    m_empty->setVisible(m_tabs->count() == 0);
    m_tabs->setVisible(m_tabs->count() > 0);
    if (m_sendAction)
        m_sendAction->setEnabled(page != nullptr);
    if (m_cancelAction)
        m_cancelAction->setEnabled(page && page->isBusy());
}

void MainWindow::applyTheme()
{
    m_tabs->setThemeFor(palette());
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Unsaved requests: saved, discarded, or the window stays.
    if (!m_tabs->mayCloseAll()) {
        event->ignore();
        return;
    }
    // Closed on purpose: nothing to bring back at the next start.
    m_sessionKeeper->forget();
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/splitter"_s, m_splitter->saveState());
    settings.setValue(u"mainWindow/sidebar"_s, m_sidebarAction->isChecked());
    settings.setValue(u"mainWindow/placement"_s, int(m_tabs->placement()));
    m_tabs->saveSplitters();
    QMainWindow::closeEvent(event);
}

// --- collections -------------------------------------------------------------------

int MainWindow::keepSessionIn(const QString &path)
{
    const int restored = m_sessionKeeper->keepIn(path);
    if (restored > 0)
        say(tr("Brought back %n request(s) that were open when Gatescope last stopped.", nullptr,
            restored));
    return restored;
}

bool MainWindow::openPath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        say(tr("%1: no such file or folder").arg(path));
        return false;
    }
    if (info.isFile() && info.suffix().compare("jsonl"_L1, Qt::CaseInsensitive) == 0)
        return openBatch(info.absoluteFilePath()) != nullptr;
    return info.isDir() ? openCollection(info.absoluteFilePath())
                        : openFile(info.absoluteFilePath());
}

BatchView *MainWindow::openBatch(const QString &path)
{
    // A window of its own, so that a batch that runs for hours leaves the requests be.
    auto *view = new BatchView(m_session, this);
    connect(view, &BatchView::message, this, &MainWindow::say);
    connect(view, &BatchView::exchangeFinished, this, [this](const ExchangeSnapshot &exchange) {
        if (m_history->isOpen())
            m_history->record(historyEntry(exchange, {}));
    });
    if (!path.isEmpty())
        view->setFile(path);
    showAsWindow(view, this, { 900, 640 });
    return view;
}

LoadRunView *MainWindow::makeLoadRunView()
{
    auto *view = new LoadRunView(m_session, this);
    connect(view, &LoadRunView::message, this, &MainWindow::say);
    connect(view, &LoadRunView::finished, this,
        [this](const LoadArchive &archive, const QDateTime &startedAt) {
            if (m_history->isOpen() && !archive.records.empty())
                m_history->record(loadRunHistoryEntry(archive, startedAt));
        });
    connect(view, &LoadRunView::comparisonChosen, this,
        [this](const ComparedExchange &a, const ComparedExchange &b) {
            m_compare->comparePair(a, b);
        });
    connect(view, &LoadRunView::exchangeChosen, this, [this](const HistoryEntry &entry) {
        const QLocale locale;
        m_files->openRecorded(entry,
            tr("Load %1").arg(locale.toString(entry.at.toLocalTime().time(), QLocale::ShortFormat)),
            tr("from a load run, which keeps no headers and no body: send it to see them"));
        raise();
        activateWindow();
    });
    showAsWindow(view, this, { 1100, 760 });
    return view;
}

LoadRunView *MainWindow::openLoadRun()
{
    RequestPage *page = currentPage();
    if (!page) {
        say(tr("Open a request first: a load run sends the current tab's request."));
        return nullptr;
    }
    if (!page->editor()->canSend()) {
        page->editor()->revealProblems();
        say(tr("No load run: %1").arg(page->editor()->blockReason()));
        return nullptr;
    }
    const GatewayRequest &request = page->editor()->request();
    LoadTarget target;
    target.request = compose(request);
    target.name = page->title();
    target.requestedModel = request.model;
    target.demo = m_session->isDemo() && request.baseUrl == m_session->baseUrl();
    if (!request.bearerToken.isEmpty())
        target.secrets << request.bearerToken;
    for (const HttpHeader &h : target.request.headers)
        if (isSecretHeader(h.name))
            target.secrets << QString::fromUtf8(h.value);
    if (page->source())
        target.tls = page->source()->tls;
    target.allowInsecureTls = page->editor()->allowInsecureTls();
    LoadRunView *view = makeLoadRunView();
    view->setTarget(target);
    return view;
}

bool MainWindow::openHistoryEntry(qint64 id)
{
    const auto entry = m_history->entry(id);
    if (!entry || entry->method != kLoadRunMethod)
        return m_files->openHistoryEntry(id);
    const auto archive = readLoadArchive(entry->body);
    if (!archive) {
        say(archive.error().message);
        return false;
    }
    makeLoadRunView()->showArchive(*archive, entry->at);
    return true;
}

bool MainWindow::saveCurrentToCollection(
    const QString &root, const QString &folder, const QString &name)
{
    RequestPage *page = currentPage();
    return page && m_collectionController->saveAsNew(page, root, folder, name);
}

QString MainWindow::activeCollectionRoot() const
{
    if (const auto at = m_collections->locationOf(m_sidebar->tree()->currentItem()))
        return at->root;
    if (RequestPage *page = currentPage(); page && page->source())
        return page->source()->root;
    const QStringList roots = m_collections->roots();
    return roots.isEmpty() ? QString() : roots.last();
}

void MainWindow::updateEnvironmentPicker()
{
    const QString root = activeCollectionRoot();
    if (const Collection *c = m_collections->collection(root))
        m_sidebar->showEnvironments(c->environments().environments.keys(), environment(root));
    else
        m_sidebar->showEnvironments(std::nullopt, {});
}

void MainWindow::keepSecretsInFile(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_vault->setFileFallback(std::make_unique<FileSecretStore>(path));
    QSettings().setValue(u"secrets/file"_s, path);
    say(tr("Where no keyring answers, secrets now go to %1 (readable by you only)").arg(path));
}

} // namespace gs::ui
