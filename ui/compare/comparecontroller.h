#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace gs::core {
struct ComparedExchange;
struct HistoryEntry;
} // namespace gs::core

namespace gs::ui {

class CompareView;
class HistoryController;

//! Where comparisons come from: two history entries (the sidebar's selection), an
//! exchange and the same request's previous one, two saved files (HAR entries or
//! send --json reports). Each opens a CompareView in a window of its own; reading and
//! comparing run on a worker.
class CompareController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareController)

public:
    //! \a present shows a new view as a window of \a window's.
    CompareController(HistoryController *history, QWidget *window,
        std::function<void(QWidget *view)> present, QObject *parent = nullptr);

    //! History entries \a a and \a b; null, with a message, when either is missing or a
    //! load run (its members have no bodies to compare).
    CompareView *compareEntries(qint64 a, qint64 b);
    //! \a entry (recorded or not) against the same request's exchange before it, the
    //! older on the left; null, with a message, when there is none.
    CompareView *compareWithPrevious(const core::HistoryEntry &entry, const QString &label = {});
    //! Two saved exchanges: FILE.har, FILE.har#N, or a report send --json wrote.
    CompareView *compareFiles(const QString &a, const QString &b);
    //! Two exchanges already read (a recording and its replay).
    CompareView *comparePair(const core::ComparedExchange &a, const core::ComparedExchange &b);

Q_SIGNALS:
    void message(const QString &text);

private:
    CompareView *open();
    //! Null, with a message, for an entry that is not one exchange.
    bool comparable(const core::HistoryEntry &entry);

    HistoryController *m_history;
    QWidget *m_window;
    std::function<void(QWidget *)> m_present;
};

} // namespace gs::ui
