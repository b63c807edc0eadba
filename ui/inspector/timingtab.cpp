#include "ui/inspector/timingtab.h"

#include "core/net/waterfall.h"
#include "ui/flowlayout.h"
#include "ui/inspector/viewhelpers.h"
#include "ui/waterfallwidget.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

namespace {

// A scroll area as tall as the chart it holds (QScrollArea remembers its widget's
// first size hint): a short pane scrolls the chart, a tall one leaves no gap inside.
class ChartArea final : public QScrollArea
{
public:
    QSize sizeHint() const override
    {
        // Measured as if a vertical scroll bar took its room: the legend may wrap more.
        const int bar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
        const int across = (viewport()->width() > 0 ? width() : widget()->sizeHint().width()) - bar;
        return { widget()->sizeHint().width(),
            widget()->heightForWidth(across) + 2 * frameWidth() };
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QScrollArea::resizeEvent(event);
        // A new width wraps the legend anew: the height it needs follows.
        if (event->size().width() != event->oldSize().width())
            updateGeometry();
    }
};

} // namespace

TimingTab::TimingTab(QWidget *parent)
    : QWidget(parent)
    , m_waterfall(new WaterfallWidget)
    , m_summary(new QLabel)
{
    m_waterfall->setObjectName(u"waterfall"_s);
    m_summary->setObjectName(u"timingSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *reset = new QPushButton(tr("Show All"));
    reset->setToolTip(tr("Show the whole exchange (Ctrl+0 or a double click on the chart)"));
    connect(reset, &QPushButton::clicked, m_waterfall, &WaterfallWidget::resetView);
    auto *png = new QPushButton(tr("Export PNG…"));
    connect(png, &QPushButton::clicked, this, [this] { exportWaterfall(false); });
    auto *svg = new QPushButton(tr("Export SVG…"));
    connect(svg, &QPushButton::clicked, this, [this] { exportWaterfall(true); });
    auto *hint
        = new QLabel(tr("Wheel: zoom around the cursor · drag: pan · double click: show all"));
    hint->setEnabled(false);
    hint->setWordWrap(true);
    // The chart is as tall as its rows; a short pane scrolls it rather than squeezing it.
    m_chart = new ChartArea;
    auto *chart = m_chart;
    chart->setObjectName(u"waterfallArea"_s);
    chart->setWidget(m_waterfall);
    chart->setWidgetResizable(true);
    chart->setFrameShape(QFrame::NoFrame);
    chart->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chart->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    // The summary above the chart; the actions and the hint under it, reflowing
    // in a narrow pane.
    auto *actions = new FlowLayout;
    actions->addWidget(reset);
    actions->addWidget(png);
    actions->addWidget(svg);
    actions->addWidget(hint);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(chart);
    layout->addLayout(actions);
    layout->addStretch(1);
}

void TimingTab::clear()
{
    m_waterfall->setWaterfall({});
    m_chart->updateGeometry();
    m_summary->clear();
}

void TimingTab::showTimeline(const Timeline &t, const QList<ServerTimingMetric> &serverTiming,
    const QList<GatewayAttempt> &attempts)
{
    m_waterfall->setWaterfall(Waterfall::build(t, serverTiming, attempts));
    m_chart->updateGeometry();
    QStringList parts;
    parts << (t.connectionReused ? tr("Reused connection (no connect or TLS phase)")
                                 : tr("New connection"));
    if (t.firstToken >= 0)
        parts << tr("TTFT %1 after the request was sent")
                     .arg(msText(t.firstToken - std::max<qint64>(0, t.requestSent)));
    if (attempts.size() > 1)
        parts << tr("%1 attempts by the gateway (retries, fallback), from its applied "
                    "configurations")
                     .arg(attempts.size());
    if (serverTiming.isEmpty())
        parts << tr("no server-timing header (the gateway sends it on non-streaming responses)");
    m_summary->setText(parts.join(u" · "_s));
}

void TimingTab::showRecorded(const Timeline &timeline)
{
    m_waterfall->setWaterfall(Waterfall::build(timeline, {}));
    m_chart->updateGeometry();
    m_summary->setText(tr("Recorded timing of the client; the history keeps no "
                          "server-timing header."));
}

void TimingTab::exportWaterfall(bool svg)
{
    const QString filter = svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)");
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Waterfall"), svg ? u"waterfall.svg"_s : u"waterfall.png"_s, filter);
    if (path.isEmpty())
        return;
    const bool ok = svg ? m_waterfall->exportSvg(path) : m_waterfall->exportPng(path);
    m_summary->setText(ok ? tr("Saved %1").arg(path) : tr("Could not write %1").arg(path));
}

} // namespace gs::ui::inspector
