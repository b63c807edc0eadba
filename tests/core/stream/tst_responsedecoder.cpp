#include "core/stream/responsedecoder.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kChat
    = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
      ": a comment\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
      "data: [DONE]\n\n";

struct Decoded
{
    QList<SseEvent> events;
    QList<bool> content;
    int wholeBodyCalls = 0;
};

// Feeds \a body to a decoder in pieces of \a piece bytes (0: at once).
Decoded decodeInPieces(ResponseDecoder &decoder, const QByteArray &body, qsizetype piece)
{
    Decoded out;
    const auto sink = [&out](SseEvent &&e, bool added) {
        out.events << std::move(e);
        out.content << added;
    };
    const qsizetype step = piece > 0 ? piece : std::max<qsizetype>(body.size(), 1);
    for (qsizetype at = 0; at < body.size(); at += step)
        decoder.feed(QByteArrayView(body).sliced(at, std::min(step, body.size() - at)), sink);
    decoder.finish(sink, [&out, &body] {
        ++out.wholeBodyCalls;
        return body;
    });
    return out;
}

} // namespace

// The one decoding pipeline that Exchange (live) and decodeBody() (captured) share.
class TestResponseDecoder final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAnswerAtEverySplit();
    void mislabelledStreamByItsFirstBytes();
    void jsonIsAssembledWholeOnlyAtTheEnd();
    void ndjsonLastLineWithoutLineEnd();
    void unterminatedEventIsDroppedAndSaid();
    void forcedFramingWins();
    void decodeBodyRunsTheSamePipeline();
};

void TestResponseDecoder::sameAnswerAtEverySplit()
{
    for (qsizetype piece = 1; piece <= kChat.size(); ++piece) {
        ResponseDecoder decoder("text/event-stream");
        const Decoded d = decodeInPieces(decoder, kChat, piece);
        QCOMPARE(decoder.framing(), BodyFraming::Sse);
        QCOMPARE(d.events.size(), 4); // the comment is no event
        QCOMPARE(d.content, QList<bool>({ false, true, true, false }));
        QCOMPARE(decoder.eventCount(), 4);
        QCOMPARE(decoder.assembled().choices.value(0).text, u"Hello"_s);
        QCOMPARE(d.wholeBodyCalls, 0); // a stream is never read whole
    }
}

void TestResponseDecoder::mislabelledStreamByItsFirstBytes()
{
    ResponseDecoder decoder("text/plain");
    decodeInPieces(decoder, kChat, 7);
    QCOMPARE(decoder.framing(), BodyFraming::Sse);
    QCOMPARE(decoder.assembled().choices.value(0).text, u"Hello"_s);
}

void TestResponseDecoder::jsonIsAssembledWholeOnlyAtTheEnd()
{
    const QByteArray body
        = R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"}}]})";
    ResponseDecoder decoder("application/json");
    const auto sink = [](SseEvent &&, bool) { QFAIL("a JSON body has no events"); };
    decoder.feed(QByteArrayView(body).first(10), sink);
    QVERIFY(decoder.assembled().choices.isEmpty());
    decoder.feed(QByteArrayView(body).sliced(10), sink);
    int calls = 0;
    decoder.finish(sink, [&] {
        ++calls;
        return body;
    });
    QCOMPARE(calls, 1);
    QCOMPARE(decoder.framing(), BodyFraming::Json);
    QCOMPARE(decoder.assembled().choices.value(0).text, u"Hi there"_s);
    // Finishing twice does nothing more.
    decoder.finish(sink, [&] {
        ++calls;
        return body;
    });
    QCOMPARE(calls, 1);
}

void TestResponseDecoder::ndjsonLastLineWithoutLineEnd()
{
    const QByteArray body = "{\"a\":1}\r\n\r\n{\"b\":2}";
    ResponseDecoder decoder("application/x-ndjson");
    const Decoded d = decodeInPieces(decoder, body, 3);
    QCOMPARE(d.events.size(), 2);
    QCOMPARE(d.events.last().type, "ndjson"_ba);
    QCOMPARE(d.events.last().data, "{\"b\":2}"_ba);
}

void TestResponseDecoder::unterminatedEventIsDroppedAndSaid()
{
    ResponseDecoder decoder("text/event-stream");
    const Decoded d = decodeInPieces(decoder, "data: one\n\ndata: cut", 0);
    QCOMPARE(d.events.size(), 1);
    QVERIFY(decoder.unterminatedEvent());
}

void TestResponseDecoder::forcedFramingWins()
{
    ResponseDecoder decoder("application/json", BodyFraming::Sse);
    const Decoded d = decodeInPieces(decoder, kChat, 0);
    QCOMPARE(decoder.framing(), BodyFraming::Sse);
    QCOMPARE(d.events.size(), 4);
}

void TestResponseDecoder::decodeBodyRunsTheSamePipeline()
{
    const DecodedBody whole = decodeBody({ { "Content-Type", "text/event-stream" } }, kChat);
    QCOMPARE(whole.framing, BodyFraming::Sse);
    QCOMPARE(whole.events.size(), 4);
    QCOMPARE(whole.eventCount, 4);
    QCOMPARE(whole.assembled.choices.value(0).text, u"Hello"_s);
    // An empty JSON body is still decided as JSON.
    const DecodedBody empty = decodeBody({ { "Content-Type", "application/json" } }, {});
    QCOMPARE(empty.framing, BodyFraming::Json);
}

QTEST_GUILESS_MAIN(TestResponseDecoder)
#include "tst_responsedecoder.moc"
