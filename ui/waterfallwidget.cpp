#include "waterfallwidget.h"

#include "tones.h"

#include <QGuiApplication>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <set>

using namespace Qt::StringLiterals;
using gs::core::Waterfall;
using gs::core::WaterfallBar;

namespace gs::ui {

namespace {

constexpr double kMinRangeMs = 0.001; // 1 µs: zooming further shows nothing new
constexpr double kPixelsPerTick = 60;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

// One hue per kind of phase; lighter on a dark background so that bars keep their
// contrast in both palettes.
QColor colorFor(WaterfallBar::Kind kind, const QPalette &palette)
{
    int hue = 0;
    int saturation = 150;
    switch (kind) {
    case WaterfallBar::Kind::Connect:
        hue = 175;
        break;
    case WaterfallBar::Kind::Tls:
        hue = 275;
        break;
    case WaterfallBar::Kind::Waiting:
        hue = 210;
        saturation = 25;
        break;
    case WaterfallBar::Kind::ServerStage:
        hue = 30;
        saturation = 190;
        break;
    case WaterfallBar::Kind::Attempt:
        hue = 50;
        saturation = 170;
        break;
    case WaterfallBar::Kind::RetryDelay:
        hue = 210;
        saturation = 40;
        break;
    case WaterfallBar::Kind::FirstToken:
        hue = 130;
        break;
    case WaterfallBar::Kind::Body:
        hue = 215;
        break;
    }
    return QColor::fromHsv(hue, saturation, isDark(palette) ? 225 : 185);
}

// 1, 2 or 5 times a power of ten: the axis' tick steps.
double niceStep(double raw)
{
    if (raw <= 0 || !std::isfinite(raw))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / power;
    const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * power;
}

// Decimals needed to write multiples of \a step in \a unit without losing precision.
int decimalsFor(double step)
{
    int decimals = 0;
    while (decimals < 6
        && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals)))
            > 1e-6)
        ++decimals;
    return decimals;
}

QString durationText(double ms)
{
    if (ms < 1)
        return u"%1 µs"_s.arg(std::round(ms * 1000));
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms, 0, 'f', ms < 10 ? 2 : 1);
    return u"%1 s"_s.arg(ms / 1000, 0, 'f', 2);
}

} // namespace

WaterfallWidget::WaterfallWidget(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Timing waterfall"));
}

void WaterfallWidget::setWaterfall(const Waterfall &waterfall)
{
    m_waterfall = waterfall;
    resetView();
    updateGeometry();
}

void WaterfallWidget::setView(double startMs, double endMs)
{
    const double full = std::max(m_waterfall.endMs, kMinRangeMs);
    double range = std::clamp(endMs - startMs, kMinRangeMs, full);
    double start = std::clamp(startMs, 0.0, full - range);
    m_viewStart = start;
    m_viewEnd = start + range;
    update();
}

void WaterfallWidget::resetView()
{
    setView(0, std::max(m_waterfall.endMs, kMinRangeMs));
}

void WaterfallWidget::zoomAt(double x, double factor)
{
    const Layout l = layoutFor(size());
    if (l.chart.width() <= 0 || factor <= 0)
        return;
    const double fraction = std::clamp((x - l.chart.left()) / l.chart.width(), 0.0, 1.0);
    const double anchor = m_viewStart + fraction * (m_viewEnd - m_viewStart);
    const double range = (m_viewEnd - m_viewStart) / factor;
    setView(anchor - fraction * range, anchor + (1 - fraction) * range);
}

WaterfallWidget::Layout WaterfallWidget::layoutFor(const QSizeF &size) const
{
    const QFontMetricsF fm(font());
    Layout l;
    l.rowHeight = std::round(fm.height() * 1.7);
    l.axisHeight = std::round(fm.height() * 1.6);
    double labels = fm.horizontalAdvance(u"first token"_s);
    for (const WaterfallBar &b : m_waterfall.bars)
        labels = std::max(labels,
            fm.horizontalAdvance(b.label) + (Waterfall::isGatewaySide(b.kind) ? fm.height() : 0));
    l.labelWidth = std::min(labels + fm.height(), size.width() * 0.35);
    const double right = fm.horizontalAdvance(u"000.0 ms"_s) + 8;
    // The rows take what they need; the legend follows right under them.
    l.chart
        = QRectF(l.labelWidth, l.axisHeight, std::max(10.0, size.width() - l.labelWidth - right),
            double(m_waterfall.bars.size()) * l.rowHeight);
    return l;
}

bool WaterfallWidget::hasInferredRows() const
{
    return std::ranges::any_of(
        m_waterfall.bars, [](const WaterfallBar &b) { return Waterfall::isGatewaySide(b.kind); });
}

QList<std::pair<QString, bool>> WaterfallWidget::legendLines() const
{
    // The inferred placement is explained only when there is something inferred.
    QList<std::pair<QString, bool>> lines;
    if (hasInferredRows())
        lines.append({ tr("server stage or gateway attempt: placement inferred (the gateway "
                          "reports durations, not start times)"),
            false });
    if (m_waterfall.serverExceedsWait)
        lines.append({ tr("The server reports more time than the client waited for the status "
                          "line: the placement cannot be right."),
            true });
    return lines;
}

double WaterfallWidget::legendHeight(double width) const
{
    const QFontMetricsF fm(font());
    const double swatch = fm.height() * 1.4 + 10;
    double height = 0;
    for (const auto &[line, warning] : legendLines()) {
        const QRectF box(0, 0, std::max(40.0, width - swatch - 4), 1e6);
        height += fm.boundingRect(box, Qt::TextWordWrap, line).height() + fm.height() * 0.3;
    }
    return height > 0 ? height + fm.height() * 0.4 : 0;
}

int WaterfallWidget::contentHeight(int width) const
{
    const Layout l = layoutFor(QSizeF(width, 0));
    const int rows = int(std::max<qsizetype>(m_waterfall.bars.size(), 4));
    return int(std::ceil(l.axisHeight + rows * l.rowHeight + legendHeight(width))) + 4;
}

double WaterfallWidget::xFor(const Layout &layout, double ms) const
{
    return layout.chart.left()
        + (ms - m_viewStart) / (m_viewEnd - m_viewStart) * layout.chart.width();
}

QRectF WaterfallWidget::barRectIn(const Layout &layout, int index) const
{
    if (index < 0 || index >= m_waterfall.bars.size())
        return {};
    const WaterfallBar &bar = m_waterfall.bars[index];
    if (!bar.measured)
        return {};
    const double top = layout.chart.top() + index * layout.rowHeight + layout.rowHeight * 0.2;
    const double x0 = xFor(layout, bar.startMs);
    const double x1 = std::max(x0 + 1, xFor(layout, bar.startMs + bar.durationMs));
    return QRectF(QPointF(x0, top), QPointF(x1, top + layout.rowHeight * 0.6));
}

QRectF WaterfallWidget::barRect(int index) const
{
    return barRectIn(layoutFor(size()), index);
}

double WaterfallWidget::tickStepMs() const
{
    return tickStepFor(layoutFor(size()));
}

double WaterfallWidget::tickStepFor(const Layout &layout) const
{
    const double ticks = std::max(1.0, layout.chart.width() / kPixelsPerTick);
    return niceStep((m_viewEnd - m_viewStart) / ticks);
}

QString WaterfallWidget::formatTime(double ms, double stepMs)
{
    if (stepMs < 0.1) {
        const double us = ms * 1000;
        return u"%1 µs"_s.arg(us, 0, 'f', decimalsFor(stepMs * 1000));
    }
    if (stepMs < 250)
        return u"%1 ms"_s.arg(ms, 0, 'f', decimalsFor(stepMs));
    return u"%1 s"_s.arg(ms / 1000, 0, 'f', decimalsFor(stepMs / 1000));
}

QSize WaterfallWidget::sizeHint() const
{
    return { 640, contentHeight(640) };
}

QSize WaterfallWidget::minimumSizeHint() const
{
    return { 240, contentHeight(std::max(width(), 240)) };
}

bool WaterfallWidget::hasHeightForWidth() const
{
    return true;
}

int WaterfallWidget::heightForWidth(int width) const
{
    return contentHeight(width);
}

void WaterfallWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paint(painter, size());
}

void WaterfallWidget::paint(QPainter &painter, const QSizeF &size) const
{
    const QPalette &pal = palette();
    const Layout l = layoutFor(size);
    const QFontMetricsF fm(font());
    painter.fillRect(QRectF(QPointF(0, 0), size), pal.color(QPalette::Base));
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setFont(font());

    if (m_waterfall.bars.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRectF(QPointF(0, 0), size), Qt::AlignCenter,
            tr("No timing yet: send a request to see its phases here."));
        return;
    }

    // Rows: alternate shading and labels.
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.55f);
    for (int i = 0; i < m_waterfall.bars.size(); ++i) {
        const WaterfallBar &bar = m_waterfall.bars[i];
        const QRectF row(0, l.chart.top() + i * l.rowHeight, size.width(), l.rowHeight);
        if (i % 2 == 1)
            painter.fillRect(row, pal.color(QPalette::AlternateBase));
        const bool server = Waterfall::isGatewaySide(bar.kind);
        const double indent = server ? fm.height() : 4;
        painter.setPen(server ? faint : text);
        const QRectF labelRect(indent, row.top(), l.labelWidth - indent - 4, row.height());
        painter.drawText(labelRect, Qt::AlignVCenter | Qt::AlignLeft,
            fm.elidedText(bar.label, Qt::ElideRight, labelRect.width()));
    }

    // Axis and grid.
    const double step = tickStepFor(l);
    QColor grid = text;
    grid.setAlphaF(0.12f);
    painter.setPen(faint);
    const double first = std::ceil(m_viewStart / step) * step;
    for (double t = first; t <= m_viewEnd + step * 1e-9; t += step) {
        const double x = xFor(l, t);
        painter.setPen(grid);
        painter.drawLine(QPointF(x, l.chart.top()), QPointF(x, l.chart.bottom()));
        painter.setPen(faint);
        const QString label = formatTime(t, step);
        const double w = fm.horizontalAdvance(label);
        painter.drawText(
            QPointF(std::max(l.chart.left() - w / 2, std::min(x - w / 2, size.width() - w - 2)),
                l.axisHeight - fm.descent() - 4),
            label);
    }
    painter.setPen(faint);
    painter.drawLine(
        QPointF(l.chart.left(), l.axisHeight - 1), QPointF(l.chart.right(), l.axisHeight - 1));

    // Bars, clipped to the chart.
    painter.save();
    painter.setClipRect(
        QRectF(l.chart.left(), l.chart.top(), size.width() - l.chart.left(), l.chart.height()));
    for (int i = 0; i < m_waterfall.bars.size(); ++i) {
        const WaterfallBar &bar = m_waterfall.bars[i];
        const QRectF row(
            l.chart.left(), l.chart.top() + i * l.rowHeight, l.chart.width(), l.rowHeight);
        if (!bar.measured) {
            QFont italic = font();
            italic.setItalic(true);
            painter.setFont(italic);
            painter.setPen(faint);
            painter.drawText(row.adjusted(4, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                tr("not measured: %1").arg(bar.description));
            painter.setFont(font());
            continue;
        }
        const QRectF r = barRectIn(l, i);
        // A failed attempt in the error colour: the story of a fallback reads at once.
        const QColor color = bar.failed ? toneColor(Tone::Error, pal) : colorFor(bar.kind, pal);
        if (bar.inferred) {
            // Inferred placement: a pale fill, a hatch and a dashed outline.
            QColor pale = color;
            pale.setAlphaF(bar.envelope ? 0.18f : 0.35f);
            painter.fillRect(r, pale);
            painter.fillRect(r, QBrush(color.darker(isDark(pal) ? 100 : 130), Qt::BDiagPattern));
            QPen pen(color.darker(isDark(pal) ? 100 : 140));
            pen.setStyle(Qt::DashLine);
            painter.setPen(pen);
            painter.drawRect(r.adjusted(0, 0, -1, -1));
        } else {
            painter.fillRect(r, color);
        }
        if (bar.kind == WaterfallBar::Kind::Body && !m_waterfall.tokenTicksMs.isEmpty()) {
            // Token arrivals as ticks, one line per pixel column however many tokens.
            std::set<int> columns;
            for (double t : m_waterfall.tokenTicksMs) {
                if (t >= m_viewStart && t <= m_viewEnd)
                    columns.insert(int(std::floor(xFor(l, t))));
            }
            painter.setPen(isDark(pal) ? QColor(20, 20, 20) : QColor(255, 255, 255));
            for (int x : columns)
                painter.drawLine(QPointF(x + 0.5, r.top() + 2), QPointF(x + 0.5, r.bottom() - 2));
        }
        const QString value = durationText(bar.durationMs);
        const double w = fm.horizontalAdvance(value);
        painter.setPen(bar.inferred ? faint : text);
        const double after = r.right() + 4;
        const double x
            = after + w <= size.width() - 2 ? after : std::max(l.chart.left(), r.left() - w - 4);
        painter.drawText(QPointF(x, row.center().y() + fm.ascent() / 2 - 1), value);
    }
    painter.restore();

    // Legend, right under the rows, wrapped to the width.
    double y = l.chart.bottom() + fm.height() * 0.4;
    const double textLeft = fm.height() * 1.4 + 10;
    for (const auto &[line, warning] : legendLines()) {
        const QRectF box(textLeft, y, std::max(40.0, size.width() - textLeft - 4), 1e6);
        const QRectF used = fm.boundingRect(box, Qt::TextWordWrap, line);
        if (warning) {
            painter.setPen(isDark(pal) ? QColor(255, 140, 120) : QColor(180, 30, 20));
        } else {
            const QRectF swatch(4, y + fm.height() * 0.15, fm.height() * 1.4, fm.height() * 0.7);
            const QColor serverColor = colorFor(WaterfallBar::Kind::ServerStage, pal);
            QColor pale = serverColor;
            pale.setAlphaF(0.35f);
            painter.fillRect(swatch, pale);
            painter.fillRect(
                swatch, QBrush(serverColor.darker(isDark(pal) ? 100 : 130), Qt::BDiagPattern));
            painter.setPen(faint);
        }
        painter.drawText(box, Qt::TextWordWrap, line);
        y += used.height() + fm.height() * 0.3;
    }
}

int WaterfallWidget::barAt(const QPointF &pos) const
{
    const Layout l = layoutFor(size());
    if (pos.y() < l.chart.top() || pos.y() >= l.chart.bottom())
        return -1;
    const int row = int((pos.y() - l.chart.top()) / l.rowHeight);
    return row < m_waterfall.bars.size() ? row : -1;
}

bool WaterfallWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = barAt(help->pos());
        if (i < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const WaterfallBar &bar = m_waterfall.bars[i];
        QString tip = u"<b>%1</b>"_s.arg(bar.label.toHtmlEscaped());
        if (!bar.description.isEmpty())
            tip += u"<br>"_s + bar.description.toHtmlEscaped();
        if (bar.measured)
            tip += u"<br>%1, from %2 to %3"_s.arg(durationText(bar.durationMs),
                durationText(bar.startMs), durationText(bar.startMs + bar.durationMs));
        else
            tip += u"<br>"_s + tr("not measured on this exchange");
        if (bar.inferred)
            tip += u"<br><i>%1</i>"_s.arg(bar.envelope ? tr("server envelope; placement inferred")
                    : bar.kind == WaterfallBar::Kind::ServerStage
                    ? tr("server stage; placement inferred from the header order")
                    : tr("reported by the gateway's applied configurations; placement inferred "
                         "from their order"));
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

void WaterfallWidget::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    zoomAt(event->position().x(), std::pow(1.25, steps));
    event->accept();
}

void WaterfallWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_dragStartX = event->position().x();
        m_dragViewStart = m_viewStart;
        m_dragViewEnd = m_viewEnd;
        setCursor(Qt::ClosedHandCursor);
    }
}

void WaterfallWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    const Layout l = layoutFor(size());
    const double perPixel = (m_dragViewEnd - m_dragViewStart) / std::max(1.0, l.chart.width());
    const double shift = (m_dragStartX - event->position().x()) * perPixel;
    setView(m_dragViewStart + shift, m_dragViewEnd + shift);
}

void WaterfallWidget::mouseReleaseEvent(QMouseEvent *)
{
    m_dragging = false;
    unsetCursor();
}

void WaterfallWidget::mouseDoubleClickEvent(QMouseEvent *)
{
    resetView();
}

void WaterfallWidget::keyPressEvent(QKeyEvent *event)
{
    const Layout l = layoutFor(size());
    const double center = l.chart.center().x();
    if (event->matches(QKeySequence::ZoomIn) || event->key() == Qt::Key_Plus) {
        zoomAt(center, 1.5);
    } else if (event->matches(QKeySequence::ZoomOut) || event->key() == Qt::Key_Minus) {
        zoomAt(center, 1 / 1.5);
    } else if (event->key() == Qt::Key_0 && event->modifiers().testFlag(Qt::ControlModifier)) {
        resetView();
    } else if (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right) {
        const double shift
            = (m_viewEnd - m_viewStart) * (event->key() == Qt::Key_Left ? -0.1 : 0.1);
        setView(m_viewStart + shift, m_viewEnd + shift);
    } else {
        QWidget::keyPressEvent(event);
    }
}

bool WaterfallWidget::exportPng(const QString &path, qreal scale) const
{
    const QSize logical = size().isEmpty() ? sizeHint() : size();
    QImage image(logical * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    QPainter painter(&image);
    paint(painter, logical);
    painter.end();
    return image.save(path, "PNG");
}

bool WaterfallWidget::exportSvg(const QString &path) const
{
    const QSize logical = size().isEmpty() ? sizeHint() : size();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(logical);
    svg.setViewBox(QRect(QPoint(0, 0), logical));
    svg.setTitle(tr("Gatescope timing waterfall"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    paint(painter, logical);
    return painter.end();
}

} // namespace gs::ui
