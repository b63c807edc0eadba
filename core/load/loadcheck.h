#pragma once

#include "core/load/loadrun.h"
#include "core/load/splitcheck.h"
#include "core/model/error.h"

#include <QString>

namespace gs::core {

//! A threshold a load run must meet, as the user writes it:
//!
//!     p99(ttft) < 800ms          p50(total, openai-main/gpt-4o) <= 2s
//!     max(gap) < 300ms           mean(ttft) < 0.5s
//!     error_rate < 1%            fallback_rate <= 5%          rps >= 50
//!
//! Latencies: ttft (request sent to first token), total (start to last byte), gap
//! (largest wait between two tokens of an answer), over successful answers, of the
//! whole run or of one group. Functions: p50, p90, p95, p99, p99.9 (any pN), min, max,
//! mean. Units: us, ms (the default), s.
struct LoadExpectation
{
    enum class Metric {
        Ttft,
        Total,
        Gap,
        ErrorRate,
        FallbackRate,
        RequestsPerSecond
    };
    enum class Op {
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual
    };
    QString text; //!< as written
    Metric metric = Metric::Ttft;
    //! For latencies: the percentile (0 to 100); kMean for the mean.
    double percentile = 50;
    QString group; //!< empty: the whole run
    Op op = Op::Less;
    //! The bound: microseconds for latencies, a share (0 to 1) for rates, per second
    //! for rps.
    double bound = 0;

    static constexpr double kMean = -1;

    static Result<LoadExpectation> parse(const QString &text);
};

//! The verdict on one check.
struct LoadCheckResult
{
    QString text; //!< "p99(ttft) < 800ms", "split openai-main/gpt-4o-mini=70,..."
    bool passed = false;
    QString actual; //!< what was measured, for the report
    QStringList warnings; //!< why it may not mean what it seems
};

LoadCheckResult evaluate(
    const LoadExpectation &expectation, const LoadStats &stats, qint64 elapsedUs);

//! An expected split, "model-a=70,model-b=30" (the percents are normalised).
Result<QList<std::pair<QString, double>>> parseSplit(const QString &text);

//! The split of a run's successful answers among its groups, tested with a chi-square
//! goodness of fit; with \a tolerancePoints >= 0 it passes when every group's share is
//! within that many percentage points of its expected share instead (a large run
//! rejects any tiny deviation otherwise), and no other group took more than that.
SplitCheck splitOf(const QList<std::pair<QString, double>> &expected, const LoadStats &stats);
LoadCheckResult evaluateSplit(const QList<std::pair<QString, double>> &expected,
    const LoadStats &stats, double tolerancePoints = -1);

//! What a run's result cannot say, whatever was checked: too few answers for its
//! percentiles, routing by latency or stickiness, targets that became unhealthy.
QStringList runWarnings(const LoadStats &stats);

//! "1.2 ms", "812 ms", "2.31 s" for microseconds.
QString formatMicros(double micros);

} // namespace gs::core
