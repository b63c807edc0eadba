#include "core/net/waterfall.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

double ms(qint64 micros)
{
    return double(micros) / 1000.0;
}

} // namespace

Waterfall Waterfall::build(const Timeline &t, const QList<ServerTimingMetric> &serverTiming)
{
    Waterfall w;
    const auto add = [&w](WaterfallBar::Kind kind, const QString &label, qint64 from, qint64 to,
                         const QString &description = {}) {
        WaterfallBar bar;
        bar.kind = kind;
        bar.label = label;
        bar.description = description;
        bar.startMs = ms(from);
        bar.durationMs = ms(std::max<qint64>(0, to - from));
        w.bars.append(bar);
    };

    if (t.connectionReused) {
        WaterfallBar bar;
        bar.kind = WaterfallBar::Kind::Connect;
        bar.label = u"connect"_s;
        bar.description = u"reused connection: no connect or TLS phase"_s;
        bar.measured = false;
        w.bars.append(bar);
    } else if (t.connecting >= 0 && t.requestSent >= 0) {
        const qint64 connected = t.encrypted >= 0 ? t.encrypted : t.requestSent;
        add(WaterfallBar::Kind::Connect, u"connect"_s, t.connecting, connected);
        if (t.encrypted >= 0)
            add(WaterfallBar::Kind::Tls, u"tls"_s, t.connecting, t.encrypted, u"within connect"_s);
    }
    if (t.requestSent >= 0 && t.headers >= 0)
        add(WaterfallBar::Kind::Waiting, u"waiting"_s, t.requestSent, t.headers,
            u"request sent to status line"_s);

    // Server stages: sequential from the moment the request was sent (the header has
    // no offsets), inside the waiting phase.
    if (t.requestSent >= 0) {
        double serverEnd = 0;
        for (const PlacedMetric &p : inferPlacement(serverTiming)) {
            WaterfallBar bar;
            bar.kind = WaterfallBar::Kind::ServerStage;
            bar.label = p.metric.name;
            bar.description = p.metric.description;
            bar.startMs = ms(t.requestSent) + p.start;
            bar.durationMs = std::max(0.0, p.metric.duration);
            bar.inferred = true;
            bar.envelope = p.envelope;
            serverEnd = std::max(serverEnd, p.start + bar.durationMs);
            w.bars.append(bar);
        }
        if (t.headers >= 0 && serverEnd > ms(t.headers - t.requestSent) + 0.001)
            w.serverExceedsWait = true;
    }
    if (t.headers >= 0 && t.firstToken >= 0)
        add(WaterfallBar::Kind::FirstToken, u"first token"_s, t.headers, t.firstToken,
            u"after the status line"_s);
    if (t.firstByte >= 0 && t.finished >= 0)
        add(WaterfallBar::Kind::Body, u"body"_s, t.firstByte, t.finished,
            u"%1 bytes, %2 events"_s.arg(t.bytes).arg(t.events));
    for (qint64 tick : t.tokenTimes)
        w.tokenTicksMs.append(ms(tick));
    w.endMs = t.finished >= 0 ? ms(t.finished) : 0;
    for (const WaterfallBar &b : std::as_const(w.bars))
        w.endMs = std::max(w.endMs, b.startMs + b.durationMs);
    return w;
}

} // namespace gs::core
