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

bool Waterfall::isGatewaySide(WaterfallBar::Kind kind)
{
    return kind == WaterfallBar::Kind::ServerStage || kind == WaterfallBar::Kind::Attempt
        || kind == WaterfallBar::Kind::RetryDelay;
}

Waterfall Waterfall::build(const Timeline &t, const QList<ServerTimingMetric> &serverTiming,
    const QList<GatewayAttempt> &attempts)
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

    // The gateway's attempts, in order, each retry's delay before it: a request that
    // fell back after five attempts shows them, not one grey wait. Only one is not
    // worth a row: it is the wait itself.
    double serverEnd = 0;
    if (t.requestSent >= 0 && attempts.size() > 1) {
        double at = 0;
        for (qsizetype i = 0; i < attempts.size(); ++i) {
            const GatewayAttempt &a = attempts[i];
            if (a.delayBeforeMs > 0) {
                WaterfallBar delay;
                delay.kind = WaterfallBar::Kind::RetryDelay;
                delay.label = u"retry delay"_s;
                delay.description = u"the gateway waited before attempt %1"_s.arg(i + 1);
                delay.startMs = ms(t.requestSent) + at;
                delay.durationMs = a.delayBeforeMs;
                delay.inferred = true;
                w.bars.append(delay);
                at += a.delayBeforeMs;
            }
            const bool fallback = i > 0 && a.target != attempts[i - 1].target;
            WaterfallBar bar;
            bar.kind = WaterfallBar::Kind::Attempt;
            bar.label = u"attempt %1 · %2"_s.arg(i + 1).arg(a.status);
            bar.description = u"%1%2 answered %3"_s
                                  .arg(fallback ? u"fallback: "_s : QString(),
                                      a.target.isEmpty() ? u"the target"_s : a.target)
                                  .arg(a.status);
            bar.startMs = ms(t.requestSent) + at;
            bar.durationMs = a.durationMs;
            bar.inferred = true;
            bar.failed = a.status < 200 || a.status >= 300;
            w.bars.append(bar);
            at += a.durationMs;
        }
        serverEnd = at;
    }

    // Server stages: sequential from the moment the request was sent (the header has
    // no offsets), inside the waiting phase.
    if (t.requestSent >= 0) {
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
    }
    if (t.requestSent >= 0) {
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
