#include "eventsmodel.h"

#include <QFontDatabase>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

QString millis(qint64 us)
{
    return QString::number(double(us) / 1000.0, 'f', 3);
}

} // namespace

EventsModel::EventsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void EventsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void EventsModel::append(const QList<core::SseEvent> &events, qint64 arrivalUs)
{
    if (events.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(events.size()) - 1);
    for (const core::SseEvent &e : events)
        m_rows.append({ e, arrivalUs });
    endInsertRows();
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[index.row()];
    if (role == FullDataRole)
        return QString::fromUtf8(row.event.data);
    if (role == Qt::TextAlignmentRole) {
        const bool number = index.column() <= GapColumn;
        return QVariant::fromValue(
            Qt::Alignment(number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role == Qt::FontRole && index.column() == DataColumn)
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case IndexColumn:
        return index.row() + 1;
    case ArrivalColumn:
        return millis(row.arrivalUs);
    case GapColumn:
        return index.row() == 0 ? u"-"_s
                                : millis(row.arrivalUs - m_rows[index.row() - 1].arrivalUs);
    case TypeColumn:
        return QString::fromUtf8(row.event.type);
    case IdColumn:
        return QString::fromUtf8(row.event.lastEventId);
    case DataColumn: {
        // One line in the table; the detail pane shows all of it.
        QString text = QString::fromUtf8(row.event.data.left(role == Qt::ToolTipRole ? 2000 : 300));
        text.replace(u'\n', u' ');
        return text;
    }
    default:
        return {};
    }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn:
        return tr("#");
    case ArrivalColumn:
        return tr("Arrival (ms)");
    case GapColumn:
        return tr("Gap (ms)");
    case TypeColumn:
        return tr("Event");
    case IdColumn:
        return tr("Id");
    case DataColumn:
        return tr("Data");
    default:
        return {};
    }
}

} // namespace gs::ui
