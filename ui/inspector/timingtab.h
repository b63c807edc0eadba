#pragma once

#include "core/net/timeline.h"
#include "core/stream/gatewayresponse.h"
#include "core/stream/servertiming.h"

#include <QWidget>

class QLabel;
class QScrollArea;

namespace gs::ui {
class WaterfallWidget;
}

namespace gs::ui::inspector {

//! The Timing tab: the waterfall of the client's phases with the server's stages
//! placed inside them, a summary line, zoom and export.
class TimingTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimingTab)

public:
    explicit TimingTab(QWidget *parent = nullptr);
    void clear();
    //! \a timeline as it stands (it may still grow) with \a serverTiming and the
    //! gateway's \a attempts (retries, fallback) inside.
    void showTimeline(const core::Timeline &timeline,
        const QList<core::ServerTimingMetric> &serverTiming,
        const QList<core::GatewayAttempt> &attempts = {});
    //! A timeline the history kept, which has no server timing.
    void showRecorded(const core::Timeline &timeline);
    WaterfallWidget *waterfall() const { return m_waterfall; }

private:
    void exportWaterfall(bool svg);

    WaterfallWidget *m_waterfall;
    QScrollArea *m_chart; //!< the waterfall, scrolled when the pane is short
    QLabel *m_summary;
};

} // namespace gs::ui::inspector
