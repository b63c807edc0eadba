#include "core/net/exchange.h"
#include "core/store/history.h"
#include "demo/demogateway.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

// Queries and limits read best with designated initializers; GCC's -Wextra would
// flag every member left at its default.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace gs::core;
using namespace gs::demo;
using namespace Qt::StringLiterals;

// A real SQLite file in a temporary folder.
class TestHistory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordsARealExchange();
    void searchesByTextModelStatusAndDate();
    void keepsWithinCountAgeAndSize();
    void noTokenReachesTheFile();
    void reopensAndRefusesNewerSchemas();
    void upgradesAFileOfTheFirstSchema();

private:
    static HistoryEntry entry(const QString &url, int status, const QString &model,
        const QDateTime &at, const QByteArray &body = "{}");
    QTemporaryDir m_dir;
};

HistoryEntry TestHistory::entry(const QString &url, int status, const QString &model,
    const QDateTime &at, const QByteArray &body)
{
    HistoryEntry e;
    e.at = at;
    e.method = u"POST"_s;
    e.url = url;
    e.requestText = u"POST "_s + url + u" HTTP/1.1\nAuthorization: Bearer ********\n\n{}"_s;
    e.status = status;
    e.requestedModel = model;
    e.resolvedModel = model;
    e.body = body;
    e.bodyBytes = body.size();
    return e;
}

void TestHistory::recordsARealExchange()
{
    DemoGateway gateway;
    const auto base = gateway.listen();
    QVERIFY(base);
    QNetworkAccessManager network;
    Exchange exchange(&network);
    QSignalSpy finished(&exchange, &Exchange::finished);
    const WireRequest request { "POST", *base + u"/chat/completions"_s,
        { { "Authorization", "Bearer gs-demo-token" }, { "Content-Type", "application/json" } },
        R"({"model":"demo/fallback","messages":[{"role":"user","content":"hi"}]})" };
    exchange.start(request);
    QVERIFY(finished.wait(20000));

    auto history
        = History::open(m_dir.filePath(u"real.sqlite"_s), HistoryLimits { .bodyCopyBytes = 64 });
    QVERIFY2(history, qPrintable(history ? QString() : history.error().message));
    const auto id = (*history)->record(historyEntry(exchange.snapshot(), u"demo/fallback"_s));
    QVERIFY(id);
    const auto back = (*history)->entry(*id);
    QVERIFY(back);
    QCOMPARE(back->status, 200);
    QCOMPARE(back->requestedModel, u"demo/fallback"_s);
    QVERIFY(!back->resolvedModel.isEmpty());
    QVERIFY(back->resolvedModel != back->requestedModel); // rerouted, and on record
    QVERIFY(back->appliedConfigurations.startsWith(u'{'));
    QVERIFY(back->timeline.contains(u"\"ttftMs\""_s));
    QVERIFY(back->usage.contains(u"total_tokens"_s));
    QCOMPARE(back->body.size(), 64); // bounded
    QVERIFY(back->bodyTruncated());
    QVERIFY(back->requestText.contains(u"Authorization: Bearer ********"_s));
    QVERIFY(!back->requestText.contains(u"gs-demo-token"_s));
    // The response's headers, the gateway's timing among them, read back as headers.
    const HttpHeaders headers = responseHeadersFromText(back->responseHeaders);
    QVERIFY(!headerValue(headers, "server-timing").isEmpty());
    QCOMPARE(QString::fromUtf8(headerValue(headers, "x-tfy-resolved-model")), back->resolvedModel);
}

void TestHistory::searchesByTextModelStatusAndDate()
{
    auto history = History::open(m_dir.filePath(u"search.sqlite"_s));
    QVERIFY(history);
    History &h = **history;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(h.record(entry(u"https://gw.example/chat/completions"_s, 200, u"openai-main/gpt-4o"_s,
        now.addDays(-3), R"({"answer":"blue whale"})")));
    QVERIFY(h.record(entry(u"https://gw.example/embeddings"_s, 200,
        u"openai-main/text-embedding-3"_s, now.addDays(-2))));
    QVERIFY(h.record(entry(
        u"https://gw.example/chat/completions"_s, 429, u"openai-main/gpt-4o"_s, now.addDays(-1))));
    QVERIFY(h.record(
        entry(u"https://gw.example/responses?x=100%_off"_s, 503, u"anthropic/claude"_s, now)));
    QCOMPARE(h.count(), 4);

    QCOMPARE(h.search({}).size(), 4);
    QCOMPARE(
        h.search({}).first().url, u"https://gw.example/responses?x=100%_off"_s); // newest first
    QCOMPARE(h.search({ .text = u"embeddings"_s }).size(), 1);
    QCOMPARE(h.search({ .text = u"blue whale"_s }).size(), 1); // in the body copy
    QCOMPARE(h.search({ .text = u"100%_"_s }).size(), 1); // % and _ are literal
    QCOMPARE(h.search({ .text = u"1000"_s }).size(), 0);
    QCOMPARE(h.search({ .model = u"openai-main/gpt-4o"_s }).size(), 2);
    QCOMPARE(h.search({ .status = 429 }).size(), 1);
    QCOMPARE(h.search({ .from = now.addDays(-2).addSecs(-60), .to = now.addSecs(-60) }).size(), 2);
    QCOMPARE(h.search({ .text = u"chat"_s, .status = 200 }).size(), 1);
    QCOMPARE(h.search({ .limit = 2 }).size(), 2);
}

void TestHistory::keepsWithinCountAgeAndSize()
{
    auto history
        = History::open(m_dir.filePath(u"retention.sqlite"_s), HistoryLimits { .maxEntries = 3 });
    QVERIFY(history);
    History &h = **history;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    h.record(entry(u"https://x/too-old"_s, 200, u"m"_s, now.addDays(-40)));
    QCOMPARE(h.count(), 0); // older than 30 days: gone at once
    for (int i = 0; i < 5; ++i)
        h.record(entry(u"https://x/%1"_s.arg(i), 200, u"m"_s, now.addSecs(i)));
    QCOMPARE(h.count(), 3);
    QCOMPARE(h.search({}).last().url, u"https://x/2"_s); // the oldest two went

    // Size: each entry is about 1 KiB; a 2.5 KiB limit keeps the newest two.
    h.setLimits(HistoryLimits { .maxEntries = 100, .maxBytes = 2500 });
    for (int i = 0; i < 4; ++i)
        h.record(entry(
            u"https://y/%1"_s.arg(i), 200, u"m"_s, now.addSecs(100 + i), QByteArray(1000, 'b')));
    const QList<HistoryEntry> kept = h.search({});
    QCOMPARE(kept.size(), 2);
    QCOMPARE(kept.first().url, u"https://y/3"_s);
    QCOMPARE(kept.last().url, u"https://y/2"_s);
}

void TestHistory::noTokenReachesTheFile()
{
    const QString path = m_dir.filePath(u"secrets.sqlite"_s);
    {
        auto history = History::open(path);
        QVERIFY(history);
        HistoryEntry e = entry(
            u"https://u:pw-very-secret-66@gw.example/chat/completions?api_key=q-very-secret-55"_s,
            200, u"m"_s, QDateTime::currentDateTimeUtc());
        // Even a caller that forgot to mask: the history masks, in headers, query and userinfo.
        e.requestText
            = u"POST https://u:pw-very-secret-66@gw.example/chat/completions?api_key=q-very-secret-55 HTTP/1.1\r\nAuthorization: Bearer tok-very-secret-77\r\nx-api-key: key-very-secret-88\r\nX-Auth-Token: xt-very-secret-99\r\n\r\n{}"_s;
        e.responseHeaders
            = u"Set-Cookie: sid=ck-very-secret-44; Path=/\nx-api-key: rk-very-secret-33\nContent-Type: application/json\n"_s;
        QVERIFY((*history)->record(e));
        const HistoryEntry back = (*history)->search({}).first();
        QCOMPARE(QString::fromUtf8(
                     headerValue(responseHeadersFromText(back.responseHeaders), "content-type")),
            u"application/json"_s);
    }
    for (const QString &file : { path, QString(path + u"-wal"_s) }) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        for (const char *secret :
            { "tok-very-secret-77", "key-very-secret-88", "xt-very-secret-99", "q-very-secret-55",
                "pw-very-secret-66", "ck-very-secret-44", "rk-very-secret-33" })
            QVERIFY2(!bytes.contains(secret), secret);
    }
}

void TestHistory::reopensAndRefusesNewerSchemas()
{
    const QString path = m_dir.filePath(u"reopen.sqlite"_s);
    {
        auto history = History::open(path);
        QVERIFY(history);
        QVERIFY((*history)->record(
            entry(u"https://x/kept"_s, 200, u"m"_s, QDateTime::currentDateTimeUtc())));
    }
    {
        auto again = History::open(path);
        QVERIFY(again);
        QCOMPARE((*again)->count(), 1);
        QCOMPARE((*again)->search({}).first().url, u"https://x/kept"_s);
    }
    // A file from a newer Gatescope is refused, not rewritten.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bump"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery(db).exec(u"PRAGMA user_version = 99"_s);
        db.close();
    }
    QSqlDatabase::removeDatabase(u"bump"_s);
    auto newer = History::open(path);
    QVERIFY(!newer);
    QVERIFY(newer.error().message.contains(u"newer"_s));
}

void TestHistory::upgradesAFileOfTheFirstSchema()
{
    // A history as the first schema wrote it (no response headers): it opens, keeps its
    // entry and records new ones with their headers.
    const QString path = m_dir.filePath(u"schema1.sqlite"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(
            u"CREATE TABLE exchanges (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "at INTEGER NOT NULL, method TEXT, url TEXT, request TEXT, status INTEGER, "
            "requested_model TEXT, resolved_model TEXT, applied TEXT, timeline TEXT, "
            "usage TEXT, duration_ms INTEGER, body_bytes INTEGER, body BLOB, error TEXT)"_s));
        QVERIFY(q.exec(u"INSERT INTO exchanges (at, method, url, status) VALUES (1, 'POST', "
                       "'https://x/old', 200)"_s));
        QVERIFY(q.exec(u"PRAGMA user_version = 1"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v1"_s);
    auto history = History::open(path);
    QVERIFY2(history, qPrintable(history ? QString() : history.error().message));
    QCOMPARE((*history)->count(), 1);
    QCOMPARE((*history)->search({}).first().responseHeaders, QString());
    HistoryEntry e = entry(u"https://x/new"_s, 200, u"m"_s, QDateTime::currentDateTimeUtc());
    e.responseHeaders = u"Server-Timing: total;dur=12\n"_s;
    const auto id = (*history)->record(e);
    QVERIFY(id);
    QCOMPARE((*history)->entry(*id)->responseHeaders, u"Server-Timing: total;dur=12\n"_s);
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
