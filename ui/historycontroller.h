#pragma once

#include "core/store/history.h"

#include <QFutureWatcher>
#include <QObject>

#include <memory>
#include <optional>

namespace gs::ui {

//! The window's history: the SQLite file finished exchanges are recorded in, its
//! retention limits (kept in the settings), and the search the sidebar lists. A search
//! reads every stored body copy, so it runs on a worker, one at a time: while one runs,
//! only the latest text waits for its turn, and listed() says when a list is there.
//! Messages for the user come out as message().
class HistoryController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryController)

public:
    explicit HistoryController(QObject *parent = nullptr);
    //! Waits for a search still running (it reads the file this closes).
    ~HistoryController() override;

    //! Records into the file at \a path (created with its folder when missing) from
    //! now on, and lists what it holds for the latest search text. False, with a
    //! message, when it cannot be opened.
    bool open(const QString &path);
    bool isOpen() const { return m_history != nullptr; }
    //! The open file's path and how many entries it holds (empty and 0 when none).
    QString path() const;
    qint64 count() const;

    //! Records \a entry and lists the latest search again.
    void record(core::HistoryEntry entry);
    //! Lists the entries matching \a text (trimmed); listed() tells when.
    void search(const QString &text);
    std::optional<core::HistoryEntry> entry(qint64 id) const;
    //! History::previous(): the same request's exchange before \a entry.
    std::optional<core::HistoryEntry> previous(const core::HistoryEntry &entry) const;

    //! The retention limits (from the settings; defaults until changed).
    static core::HistoryLimits limits();
    //! Keeps \a limits in the settings and applies them to the open file now; returns
    //! how many entries went.
    int setLimits(const core::HistoryLimits &limits);

Q_SIGNALS:
    //! The entries matching the latest search (at most 200, newest first).
    void listed(const QList<core::HistoryEntry> &entries);
    void message(const QString &text);

private:
    void onSearched();

    std::unique_ptr<core::History> m_history;
    QFutureWatcher<QList<core::HistoryEntry>> m_results;
    QString m_query; //!< the latest search text
    bool m_queryWaiting = false; //!< asked for while a search ran
};

} // namespace gs::ui
