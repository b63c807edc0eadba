#pragma once

#include "core/compare/exchangecompare.h"
#include "core/model/gatewayrequest.h"
#include "core/net/exchange.h"
#include "core/store/history.h"

#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace gs::core {

//! Where and how a replay sends the recorded requests again.
struct ReplayTarget
{
    QString baseUrl; //!< the other gateway's base URL; empty: each request's own
    QString token; //!< its bearer token (the history keeps none); empty: none
    //! Requested models mapped, in order: the first whose "from" matches ("*" any).
    QList<std::pair<QString, QString>> modelMap;
    QStringList dropHeaders; //!< header names left out (any case)
    HttpHeaders setHeaders; //!< headers set (replacing one of the name) or added
};

//! One recorded request as a replay will send it.
struct ReplayItem
{
    HistoryEntry original;
    QString label; //!< "history 42"
    std::optional<WireRequest> request; //!< as it goes out, token and all; none: not replayable
    QString model; //!< the requested model after the mapping
    QStringList changes; //!< "model a → b", "base URL x → y", "dropped x-tfy-metadata"
    QString problem; //!< why it cannot be replayed
};

//! Items that send \a requests (name, request) as they are: the first pass of a replay of
//! a collection, whose answers are what the replay is compared with.
QList<ReplayItem> asRecorded(const QList<std::pair<QString, WireRequest>> &requests);

//! The replay's plan, nothing sent: each entry's request with the target's base URL,
//! token, models and headers. An entry that is a load run, keeps no request, uploaded
//! files or still carries a masked credential after the target's headers is kept with
//! its problem.
QList<ReplayItem> planReplay(const QList<HistoryEntry> &entries, const ReplayTarget &target);
//! The plan for a collection's \a requests (name, request): compared with \a recorded,
//! their answers as they were sent first, in order, or before that (a dry run) with
//! the requests as the history would keep them. Without a token of the target's, the
//! requests' own goes along. Each item is named after its request.
QList<ReplayItem> planRequestsReplay(const QList<std::pair<QString, WireRequest>> &requests,
    const QList<HistoryEntry> &recorded, ReplayTarget target);
//! The plan as text for a dry run: each request as it will be sent (credentials
//! masked, \a secrets too) and what changed.
QString replayPlanText(const QList<ReplayItem> &items, const QStringList &secrets = {});

//! One recorded exchange and its replay, compared.
struct ReplayPair
{
    QString label;
    ComparedExchange before;
    ComparedExchange after;
    ExchangeComparison comparison;
    bool statusEqual = false;
    //! The answers have the same shape: the same keys with the same types at the same
    //! places (values and array lengths aside); for streams, the same parts (text,
    //! reasoning, tool calls).
    bool schemaEqual = false;
    qint64 latencyChangeUs = 0; //!< total time, after minus before; 0 when not measured
    std::optional<qint64> ttftChangeUs;
    std::optional<qint64> tokensChange; //!< usage.total_tokens, after minus before
    double similarity = 1.0; //!< of the answers' words, 0 to 1

    //! A replay that answers as the recording did: same status, same shape.
    bool matches() const { return statusEqual && schemaEqual; }
    //! The changes as the table and the command line write them: "+812 ms", "−3"
    //! (tokens), "–" where not measured; the resolved model, "a → b" when it changed.
    QString latencyText() const;
    QString ttftText() const;
    QString tokensText() const;
    QString modelText() const;
};
ReplayPair replayPair(
    const QString &label, const ComparedExchange &before, const ComparedExchange &after);
//! The shape of a JSON value: keys and types, arrays as the union of their elements'.
QString jsonShape(const QJsonValue &value);

//! The pairs as JSON (each with its comparison) and as a JUnit report (a test case
//! each, failing when the status or the shape changed).
QJsonObject replayJson(const QList<ReplayPair> &pairs);
QByteArray replayJUnit(const QList<ReplayPair> &pairs, const QString &suite);

//! Sends a plan's replayable requests, \a concurrency at a time (1: in order), each
//! compared with its recording as it ends. Cancel stops the ones on the wire; what
//! finished is kept.
class ReplayRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayRun)

public:
    ReplayRun(QList<ReplayItem> items, QNetworkAccessManager *network, ExchangeOptions options,
        int concurrency = 1, QObject *parent = nullptr);
    ~ReplayRun() override;

    void start();
    void cancel();
    bool isFinished() const { return m_finished; }
    const QList<ReplayItem> &items() const { return m_items; }
    //! Index into items() of each pair, in the order they finished.
    const QList<std::pair<qsizetype, ReplayPair>> &pairs() const { return m_pairs; }
    //! The replay's exchanges as the history keeps them (credentials masked), in the
    //! order they finished (pairs()[i] is sent()[i]'s).
    const QList<HistoryEntry> &sent() const { return m_sent; }
    //! The same in the order of items().
    QList<HistoryEntry> sentInOrder() const;

Q_SIGNALS:
    void pairReady(qsizetype index, const gs::core::ReplayPair &pair);
    void finished();

private:
    void next();

    QList<ReplayItem> m_items;
    QNetworkAccessManager *m_network;
    ExchangeOptions m_options;
    int m_concurrency;
    qsizetype m_next = 0;
    int m_running = 0;
    bool m_canceled = false;
    bool m_finished = false;
    QList<Exchange *> m_exchanges;
    QList<std::pair<qsizetype, ReplayPair>> m_pairs;
    QList<HistoryEntry> m_sent;
};

} // namespace gs::core
