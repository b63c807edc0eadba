#include "ui/compare/comparecontroller.h"

#include "core/compare/exchangecompare.h"
#include "core/store/history.h"
#include "ui/compare/compareview.h"
#include "ui/historycontroller.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

CompareController::CompareController(HistoryController *history, QWidget *window,
    std::function<void(QWidget *)> present, QObject *parent)
    : QObject(parent)
    , m_history(history)
    , m_window(window)
    , m_present(std::move(present))
{ }

CompareView *CompareController::open()
{
    auto *view = new CompareView(m_window);
    connect(view, &CompareView::message, this, &CompareController::message);
    m_present(view);
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
    const auto first = m_history->entry(a);
    const auto second = m_history->entry(b);
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
    const auto before = m_history->previous(entry);
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
