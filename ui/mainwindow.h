#pragma once

#include "core/net/gatewaysession.h"
#include "core/store/secretstore.h"
#include "ui/collectioncontroller.h"
#include "ui/compare/comparecontroller.h"
#include "ui/filecontroller.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QNetworkAccessManager;
class QSplitter;

namespace gs::core {
class Collection;
} // namespace gs::core

namespace gs::ui {

class BatchView;
class CompareView;
class CollectionController;
class CollectionTree;
class FileController;
class HarExport;
class HistoryController;
class LoadRunView;
class ReplayView;
class SessionKeeper;
class Sidebar;
class RequestPage;
class RequestTabs;
class WelcomeBanner;

//! What the window is built from; app/gui/main.cpp, the composition root, makes them.
struct WindowParts
{
    //! Where secrets go. Null: SecretVault::forThisUser().
    std::unique_ptr<core::SecretVault> vault;
    //! Starts the embedded demo gateway. Null: the window offers none.
    core::LocalGatewayFactory demoGateway;
};

//! The main window: a sidebar of requests (open collections, the bundled examples,
//! the history) with the environment picker, tabs of open requests, each an editor
//! beside the inspector of its last exchange. A newcomer without a gateway gets the
//! embedded demo gateway in one click.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(WindowParts parts = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Examples, plain files, the history's entries and new requests, opened in tabs
    //! (FileController says how; the status bar says why not).
    FileController *files() const { return m_files; }
    bool openExample(const QString &fileName, const QString &name = {})
    {
        return m_files->openExample(fileName, name);
    }
    bool openFile(const QString &path) { return m_files->openFile(path); }
    RequestPage *newRequest() { return m_files->newRequest(); }

    //! Opens the folder \a root as a collection in the sidebar (and again at the next
    //! start); false (reason in the status bar) when it cannot be read.
    bool openCollection(const QString &root)
    {
        return m_collectionController->openCollection(root);
    }
    //! What a path given on the command line (or by a file manager's Open With)
    //! means: a folder opens as a collection, a file's requests open in tabs. False,
    //! with the reason in the status bar, when it cannot be opened.
    bool openPath(const QString &path);
    //! Opens a Batch view (File ▸ New Batch; a .jsonl path opens one too) in a window of
    //! its own, with \a path chosen when given. Every call it makes joins the history.
    BatchView *openBatch(const QString &path = {});
    CollectionTree *collections() const { return m_collections; }
    //! Opens request \a index of a collection file in a tab, resolved with the active
    //! environment (an open tab of the same request is focused instead). Secrets the
    //! request needs come from the vault first: the tab opens when they are in (at
    //! once when none is needed), and the window goes on meanwhile. False, with the
    //! reason in the status bar, when the request cannot be opened at all.
    bool openCollectionRequest(const QString &root, const QString &relativePath, qsizetype index)
    {
        return m_collectionController->openRequest(root, relativePath, index);
    }
    //! Saves the current tab's request as a new file \a name in \a folder of an open
    //! collection (the token and the gateway's address as {{variables}}) and ties the
    //! tab to it: a request reopened from the history, or a new one, joins a collection.
    bool saveCurrentToCollection(const QString &root, const QString &folder, const QString &name);
    //! Keeps \a value for variable \a name of \a root's collection, in its active
    //! environment, in the keyring (or where the vault says), and lists the name in
    //! the collection's secrets; the collection's files never see the value. The
    //! keyring answers later; the status bar tells where the value went.
    bool setCollectionSecret(const QString &root, const QString &name, const QString &value)
    {
        return m_collectionController->setSecret(root, name, value);
    }
    //! The environment chosen for \a root's collection (its default when none was).
    QString environment(const QString &root) const
    {
        return m_collectionController->environment(root);
    }
    void setEnvironment(const QString &root, const QString &name)
    {
        m_collectionController->setEnvironment(root, name);
    }
    //! Asked when a request with unsaved edits changed on disk too: true keeps the
    //! edits, false takes the file's version. Tests replace the dialog.
    std::function<bool(const QString &question)> keepMyEdits;
    core::SecretVault *vault() const { return m_vault.get(); }
    //! Where no keyring answers: keeps secrets in \a path (plain text, owner-only
    //! permissions) instead of the session only, now and at later starts. Only on
    //! the user's explicit request (Gateway ▸ Keep Secrets in a File, with a warning).
    void keepSecretsInFile(const QString &path);

    //! Starts the embedded demo gateway and makes it the active gateway.
    bool useDemoGateway();
    //! The newcomer's round trip: the demo gateway, the streaming example, sent.
    bool tryDemo();
    void setGateway(const QString &baseUrl, const QString &token);
    QString gatewayBaseUrl() const { return m_session->baseUrl(); }
    bool demoRunning() const { return m_session->demoRunning(); }
    QStringList models() const { return m_session->models(); }

    //! Brings back the requests a session that crashed or was killed left in \a path,
    //! then keeps this session's there (unsaved text included, credentials as
    //! {{variables}}); a normal close removes the file. Returns how many came back.
    int keepSessionIn(const QString &path);
    //! The open requests' tabs.
    RequestTabs *tabs() const { return m_tabs; }
    RequestPage *currentPage() const;
    int pageCount() const;
    bool sendCurrent();
    void cancelCurrent();
    bool saveCurrent(const QString &path = {});
    //! Writes the current tab's last exchange as HAR 1.2 (credentials masked), in the
    //! background; the status bar says when the file is there. False when there is
    //! nothing to export or an export is still running.
    bool exportHar(const QString &path);

    //! Where finished exchanges are recorded and searched.
    HistoryController *history() const { return m_history; }
    //! Filters the sidebar by \a text: collections at once, the history on a worker
    //! (HistoryController::listed() says when). The search field calls this after a
    //! short pause in typing.
    void filterHistory(const QString &text);
    //! Opens history entry \a id: an exchange in a tab, a load run in its view.
    bool openHistoryEntry(qint64 id);
    //! Opens the Load Run view (Request ▸ Load Run) for the current tab's request, in
    //! a window of its own; null, with the reason in the status bar, when there is no
    //! request or it cannot be sent. The run that ends joins the history as one entry;
    //! an exchange clicked in it opens in a tab.
    LoadRunView *openLoadRun();
    bool welcomeShown() const;
    //! Comparisons and replays, each in a window of its own (CompareController says
    //! how): the two history entries selected in the sidebar (Request ▸ Compare Selected
    //! History Entries, Ctrl+D); the sidebar's entry or the current tab's last exchange
    //! against the same request's one before (Compare with Previous, Ctrl+Shift+D); the
    //! selected entries replayed (Replay Selected History Entries, Ctrl+Alt+R), or a
    //! collection file's requests (its context menu). Null, with the reason in the
    //! status bar, when there is nothing to compare or replay.
    CompareController *comparisons() const { return m_compare; }
    CompareView *compareSelected() { return m_compare->compareSelected(); }
    CompareView *compareWithPrevious() { return m_compare->compareWithPrevious(); }
    ReplayView *replaySelected() { return m_compare->replaySelected(); }
    ReplayView *replayCollectionFile(const QString &root, const QString &relativePath)
    {
        return m_compare->replayCollectionFile(root, relativePath);
    }

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    //! A Load Run view in a window of its own, tied to the history and the tabs.
    LoadRunView *makeLoadRunView();
    //! What each part says goes to the status bar; what each part does, to the others.
    void connectParts();
    //! The sidebar beside the welcome banner and the tabs.
    void buildCentral();
    //! Geometry, the gateway and the collections of the last session.
    void restoreSession();
    //! \a text in the status bar (nothing when empty).
    void say(const QString &text);
    void showSaid();
    void buildFileMenu();
    //! Request and View.
    void buildRequestMenus();
    //! Gateway and Help.
    void buildGatewayMenus();
    //! Gateway ▸ Refresh Models: asks, and says what the gateway listed.
    void refreshModels();
    //! Asks for a folder of an open collection and a file name for the current tab.
    void askSaveToCollection();
    //! Warns what keeping secrets in a file means and asks.
    void askKeepSecretsInFile();
    void buildSidebar();
    void recordExchange(RequestPage *page);
    //! Status messages, actions and the history follow \a page.
    void followPage(RequestPage *page);
    void applyTheme();
    void updateGatewayLabel();
    void updateActions();
    void configureGateway();
    void updateEnvironmentPicker();
    QString activeCollectionRoot() const;

    QNetworkAccessManager *m_network;
    core::GatewaySession *m_session = nullptr;
    CollectionController *m_collectionController = nullptr;
    CompareController *m_compare = nullptr;

    QSplitter *m_splitter;
    Sidebar *m_sidebar;
    HistoryController *m_history;
    HarExport *m_harExport;
    FileController *m_files = nullptr;
    SessionKeeper *m_sessionKeeper = nullptr;
    QAction *m_sidebarAction = nullptr; //!< View ▸ Show Sidebar
    QActionGroup *m_placements = nullptr; //!< View ▸ Response Pane
    QString m_said; //!< the status bar's last message, whole
    bool m_modelsAsked = false; //!< the user asked for the models: say what came
    CollectionTree *m_collections = nullptr;
    std::unique_ptr<core::SecretVault> m_vault;
    RequestTabs *m_tabs;
    WelcomeBanner *m_welcome;
    QLabel *m_empty;
    QLabel *m_gatewayLabel;

    QAction *m_sendAction = nullptr;
    QAction *m_cancelAction = nullptr;
};

} // namespace gs::ui
