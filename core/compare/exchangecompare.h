#pragma once

#include "core/compare/jsondiff.h"
#include "core/compare/textdiff.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/model/httpheader.h"
#include "core/net/timeline.h"
#include "core/stream/servertiming.h"

#include <QJsonObject>

#include <atomic>
#include <functional>

namespace gs::core {

struct HistoryEntry;

//! One exchange as a comparison sees it, whichever source it came from (a history
//! entry, a saved `send --json` report, a HAR entry): what was asked, what the gateway did, what
//! came back. What a source does not have stays empty and is not compared.
struct ComparedExchange
{
    QString label; //!< "history 42", "a.json"
    QString method;
    QString url;
    HttpHeaders requestHeaders; //!< as sent, credentials masked
    QByteArray requestBody;
    bool hasRequest = false;
    int status = 0;
    QString requestedModel;
    QString resolvedModel;
    //! x-tfy-applied-configurations as JSON; undefined: not known
    QJsonValue applied = QJsonValue(QJsonValue::Undefined);
    HttpHeaders responseHeaders;
    bool hasResponseHeaders = false;
    //! A whole JSON answer; undefined for a stream or another body.
    QJsonValue json = QJsonValue(QJsonValue::Undefined);
    QString text; //!< the assembled answer
    QString reasoning;
    QJsonValue toolCalls = QJsonValue(QJsonValue::Undefined);
    QJsonValue usage = QJsonValue(QJsonValue::Undefined);
    QString finishReason;
    QString error; //!< a transport failure
    Timeline timeline;
    //! The gateway's Server-Timing, when the source kept the response's headers.
    QList<ServerTimingMetric> serverTiming;
};

//! The request a history entry keeps (its text, credentials masked), read back with
//! the .http parser as it is reopened in a tab; nullopt when there is none to read.
std::optional<WireRequest> recordedRequest(const HistoryEntry &entry);

//! A history entry for comparison: the request text read back, the kept body decoded
//! (a stream assembled, a JSON answer parsed when the history kept all of it).
ComparedExchange comparedExchange(const HistoryEntry &entry);
//! A report `gatescope-cli send --json` wrote (no request in it but its model).
Result<ComparedExchange> comparedExchange(const QJsonObject &sendReport, const QString &label);
//! An entry of an HTTP Archive (Gatescope's, a browser's, any tool's): the request,
//! the response with its body decoded by its content type, the timing HAR keeps
//! (connect, wait, receive; no first token).
Result<ComparedExchange> comparedHarEntry(const QJsonObject &entry, const QString &label);
//! A saved exchange: FILE.har (its only entry), FILE.har#N (the N-th, from 1) or a
//! report send --json wrote; labelled \a spec.
Result<ComparedExchange> comparedFile(const QString &spec);

//! One header by name, on each side (values joined with ", "), and, for a value that
//! is JSON (x-tfy-metadata, the retry config, the applied configurations), its changes
//! key by key.
struct HeaderComparison
{
    QString name; //!< lower case
    QString a; //!< empty with !inA
    QString b;
    bool inA = false;
    bool inB = false;
    QList<JsonChange> typed; //!< when both are JSON
    bool typedBoth = false; //!< both values are JSON, compared as such

    bool equal() const { return inA == inB && (a == b || (typedBoth && typed.isEmpty())); }
};

//! A field that is one value on each side: status, method, URL, models, finish reason.
struct FieldComparison
{
    QString name;
    QString a;
    QString b;
    bool equal() const { return a == b; }
    friend bool operator==(const FieldComparison &, const FieldComparison &) = default;
};

//! A phase of the client's timeline on each side, in microseconds (-1: not seen).
struct PhaseComparison
{
    QString name; //!< "connect", "waiting", "first token", "streaming", "total"
    qint64 a = -1;
    qint64 b = -1;
    //! For "waiting": the gateway's Server-Timing stages by name, in the order the
    //! headers list them (A's first), spent inside that wait.
    struct Stage
    {
        QString name;
        qint64 a = -1;
        qint64 b = -1;
        bool envelope = false; //!< "total" or the stage spanning the others
    };
    QList<Stage> stages;

    bool measured() const { return a >= 0 && b >= 0; }
    qint64 change() const { return measured() ? b - a : 0; }
};

//! Two exchanges compared, part by part.
struct ExchangeComparison
{
    QString labelA;
    QString labelB;
    QList<FieldComparison> fields;
    QList<HeaderComparison> requestHeaders; //!< only names that differ, sorted
    QList<JsonChange> requestBody;
    QList<JsonChange> applied;
    QList<HeaderComparison> responseHeaders; //!< only names that differ, sorted
    QList<JsonChange> responseJson;
    QList<TextSegment> text; //!< empty when the texts are equal
    QList<TextSegment> reasoning;
    QList<JsonChange> toolCalls;
    QList<JsonChange> usage;
    QList<PhaseComparison> phases;

    //! Nothing compared differs (timing never counts: no two runs take as long).
    bool equal() const;
};

struct CompareOptions
{
    JsonDiffOptions json; //!< for every JSON part (bodies, applied configurations, headers)
    //! Also left out of the applied configurations: counters that change on every call.
    QStringList appliedIgnored { QStringLiteral("$.rate_limiting.remaining"),
        QStringLiteral("$.rate_limiting[*].remaining") };
    //! Response headers that differ on every call (lower case).
    QStringList ignoredHeaders = defaultIgnoredHeaders();
    //! Set from another thread to stop: compareExchanges() returns early with what it
    //! has, which the caller drops.
    const std::atomic<bool> *cancel = nullptr;
    //! Told after each part (request, body, answer, ...): parts done of all.
    std::function<void(int done, int total)> progress;
    static QStringList defaultIgnoredHeaders()
    {
        return { QStringLiteral("date"), QStringLiteral("content-length"),
            QStringLiteral("connection"), QStringLiteral("keep-alive"),
            QStringLiteral("transfer-encoding"), QStringLiteral("x-request-id"),
            QStringLiteral("traceparent"), QStringLiteral("tracestate"),
            QStringLiteral("x-tfy-feedback-target-id"), QStringLiteral("server-timing"),
            QStringLiteral("authorization") };
    }
};

ExchangeComparison compareExchanges(
    const ComparedExchange &a, const ComparedExchange &b, const CompareOptions &options = {});

//! The comparison as Markdown, for an issue or a chat message: what differs, part by
//! part, the answer's text with ~~removed~~ and **added** words, the timing as a table.
QString comparisonMarkdown(const ExchangeComparison &comparison);
//! Where the time went differently, in one line: each phase that both sides measured
//! with its change, and for the wait the gateway stage that changed most in the same
//! direction ("waiting +812 ms, of which model_call +790 ms; total +830 ms"). Empty
//! when neither side has a timeline.
QString timingSummary(const ExchangeComparison &comparison);
//! A change of \a us microseconds as the summary writes it ("+812 ms", "−1.2 s").
QString timeChange(qint64 us);

//! The comparison as JSON: every part's changes with paths and values, "equal".
QJsonObject comparisonJson(const ExchangeComparison &comparison);

} // namespace gs::core
