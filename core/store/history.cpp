#include "core/store/history.h"

#include "core/model/redaction.h"
#include "core/net/exchange.h"

#include <QAtomicInt>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// 2: response_headers.
constexpr int kSchemaVersion = 2;

// Header lines of a request text with their credentials masked: whatever a caller
// passes, no token reaches the database.
QString maskRequestText(const QString &text)
{
    QStringList lines = text.split(u'\n');
    if (!lines.isEmpty())
        lines[0] = Redactor().message(lines[0]); // the request line's URL
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            break; // the body starts
        const qsizetype colon = lines[i].indexOf(u':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines[i].first(colon).trimmed().toUtf8();
        if (!isSecretHeader(name))
            continue;
        QString value = lines[i].sliced(colon + 1).trimmed();
        const bool cr = value.endsWith(u'\r');
        if (cr)
            value.chop(1);
        lines[i] = QString::fromUtf8(name) + u": "_s
            + QString::fromUtf8(maskSecret(name, value.toUtf8())) + (cr ? u"\r"_s : QString());
    }
    return lines.join(u'\n');
}

QString escapedLike(QString text)
{
    text.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
    return u'%' + text + u'%';
}

Error sqlError(const QString &what, const QSqlError &e)
{
    return Error { Error::Kind::Io, u"History: %1: %2"_s.arg(what, e.text()), e.nativeErrorCode() };
}

HistoryEntry fromQuery(const QSqlQuery &q)
{
    HistoryEntry e;
    e.id = q.value(0).toLongLong();
    e.at = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), QTimeZone::UTC);
    e.method = q.value(2).toString();
    e.url = q.value(3).toString();
    e.requestText = q.value(4).toString();
    e.status = q.value(5).toInt();
    e.requestedModel = q.value(6).toString();
    e.resolvedModel = q.value(7).toString();
    e.appliedConfigurations = q.value(8).toString();
    e.timeline = q.value(9).toString();
    e.usage = q.value(10).toString();
    e.durationMs = q.value(11).toLongLong();
    e.bodyBytes = q.value(12).toLongLong();
    e.body = q.value(13).toByteArray();
    e.error = q.value(14).toString();
    e.responseHeaders = q.value(15).toString();
    return e;
}

constexpr auto kColumns = "id, at, method, url, request, status, requested_model, resolved_model, "
                          "applied, timeline, usage, duration_ms, body_bytes, body, error, "
                          "response_headers"_L1;
// The same without the body copy, for lists.
constexpr auto kSummaryColumns
    = "id, at, method, url, request, status, requested_model, resolved_model, "
      "applied, timeline, usage, duration_ms, body_bytes, NULL, error, response_headers"_L1;

} // namespace

QString timelineJson(const Timeline &t)
{
    const auto at = [](qint64 us) {
        return us < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(us) / 1000.0);
    };
    const QJsonObject timeline { { u"connectingMs"_s, at(t.connecting) },
        { u"encryptedMs"_s, at(t.encrypted) }, { u"requestSentMs"_s, at(t.requestSent) },
        { u"headersMs"_s, at(t.headers) }, { u"firstByteMs"_s, at(t.firstByte) },
        { u"ttftMs"_s, at(t.firstToken) }, { u"finishedMs"_s, at(t.finished) },
        { u"connectionReused"_s, t.connectionReused }, { u"tokens"_s, qint64(t.tokenTimes.size()) },
        { u"bytes"_s, t.bytes }, { u"events"_s, t.events } };
    return QString::fromUtf8(QJsonDocument(timeline).toJson(QJsonDocument::Compact));
}

Timeline timelineFromJson(const QString &json)
{
    return timelineFromJson(QJsonDocument::fromJson(json.toUtf8()).object());
}

Timeline timelineFromJson(const QJsonObject &o)
{
    const auto at = [&o](const char *key) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        return v.isDouble() ? qint64(std::llround(v.toDouble() * 1000.0)) : qint64(-1);
    };
    Timeline t;
    t.connecting = at("connectingMs");
    t.encrypted = at("encryptedMs");
    t.requestSent = at("requestSentMs");
    t.headers = at("headersMs");
    t.firstByte = at("firstByteMs");
    t.firstToken = at("ttftMs");
    t.finished = at("finishedMs");
    t.connectionReused = o.value("connectionReused"_L1).toBool();
    t.bytes = o.value("bytes"_L1).toInteger();
    t.events = o.value("events"_L1).toInteger();
    return t;
}

QString responseHeadersText(const HttpHeaders &headers)
{
    QString out;
    for (const HttpHeader &h : headers) {
        const bool cookie = h.name.compare("set-cookie", Qt::CaseInsensitive) == 0;
        const QByteArray value
            = cookie ? QByteArray("********") : Redactor().headerValue(h.name, h.value);
        // One line each: a value never holds a line break (Qt refuses them).
        out += QString::fromUtf8(h.name) + u": "_s
            + QString::fromUtf8(value).replace(u'\n', u' ').replace(u'\r', u' ') + u'\n';
    }
    return out;
}

HttpHeaders responseHeadersFromText(const QString &text)
{
    HttpHeaders out;
    for (const QStringView line : QStringView(text).split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            continue;
        out.append({ line.first(colon).toUtf8(), line.sliced(colon + 1).trimmed().toUtf8() });
    }
    return out;
}

HistoryEntry historyEntry(const ExchangeSnapshot &exchange, const QString &requestedModel)
{
    HistoryEntry e;
    e.at = exchange.startedAt.isValid() ? exchange.startedAt : QDateTime::currentDateTimeUtc();
    e.method = QString::fromUtf8(exchange.request.method);
    e.url = exchange.request.url;
    e.requestText = QString::fromUtf8(exchange.request.toText(false));
    e.status = exchange.status;
    e.requestedModel = requestedModel;
    e.resolvedModel
        = QString::fromUtf8(headerValue(exchange.responseHeaders, "x-tfy-resolved-model"));
    e.appliedConfigurations
        = QString::fromUtf8(headerValue(exchange.responseHeaders, "x-tfy-applied-configurations"));
    e.timeline = timelineJson(exchange.timeline);
    e.responseHeaders = responseHeadersText(exchange.responseHeaders);
    const QJsonValue usage = exchange.assembled.usage;
    if (usage.isObject())
        e.usage = QString::fromUtf8(QJsonDocument(usage.toObject()).toJson(QJsonDocument::Compact));
    e.durationMs = std::max<qint64>(0, exchange.timeline.finished / 1000);
    e.bodyBytes = exchange.timeline.bytes;
    // The history keeps a bounded copy (record() cuts it to its limit): the prefix is
    // all it needs, the rest of a large body is never read.
    e.body = exchange.bodyPrefix;
    if (exchange.error.kind != ExchangeError::Kind::None)
        e.error = exchange.error.message;
    else if (!exchange.incomplete.isEmpty())
        e.error = u"Incomplete: %1."_s.arg(exchange.incomplete);
    return e;
}

History::History(QString connection, QString path, HistoryLimits limits)
    : m_connection(std::move(connection))
    , m_path(std::move(path))
    , m_limits(limits)
{ }

History::~History()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<History>> History::open(const QString &path, HistoryLimits limits)
{
    static QAtomicInt counter;
    const QString connection = u"gatescope-history-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    std::unique_ptr<History> history(new History(connection, path, limits));
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
    db.setDatabaseName(path);
    if (!db.open())
        return std::unexpected(sqlError(u"cannot open %1"_s.arg(path), db.lastError()));
    QSqlQuery q(db);
    q.exec(u"PRAGMA journal_mode=WAL"_s);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return std::unexpected(sqlError(u"cannot read %1"_s.arg(path), q.lastError()));
    const int version = q.value(0).toInt();
    if (version > kSchemaVersion)
        return fail(Error::Kind::Io,
            u"History: %1 was written by a newer Gatescope (schema %2); it is left as it is."_s
                .arg(path)
                .arg(version));
    if (version < kSchemaVersion) {
        QStringList statements;
        if (version == 0)
            statements
                << u"CREATE TABLE IF NOT EXISTS exchanges (id INTEGER PRIMARY KEY "
                   "AUTOINCREMENT, at INTEGER NOT NULL, method TEXT, url TEXT, request TEXT, "
                   "status INTEGER, requested_model TEXT, resolved_model TEXT, applied TEXT, "
                   "timeline TEXT, usage TEXT, duration_ms INTEGER, body_bytes INTEGER, "
                   "body BLOB, error TEXT, response_headers TEXT)"_s;
        if (version == 1)
            statements << u"ALTER TABLE exchanges ADD COLUMN response_headers TEXT"_s;
        statements << u"CREATE INDEX IF NOT EXISTS exchanges_at ON exchanges(at)"_s
                   << u"PRAGMA user_version = %1"_s.arg(kSchemaVersion);
        for (const QString &statement : statements) {
            if (!q.exec(statement))
                return std::unexpected(sqlError(u"cannot set up %1"_s.arg(path), q.lastError()));
        }
    }
    return history;
}

Result<qint64> History::record(HistoryEntry e)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    // A load run's archive is read whole or not at all: it is not cut, only refused
    // past its own limit.
    if (e.method == kLoadRunMethod) {
        if (e.body.size() > HistoryLimits::kLoadRunBytes)
            return fail(Error::Kind::Io,
                u"History: a load run of %1 bytes is past the limit of %2"_s.arg(e.body.size())
                    .arg(HistoryLimits::kLoadRunBytes));
    } else if (e.body.size() > m_limits.bodyCopyBytes) {
        e.body.truncate(m_limits.bodyCopyBytes);
    }
    e.requestText = maskRequestText(e.requestText);
    e.url = Redactor().url(e.url);
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO exchanges (at, method, url, request, status, requested_model, "
              "resolved_model, applied, timeline, usage, duration_ms, body_bytes, body, error, "
              "response_headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    const QVariantList values {
        (e.at.isValid() ? e.at : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch(), e.method,
        e.url, e.requestText, e.status, e.requestedModel, e.resolvedModel, e.appliedConfigurations,
        e.timeline, e.usage, e.durationMs, e.bodyBytes, e.body, e.error,
        responseHeadersText(responseHeadersFromText(e.responseHeaders)) // masked again
    };
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return std::unexpected(sqlError(u"cannot record an exchange"_s, q.lastError()));
    const qint64 id = q.lastInsertId().toLongLong();
    if (auto retention = applyRetention(); !retention)
        return std::unexpected(retention.error());
    return id;
}

namespace {

QList<HistoryEntry> searchIn(const QSqlDatabase &db, const History::Query &query)
{
    QStringList where;
    QVariantList values;
    if (!query.text.isEmpty()) {
        where
            << u"(url LIKE ? ESCAPE '\\' OR request LIKE ? ESCAPE '\\' OR CAST(body AS TEXT) LIKE "
               u"? "
               "ESCAPE '\\' OR requested_model LIKE ? ESCAPE '\\' OR resolved_model LIKE ? ESCAPE '\\')"_s;
        for (int i = 0; i < 5; ++i)
            values << escapedLike(query.text);
    }
    if (!query.model.isEmpty()) {
        where << u"(requested_model = ? OR resolved_model = ?)"_s;
        values << query.model << query.model;
    }
    if (query.status) {
        where << u"status = ?"_s;
        values << *query.status;
    }
    if (query.from.isValid()) {
        where << u"at >= ?"_s;
        values << query.from.toMSecsSinceEpoch();
    }
    if (query.to.isValid()) {
        where << u"at < ?"_s;
        values << query.to.toMSecsSinceEpoch();
    }
    QSqlQuery q(db);
    q.prepare(u"SELECT %1 FROM exchanges%2 ORDER BY at DESC, id DESC LIMIT %3"_s.arg(
        query.summaries ? kSummaryColumns : kColumns,
        where.isEmpty() ? QString() : u" WHERE "_s + where.join(u" AND "_s),
        QString::number(std::max(1, query.limit))));
    for (const QVariant &v : values)
        q.addBindValue(v);
    QList<HistoryEntry> out;
    if (!q.exec())
        return out;
    while (q.next())
        out << fromQuery(q);
    return out;
}

} // namespace

QList<HistoryEntry> History::search(const Query &query) const
{
    return searchIn(QSqlDatabase::database(m_connection), query);
}

QList<HistoryEntry> History::searchFile(const QString &path, const Query &query)
{
    // A connection of this thread's own, closed again: SQLite's WAL lets it read
    // while the window's connection writes.
    static QAtomicInt counter;
    const QString connection = u"gatescope-history-search-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    QList<HistoryEntry> out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open())
            out = searchIn(db, query);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return out;
}

std::optional<HistoryEntry> History::entry(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT %1 FROM exchanges WHERE id = ?"_s.arg(kColumns));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<HistoryEntry> History::previous(const HistoryEntry &e) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT %1 FROM exchanges WHERE method = ? AND url = ? AND (at < ? OR (at = ? "
              "AND id < ?)) ORDER BY at DESC, id DESC LIMIT 1"_s.arg(kColumns));
    const qint64 at = e.at.toMSecsSinceEpoch();
    for (const QVariant &v : QVariantList { e.method, Redactor().url(e.url), at, at, e.id })
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

qint64 History::count() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    return q.exec(u"SELECT COUNT(*) FROM exchanges"_s) && q.next() ? q.value(0).toLongLong() : 0;
}

Result<int> History::applyRetention()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    int deleted = 0;
    const auto run = [&](const QString &sql, const QVariantList &values) -> std::optional<Error> {
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec())
            return sqlError(u"cannot apply the retention limits"_s, q.lastError());
        deleted += q.numRowsAffected();
        return std::nullopt;
    };
    const qint64 oldest
        = QDateTime::currentDateTimeUtc().addDays(-m_limits.maxAgeDays).toMSecsSinceEpoch();
    if (auto e = run(u"DELETE FROM exchanges WHERE at < ?"_s, { oldest }))
        return std::unexpected(*e);
    if (auto e = run(u"DELETE FROM exchanges WHERE id NOT IN (SELECT id FROM exchanges ORDER BY at "
                     "DESC, id DESC LIMIT ?)"_s,
            { m_limits.maxEntries }))
        return std::unexpected(*e);
    // Size: drop the oldest until the kept texts and bodies fit.
    if (auto e
        = run(u"DELETE FROM exchanges WHERE id IN (SELECT id FROM (SELECT id, SUM(LENGTH(body) + "
              "LENGTH(request)) OVER (ORDER BY at DESC, id DESC) AS running FROM exchanges) "
              "WHERE running > ?)"_s,
            { m_limits.maxBytes }))
        return std::unexpected(*e);
    return deleted;
}

} // namespace gs::core
