#include "historycontroller.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

HistoryController::HistoryController(QObject *parent)
    : QObject(parent)
{
    connect(&m_results, &QFutureWatcher<QList<HistoryEntry>>::finished, this,
        &HistoryController::onSearched);
}

HistoryController::~HistoryController()
{
    m_results.waitForFinished();
}

bool HistoryController::open(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto history = History::open(path, limits());
    if (!history) {
        Q_EMIT message(history.error().message);
        return false;
    }
    // A search of the previous file may still be reading it.
    m_results.waitForFinished();
    m_history = std::move(*history);
    search(m_query);
    return true;
}

QString HistoryController::path() const
{
    return m_history ? m_history->path() : QString();
}

qint64 HistoryController::count() const
{
    return m_history ? m_history->count() : 0;
}

void HistoryController::record(HistoryEntry entry)
{
    if (!m_history)
        return;
    if (const auto id = m_history->record(std::move(entry)); !id)
        Q_EMIT message(id.error().message);
    search(m_query);
}

void HistoryController::search(const QString &text)
{
    m_query = text.trimmed();
    if (!m_history)
        return;
    if (m_results.isRunning()) {
        m_queryWaiting = true;
        return;
    }
    History::Query query;
    query.text = m_query;
    query.limit = 200;
    query.summaries = true;
    const QString path = m_history->path();
    // LIKE over every stored body copy: on a worker, never in the window's thread.
    m_results.setFuture(
        QtConcurrent::run([path, query] { return History::searchFile(path, query); }));
}

void HistoryController::onSearched()
{
    if (m_queryWaiting) {
        m_queryWaiting = false;
        search(m_query);
        return;
    }
    Q_EMIT listed(m_results.result());
}

std::optional<HistoryEntry> HistoryController::entry(qint64 id) const
{
    return m_history ? m_history->entry(id) : std::nullopt;
}

std::optional<HistoryEntry> HistoryController::previous(const HistoryEntry &entry) const
{
    return m_history ? m_history->previous(entry) : std::nullopt;
}

HistoryLimits HistoryController::limits()
{
    const QSettings settings;
    HistoryLimits limits;
    limits.maxEntries = settings.value(u"history/maxEntries"_s, limits.maxEntries).toInt();
    limits.maxAgeDays = settings.value(u"history/maxAgeDays"_s, limits.maxAgeDays).toInt();
    limits.maxBytes = settings.value(u"history/maxBytes"_s, limits.maxBytes).toLongLong();
    return limits;
}

int HistoryController::setLimits(const HistoryLimits &limits)
{
    QSettings settings;
    settings.setValue(u"history/maxEntries"_s, limits.maxEntries);
    settings.setValue(u"history/maxAgeDays"_s, limits.maxAgeDays);
    settings.setValue(u"history/maxBytes"_s, limits.maxBytes);
    if (!m_history)
        return 0;
    m_history->setLimits(limits);
    const auto removed = m_history->applyRetention();
    if (!removed) {
        Q_EMIT message(removed.error().message);
        return 0;
    }
    search(m_query);
    Q_EMIT message(tr("History limits saved; %n older exchange(s) deleted", nullptr, *removed));
    return *removed;
}

} // namespace gs::ui
