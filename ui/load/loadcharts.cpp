#include "ui/load/loadcharts.h"

#include "ui/tones.h"

#include <QFileInfo>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

constexpr double kMargin = 6;
constexpr double kTitleHeight = 20;
constexpr double kPickRadius = 6;
//! Percentile lines are drawn for this many groups at most (the largest).
constexpr int kMaxLines = 6;
constexpr int kSlices = 40;
constexpr int kBins = 32;
//! The scatter draws points as vectors up to this many records, as pixels past it.
constexpr size_t kVectorPoints = 20'000;
//! Failures drawn as crosses at most (the first ones; the counters have them all).
constexpr qsizetype kMostCrosses = 5'000;

//! Where a chart draws inside \a rect: below its title, within the margins.
QRectF chartArea(const QRectF &rect)
{
    return rect.adjusted(kMargin, kTitleHeight + 4, -kMargin, -kMargin);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

//! 1, 2 or 5 times a power of ten: a step that splits \a span into about \a parts.
double niceStep(double span, int parts)
{
    if (span <= 0)
        return 1;
    const double raw = span / std::max(1, parts);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : { 1.0, 2.0, 5.0 }) {
        if (raw <= m * power)
            return m * power;
    }
    return 10 * power;
}

QString secondsText(double us)
{
    const double s = us / 1e6;
    return s < 10 ? QString::number(s, 'g', 2) + u" s"_s : QString::number(std::round(s)) + u" s"_s;
}

QColor gridColor(const QPalette &palette)
{
    QColor c = palette.color(QPalette::Text);
    c.setAlphaF(0.15f);
    return c;
}

QColor axisTextColor(const QPalette &palette)
{
    QColor c = palette.color(QPalette::Text);
    c.setAlphaF(0.7f);
    return c;
}

//! The y axis of a latency (0 to \a maxUs) with grid lines, in \a plot.
void drawLatencyAxis(QPainter &p, const QRectF &plot, double maxUs, const QPalette &palette)
{
    const double step = niceStep(maxUs, plot.height() > 160 ? 5 : 4);
    for (double v = 0; v <= maxUs * 1.0001; v += step) {
        const double y = plot.bottom() - v / maxUs * plot.height();
        p.setPen(gridColor(palette));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(axisTextColor(palette));
        p.drawText(QRectF(0, y - 8, plot.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
            v == 0 ? u"0"_s : formatMicros(v));
    }
}

//! The x axis of a run's time (0 to \a maxUs), in \a plot.
void drawTimeAxis(QPainter &p, const QRectF &plot, double maxUs, const QPalette &palette)
{
    const double step = niceStep(maxUs, 5);
    p.setPen(axisTextColor(palette));
    for (double v = 0; v <= maxUs * 1.0001; v += step) {
        const double x = plot.left() + v / maxUs * plot.width();
        p.drawText(QRectF(x - 30, plot.bottom() + 2, 60, 16), Qt::AlignHCenter | Qt::AlignTop,
            secondsText(v));
    }
}

qint64 latencyOf(const LoadRecord &r, bool ttft)
{
    return ttft ? r.ttftUs : r.totalUs;
}

bool isFailure(const LoadRecord &r)
{
    return r.outcome != LoadOutcome::Ok && r.outcome != LoadOutcome::Canceled;
}

//! The groups with the most answers, at most \a most of them, as indices.
QList<quint32> largestGroups(const LoadStats &stats, int most)
{
    QList<quint32> order;
    for (quint32 i = 0; i < stats.groups.size(); ++i)
        if (stats.groups[i].ok > 0)
            order << i;
    std::ranges::stable_sort(
        order, [&stats](quint32 a, quint32 b) { return stats.groups[a].ok > stats.groups[b].ok; });
    if (order.size() > most)
        order.resize(most);
    return order;
}

//! A legend of \a groups along the top right of \a area.
void drawLegend(QPainter &p, const QRectF &area, const QList<quint32> &groups,
    const LoadChartData &data, const QPalette &palette)
{
    double x = area.right();
    const QFontMetricsF fm(p.font());
    for (qsizetype i = groups.size() - 1; i >= 0; --i) {
        const QString name = fm.elidedText(data.run->groups.value(groups[i]), Qt::ElideMiddle, 140);
        const double w = fm.horizontalAdvance(name) + 16;
        if (x - w < area.left() + area.width() / 3)
            break;
        x -= w;
        p.fillRect(QRectF(x, area.top() - kTitleHeight + 6, 8, 8), groupColor(groups[i], palette));
        p.setPen(axisTextColor(palette));
        p.drawText(QRectF(x + 11, area.top() - kTitleHeight, w, kTitleHeight),
            Qt::AlignLeft | Qt::AlignVCenter, name);
    }
}

} // namespace

QColor groupColor(quint32 index, const QPalette &palette)
{
    // Distinct hues in an order that keeps neighbours apart; lighter on a dark base.
    static constexpr int kHues[] = { 210, 28, 130, 350, 275, 50, 180, 320, 95, 0 };
    const int hue = kHues[index % std::size(kHues)];
    const int round = int(index / std::size(kHues));
    const bool dark = isDark(palette);
    QColor c = QColor::fromHsl(hue, 170 - 40 * (round % 2), dark ? 150 : 105);
    return c;
}

LoadChart::LoadChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(title);
}

void LoadChart::setData(const LoadChartData *source)
{
    m_data = source;
    update();
}

QRectF LoadChart::plotArea(const QRectF &area) const
{
    return area.adjusted(58, 4, -8, -20);
}

void LoadChart::paintAll(QPainter &p, const QRectF &rect) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect, palette().color(QPalette::Base));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::Text));
    const QRectF titleRect(
        rect.left() + kMargin, rect.top() + 2, rect.width() - 2 * kMargin, kTitleHeight);
    p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_title);
    p.setFont(font());
    const QRectF area = chartArea(rect);
    const bool drawn = m_data && m_data->run && m_data->stats && paintChart(p, area);
    if (!drawn) {
        p.setPen(axisTextColor(palette()));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("No answers yet"));
    }
}

void LoadChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paintAll(p, rect());
}

bool LoadChart::exportTo(const QString &path, QSize size) const
{
    if (size.isEmpty())
        size = this->size();
    if (QFileInfo(path).suffix().compare(u"svg"_s, Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(), size));
        svg.setTitle(m_title);
        svg.setDescription(tr("A Gatescope load run"));
        QPainter p;
        if (!p.begin(&svg))
            return false;
        paintAll(p, QRectF(QPointF(), size));
        return p.end();
    }
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    {
        QPainter p(&image);
        paintAll(p, QRectF(QPointF(), size));
    }
    return image.save(path, "PNG");
}

// The split

SplitChart::SplitChart(QWidget *parent)
    : LoadChart(tr("Split"), parent)
{ }

bool SplitChart::paintChart(QPainter &p, const QRectF &area) const
{
    const SplitCheck split = splitOf(m_data->expected, *m_data->stats);
    if (split.groups.isEmpty())
        return false;
    const QPalette &pal = palette();
    const QFontMetricsF fm(p.font());
    const double nameWidth = std::min(area.width() * 0.4, 180.0);
    const double valueWidth = fm.horizontalAdvance(u"100.0%"_s) + 6;
    const QRectF bars = area.adjusted(nameWidth + 6, 0, -valueWidth, -4);
    const qsizetype rows = std::min<qsizetype>(split.groups.size(), 12);
    const double rowHeight = std::min(28.0, area.height() / double(rows));
    for (qsizetype i = 0; i < rows; ++i) {
        const SplitCheck::Group &g = split.groups[i];
        const double y = area.top() + double(i) * rowHeight;
        const qsizetype index = m_data->run->groups.indexOf(g.name);
        const QColor color = index >= 0 ? groupColor(quint32(index), pal) : gridColor(pal);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(area.left(), y, nameWidth, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(g.name, Qt::ElideMiddle, nameWidth));
        const double barHeight = rowHeight * 0.55;
        const double top = y + (rowHeight - barHeight) / 2;
        p.fillRect(QRectF(bars.left(), top, bars.width(), barHeight), gridColor(pal));
        p.fillRect(QRectF(bars.left(), top, bars.width() * g.share, barHeight), color);
        // The 95% interval as a whisker.
        p.setPen(QPen(pal.color(QPalette::Text), 1));
        const double mid = top + barHeight / 2;
        p.drawLine(QPointF(bars.left() + bars.width() * g.low, mid),
            QPointF(bars.left() + bars.width() * g.high, mid));
        // The expected share as a mark across the bar.
        if (g.expectedPercent > 0) {
            const double x = bars.left() + bars.width() * g.expectedPercent / 100.0;
            p.setPen(QPen(toneColor(Tone::Warning, pal), 2));
            p.drawLine(QPointF(x, top - 3), QPointF(x, top + barHeight + 3));
        }
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(bars.right() + 4, y, valueWidth, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, QString::number(g.share * 100, 'f', 1) + u'%');
    }
    if (split.groups.size() > rows) {
        p.setPen(axisTextColor(pal));
        p.drawText(area, Qt::AlignBottom | Qt::AlignRight,
            tr("%n more group(s)", nullptr, int(split.groups.size() - rows)));
    }
    return true;
}

// The scatter

ScatterChart::ScatterChart(QWidget *parent)
    : LoadChart(tr("Every exchange"), parent)
{
    setMouseTracking(true);
    setCursor(Qt::CrossCursor);
}

qint64 ScatterChart::valueOf(const LoadRecord &r, bool ttft)
{
    // A failure has no TTFT: it is drawn where it ended.
    return isFailure(r) ? r.totalUs : latencyOf(r, ttft);
}

ScatterChart::Scale ScatterChart::scale(const QRectF &area) const
{
    Scale s;
    s.plot = plotArea(area);
    s.xMaxUs = double(std::max<qint64>(m_data->elapsedUs, 1'000));
    qint64 most = 1'000;
    for (const LoadRecord &r : m_data->run->records) {
        if (r.outcome != LoadOutcome::Canceled) {
            most = std::max(most, valueOf(r, m_data->ttft));
            s.xMaxUs = std::max(s.xMaxUs, double(r.startUs));
        }
    }
    s.yMaxUs = double(most) * 1.05;
    return s;
}

bool ScatterChart::paintChart(QPainter &p, const QRectF &area) const
{
    const std::vector<LoadRecord> &records = m_data->run->records;
    if (records.empty())
        return false;
    const QPalette &pal = palette();
    const Scale s = scale(area);
    drawLatencyAxis(p, s.plot, s.yMaxUs, pal);
    drawTimeAxis(p, s.plot, s.xMaxUs, pal);
    const size_t groupCount = std::max<size_t>(1, m_data->run->groups.size());
    const bool raster = records.size() > kVectorPoints;
    // Up to kVectorPoints, points by group in one call per group (an SVG keeps them
    // as points); past that, each point sets a few pixels of an image of the plot, so
    // that drawing costs the same at 100,000 as at 20,000 and the window never waits.
    std::vector<QList<QPointF>> points(raster ? 0 : groupCount);
    QImage image;
    std::vector<QRgb> colours;
    if (raster) {
        image = QImage(
            s.plot.size().toSize().expandedTo(QSize(2, 2)), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        for (size_t g = 0; g < groupCount; ++g)
            colours.push_back(groupColor(quint32(g), pal).rgba());
    }
    QList<QPointF> failures;
    for (const LoadRecord &r : records) {
        if (r.outcome == LoadOutcome::Canceled)
            continue;
        const qint64 v = valueOf(r, m_data->ttft);
        if (v < 0)
            continue;
        const double x = double(r.startUs) / s.xMaxUs * s.plot.width();
        const double y = s.plot.height() - double(v) / s.yMaxUs * s.plot.height();
        if (isFailure(r)) {
            if (failures.size() < kMostCrosses)
                failures << s.plot.topLeft() + QPointF(x, y);
        } else if (raster && r.group < groupCount) {
            const int px = std::clamp(int(x), 0, image.width() - 2);
            const int py = std::clamp(int(y), 0, image.height() - 2);
            for (int dy = 0; dy < 2; ++dy) {
                auto *line = reinterpret_cast<QRgb *>(image.scanLine(py + dy));
                line[px] = colours[r.group];
                line[px + 1] = colours[r.group];
            }
        } else if (r.group < points.size()) {
            points[r.group] << s.plot.topLeft() + QPointF(x, y);
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    if (raster)
        p.drawImage(s.plot.topLeft(), image);
    for (size_t g = 0; g < points.size(); ++g) {
        if (points[g].isEmpty())
            continue;
        p.setPen(QPen(groupColor(quint32(g), pal), 3, Qt::SolidLine, Qt::SquareCap));
        p.drawPoints(points[g].constData(), int(points[g].size()));
    }
    p.setPen(QPen(toneColor(Tone::Error, pal), 1.5));
    for (const QPointF &f : std::as_const(failures)) {
        p.drawLine(f + QPointF(-3, -3), f + QPointF(3, 3));
        p.drawLine(f + QPointF(-3, 3), f + QPointF(3, -3));
    }
    p.setRenderHint(QPainter::Antialiasing);
    if (m_marked >= 0 && m_marked < qsizetype(records.size())) {
        const LoadRecord &r = records[size_t(m_marked)];
        const QPointF at(s.plot.left() + double(r.startUs) / s.xMaxUs * s.plot.width(),
            s.plot.bottom() - double(valueOf(r, m_data->ttft)) / s.yMaxUs * s.plot.height());
        p.setPen(QPen(pal.color(QPalette::Text), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(at, 6, 6);
    }
    drawLegend(p, area, largestGroups(*m_data->stats, 4), *m_data, pal);
    return true;
}

void ScatterChart::setMarked(qsizetype index)
{
    m_marked = index;
    update();
}

QPointF ScatterChart::pointOf(qsizetype index) const
{
    if (!m_data || !m_data->run || index < 0 || index >= qsizetype(m_data->run->records.size()))
        return {};
    const QRectF area = chartArea(rect());
    const Scale s = scale(area);
    const LoadRecord &r = m_data->run->records[size_t(index)];
    return { s.plot.left() + double(r.startUs) / s.xMaxUs * s.plot.width(),
        s.plot.bottom() - double(valueOf(r, m_data->ttft)) / s.yMaxUs * s.plot.height() };
}

qsizetype ScatterChart::recordAt(QPointF pos) const
{
    if (!m_data || !m_data->run || m_data->run->records.empty())
        return -1;
    const QRectF area = chartArea(rect());
    const Scale s = scale(area);
    qsizetype best = -1;
    double bestDistance = kPickRadius * kPickRadius;
    const std::vector<LoadRecord> &records = m_data->run->records;
    for (size_t i = 0; i < records.size(); ++i) {
        const LoadRecord &r = records[i];
        const qint64 v = valueOf(r, m_data->ttft);
        if (r.outcome == LoadOutcome::Canceled || v < 0)
            continue;
        const double dx = s.plot.left() + double(r.startUs) / s.xMaxUs * s.plot.width() - pos.x();
        const double dy = s.plot.bottom() - double(v) / s.yMaxUs * s.plot.height() - pos.y();
        const double d = dx * dx + dy * dy;
        if (d <= bestDistance) {
            bestDistance = d;
            best = qsizetype(i);
        }
    }
    return best;
}

void ScatterChart::mouseMoveEvent(QMouseEvent *event)
{
    const qsizetype index = recordAt(event->position());
    if (index < 0) {
        QToolTip::hideText();
        return;
    }
    const LoadRecord &r = m_data->run->records[size_t(index)];
    QString text = tr("#%1 · %2 · %3")
                       .arg(index + 1)
                       .arg(r.status > 0 ? QString::number(r.status) : loadOutcomeName(r.outcome),
                           m_data->run->groups.value(r.group));
    text += u'\n'
        + tr("total %1, TTFT %2")
              .arg(formatMicros(double(r.totalUs)),
                  r.ttftUs >= 0 ? formatMicros(double(r.ttftUs)) : u"–"_s);
    text += u'\n' + tr("Click to open it in a tab; Shift+click two to compare them");
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void ScatterChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const qsizetype index = recordAt(event->position());
    if (index < 0)
        return;
    if (event->modifiers() & Qt::ShiftModifier)
        Q_EMIT exchangeMarked(index);
    else
        Q_EMIT exchangeClicked(index);
}

// Percentiles over time

PercentileChart::PercentileChart(QWidget *parent)
    : LoadChart(tr("p50 and p99 over time"), parent)
{ }

bool PercentileChart::paintChart(QPainter &p, const QRectF &area) const
{
    const std::vector<LoadRecord> &records = m_data->run->records;
    const QList<quint32> groups = largestGroups(*m_data->stats, kMaxLines);
    if (records.empty() || groups.isEmpty())
        return false;
    const QPalette &pal = palette();
    const QRectF plot = plotArea(area);
    double xMax = double(std::max<qint64>(m_data->elapsedUs, 1'000));
    for (const LoadRecord &r : records)
        xMax = std::max(xMax, double(r.startUs) + 1);
    const double sliceUs = xMax / kSlices;
    // values[group][slice]
    std::vector<std::vector<std::vector<qint64>>> values(
        groups.size(), std::vector<std::vector<qint64>>(kSlices));
    std::vector<int> slot(m_data->run->groups.size() + 1, -1);
    for (qsizetype i = 0; i < groups.size(); ++i)
        slot[groups[i]] = int(i);
    for (const LoadRecord &r : records) {
        const qint64 v = latencyOf(r, m_data->ttft);
        if (r.outcome != LoadOutcome::Ok || v < 0 || r.group >= slot.size() || slot[r.group] < 0)
            continue;
        const int s = std::clamp(int(double(r.startUs) / sliceUs), 0, kSlices - 1);
        values[size_t(slot[r.group])][size_t(s)].push_back(v);
    }
    const auto percentile = [](std::vector<qint64> &v, double q) {
        const auto k
            = size_t(std::clamp(std::ceil(q * double(v.size())) - 1, 0.0, double(v.size() - 1)));
        std::nth_element(v.begin(), v.begin() + qsizetype(k), v.end());
        return v[k];
    };
    // p50 and p99 per slice, then the scale from them.
    std::vector<std::vector<std::pair<qint64, qint64>>> lines(groups.size());
    qint64 most = 1'000;
    for (size_t g = 0; g < values.size(); ++g) {
        for (std::vector<qint64> &slice : values[g]) {
            if (slice.empty()) {
                lines[g].push_back({ -1, -1 });
                continue;
            }
            const qint64 p99 = percentile(slice, 0.99);
            const qint64 p50 = percentile(slice, 0.50);
            lines[g].push_back({ p50, p99 });
            most = std::max(most, p99);
        }
    }
    const double yMax = double(most) * 1.05;
    drawLatencyAxis(p, plot, yMax, pal);
    drawTimeAxis(p, plot, xMax, pal);
    for (size_t g = 0; g < lines.size(); ++g) {
        for (const bool high : { false, true }) {
            QPainterPath path;
            bool open = false;
            for (int s = 0; s < kSlices; ++s) {
                const qint64 v = high ? lines[g][size_t(s)].second : lines[g][size_t(s)].first;
                if (v < 0) {
                    open = false;
                    continue;
                }
                const QPointF at(plot.left() + (double(s) + 0.5) * sliceUs / xMax * plot.width(),
                    plot.bottom() - double(v) / yMax * plot.height());
                if (open)
                    path.lineTo(at);
                else
                    path.moveTo(at);
                open = true;
            }
            p.setPen(QPen(groupColor(groups[qsizetype(g)], pal), high ? 1.2 : 2,
                high ? Qt::DashLine : Qt::SolidLine));
            p.drawPath(path);
        }
    }
    drawLegend(p, area, groups.mid(0, 4), *m_data, pal);
    return true;
}

// Histogram

HistogramChart::HistogramChart(QWidget *parent)
    : LoadChart(tr("Distribution"), parent)
{ }

bool HistogramChart::paintChart(QPainter &p, const QRectF &area) const
{
    const std::vector<LoadRecord> &records = m_data->run->records;
    qint64 low = std::numeric_limits<qint64>::max();
    qint64 high = 0;
    for (const LoadRecord &r : records) {
        const qint64 v = latencyOf(r, m_data->ttft);
        if (r.outcome == LoadOutcome::Ok && v >= 0) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    if (high == 0)
        return false;
    const QPalette &pal = palette();
    const QRectF plot = plotArea(area);
    // Logarithmic bins from the fastest to the slowest answer.
    const double logLow = std::log(double(std::max<qint64>(low, 1)));
    const double logHigh = std::max(logLow + 1e-6, std::log(double(high) + 1));
    const size_t groupCount = std::max<size_t>(1, m_data->run->groups.size());
    std::vector<std::vector<qint64>> bins(kBins, std::vector<qint64>(groupCount, 0));
    for (const LoadRecord &r : records) {
        const qint64 v = latencyOf(r, m_data->ttft);
        if (r.outcome != LoadOutcome::Ok || v < 0 || r.group >= groupCount)
            continue;
        const double at = (std::log(double(std::max<qint64>(v, 1))) - logLow) / (logHigh - logLow);
        ++bins[size_t(std::clamp(int(at * kBins), 0, kBins - 1))][r.group];
    }
    qint64 tallest = 1;
    for (const auto &bin : bins) {
        qint64 sum = 0;
        for (const qint64 n : bin)
            sum += n;
        tallest = std::max(tallest, sum);
    }
    // The count axis.
    const double step = std::max(1.0, niceStep(double(tallest), 4));
    for (double v = 0; v <= double(tallest) * 1.0001; v += step) {
        const double y = plot.bottom() - v / double(tallest) * plot.height();
        p.setPen(gridColor(pal));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(axisTextColor(pal));
        p.drawText(QRectF(0, y - 8, plot.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
            QString::number(qint64(v)));
    }
    const double width = plot.width() / kBins;
    for (int b = 0; b < kBins; ++b) {
        double y = plot.bottom();
        for (size_t g = 0; g < groupCount; ++g) {
            const qint64 n = bins[size_t(b)][g];
            if (n == 0)
                continue;
            const double h = double(n) / double(tallest) * plot.height();
            p.fillRect(QRectF(plot.left() + b * width + 0.5, y - h, width - 1, h),
                groupColor(quint32(g), pal));
            y -= h;
        }
    }
    // The latency axis: a label at every eighth bin edge.
    p.setPen(axisTextColor(pal));
    // Five labels where they fit, three in a narrow chart.
    const int labelStep = plot.width() < 360 ? kBins / 2 : kBins / 4;
    for (int b = 0; b <= kBins; b += labelStep) {
        const double v = std::exp(logLow + (logHigh - logLow) * b / kBins);
        const double x = plot.left() + b * width;
        // The last label ends at the plot's edge rather than past it.
        const QRectF box = b == kBins ? QRectF(x - 68, plot.bottom() + 2, 68, 16)
                                      : QRectF(x - 34, plot.bottom() + 2, 68, 16);
        p.drawText(
            box, (b == kBins ? Qt::AlignRight : Qt::AlignHCenter) | Qt::AlignTop, formatMicros(v));
    }
    drawLegend(p, area, largestGroups(*m_data->stats, 4), *m_data, pal);
    return true;
}

} // namespace gs::ui
