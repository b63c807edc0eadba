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

QTEST_GUILESS_MAIN(TestResponseBody)
#include "tst_responsebody.moc"
