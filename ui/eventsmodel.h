#pragma once

#include "core/stream/sseparser.h"

#include <QAbstractTableModel>

namespace gs::ui {

//! The raw events of a stream as a table: arrival time, gap since the previous
//! event, type, id and data. Appended to in batches as they arrive.
class EventsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsModel)

public:
    enum Column {
        IndexColumn,
        ArrivalColumn,
        GapColumn,
        TypeColumn,
        IdColumn,
        DataColumn,
        ColumnCount
    };
    enum Role {
        FullDataRole = Qt::UserRole + 1, //!< the whole data field, untruncated
    };

    explicit EventsModel(QObject *parent = nullptr);

    void clear();
    //! Appends events that arrived together, \a arrivalUs after the exchange started.
    void append(const QList<core::SseEvent> &events, qint64 arrivalUs);
    const core::SseEvent &event(int row) const { return m_rows[row].event; }
    qint64 arrivalUs(int row) const { return m_rows[row].arrivalUs; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        core::SseEvent event;
        qint64 arrivalUs = 0;
    };
    QList<Row> m_rows;
};

} // namespace gs::ui
