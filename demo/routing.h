#pragma once

#include "demo/gatewayrules.h"

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

//! Routes a request for \a model (a model or a virtual model of the catalogue) as the
//! gateway's configuration says: weight-based load balancing, retries, per-attempt
//! timeouts, fallback. Deterministic for a given \a seed.
Routing route(
    const QString &model, const GatewayHeaders &headers, bool stream, qint64 tokens, quint64 seed);

//! The server-timing header of a non-streamed answer.
QByteArray serverTiming(const Routing &routing, const GatewayHeaders &headers);

} // namespace gs::demo
