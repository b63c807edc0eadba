#include "ui/compare/comparecontroller.h"

#include "core/compare/exchangecompare.h"
#include "core/compare/replay.h"
#include "core/store/collection.h"
#include "core/store/history.h"
#include "ui/collectioncontroller.h"
#include "ui/collectiontree.h"
#include "ui/compare/compareview.h"
#include "ui/compare/replayview.h"
#include "ui/historycontroller.h"
#include "ui/sidebar.h"

#include <QFileInfo>
#include <QMenu>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

CompareController::CompareController(Parts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
{
    // History entries: open, compare with the previous, compare or replay the selected.
    connect(m_parts.sidebar, &QWidget::customContextMenuRequested, this,
        &CompareController::showHistoryMenu);
    connect(m_parts.collections, &CollectionTree::replayRequested, this,
        &CompareController::replayCollectionFile);
}

CompareView *CompareController::open()
{
    auto *view = new CompareView(m_parts.window);
    connect(view, &CompareView::message, this, &CompareController::message);
    m_parts.present(view);
    return view;
}

void CompareController::showHistoryMenu(const QPoint &at)
{
    QTreeWidget *tree = m_parts.sidebar;
    const QTreeWidgetItem *item = tree->itemAt(at);
    if (!item || !item->data(0, Sidebar::HistoryIdRole).isValid())
        return;
    const qint64 id = item->data(0, Sidebar::HistoryIdRole).toLongLong();
    QMenu menu(tree);
    menu.addAction(tr("Open"), this, [this, id] { m_parts.openEntry(id); });
    menu.addAction(tr("Compare with Previous"), this, [this, id] {
        if (const auto entry = m_parts.history->entry(id))
            compareWithPrevious(*entry);
    });
    QAction *pair = menu.addAction(tr("Compare Selected"), this, [this] { compareSelected(); });
    pair->setEnabled(selectedHistoryIds().size() == 2);
    menu.addAction(tr("Replay Selected…"), this, [this] { replaySelected(); });
    menu.exec(tree->viewport()->mapToGlobal(at));
}

QList<qint64> CompareController::selectedHistoryIds() const
{
    QList<qint64> ids;
    for (const QTreeWidgetItem *item : m_parts.sidebar->selectedItems()) {
        if (item->data(0, Sidebar::HistoryIdRole).isValid())
            ids << item->data(0, Sidebar::HistoryIdRole).toLongLong();
    }
    return ids;
}

CompareView *CompareController::compareSelected()
{
    const QList<qint64> ids = selectedHistoryIds();
    if (ids.size() != 2) {
        Q_EMIT message(
            tr("Select two history entries to compare (Ctrl+click the second); %1 selected.")
                .arg(ids.size()));
        return nullptr;
    }
    return compareEntries(ids[0], ids[1]);
}

CompareView *CompareController::compareWithPrevious()
{
    // The history entry the sidebar points at, when the sidebar is where the user is.
    const QTreeWidgetItem *item = m_parts.sidebar->currentItem();
    if (m_parts.sidebar->hasFocus() && item && item->data(0, Sidebar::HistoryIdRole).isValid()) {
        const qint64 id = item->data(0, Sidebar::HistoryIdRole).toLongLong();
        if (const auto entry = m_parts.history->entry(id))
            return compareWithPrevious(*entry);
    }
    const auto current = m_parts.currentExchange();
    if (!current) {
        Q_EMIT message(tr("Send the request first, or pick a history entry: Compare with "
                          "Previous compares an exchange with the same request's exchange "
                          "before it."));
        return nullptr;
    }
    return compareWithPrevious(current->first, current->second);
}

ReplayView *CompareController::replaySelected()
{
    QList<HistoryEntry> entries;
    for (const qint64 id : selectedHistoryIds())
        if (const auto entry = m_parts.history->entry(id))
            entries << *entry;
    if (entries.isEmpty()) {
        Q_EMIT message(tr("Select the history entries to replay (Ctrl+click, Shift+arrows)."));
        return nullptr;
    }
    // Replayed in the order they were first sent.
    std::ranges::sort(entries, {}, &HistoryEntry::id);
    ReplayView *view = makeReplayView();
    view->setEntries(entries);
    m_parts.present(view);
    return view;
}

ReplayView *CompareController::replayCollectionFile(
    const QString &root, const QString &relativePath)
{
    ReplayView *view = makeReplayView();
    // The file's requests as opening them in tabs resolves them; the view shows when
    // the keyring has answered for their secrets.
    const bool reading = m_parts.collectionController->resolveRequests(root, relativePath, view,
        [this, view, relativePath](
            const QList<std::pair<QString, WireRequest>> &requests, const QStringList &secrets) {
            view->setRequests(relativePath, requests, secrets);
            m_parts.present(view);
        });
    if (!reading) {
        Q_EMIT message(tr("Cannot read %1 to replay it.").arg(relativePath));
        view->deleteLater();
        return nullptr;
    }
    return view;
}

ReplayView *CompareController::makeReplayView()
{
    auto *view = new ReplayView(m_parts.session, m_parts.window);
    connect(view, &ReplayView::message, this, &CompareController::message);
    connect(view, &ReplayView::exchangeRecorded, this, [this](const HistoryEntry &entry) {
        if (m_parts.history->isOpen())
            m_parts.history->record(entry);
    });
    connect(view, &ReplayView::pairChosen, this,
        [this](const ReplayPair &pair) { comparePair(pair.before, pair.after); });
    // The open collections' environments as targets, read as their requests read them.
    QList<ReplayView::Environment> environments;
    for (const QString &root : m_parts.collections->roots()) {
        const Collection *c = m_parts.collections->collection(root);
        for (const QString &name : c->environments().environments.keys())
            environments.append({ c->name() + u" ▸ "_s + name, root, name });
    }
    view->setEnvironments(environments,
        [this](const ReplayView::Environment &e, QObject *context,
            std::function<void(const Variables &)> done) {
            // The environment's own baseUrl and token, not the window's gateway's.
            m_parts.collectionController->resolveEnvironment(
                e.root, e.name, {}, context, std::move(done), false);
        });
    return view;
}

bool CompareController::comparable(const HistoryEntry &entry)
{
    if (entry.method != kLoadRunMethod)
        return true;
    const QString text = tr("History entry %1 is a load run, which keeps no headers and no "
                            "bodies: open it to see its exchanges.");
    Q_EMIT message(text.arg(entry.id));
    return false;
}

CompareView *CompareController::compareEntries(qint64 a, qint64 b)
{
    const auto first = m_parts.history->entry(a);
    const auto second = m_parts.history->entry(b);
    if (!first || !second) {
        Q_EMIT message(tr("History entry %1 is no longer there.").arg(first ? b : a));
        return nullptr;
    }
    if (!comparable(*first) || !comparable(*second))
        return nullptr;
    // The older on the left: what changed since.
    const bool swap = second->at < first->at || (second->at == first->at && second->id < first->id);
    const HistoryEntry &left = swap ? *second : *first;
    const HistoryEntry &right = swap ? *first : *second;
    CompareView *view = open();
    // Decoding the kept bodies is the worker's.
    view->compare([left] { return Result<ComparedExchange>(comparedExchange(left)); },
        [right] { return Result<ComparedExchange>(comparedExchange(right)); });
    return view;
}

CompareView *CompareController::compareWithPrevious(const HistoryEntry &entry, const QString &label)
{
    if (!comparable(entry))
        return nullptr;
    const auto before = m_parts.history->previous(entry);
    if (!before) {
        const QString text = tr("No earlier exchange of %1 %2 in the history to compare with.");
        Q_EMIT message(text.arg(entry.method, entry.url));
        return nullptr;
    }
    CompareView *view = open();
    view->compare(
        [earlier = *before] { return Result<ComparedExchange>(comparedExchange(earlier)); },
        [entry, label] {
            ComparedExchange c = comparedExchange(entry);
            if (!label.isEmpty())
                c.label = label;
            return Result<ComparedExchange>(c);
        });
    return view;
}

CompareView *CompareController::comparePair(const ComparedExchange &a, const ComparedExchange &b)
{
    CompareView *view = open();
    view->compare(a, b);
    return view;
}

CompareView *CompareController::compareFiles(const QString &a, const QString &b)
{
    CompareView *view = open();
    // Labelled by file name: the paths are long, and the same for both often.
    const auto read = [](const QString &spec) {
        return [spec] {
            auto side = comparedFile(spec);
            if (side)
                side->label = QFileInfo(spec).fileName();
            return side;
        };
    };
    view->compare(read(a), read(b));
    return view;
}

} // namespace gs::ui
