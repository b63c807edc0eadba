#pragma once

#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/net/timeline.h"

#include <QDateTime>

#include <memory>
#include <optional>

class QJsonObject;

namespace gs::core {

struct ExchangeSnapshot;

//! One exchange as the history keeps it: the request as sent with its credentials
//! masked, what came back, and a bounded copy of the body.
struct HistoryEntry
{
    qint64 id = 0;
    QDateTime at; //!< when it was sent (UTC)
    QString method;
    QString url;
    QString requestText; //!< the wire request, credentials masked
    int status = 0; //!< 0: no response
    QString requestedModel;
    QString resolvedModel;
    QString appliedConfigurations; //!< the header's JSON text
    QString timeline; //!< compact JSON of the client's timeline
    QString usage; //!< compact JSON, when the response reported usage
    qint64 durationMs = 0;
    qint64 bodyBytes = 0; //!< the whole body's size
    QByteArray body; //!< its first bytes (HistoryLimits::bodyCopyBytes)
    QString error; //!< a transport failure, if any
    //! The response's headers, one "name: value" line each, credentials (and cookies)
    //! masked; empty for entries written before the history kept them.
    QString responseHeaders;

    bool bodyTruncated() const { return body.size() < bodyBytes; }
};

//! The method of a history entry that holds a whole load run (core/load/loadarchive).
inline const QString kLoadRunMethod = QStringLiteral("LOAD");

struct HistoryLimits
{
    //! A load run's entry keeps its records whole up to this size (it is one entry
    //! for thousands of exchanges); the size limit below still counts it.
    static constexpr qint64 kLoadRunBytes = 16LL * 1024 * 1024;
    int maxEntries = 2000;
    int maxAgeDays = 30;
    qint64 maxBytes = 200LL * 1024 * 1024; //!< request texts and body copies together
    qint64 bodyCopyBytes = 256 * 1024;
};

//! The client's timeline as a history entry keeps it (milliseconds, no token times),
//! and read back (from its text, or from the object as send --json writes it).
QString timelineJson(const Timeline &timeline);
Timeline timelineFromJson(const QString &json);
Timeline timelineFromJson(const QJsonObject &object);

//! Response headers as HistoryEntry::responseHeaders keeps them, and read back.
QString responseHeadersText(const HttpHeaders &headers);
HttpHeaders responseHeadersFromText(const QString &text);

//! What an exchange sent and received, for the history (credentials masked).
HistoryEntry historyEntry(const ExchangeSnapshot &exchange, const QString &requestedModel);

//! Every exchange, in a local SQLite database (Qt Sql): searchable by text, model,
//! status and date, kept within count, age and size limits.
class History final
{
public:
    ~History();
    History(const History &) = delete;
    History &operator=(const History &) = delete;

    //! Opens (creating if needed) the database at \a path.
    static Result<std::unique_ptr<History>> open(const QString &path, HistoryLimits limits = {});

    //! Records \a entry (its body cut to the limit, its request text masked again
    //! for safety), then applies the retention limits. Returns the new entry's id.
    Result<qint64> record(HistoryEntry entry);

    struct Query
    {
        QString text; //!< in the URL, request, body copy or models
        QString model; //!< requested or resolved, exactly
        std::optional<int> status;
        QDateTime from; //!< inclusive; invalid: no bound
        QDateTime to; //!< exclusive; invalid: no bound
        int limit = 500;
        bool summaries = false; //!< leave the body copies out (for lists)
    };
    //! Newest first.
    QList<HistoryEntry> search(const Query &query) const;
    //! search() on a connection of its own to the database at \a path, for a worker
    //! thread: scanning every body copy must not hold the window.
    static QList<HistoryEntry> searchFile(const QString &path, const Query &query);
    std::optional<HistoryEntry> entry(qint64 id) const;
    //! The same request's exchange before \a entry: the newest older entry with its
    //! method and URL (credentials in the URL masked as the history keeps them).
    //! \a entry need not be recorded (id 0): then older means sent before it.
    std::optional<HistoryEntry> previous(const HistoryEntry &entry) const;
    qint64 count() const;
    //! Deletes what is past the limits, oldest first; returns how many went.
    Result<int> applyRetention();
    void setLimits(const HistoryLimits &limits) { m_limits = limits; }
    QString path() const { return m_path; }

private:
    History(QString connection, QString path, HistoryLimits limits);
    QString m_connection;
    QString m_path;
    HistoryLimits m_limits;
};

} // namespace gs::core
