#pragma once

#include "core/load/latencyhistogram.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/net/exchange.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

class QNetworkAccessManager;
class QTimer;

namespace gs::core {

//! What a load run groups its answers by: a response header's value (by default the
//! model the gateway resolved) or the value at a JSON path of the answer (a streamed
//! answer assembled into the shape of a whole one).
struct GroupBy
{
    enum class Source {
        Header,
        Json
    };
    Source source = Source::Header;
    QByteArray header = "x-tfy-resolved-model";
    QString path; //!< for Json: "$.model"

    //! "header:NAME" or "json:$.path", as the command line writes it.
    QString text() const;
    //! Reads "header:NAME" or "json:$.path"; a bare header name is taken as a header.
    static Result<GroupBy> parse(const QString &spec);
};

//! How one exchange of a load run ended.
enum class LoadOutcome : quint8 {
    Ok, //!< an answer with a status below 400, whole
    HttpError, //!< an answer with a status of 400 or more
    Incomplete, //!< a streamed answer that ended before its end marker
    Refused, //!< connection refused or host not found
    Reset, //!< the connection closed before the answer was whole
    Timeout, //!< a client-side deadline or idle timeout, or the connection timed out
    Tls,
    Protocol,
    Canceled, //!< stopped by the user; not counted as a failure of the gateway
    Other,
};
//! A short name for \a outcome: "ok", "http", "incomplete", "refused", "reset", ...
QString loadOutcomeName(LoadOutcome outcome);

//! What the run keeps of one exchange: no body, no headers; about 64 bytes, so that a
//! run of 100,000 requests holds its records in a few megabytes.
struct LoadRecord
{
    qint64 startUs = 0; //!< when it started, since the run started
    qint64 totalUs = -1; //!< from its start to the last byte (or the failure)
    qint64 ttftUs = -1; //!< from the request sent to the first token; -1 without one
    qint64 maxGapUs = -1; //!< the longest wait between two tokens; -1 below two tokens
    qint64 bytes = 0; //!< body bytes received
    qint32 tokens = 0; //!< output tokens: the usage's when reported, else token events
    quint32 group = 0; //!< index into LoadRun::groupName()
    quint32 resolvedModel = 0; //!< index into LoadRun::name() (0: none reported)
    quint16 request = 0; //!< index into the plan's requests
    qint16 status = 0; //!< 0: no answer
    //! When the request was sent, since the exchange started (ms below 35 min); -1: never
    qint32 sentUs = -1;
    quint8 attempts = 0; //!< calls the gateway reports having made (0: not reported)
    LoadOutcome outcome = LoadOutcome::Ok;
    bool fallback = false; //!< the gateway reports a fallback
};
static_assert(sizeof(LoadRecord) <= 64, "a load run keeps one record per exchange");

//! The aggregates of one group (or of the whole run): counts and latency
//! distributions, in microseconds. Latencies are of successful answers only.
struct LoadGroupStats
{
    QString name;
    qint64 count = 0; //!< finished exchanges in the group, canceled ones excluded
    qint64 ok = 0;
    qint64 failures = 0;
    qint64 fallbacks = 0;
    qint64 retries = 0; //!< calls past the first, where the gateway reports them
    qint64 tokens = 0;
    double tokenSeconds = 0; //!< time spent streaming tokens (first to last), for tokens/s
    LatencyHistogram ttft;
    LatencyHistogram total;
    LatencyHistogram gap;

    void add(const LoadRecord &record);
    double tokensPerSecond() const { return tokenSeconds > 0 ? double(tokens) / tokenSeconds : 0; }
};

//! What a load run found, updated as each exchange finishes.
struct LoadStats
{
    qint64 started = 0;
    qint64 finished = 0; //!< canceled ones included
    qint64 canceled = 0;
    LoadGroupStats all;
    std::vector<LoadGroupStats> groups; //!< indexed like LoadRecord::group
    std::map<int, qint64> statuses; //!< status (0: none) to count, canceled excluded
    std::map<LoadOutcome, qint64> outcomes;
    //! Why a distribution may not mean what it seems, from the applied configurations.
    qint64 latencyRouted = 0; //!< answers routed by latency
    qint64 stickyRouted = 0; //!< answers pinned by sticky routing
    QStringList unhealthyTargets; //!< targets the gateway reported unhealthy, in order seen

    //! Counts a finished exchange: every one in finished and outcomes, a canceled one
    //! nowhere else, the others in statuses, all and their group.
    void add(const LoadRecord &record);
    qint64 failures() const { return all.failures; }
    double errorRate() const { return all.count ? double(all.failures) / double(all.count) : 0.0; }
};

//! A load run's plan: which requests, how many, how fast.
struct LoadPlan
{
    QList<WireRequest> requests; //!< sent in turn: the n-th exchange sends requests[n % size]
    QStringList names; //!< a name per request, for reports
    QStringList requestedModels; //!< the model each request asks for
    qint64 count = 0; //!< exchanges in all; 0: for durationMs
    qint64 durationMs = 0; //!< start new exchanges for this long (when count is 0)
    int concurrency = 1;
    double ratePerSecond = 0; //!< at most this many starts per second; 0: no cap
    //! Concurrency and rate grow linearly from nothing to theirs over this long.
    qint64 rampMs = 0;
    GroupBy groupBy;
    ExchangeOptions exchange;

    //! What is wrong with the plan, for the user; empty when it can run.
    QString problem() const;
    //! What the run may cost, said before it starts against a real gateway: "this run
    //! sends 1,000 requests; at max_tokens 256 that is up to 256,000 output tokens".
    QString costStatement() const;
    //! How many requests it sends at most; -1 when only the gateway's speed bounds it
    //! (a duration without a rate).
    qint64 plannedRequests() const;
};

//! The largest number of output tokens \a request asks for (max_tokens,
//! max_completion_tokens, max_output_tokens); nullopt when it sets none.
std::optional<qint64> maxOutputTokens(const WireRequest &request);

//! Sends a plan's requests many times, \a concurrency at a time, and keeps a small
//! record of each exchange plus aggregates per group. Never blocks. cancel() stops it
//! at once; what finished stays consistent (records and aggregates agree).
//!
//! Signals: progress() at most every 100 ms while it runs, then finished() once.
//!
//! \a network should have no connection to the gateway yet: Qt keeps the number of
//! connections a host got first (six by default) for every later request to it, so
//! a network that already talked to the gateway holds the run at that concurrency.
class LoadRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadRun)

public:
    LoadRun(QNetworkAccessManager *network, LoadPlan plan, QObject *parent = nullptr);
    ~LoadRun() override;

    void start();
    //! Starts nothing more and cancels what is in flight; finished() follows.
    void cancel();

    const LoadPlan &plan() const { return m_plan; }
    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    bool wasCanceled() const { return m_canceled; }
    //! Microseconds since start(), frozen at the end.
    qint64 elapsedUs() const;
    qint64 inFlight() const { return qint64(m_inFlight.size()); }

    const std::vector<LoadRecord> &records() const { return m_records; }
    const LoadStats &stats() const { return m_stats; }
    //! The name of group \a index (a record's group).
    QString groupName(quint32 index) const { return m_stats.groups.at(index).name; }
    //! A resolved model's name by its index in records; empty for 0.
    QString name(quint32 index) const { return m_names.value(qsizetype(index)); }
    //! Every resolved model's name, by index (the first is empty).
    const QStringList &names() const { return m_names; }

    //! At most this many distinct groups are kept; the rest count as "(other)".
    static constexpr qsizetype kMaxGroups = 1000;
    static inline const QString kNoGroup = QStringLiteral("(none)");
    static inline const QString kOtherGroup = QStringLiteral("(other)");

Q_SIGNALS:
    void progress();
    void finished();

private:
    struct InFlight
    {
        qint64 startUs = 0;
        quint16 request = 0;
    };

    void pump();
    void launch();
    bool moreToStart() const;
    int allowedConcurrency(qint64 nowUs) const;
    //! When the \a n-th start (from 0) is due under the rate cap, in microseconds.
    qint64 dueUs(qint64 n) const;
    void onExchangeFinished(Exchange *exchange);
    LoadRecord recordOf(const Exchange &exchange, const InFlight &flight);
    quint32 groupIndex(const QString &name);
    quint32 nameIndex(const QString &name);
    void finishIfDone();

    QNetworkAccessManager *m_network;
    LoadPlan m_plan;
    QElapsedTimer m_clock;
    qint64 m_endUs = -1;
    QTimer *m_wake; //!< the next start under the rate cap or the ramp
    QTimer *m_progress;
    QTimer *m_stop; //!< the end of a run by duration
    QHash<Exchange *, InFlight> m_inFlight;
    std::vector<LoadRecord> m_records;
    LoadStats m_stats;
    QStringList m_names { QString() };
    QHash<QString, quint32> m_nameIndex;
    QHash<QString, quint32> m_groupIndex;
    QSet<QString> m_unhealthy;
    bool m_running = false;
    bool m_finished = false;
    bool m_stopping = false;
    bool m_canceled = false;
    bool m_progressDue = false;
};

} // namespace gs::core
