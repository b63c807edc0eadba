#pragma once

#include "core/net/timeline.h"
#include "core/stream/gatewayresponse.h"
#include "core/stream/servertiming.h"

#include <QList>
#include <QString>

namespace gs::core {

//! One bar of the timing waterfall, in milliseconds from the exchange's start.
struct WaterfallBar
{
    enum class Kind {
        Connect,
        Tls,
        Waiting,
        ServerStage,
        Attempt, //!< the gateway's call to a target (retries and fallback are more)
        RetryDelay, //!< the gateway's wait before a retry
        FirstToken,
        Body
    };

    Kind kind = Kind::Waiting;
    QString label;
    QString description;
    double startMs = 0;
    double durationMs = 0;
    //! False for a phase that did not happen on this exchange (a reused connection has
    //! no connect or TLS phase): shown as absent, never as a measured zero.
    bool measured = true;
    //! Placement guessed, not measured: every server stage (Server-Timing has no start
    //! times), every attempt and retry delay (the gateway reports durations only).
    bool inferred = false;
    bool envelope = false; //!< a server stage spanning the others ("total")
    bool failed = false; //!< an attempt that did not serve the request
};

//! The client's phases with the server's stages placed inside the wait for the status
//! line: what the waterfall chart and the CLI's text waterfall draw. No networking.
struct Waterfall
{
    QList<WaterfallBar> bars;
    QList<double> tokenTicksMs; //!< token arrivals, for ticks on the body bar
    double endMs = 0; //!< the right edge: the end of the exchange or of the last bar
    //! The server reports more time than the client waited for the status line (clocks
    //! or metrics disagree): the placement is then surely wrong, and says so.
    bool serverExceedsWait = false;

    //! \a attempts (retries and fallback, as the applied configurations report them)
    //! are placed one after another from the moment the request was sent, each retry
    //! delay before its attempt, inside the wait for the status line.
    static Waterfall build(const Timeline &timeline, const QList<ServerTimingMetric> &serverTiming,
        const QList<GatewayAttempt> &attempts = {});
    //! Whether a bar's placement was inferred inside the wait (server stages, attempts).
    static bool isGatewaySide(WaterfallBar::Kind kind);
};

} // namespace gs::core
