#pragma once

#include "core/httpfile/httpfile.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace gs::core {
class Collection;
class GatewaySession;
class SecretVault;
} // namespace gs::core

namespace gs::ui {

class CollectionTree;
class RequestPage;

//! What the window does with its open collections: opens a request of one in a tab
//! (its secrets read from the vault first, without waiting), saves a tab back into
//! its file, reloads tabs whose file changed on disk, keeps secret variables in the
//! vault, and remembers the environment chosen per collection. The tabs are the
//! window's: it lends them through Pages. Messages for the user come out as message().
class CollectionController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectionController)

public:
    //! The window's side.
    struct Pages
    {
        std::function<RequestPage *(const QString &title)> add; //!< a new tab
        std::function<QList<RequestPage *>()> all;
        std::function<void(RequestPage *)> focus;
        std::function<void(RequestPage *, const QString &toolTip)> setToolTip;
        //! Asked when a tab with unsaved edits changed on disk too: true keeps them.
        std::function<bool(const QString &question)> keepMyEdits;
    };

    CollectionController(CollectionTree *collections, core::SecretVault *vault,
        core::GatewaySession *session, Pages pages, QObject *parent = nullptr);

    //! Opens the folder \a root as a collection in the sidebar, and again at the next
    //! start (reopenRemembered()). False, with a message, when it cannot be read.
    bool openCollection(const QString &root);
    //! Opens the collections of the last session that still exist.
    void reopenRemembered();
    //! Opens request \a index of a collection file in a tab, resolved with the
    //! collection's environment (a tab of the same request is focused instead). The tab
    //! opens when the vault has answered for the secrets it needs. False, with a
    //! message, when it cannot be opened at all.
    bool openRequest(const QString &root, const QString &relativePath, qsizetype index);
    //! Saves \a page's request back into its collection file (credentials to the vault).
    bool save(RequestPage *page);
    //! Saves \a page's request as a new file \a name in \a folder of a collection and
    //! ties the tab to it.
    bool saveAsNew(
        RequestPage *page, const QString &root, const QString &folder, const QString &name);
    //! Keeps \a value for variable \a name of \a root's collection in its environment
    //! in the vault, and lists the name in the collection's secrets.
    bool setSecret(const QString &root, const QString &name, const QString &value);
    //! The environment chosen for \a root's collection (its default when none was).
    QString environment(const QString &root) const;
    //! What a request of \a root's collection sees in \a environment: the active
    //! gateway's variables (unless \a underGateway is false) under the collection's
    //! (the environment's win), under \a file's; secrets from the vault for what is
    //! still missing. \a done is called once the vault answered (the keyring may take
    //! its time), while \a context lives; false when there is no such collection.
    //! The requests of file \a relativePath of \a root's collection (name, request as
    //! it will be sent), resolved as opening each in a tab resolves it, and the values
    //! of its secret variables; \a done once the vault answered, while \a context lives.
    //! False, with a message, when the file cannot be read.
    bool resolveRequests(const QString &root, const QString &relativePath, QObject *context,
        std::function<void(
            const QList<std::pair<QString, core::WireRequest>> &, const QStringList &secrets)>
            done);
    bool resolveEnvironment(const QString &root, const QString &environment,
        const core::Variables &file, QObject *context,
        std::function<void(const core::Variables &)> done, bool underGateway = true);
    void setEnvironment(const QString &root, const QString &name);

Q_SIGNALS:
    void message(const QString &text);
    //! An environment was chosen or a tab opened: the picker shows it anew.
    void environmentsChanged();

private:
    std::optional<core::HttpFile> loadFile(const QString &root, const QString &relativePath);
    bool focusTab(const QString &root, const QString &relativePath, qsizetype index);
    void showRequest(const QString &root, const QString &relativePath, qsizetype index,
        const core::HttpFileRequest &request, const QString &environment,
        const core::Variables &variables, const QString &directory);
    void reload(RequestPage *page);
    void onFilesChanged(const QString &root, const QStringList &paths);
    bool storeSecrets(
        core::Collection *c, const QString &environment, const core::Variables &secrets);

    CollectionTree *m_collections;
    core::SecretVault *m_vault;
    core::GatewaySession *m_session;
    Pages m_pages;
    QHash<QString, QString> m_environments; //!< chosen environment by collection root
};

} // namespace gs::ui
