#pragma once

#include "core/net/timeline.h"
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
    //! times).
    bool inferred = false;
    bool envelope = false; //!< a server stage spanning the others ("total")
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

    static Waterfall build(const Timeline &timeline, const QList<ServerTimingMetric> &serverTiming);
};

} // namespace gs::core
