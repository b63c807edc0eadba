#pragma once

#include "demo/gatewayrules.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gs::demo {

//! One call to one model.
struct Attempt
{
    QString model;
    int status = 200; // 200: served
    int durationMs = 0; // time spent on this attempt
    int delayBeforeMs = 0; // retry delay before it
    QString reason;
};

//! What the routing configuration did with one request.
struct Routing
{
    QList<Attempt> attempts;
    QString resolvedModel; // empty: every attempt failed
    QJsonObject applied;
    int waitMs = 0; // total time before the first byte
    int modelCallMs = 0;
};

//! What the gateway remembers between requests: how many routing draws it made (each
//! request draws anew, reproducibly under the seed), each target's recent failures and
//! latencies, the targets marked unhealthy, and the sessions sticky routing pinned.
struct RoutingState
{
    quint64 draws = 0;
    QHash<QString, QList<qint64>> failures; //!< target to the times of its failed calls
    QHash<QString, qint64> unhealthyUntil; //!< target to when it recovers
    QHash<QString, QList<std::pair<qint64, int>>> latencies; //!< target to (time, ms) samples
    QHash<QString, std::pair<QString, qint64>> sessions; //!< rule + session to (target, expiry)
};

//! Routes a request for \a model (a model or a virtual model of the catalogue) as the
//! gateway's configuration says: weight- or latency-based load balancing, sticky
//! sessions, target health, retries, per-attempt timeouts, fallback. \a state carries
//! what earlier requests left; \a nowMs is the gateway's clock. Reproducible: the same
//! seed and the same requests in the same order route the same way.
Routing route(const QString &model, const GatewayHeaders &headers, bool stream, qint64 tokens,
    quint64 seed, RoutingState &state, qint64 nowMs);

//! The server-timing header of a non-streamed answer.
QByteArray serverTiming(const Routing &routing, const GatewayHeaders &headers);

} // namespace gs::demo
