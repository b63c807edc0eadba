#include "core/stream/gatewayresponse.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestGatewayResponse final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesCapturedResponse_data();
    void parsesCapturedResponse();
    void rejectsWhatIsNoResponse_data();
    void rejectsWhatIsNoResponse();
    void dechunksWellFormedBodiesOnly();
    void captureProblems_data();
    void captureProblems();
    void appliedConfigurations_data();
    void appliedConfigurations();
    void serverTimingFieldsAreCombined();
    void feedbackTarget_data();
    void feedbackTarget();
    void everyTypedStatusIsExplained();
    void gatewayHeadersInOrder();
    void errorInBody_data();
    void errorInBody();
};

void TestGatewayResponse::parsesCapturedResponse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("crlf")
        << "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nx-tfy-resolved-model: a/b\r\n\r\n{\"error\":{}}"_ba;
    QTest::newRow("lf")
        << "HTTP/1.1 429 Too Many Requests\nRetry-After: 2\nx-tfy-resolved-model: a/b\n\n{\"error\":{}}"_ba;
    QTest::newRow("bom and blank lines first")
        << "\xEF\xBB\xBF\n\nHTTP/1.1 429 Too Many Requests\nRetry-After:   2  \nx-tfy-resolved-model: a/b\n\n{\"error\":{}}"_ba;
    QTest::newRow("curl -i with 100 Continue")
        << "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nx-tfy-resolved-model: a/b\r\n\r\n{\"error\":{}}"_ba;
    QTest::newRow("through a proxy")
        << "HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nx-tfy-resolved-model: a/b\r\n\r\n{\"error\":{}}"_ba;
    QTest::newRow("folded header")
        << "HTTP/1.1 429 Too Many Requests\nRetry-After:\n 2\nx-tfy-resolved-model: a/b\n\n{\"error\":{}}"_ba;
}

void TestGatewayResponse::parsesCapturedResponse()
{
    QFETCH(QByteArray, raw);
    const auto r = parseRawResponse(raw);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->status, 429);
    QCOMPARE(r->reason, "Too Many Requests"_ba);
    QCOMPARE(r->httpVersion, "HTTP/1.1"_ba);
    QCOMPARE(headerValue(r->headers, "retry-after"), "2"_ba);
    QCOMPARE(r->body, "{\"error\":{}}"_ba);
    QCOMPARE(GatewayResponseInfo::fromHeaders(r->headers).resolvedModel, u"a/b"_s);
}

void TestGatewayResponse::rejectsWhatIsNoResponse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("request line") << "GET / HTTP/1.1\r\n\r\n"_ba;
    QTest::newRow("json") << "{\"a\":1}"_ba;
    QTest::newRow("status not a number") << "HTTP/1.1 OK\r\n\r\n"_ba;
    QTest::newRow("header without colon") << "HTTP/1.1 200 OK\r\nbroken header\r\n\r\n"_ba;
    QTest::newRow("four-digit status") << "HTTP/1.1 2000 OK\r\n\r\n"_ba;
    QTest::newRow("two-digit status") << "HTTP/1.1 20 OK\r\n\r\n"_ba;
}

void TestGatewayResponse::rejectsWhatIsNoResponse()
{
    QFETCH(QByteArray, raw);
    const auto r = parseRawResponse(raw);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Parse);
    QVERIFY(!r.error().message.isEmpty());
}

void TestGatewayResponse::dechunksWellFormedBodiesOnly()
{
    const auto chunked = parseRawResponse(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"_ba);
    QVERIFY(chunked);
    QCOMPARE(chunked->body, "hello world"_ba);
    QVERIFY(chunked->trailers.isEmpty());
    // Server-Timing sent as a trailer counts like the header.
    const auto trailer = parseRawResponse(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer-Timing: a;dur=1\r\n\r\n"
        "2\r\nok\r\n0\r\nServer-Timing: total;dur=9\r\n\r\n"_ba);
    QVERIFY(trailer);
    QCOMPARE(trailer->body, "ok"_ba);
    QCOMPARE(trailer->trailers, (HttpHeaders { { "Server-Timing"_ba, "total;dur=9"_ba } }));
    const auto timing = GatewayResponseInfo::fromHeaders(trailer->allFields()).serverTiming;
    QCOMPARE(timing.size(), 2);
    QCOMPARE(timing[1].name, u"total"_s);
    // A capture that was already de-chunked by the tool that saved it stays as it is.
    const auto plain
        = parseRawResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello world"_ba);
    QVERIFY(plain);
    QCOMPARE(plain->body, "hello world"_ba);
}

void TestGatewayResponse::captureProblems_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("problem"); // empty: a sound capture
    QTest::newRow("sound") << "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"_ba << QString();
    QTest::newRow("sound chunks")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"_ba
        << QString();
    QTest::newRow("de-chunked by curl")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello world"_ba << QString();
    QTest::newRow("content-length longer than the body")
        << "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"_ba
        << u"cut short: Content-Length announces 100 bytes, the capture has 3"_s;
    QTest::newRow("body longer than content-length")
        << "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nabc"_ba << u"2 bytes after the 1"_s;
    QTest::newRow("content-length not a number")
        << "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nabc"_ba << u"not a number"_s;
    QTest::newRow("chunk announces more than arrives")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n10\r\nabc"_ba
        << u"chunk 2 announces 16 bytes but only 3 arrived"_s;
    QTest::newRow("bad chunk size")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\nabc\r\n0\r\n\r\n"_ba
        << u"chunk 2 has no valid size"_s;
    QTest::newRow("no last chunk")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n"_ba
        << u"without the last, empty chunk"_s;
    QTest::newRow("gzip not decoded")
        << "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08"_ba << u"gzip-encoded"_s;
    QTest::newRow("bare CR") << "HTTP/1.1 200 OK\rContent-Length: 2\r\rok"_ba << u"bare CR"_s;
    QTest::newRow("status out of range")
        << "HTTP/1.1 700 Odd\r\n\r\n"_ba << u"outside HTTP's 100 to 599"_s;
}

void TestGatewayResponse::captureProblems()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, problem);
    const auto r = parseRawResponse(raw);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    const QString problems = r->problems.join(u'\n');
    if (problem.isEmpty())
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    else
        QVERIFY2(problems.contains(problem), qPrintable(problems));
}

void TestGatewayResponse::appliedConfigurations_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("type");

    QTest::newRow("object") << R"({"load_balancing":{"rule":"r1","target":"a/b"},"fallback":[]})"_ba
                            << true << int(QJsonValue::Object);
    QTest::newRow("array") << R"([1,2])"_ba << true << int(QJsonValue::Array);
    QTest::newRow("scalar") << R"("weighted")"_ba << true << int(QJsonValue::String);
    QTest::newRow("broken") << R"({"load_balancing":)"_ba << false << int(QJsonValue::Null);
    QTest::newRow("two values") << R"({} {})"_ba << false << int(QJsonValue::Null);
}

void TestGatewayResponse::appliedConfigurations()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(int, type);
    const auto info
        = GatewayResponseInfo::fromHeaders({ { "X-TFY-Applied-Configurations"_ba, value } });
    QCOMPARE(int(info.appliedConfigurations.type()), type);
    QCOMPARE(info.appliedConfigurationsError.isEmpty(), valid);
    QCOMPARE(info.appliedConfigurationsRaw, QString::fromUtf8(value));
}

void TestGatewayResponse::serverTimingFieldsAreCombined()
{
    const auto info = GatewayResponseInfo::fromHeaders({ { "Server-Timing"_ba, "auth;dur=0.9"_ba },
        { "other"_ba, "x"_ba }, { "server-timing"_ba, "model;dur=5, total;dur=6"_ba } });
    QCOMPARE(info.serverTiming.size(), 3);
    QCOMPARE(info.serverTiming[0].name, u"auth"_s);
    QCOMPARE(info.serverTiming[2].duration, 6.0);
}

void TestGatewayResponse::feedbackTarget_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("spanId");
    QTest::addColumn<QString>("traceId");
    QTest::addColumn<bool>("error");

    const QByteArray json = R"({"spanId":"s1","traceId":"t1"})"_ba;
    QTest::newRow("base64") << json.toBase64() << u"s1"_s << u"t1"_s << false;
    QTest::newRow("base64url unpadded")
        << json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) << u"s1"_s
        << u"t1"_s << false;
    QTest::newRow("not base64") << "%%%"_ba << QString() << QString() << true;
    QTest::newRow("base64 of text") << "hello"_ba.toBase64() << QString() << QString() << true;
    QTest::newRow("other json") << R"({"x":1})"_ba.toBase64() << QString() << QString() << true;
}

void TestGatewayResponse::feedbackTarget()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, spanId);
    QFETCH(QString, traceId);
    QFETCH(bool, error);
    const FeedbackTarget t = decodeFeedbackTarget(value);
    QCOMPARE(t.spanId, spanId);
    QCOMPARE(t.traceId, traceId);
    QCOMPARE(!t.error.isEmpty(), error);
    QCOMPARE(t.raw, QString::fromLatin1(value));
}

void TestGatewayResponse::gatewayHeadersInOrder()
{
    const auto info = GatewayResponseInfo::fromHeaders({ { "x-tfy-b"_ba, "2"_ba },
        { "content-type"_ba, "x"_ba }, { "X-TFY-A"_ba, "1"_ba }, { "x-tfy"_ba, "not one"_ba } });
    QCOMPARE(
        info.gatewayHeaders, (HttpHeaders { { "x-tfy-b"_ba, "2"_ba }, { "X-TFY-A"_ba, "1"_ba } }));
    QVERIFY(!info.feedbackTarget);
    QVERIFY(info.resolvedModel.isEmpty());
    QVERIFY(info.appliedConfigurations.isNull());
}

void TestGatewayResponse::errorInBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("code");

    QTest::newRow("openai style")
        << R"({"error":{"message":"Rate limit","type":"requests","param":null,"code":"429"}})"_ba
        << true << u"Rate limit"_s << u"429"_s;
    QTest::newRow("numeric code") << R"({"error":{"message":"Nope","code":403}})"_ba << true
                                  << u"Nope"_s << u"403"_s;
    QTest::newRow("error string") << R"({"error":"no healthy upstream"})"_ba << true
                                  << u"no healthy upstream"_s << QString();
    QTest::newRow("bare message") << R"({"message":"Unauthorized"})"_ba << true << u"Unauthorized"_s
                                  << QString();
    QTest::newRow("a completion is no error")
        << R"({"choices":[],"message":"x"})"_ba << false << QString() << QString();
    QTest::newRow("not json") << "no healthy upstream"_ba << false << QString() << QString();
}

void TestGatewayResponse::errorInBody()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, found);
    QFETCH(QString, message);
    QFETCH(QString, code);
    const auto error = errorFromBody(body);
    QCOMPARE(error.has_value(), found);
    if (!found)
        return;
    QCOMPARE(error->message, message);
    QCOMPARE(error->code, code);
    QVERIFY(!error->raw.isUndefined());
}

// Every status the gateway's SDK types has plain words; a success has none.
void TestGatewayResponse::everyTypedStatusIsExplained()
{
    for (const int status :
        { 400, 401, 403, 404, 408, 409, 410, 412, 413, 422, 424, 429, 499, 500, 502, 503, 504 })
        QVERIFY2(statusMeaning(status).size() > 20, qPrintable(QString::number(status)));
    QVERIFY(statusMeaning(499).contains(u"retries"_s));
    QCOMPARE(statusMeaning(200), QString());
}

QTEST_GUILESS_MAIN(TestGatewayResponse)
#include "tst_gatewayresponse.moc"
