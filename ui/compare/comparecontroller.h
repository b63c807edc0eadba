#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTreeWidget;

namespace gs::core {
class GatewaySession;
struct ComparedExchange;
struct HistoryEntry;
} // namespace gs::core

namespace gs::ui {

class CollectionController;
class CollectionTree;
class CompareView;
class HistoryController;
class ReplayView;

//! Where comparisons and replays come from: two history entries (the sidebar's
//! selection, Ctrl+D), an exchange and the same request's previous one (Ctrl+Shift+D),
//! two saved files (HAR entries or send --json reports), a recording and its replay;
//! history entries or a collection file replayed elsewhere (Ctrl+Alt+R, the sidebar's
//! context menus). Each opens a CompareView or a ReplayView in a window of its own;
//! reading and comparing run on a worker, replays join the history.
class CompareController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareController)

public:
    //! What the controller works with; the window makes them.
    struct Parts
    {
        HistoryController *history = nullptr;
        QTreeWidget *sidebar = nullptr; //!< its selected history entries
        CollectionTree *collections = nullptr;
        CollectionController *collectionController = nullptr;
        core::GatewaySession *session = nullptr;
        QWidget *window = nullptr;
        //! Shows a new view as a window of the main one's.
        std::function<void(QWidget *view)> present;
        //! Opens a history entry (in a tab, or a load run in its view).
        std::function<void(qint64 id)> openEntry;
        //! The current tab's last exchange as the history keeps it, with the tab's title.
        std::function<std::optional<std::pair<core::HistoryEntry, QString>>()> currentExchange;
    };

    explicit CompareController(Parts parts, QObject *parent = nullptr);

    //! History entries \a a and \a b, the older on the left; null, with a message, when
    //! either is missing or a load run (its members have no bodies to compare).
    CompareView *compareEntries(qint64 a, qint64 b);
    //! The two history entries selected in the sidebar; null, with a message, unless
    //! exactly two are.
    CompareView *compareSelected();
    //! \a entry (recorded or not) against the same request's exchange before it, the
    //! older on the left; null, with a message, when there is none.
    CompareView *compareWithPrevious(const core::HistoryEntry &entry, const QString &label = {});
    //! The sidebar's history entry when the sidebar has the focus, or else the current
    //! tab's last exchange, against the same request's exchange before it.
    CompareView *compareWithPrevious();
    //! Two saved exchanges: FILE.har, FILE.har#N, or a report send --json wrote.
    CompareView *compareFiles(const QString &a, const QString &b);
    //! Two exchanges already read (a recording and its replay, a load run's members).
    CompareView *comparePair(const core::ComparedExchange &a, const core::ComparedExchange &b);

    //! The history entries selected in the sidebar, in the Replay view; null, with a
    //! message, when none is.
    ReplayView *replaySelected();
    //! The requests of file \a relativePath of \a root's collection in the Replay view,
    //! shown once the keyring answered for their secrets; null, with a message, when the
    //! file cannot be read.
    ReplayView *replayCollectionFile(const QString &root, const QString &relativePath);

Q_SIGNALS:
    void message(const QString &text);

private:
    CompareView *open();
    //! A Replay view (not shown yet) tied to the history, the comparisons and the open
    //! collections' environments.
    ReplayView *makeReplayView();
    QList<qint64> selectedHistoryIds() const;
    //! The sidebar's menu for a history entry.
    void showHistoryMenu(const QPoint &at);
    //! False, with a message, for an entry that is not one exchange.
    bool comparable(const core::HistoryEntry &entry);

    Parts m_parts;
};

} // namespace gs::ui
