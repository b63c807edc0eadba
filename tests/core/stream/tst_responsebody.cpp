#include "core/stream/responsebody.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestResponseBody final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void cutOffStreamIsNoticed();
    void incompleteStreams_data();
    void incompleteStreams();
    void eventsAfterDoneAreKept();
};

void TestResponseBody::framing_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expected");

    const auto row
        = [](const char *tag, const QByteArray &type, const QByteArray &body, BodyFraming framing) {
              QTest::newRow(tag) << type << body << int(framing);
          };
    row("sse", "text/event-stream"_ba, QByteArray(), BodyFraming::Sse);
    row("sse with charset, any case", "Text/Event-Stream; charset=utf-8"_ba, QByteArray(),
        BodyFraming::Sse);
    row("x-ndjson", "application/x-ndjson"_ba, QByteArray(), BodyFraming::Ndjson);
    row("jsonl", "application/jsonl"_ba, QByteArray(), BodyFraming::Ndjson);
    row("json", "application/json"_ba, QByteArray(), BodyFraming::Json);
    row("problem+json", "application/problem+json"_ba, QByteArray(), BodyFraming::Json);
    row("mislabelled sse", "text/plain"_ba, "data: {}\n\n"_ba, BodyFraming::Sse);
    row("mislabelled ndjson", "application/octet-stream"_ba, "{\"a\":1}\n{\"a\":2}\n"_ba,
        BodyFraming::Ndjson);
    row("pretty json is one document", QByteArray(), "{\n  \"a\": {\n  }\n}"_ba, BodyFraming::Json);
    row("html", "text/html"_ba, "<html>"_ba, BodyFraming::Other);
}

void TestResponseBody::framing()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, expected);
    QCOMPARE(int(framingFor(contentType, body)), expected);
}

void TestResponseBody::cutOffStreamIsNoticed()
{
    const DecodedBody body = decodeBody({ { "Content-Type"_ba, "text/event-stream"_ba } },
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choi"_ba);
    QCOMPARE(body.events.size(), 1);
    QVERIFY(body.unterminatedEvent);
    QCOMPARE(body.assembled.text(), u"a"_s);
    QVERIFY(!body.assembled.done);
}

void TestResponseBody::incompleteStreams_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason"); // a part of it; empty: whole

    const QByteArray chunk = R"(data: {"choices":[{"index":0,"delta":{"content":"a"}}]})"
                             "\n\n";
    const QByteArray finished
        = R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
          "\n\n";
    const QByteArray sse = "text/event-stream";
    QTest::newRow("chat with [DONE]") << sse << chunk + finished + "data: [DONE]\n\n" << QString();
    QTest::newRow("chat finished, no [DONE]") << sse << chunk + finished << QString();
    QTest::newRow("chat cut after tokens") << sse << chunk + chunk << u"without [DONE]"_s;
    QTest::newRow("chat cut inside an event")
        << sse << chunk + "data: {\"cho" << u"inside an event"_s;
    QTest::newRow("chat error event") << sse
                                      << chunk
            + R"(data: {"error":{"message":"upstream died"}})"
              "\n\n" << QString();
    QTest::newRow("no event at all") << sse << QByteArray() << u"before any event"_s;
    const QByteArray created = "event: response.created\ndata: "
                               R"({"type":"response.created","response":{"id":"r"}})"
                               "\n\n";
    const QByteArray delta = "event: response.output_text.delta\ndata: "
                             R"({"type":"response.output_text.delta","delta":"a"})"
                             "\n\n";
    const QByteArray completed
        = "event: response.completed\ndata: "
          R"({"type":"response.completed","response":{"id":"r","status":"completed"}})"
          "\n\n";
    QTest::newRow("responses completed") << sse << created + delta + completed << QString();
    QTest::newRow("responses cut") << sse << created + delta << u"response.completed"_s;
    QTest::newRow("a JSON body is not a stream")
        << QByteArray("application/json") << QByteArray(R"({"choices":[)") << QString();
}

// A stream is whole when it says so, whatever the transport said.
void TestResponseBody::incompleteStreams()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    const DecodedBody decoded = decodeBody({ { "Content-Type"_ba, contentType } }, body);
    const QString why
        = incompleteReason(decoded.framing, decoded.assembled, decoded.unterminatedEvent);
    if (reason.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(reason), qPrintable(why));
}

// Some gateways send verdicts after [DONE] (Portkey's guardrail results): they are
// events of the stream, listed, and the answer stays whole.
void TestResponseBody::eventsAfterDoneAreKept()
{
    const DecodedBody body = decodeBody({ { "Content-Type"_ba, "text/event-stream"_ba } },
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
        "data: [DONE]\n\n"
        "data: {\"hook_results\":{\"before_request_hooks\":[]}}\n\n"_ba);
    QCOMPARE(body.events.size(), 3);
    QCOMPARE(body.events.last().data, "{\"hook_results\":{\"before_request_hooks\":[]}}"_ba);
    QVERIFY(body.assembled.done);
    QCOMPARE(body.assembled.text(), u"a"_s);
    QCOMPARE(incompleteReason(body.framing, body.assembled), QString());
}

QTEST_GUILESS_MAIN(TestResponseBody)
#include "tst_responsebody.moc"
