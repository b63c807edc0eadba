#include "core/net/exchange.h"
#include "demo/demogateway.h"
#include "tests/cutshortstream.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace gs::core;
using namespace gs::demo;
using namespace Qt::StringLiterals;

// Real HTTP over loopback against the embedded demo gateway: one test per fault mode.
// Every exchange must end (bounded time), say clearly what happened, and keep what
// arrived before a failure.
class TestExchange final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void streamsWithATimeline();
    void reusedConnectionHasNoConnectPhase();
    void nonStreamingWithServerTiming();
    void httpErrorsAreResults();
    void resetMidStreamKeepsPartialAnswer();
    void truncatedChunkedBody();
    void stallEndsAtTheDeadline();
    void malformedSseIsSurvived();
    void utf8SplitAcrossWrites();
    void rateLimitAndUnavailable();
    void oversizedHeader();
    void gzipStreamStillStreams();
    void dripOneByteAtATime();
    void cancel();
    void connectionRefused();
    void largeBodySpillsToAFile();
    void snapshotKeepsAPrefixAndTheSpilledFile();
    void streamBodyCanBeLeftOut();
    void forceStreamDecodesAMislabelledStream();
    void aCloseDelimitedStreamCutShortIsIncomplete();
    void refusedUploadSaysSo();

private:
    struct Run
    {
        std::unique_ptr<Exchange> exchange;
        qint64 elapsedMs;
    };
    Run send(const QByteArray &body, HttpHeaders extra = {}, ExchangeOptions options = {},
        const QString &path = u"/chat/completions"_s);

    DemoGateway m_gateway { 3 };
    QNetworkAccessManager m_network;
    QString m_base;
};

void TestExchange::initTestCase()
{
    const auto url = m_gateway.listen();
    QVERIFY2(url, qPrintable(url ? QString() : url.error().message));
    m_base = *url;
}

TestExchange::Run TestExchange::send(
    const QByteArray &body, HttpHeaders extra, ExchangeOptions options, const QString &path)
{
    HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
        { "Content-Type", "application/json" }, { "x-gatescope-token-interval-ms", "1" } };
    headers += extra;
    auto exchange = std::make_unique<Exchange>(&m_network, options);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    QElapsedTimer clock;
    clock.start();
    exchange->start(WireRequest { "POST", m_base + path, headers, body });
    if (!exchange->isFinished())
        finished.wait(20000);
    return { std::move(exchange), clock.elapsed() };
}

namespace {
const QByteArray kStream
    = R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":30,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]})"_ba;
}

void TestExchange::streamsWithATimeline()
{
    QNetworkAccessManager fresh; // a new connection
    auto exchange = std::make_unique<Exchange>(&fresh);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    QSignalSpy headers(exchange.get(), &Exchange::headersReceived);
    exchange->start(WireRequest { "POST", m_base + u"/chat/completions"_s,
        { { "Authorization", "Bearer gs-demo-token" }, { "Content-Type", "application/json" },
            { "x-gatescope-token-interval-ms", "2" } },
        kStream });
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(headers.size(), 1);
    QCOMPARE(exchange->error().kind, ExchangeError::Kind::None);
    QCOMPARE(exchange->status(), 200);
    QCOMPARE(exchange->framing(), BodyFraming::Sse);
    const Timeline &t = exchange->timeline();
    QVERIFY(!t.connectionReused);
    QVERIFY(t.connecting >= 0);
    QVERIFY(t.connecting <= t.requestSent);
    QVERIFY(t.requestSent <= t.headers);
    QVERIFY(t.headers <= t.firstByte);
    QVERIFY(t.firstByte <= t.firstEvent);
    QVERIFY(t.firstEvent <= t.firstToken);
    QVERIFY(t.firstToken <= t.finished);
    // The gateway held the status line for the model's 40 ms first-token latency.
    QVERIFY2(t.headers - t.requestSent >= 35'000,
        qPrintable(QString::number(t.headers - t.requestSent)));
    QCOMPARE(t.tokenTimes.size(), 30);
    QVERIFY(std::ranges::is_sorted(t.tokenTimes));
    QCOMPARE(t.events, 1 + 30 + 1 + 1 + 1);
    const AssembledResponse &a = exchange->assembled();
    QCOMPARE(a.text().split(u' ', Qt::SkipEmptyParts).size(), 30);
    QVERIFY(a.done);
    QCOMPARE(a.usage.toObject().value(u"completion_tokens"_s).toInt(), 30);
    QCOMPARE(headerValue(exchange->responseHeaders(), "x-tfy-resolved-model"),
        "openai-main/gpt-4o-mini"_ba);
    QVERIFY(exchange->body().startsWith("data: {"));
}

void TestExchange::reusedConnectionHasNoConnectPhase()
{
    QNetworkAccessManager network;
    const auto once = [&] {
        auto exchange = std::make_unique<Exchange>(&network);
        QSignalSpy finished(exchange.get(), &Exchange::finished);
        exchange->start(WireRequest { "POST", m_base + u"/chat/completions"_s,
            { { "Authorization", "Bearer gs-demo-token" }, { "Content-Type", "application/json" } },
            R"({"model":"openai-main/gpt-4o-mini","max_tokens":3,"messages":[]})"_ba });
        finished.wait(20000);
        return exchange;
    };
    const auto first = once();
    const auto second = once();
    QVERIFY(!first->timeline().connectionReused);
    QVERIFY(second->timeline().connectionReused);
    QCOMPARE(second->timeline().connecting, -1);
    QCOMPARE(second->status(), 200);
}

void TestExchange::nonStreamingWithServerTiming()
{
    const Run r = send(R"({"model":"demo/fallback","max_tokens":5,"messages":[]})"_ba);
    QCOMPARE(r.exchange->status(), 200);
    QCOMPARE(r.exchange->framing(), BodyFraming::Json);
    QVERIFY(headerValue(r.exchange->responseHeaders(), "server-timing").contains("model_call"));
    QCOMPARE(r.exchange->assembled().text().split(u' ', Qt::SkipEmptyParts).size(), 5);
    QCOMPARE(r.exchange->timeline().tokenTimes.size(), 0); // no stream, no token arrivals
}

// 50 MB to a gateway that takes 32 MiB: it answers 413 and closes while the body is
// still going out. Whichever Qt saw first, the report says what happened, never
// "Unknown error".
void TestExchange::refusedUploadSaysSo()
{
    const Run r = send(QByteArray(50 * 1024 * 1024, 'x'));
    QVERIFY(r.exchange->isFinished());
    if (r.exchange->status() == 413) {
        QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    } else {
        QCOMPARE(r.exchange->status(), 0);
        QVERIFY2(r.exchange->error().kind == ExchangeError::Kind::ConnectionReset,
            qPrintable(r.exchange->error().message + u" / "_s + r.exchange->error().detail
                + u" sent at "_s + QString::number(r.exchange->timeline().requestSent)));
        QVERIFY2(
            r.exchange->error().message.contains(
                u"closed the connection before answering, while the 52428800-byte body was being sent"_s),
            qPrintable(r.exchange->error().message));
    }
}

void TestExchange::httpErrorsAreResults()
{
    auto exchange = std::make_unique<Exchange>(&m_network);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    exchange->start(WireRequest { "POST", m_base + u"/chat/completions"_s,
        { { "Content-Type", "application/json" } }, kStream });
    QVERIFY(finished.wait(20000));
    QCOMPARE(exchange->status(), 401);
    QCOMPARE(exchange->error().kind, ExchangeError::Kind::None);
    QCOMPARE(exchange->assembled().errors.size(), 1);
    QVERIFY(exchange->assembled().errors.first().message.contains(u"Authorization"_s));

    const Run bad = send(kStream, { { "x-tfy-metadata", R"({"n":1})" } });
    QCOMPARE(bad.exchange->status(), 400);
    QCOMPARE(bad.exchange->error().kind, ExchangeError::Kind::None);
}

void TestExchange::resetMidStreamKeepsPartialAnswer()
{
    const Run r = send(kStream, { { "x-gatescope-fault", "reset" } });
    QCOMPARE(r.exchange->status(), 200);
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::ConnectionReset);
    QVERIFY(!r.exchange->error().message.isEmpty());
    QVERIFY(!r.exchange->assembled().text().isEmpty()); // the tokens before the reset
    QVERIFY(!r.exchange->assembled().done);
}

void TestExchange::truncatedChunkedBody()
{
    const Run r = send(kStream, {}, {}, u"/fault/truncated-chunked/chat/completions"_s);
    QCOMPARE(r.exchange->status(), 200);
    QVERIFY(r.exchange->error().kind != ExchangeError::Kind::None);
    QVERIFY(!r.exchange->error().message.isEmpty());
    // Not any error: the connection closed inside the body, and the user is told so.
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::ConnectionReset);
    QVERIFY2(r.exchange->error().message.contains(u"before the response was complete"_s),
        qPrintable(r.exchange->error().message));
    QVERIFY(!r.exchange->assembled().text().isEmpty());
    QVERIFY(!r.exchange->assembled().done);
}

void TestExchange::stallEndsAtTheDeadline()
{
    ExchangeOptions options;
    options.deadlineMs = 400;
    const Run r = send(kStream, { { "x-gatescope-fault", "stall" } }, options);
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::Deadline);
    QVERIFY(r.exchange->error().message.contains(u"400 ms"_s));
    QVERIFY(r.elapsedMs < 5000);
    QCOMPARE(r.exchange->status(), 200);
    QVERIFY(r.exchange->timeline().events >= 1);
}

void TestExchange::malformedSseIsSurvived()
{
    const Run r = send(kStream, { { "x-gatescope-fault", "malformed-sse" } });
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    QCOMPARE(r.exchange->assembled().text(), u"Before CR-only after."_s);
    QCOMPARE(r.exchange->assembled().unreadableEvents, 2);
    QVERIFY(r.exchange->assembled().done);
}

void TestExchange::utf8SplitAcrossWrites()
{
    const Run r = send(
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":9,"messages":[]})"_ba,
        { { "x-gatescope-fault", "split-utf8" } });
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    const QString text = r.exchange->assembled().text();
    QVERIFY2(text.contains(u"caf\u00e9 \u2713 \U0001F600"_s), qPrintable(text));
    // The raw invalid byte inside the JSON string arrives as U+FFFD, the rest intact.
    QVERIFY(text.contains(u"\uFFFD"_s));
    QVERIFY(r.exchange->assembled().done);
}

void TestExchange::rateLimitAndUnavailable()
{
    const Run limited = send(kStream, { { "x-gatescope-fault", "rate-limit" } });
    QCOMPARE(limited.exchange->status(), 429);
    QCOMPARE(headerValue(limited.exchange->responseHeaders(), "retry-after"), "1"_ba);
    QCOMPARE(limited.exchange->error().kind, ExchangeError::Kind::None);
    const Run down = send(kStream, { { "x-gatescope-fault", "unavailable" } });
    QCOMPARE(down.exchange->status(), 503);
    QCOMPARE(down.exchange->assembled().errors.first().message, u"no healthy upstream"_s);
}

void TestExchange::oversizedHeader()
{
    // Qt stops reading at a header field over 100 KiB and then waits forever; the idle
    // limit turns that into a clear failure that says why.
    ExchangeOptions options;
    options.idleTimeoutMs = 1000;
    const Run r = send(kStream, { { "x-gatescope-fault", "oversized-header" } }, options);
    QVERIFY(r.elapsedMs < 10000);
    if (r.exchange->error().kind == ExchangeError::Kind::None) {
        // A Qt that accepts the field shows it.
        QCOMPARE(
            headerValue(r.exchange->responseHeaders(), "x-tfy-debug-trace").size(), 128 * 1024);
    } else {
        QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::Timeout);
        QVERIFY2(r.exchange->error().message.contains(u"100 KiB"_s),
            qPrintable(r.exchange->error().message));
    }
}

void TestExchange::gzipStreamStillStreams()
{
    const Run r = send(
        kStream, { { "x-gatescope-fault", "gzip" }, { "x-gatescope-token-interval-ms", "3" } });
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    QCOMPARE(r.exchange->assembled().text().split(u' ', Qt::SkipEmptyParts).size(), 30);
    QVERIFY(r.exchange->assembled().done);
    // Decompressed incrementally: tokens arrived spread out, not all at the end.
    const Timeline &t = r.exchange->timeline();
    QVERIFY2(t.tokenTimes.last() - t.tokenTimes.first() > 30'000,
        qPrintable(QString::number(t.tokenTimes.last() - t.tokenTimes.first())));
}

void TestExchange::dripOneByteAtATime()
{
    const Run r = send(kStream, { { "x-gatescope-fault", "drip" } });
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    QCOMPARE(r.exchange->assembled().text().split(u' ', Qt::SkipEmptyParts).size(), 6);
    QVERIFY(r.exchange->assembled().done);
}

void TestExchange::cancel()
{
    auto exchange = std::make_unique<Exchange>(&m_network);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    QSignalSpy progress(exchange.get(), &Exchange::progress);
    exchange->start(WireRequest { "POST", m_base + u"/chat/completions"_s,
        { { "Authorization", "Bearer gs-demo-token" }, { "Content-Type", "application/json" },
            { "x-gatescope-token-interval-ms", "20" } },
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":500,"messages":[]})"_ba });
    QVERIFY(progress.wait(20000));
    exchange->cancel();
    QVERIFY(finished.size() == 1 || finished.wait(5000));
    QCOMPARE(exchange->error().kind, ExchangeError::Kind::Canceled);
    QVERIFY(exchange->timeline().bytes > 0);
    exchange->cancel(); // a second cancel is harmless
    QCOMPARE(finished.size(), 1);
}

void TestExchange::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    auto exchange = std::make_unique<Exchange>(&m_network);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    exchange->start(
        WireRequest { "POST", u"http://127.0.0.1:%1/chat/completions"_s.arg(port), {}, "{}" });
    QVERIFY(finished.wait(20000));
    QCOMPARE(exchange->error().kind, ExchangeError::Kind::ConnectionRefused);
    QVERIFY(exchange->error().message.contains(u"refused"_s));
    QCOMPARE(exchange->status(), 0);
}

void TestExchange::largeBodySpillsToAFile()
{
    ExchangeOptions options;
    options.spillThreshold = 4096;
    const Run r = send(
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":300,"messages":[]})"_ba,
        { { "x-gatescope-token-interval-ms", "0" } }, options);
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    QVERIFY(!r.exchange->bodyFile().isEmpty());
    const QByteArray body = r.exchange->body();
    QCOMPARE(body.size(), r.exchange->timeline().bytes);
    QVERIFY(body.endsWith("data: [DONE]\n\n"));
}

// A finished exchange as a value: a prefix of the body, the file with all of it,
// and the file kept on disk as long as a snapshot needs it, not the exchange.
void TestExchange::snapshotKeepsAPrefixAndTheSpilledFile()
{
    ExchangeOptions options;
    options.spillThreshold = 4096;
    Run r = send(
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":300,"messages":[]})"_ba,
        { { "x-gatescope-token-interval-ms", "0" } }, options);
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    const QByteArray whole = r.exchange->body();
    auto snapshot = std::make_unique<ExchangeSnapshot>(r.exchange->snapshot(100));
    QCOMPARE(snapshot->bodyPrefix, whole.first(100));
    QCOMPARE(snapshot->bodySize, whole.size());
    QVERIFY(!snapshot->bodyIsWhole());
    QCOMPARE(snapshot->status, 200);
    QCOMPARE(snapshot->request.method, "POST"_ba);
    QVERIFY(snapshot->assembled.done);
    const QString file = snapshot->bodyFile;
    QVERIFY(!file.isEmpty());

    r.exchange.reset(); // the exchange goes; the snapshot still has every byte
    QVERIFY(QFile::exists(file));
    QCOMPARE(snapshot->readBody().value_or(QByteArray()), whole);
    snapshot.reset(); // and with the last snapshot the file goes too
    QVERIFY(!QFile::exists(file));

    // A body that stayed in memory: shared, whole.
    const Run small = send(
        R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})"_ba);
    const ExchangeSnapshot kept = small.exchange->snapshot();
    QVERIFY(kept.bodyFile.isEmpty());
    QVERIFY(kept.bodyIsWhole());
    QCOMPARE(kept.bodyPrefix, small.exchange->body());
    QCOMPARE(kept.readBody().value_or(QByteArray()), small.exchange->body());
}

void TestExchange::streamBodyCanBeLeftOut()
{
    ExchangeOptions options;
    options.spillThreshold = 4096;
    options.keepStreamBody = false;
    const Run r = send(
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":300,"messages":[]})"_ba,
        { { "x-gatescope-token-interval-ms", "0" } }, options);
    QCOMPARE(r.exchange->error().kind, ExchangeError::Kind::None);
    QVERIFY(r.exchange->bodyFile().isEmpty());
    QVERIFY(r.exchange->body().isEmpty());
    QVERIFY(r.exchange->timeline().bytes > 4096);
    QVERIFY(r.exchange->assembled().done);
    QVERIFY(!r.exchange->assembled().text().isEmpty());

    // A body that is not a stream is kept whatever the option says.
    const Run json = send(
        R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})"_ba, {},
        options);
    QCOMPARE(json.exchange->status(), 200);
    QVERIFY(json.exchange->body().startsWith('{'));
}

void TestExchange::forceStreamDecodesAMislabelledStream()
{
    // A server that sends a stream labelled as JSON (a misconfigured proxy does).
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&server] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            if (!socket->peek(64 * 1024).contains("\r\n\r\n"))
                return;
            socket->readAll();
            const QByteArray body
                = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
                  "data: [DONE]\n\n";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        });
    });
    const QString url = u"http://127.0.0.1:%1/chat/completions"_s.arg(server.serverPort());
    for (const bool force : { false, true }) {
        ExchangeOptions options;
        options.forceStream = force;
        Exchange exchange(&m_network, options);
        QSignalSpy finished(&exchange, &Exchange::finished);
        exchange.start(WireRequest { "POST", url, {}, "{}" });
        QVERIFY(finished.wait(20000));
        QCOMPARE(exchange.status(), 200);
        QCOMPARE(exchange.framing(), force ? BodyFraming::Sse : BodyFraming::Json);
        QCOMPARE(exchange.assembled().text(), force ? u"Hello"_s : QString());
        QCOMPARE(exchange.timeline().events, force ? 3 : 0);
    }
}

// A close-delimited stream (no length, not chunked) that stops after a few events and
// closes: the transport sees a normal end, the answer is still not whole. A demo
// stream that ends properly is whole.
void TestExchange::aCloseDelimitedStreamCutShortIsIncomplete()
{
    gs::tests::CutShortStreamServer server;
    Exchange exchange(&m_network, {});
    QSignalSpy finished(&exchange, &Exchange::finished);
    exchange.start(WireRequest { "POST", server.chatUrl(), {}, "{}" });
    QVERIFY(finished.wait(20000));
    QCOMPARE(exchange.status(), 200);
    QCOMPARE(exchange.assembled().text(), u"w w w "_s);
    QVERIFY2(exchange.incomplete().contains(u"without [DONE] or a finish reason"_s),
        qPrintable(exchange.incomplete()));
    QCOMPARE(exchange.snapshot().incomplete, exchange.incomplete());

    const Run whole = send(kStream);
    QCOMPARE(whole.exchange->status(), 200);
    QVERIFY(whole.exchange->assembled().done);
    QCOMPARE(whole.exchange->incomplete(), QString());
}

QTEST_GUILESS_MAIN(TestExchange)
#include "tst_exchange.moc"
