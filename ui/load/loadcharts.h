#pragma once

#include "core/load/loadarchive.h"

#include <QWidget>

namespace gs::ui {

//! What the Load Run view's charts draw from: the run's records (live, or reopened
//! from the history), its statistics and the split the user expects.
struct LoadChartData
{
    const core::LoadArchive *run = nullptr;
    const core::LoadStats *stats = nullptr;
    QList<std::pair<QString, double>> expected; //!< group, percent (normalised)
    bool ttft = false; //!< latency charts show TTFT rather than the total time
    qint64 elapsedUs = 0; //!< the run's length so far
};

//! The colour of group \a index: distinct hues that read on light and dark bases.
QColor groupColor(quint32 index, const QPalette &palette);

//! A chart of a load run: painted by paintChart() on the screen, into a PNG or into
//! an SVG (the same drawing), with a title and a line of text when there is nothing
//! to draw yet.
class LoadChart : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadChart)

public:
    explicit LoadChart(const QString &title, QWidget *parent = nullptr);

    void setData(const LoadChartData *source);
    //! Draws again (the data changed).
    void refresh() { update(); }
    QString title() const { return m_title; }
    //! Writes the chart at \a size (its own when empty) to \a path: SVG when it ends
    //! .svg, else PNG at twice the pixels. False when the file cannot be written.
    bool exportTo(const QString &path, QSize size = {}) const;

    QSize minimumSizeHint() const override { return { 200, 120 }; }
    QSize sizeHint() const override { return { 420, 260 }; }

protected:
    void paintEvent(QPaintEvent *event) override;
    //! Draws in \a area (the title is drawn already); returns false when there is
    //! nothing to draw (a line of text says so).
    virtual bool paintChart(QPainter &p, const QRectF &area) const = 0;
    //! The plot area inside \a area, leaving room for axis labels.
    QRectF plotArea(const QRectF &area) const;
    void paintAll(QPainter &p, const QRectF &rect) const;

    const LoadChartData *m_data = nullptr;

private:
    QString m_title;
};

//! The split: a bar per group with its share, its 95% interval as a whisker and the
//! expected share as a mark.
class SplitChart final : public LoadChart
{
    Q_OBJECT
public:
    explicit SplitChart(QWidget *parent = nullptr);

protected:
    bool paintChart(QPainter &p, const QRectF &area) const override;
};

//! Every exchange: start time across, total time (or TTFT) up, coloured by group,
//! failures as crosses. A click near a point emits exchangeClicked(its record's index),
//! a Shift+click exchangeMarked() (a ring shows the one marked, setMarked()).
class ScatterChart final : public LoadChart
{
    Q_OBJECT
public:
    explicit ScatterChart(QWidget *parent = nullptr);
    //! The record drawn nearest to \a pos (within a few pixels); -1 when none.
    qsizetype recordAt(QPointF pos) const;
    //! Where record \a index is drawn, in widget coordinates (for tests).
    QPointF pointOf(qsizetype index) const;
    //! Rings record \a index (-1: none).
    void setMarked(qsizetype index);
    qsizetype marked() const { return m_marked; }

Q_SIGNALS:
    void exchangeClicked(qsizetype index);
    void exchangeMarked(qsizetype index);

protected:
    bool paintChart(QPainter &p, const QRectF &area) const override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    struct Scale
    {
        QRectF plot;
        double xMaxUs = 1;
        double yMaxUs = 1;
    };
    Scale scale(const QRectF &area) const;
    static qint64 valueOf(const core::LoadRecord &r, bool ttft);
    qsizetype m_marked = -1;
};

//! Percentiles over time: for each slice of the run, p50 (solid) and p99 (dashed) of
//! each group's total time (or TTFT).
class PercentileChart final : public LoadChart
{
    Q_OBJECT
public:
    explicit PercentileChart(QWidget *parent = nullptr);

protected:
    bool paintChart(QPainter &p, const QRectF &area) const override;
};

//! The distribution of total times (or TTFT) in logarithmic bins, stacked by group.
class HistogramChart final : public LoadChart
{
    Q_OBJECT
public:
    explicit HistogramChart(QWidget *parent = nullptr);

protected:
    bool paintChart(QPainter &p, const QRectF &area) const override;
};

} // namespace gs::ui
