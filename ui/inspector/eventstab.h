#pragma once

#include "core/stream/sseparser.h"

#include <QSplitter>

class QPlainTextEdit;
class QTableView;

namespace gs::ui {
class EventsModel;
}

namespace gs::ui::inspector {

//! The Events tab: every event of a stream as a table row (arrival, gap, type, id,
//! data), following the end while the user is there, and the selected event's data
//! in full below, pretty when it is JSON.
class EventsTab final : public QSplitter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsTab)

public:
    explicit EventsTab(QWidget *parent = nullptr);
    void clear();
    //! Events that arrived together, \a arrivalUs after the exchange started.
    void append(const QList<core::SseEvent> &events, qint64 arrivalUs);
    //! The detail view (the inspector highlights it as JSON).
    QPlainTextEdit *detailView() const { return m_detail; }

private:
    void showDetail();

    EventsModel *m_model;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
};

} // namespace gs::ui::inspector
