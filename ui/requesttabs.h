#pragma once

#include "ui/requestpage.h"

#include <QHash>
#include <QStringList>
#include <QTabWidget>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace KSyntaxHighlighting {
class Repository;
}

namespace gs::core {
class GatewaySession;
}

namespace gs::ui {

//! The open requests, a tab each: a RequestPage (editor beside inspector), closable
//! and movable. Every page gets the highlighting theme of the window's palette and
//! the gateway's model names; each named splitter in a page keeps the ratio the user
//! last gave one like it, in every page, this session and the next (kept in the
//! settings).
class RequestTabs final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestTabs)

public:
    //! Pages send through \a network, which must outlive them (see closeAll()).
    explicit RequestTabs(QNetworkAccessManager *network, QWidget *parent = nullptr);
    //! The gateway pages take TLS files and passphrases from; set before any page.
    void setGatewaySession(core::GatewaySession *session) { m_session = session; }
    ~RequestTabs() override;

    //! A new page titled \a title, made current.
    RequestPage *addPage(const QString &title);
    RequestPage *currentPage() const;
    RequestPage *page(int index) const;
    QList<RequestPage *> pages() const;
    //! What to do with a page's unsaved changes before it closes.
    enum class Unsaved {
        Save,
        Discard,
        Cancel
    };
    //! Asked when a modified page is about to close. Default: a dialog; tests replace it.
    std::function<Unsaved(RequestPage *page)> askUnsaved;
    //! Saves \a page as File ▸ Save does; true when it was saved. Set by the window.
    std::function<bool(RequestPage *page)> save;

    //! Closes (and deletes) the page at \a index; a modified page asks first. False
    //! when it stays open (the user cancelled, or saving failed).
    bool closePage(int index);
    //! Asks about every modified page, as closing the window does; false when one
    //! stays (nothing is closed by this).
    bool mayCloseAll();
    //! Closes every page, quietly (no pagesChanged()): for the window's last moments.
    void closeAll();
    //! Renames \a page's tab after its title (with a dot while it is modified).
    void updateTitle(RequestPage *page);

    //! Highlights every page (and later ones) for \a palette, light or dark.
    void setThemeFor(const QPalette &palette);
    //! Model names for every page's Model field (and later pages').
    void setModelSuggestions(const QStringList &models);
    //! Where every page (and later ones) puts its inspector.
    void setPlacement(RequestPage::Placement placement);
    RequestPage::Placement placement() const { return m_placement; }
    //! Keeps the splitters' positions in the settings for the next session.
    void saveSplitters() const;

Q_SIGNALS:
    //! \a page was added (before pagesChanged()).
    void pageAdded(RequestPage *page);
    //! A page was added or closed.
    void pagesChanged();

private:
    void rememberSplitters(RequestPage *page);
    //! Save, discard or cancel for \a page; true when it may close.
    bool settleUnsaved(RequestPage *page);

    std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
    QNetworkAccessManager *m_network;
    core::GatewaySession *m_session = nullptr;
    QStringList m_models;
    RequestPage::Placement m_placement = RequestPage::Placement::Automatic;
    QHash<QString, QList<int>> m_splitterShares; //!< by splitter object name
};

} // namespace gs::ui
