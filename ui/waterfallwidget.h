#pragma once

#include "core/net/waterfall.h"

#include <QWidget>

namespace gs::ui {

//! The timing waterfall, custom-painted: one row per client phase and per server
//! stage, on a time axis whose units adapt to the zoom. Server stages are hatched
//! and labelled as inferred (Server-Timing has no start times). The mouse wheel zooms
//! around the cursor, dragging pans, a double click (or Ctrl+0) shows everything.
class WaterfallWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WaterfallWidget)

public:
    explicit WaterfallWidget(QWidget *parent = nullptr);

    void setWaterfall(const core::Waterfall &waterfall);
    const core::Waterfall &waterfall() const { return m_waterfall; }

    //! The visible time range, in milliseconds from the exchange's start.
    double viewStartMs() const { return m_viewStart; }
    double viewEndMs() const { return m_viewEnd; }
    void setView(double startMs, double endMs);
    void resetView();
    //! Zooms by \a factor (above 1: in) keeping the time under \a x where it is.
    void zoomAt(double x, double factor);

    //! Where bar \a index is drawn, in widget coordinates (empty when not measured).
    QRectF barRect(int index) const;
    //! The tick step of the time axis for the current view, in milliseconds.
    double tickStepMs() const;
    //! A time as the axis writes it ("250 µs", "1.5 ms", "2 s").
    static QString formatTime(double ms, double stepMs);

    //! Renders the chart at \a size into a PNG or SVG file.
    bool exportPng(const QString &path, qreal scale = 2.0) const;
    bool exportSvg(const QString &path) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Layout
    {
        QRectF chart; //!< the plotting area
        double labelWidth = 0;
        double rowHeight = 0;
        double axisHeight = 0;
    };
    Layout layoutFor(const QSizeF &size) const;
    //! Whether any row is placed by inference (server stages, gateway attempts).
    bool hasInferredRows() const;
    //! The legend's lines, each with whether it is a warning.
    QList<std::pair<QString, bool>> legendLines() const;
    double legendHeight(double width) const;
    //! Axis, rows (four at least) and legend at \a width.
    int contentHeight(int width) const;
    void paint(QPainter &painter, const QSizeF &size) const;
    QRectF barRectIn(const Layout &layout, int index) const;
    double xFor(const Layout &layout, double ms) const;
    double tickStepFor(const Layout &layout) const;
    int barAt(const QPointF &pos) const;

    core::Waterfall m_waterfall;
    double m_viewStart = 0;
    double m_viewEnd = 1;
    bool m_dragging = false;
    double m_dragStartX = 0;
    double m_dragViewStart = 0;
    double m_dragViewEnd = 0;
};

} // namespace gs::ui
