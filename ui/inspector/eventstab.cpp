#include "ui/inspector/eventstab.h"

#include "ui/eventsmodel.h"
#include "ui/inspector/viewhelpers.h"

#include <QHeaderView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

EventsTab::EventsTab(QWidget *parent)
    : QSplitter(Qt::Vertical, parent)
    , m_model(new EventsModel(this))
    , m_view(new QTableView)
    , m_detail(readOnlyText(u"eventDetail"_s))
{
    setObjectName(u"eventsSplitter"_s);
    m_view->setObjectName(u"eventsTable"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    // Fixed row heights keep a table of 100,000 events cheap to scroll.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm = fontMetrics();
    m_view->setColumnWidth(EventsModel::IndexColumn, fm.horizontalAdvance(u"000000"_s));
    m_view->setColumnWidth(EventsModel::ArrivalColumn, fm.horizontalAdvance(u"Arrival (ms)__"_s));
    m_view->setColumnWidth(EventsModel::GapColumn, fm.horizontalAdvance(u"Gap (ms)____"_s));
    m_view->setColumnWidth(EventsModel::TypeColumn, fm.horizontalAdvance(u"message____"_s));
    m_view->setColumnWidth(EventsModel::IdColumn, fm.horizontalAdvance(u"Id____"_s));
    m_detail->setPlaceholderText(tr("Select an event to see its data."));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &EventsTab::showDetail);
    addWidget(m_view);
    addWidget(m_detail);
    setStretchFactor(0, 3);
    setStretchFactor(1, 2);
}

void EventsTab::clear()
{
    m_model->clear();
    m_detail->clear();
}

void EventsTab::append(const QList<SseEvent> &events, qint64 arrivalUs)
{
    // At the end, the table follows what arrives; scrolled up, it stays put.
    const bool follow
        = m_view->verticalScrollBar()->value() >= m_view->verticalScrollBar()->maximum() - 2;
    const bool first = m_model->rowCount() == 0;
    m_model->append(events, arrivalUs);
    // The tab opens at the first event, selected, its data shown in full.
    if (first && m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    if (follow)
        m_view->scrollToBottom();
}

void EventsTab::showDetail()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(prettyIfJson(m_model->event(current.row()).data));
}

} // namespace gs::ui::inspector
