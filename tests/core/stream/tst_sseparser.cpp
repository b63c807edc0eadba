#include "core/stream/sseparser.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

using Events = QList<SseEvent>;

// Every row runs whole, split at every chunk size, and split in two at every byte:
// the events must not depend on where the network cut the stream.
class TestSseParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void retryAndLastEventId();
    void unterminatedEventIsReported();
    void longStreamKeepsMemoryBounded();
    void sanitize_data();
    void sanitize();
};

namespace {

SseEvent ev(
    const QByteArray &data, const QByteArray &type = "message"_ba, const QByteArray &id = {})
{
    return { type, data, id };
}

Events parseInChunks(const QByteArray &stream, qsizetype chunkSize)
{
    SseParser parser;
    Events out;
    for (qsizetype i = 0; i < stream.size(); i += chunkSize)
        parser.feed(QByteArrayView(stream).sliced(i, std::min(chunkSize, stream.size() - i)), out);
    parser.finish();
    return out;
}

Events parseInTwo(const QByteArray &stream, qsizetype cut)
{
    SseParser parser;
    Events out;
    parser.feed(QByteArrayView(stream).first(cut), out);
    parser.feed(QByteArrayView(), out); // an empty read changes nothing
    parser.feed(QByteArrayView(stream).sliced(cut), out);
    parser.finish();
    return out;
}

QByteArray describe(const Events &events)
{
    QByteArray out;
    for (const SseEvent &e : events)
        out += '[' + e.type + "|" + e.data.toPercentEncoding() + "|" + e.lastEventId + "] ";
    return out;
}

} // namespace

void TestSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Events>("expected");

    QTest::newRow("one event") << "data: hello\n\n"_ba << Events { ev("hello") };
    QTest::newRow("openai chunks and DONE")
        << "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n"_ba
        << Events { ev("{\"a\":1}"), ev("{\"a\":2}"), ev("[DONE]") };
    QTest::newRow("crlf") << "data: a\r\n\r\ndata: b\r\n\r\n"_ba << Events { ev("a"), ev("b") };
    QTest::newRow("bare cr") << "data: a\r\rdata: b\r\r"_ba << Events { ev("a"), ev("b") };
    QTest::newRow("mixed line ends")
        << "data: a\r\ndata: b\rdata: c\n\r\n"_ba << Events { ev("a\nb\nc") };
    QTest::newRow("multi-line data joined with LF")
        << "data: one\ndata: two\ndata:three\n\n"_ba << Events { ev("one\ntwo\nthree") };
    QTest::newRow("only one space stripped")
        << "data:  two spaces\n\n"_ba << Events { ev(" two spaces") };
    QTest::newRow("tab is not stripped") << "data:\tx\n\n"_ba << Events { ev("\tx") };
    QTest::newRow("comments ignored")
        << ": keep-alive\n:\ndata: x\n: more\n\n"_ba << Events { ev("x") };
    QTest::newRow("named event") << "event: response.output_text.delta\ndata: {}\n\n"_ba
                                 << Events { ev("{}", "response.output_text.delta") };
    QTest::newRow("event name resets after dispatch")
        << "event: a\ndata: 1\n\ndata: 2\n\n"_ba << Events { ev("1", "a"), ev("2") };
    QTest::newRow("field without colon is empty data") << "data\n\n"_ba << Events { ev("") };
    QTest::newRow("two empty data lines") << "data\ndata\n\n"_ba << Events { ev("\n") };
    QTest::newRow("empty data value") << "data:\n\n"_ba << Events { ev("") };
    QTest::newRow("no data, no event") << "event: ping\n\n"_ba << Events {};
    QTest::newRow("unknown fields ignored")
        << "foo: bar\ndata: x\nDATA: y\n\n"_ba << Events { ev("x") };
    QTest::newRow("colon in value kept") << "data: a: b\n\n"_ba << Events { ev("a: b") };
    QTest::newRow("leading BOM stripped") << "\xEF\xBB\xBF"
                                             "data: x\n\n"_ba
                                          << Events { ev("x") };
    QTest::newRow("second BOM kept") << "\xEF\xBB\xBF\xEF\xBB\xBF"
                                        "data: x\n\n"_ba
                                     << Events {};
    QTest::newRow("BOM then field name") << "\xEF\xBB\xBF"
                                            "event: e\ndata: x\n\n"_ba
                                         << Events { ev("x", "e") };
    QTest::newRow("unterminated event discarded")
        << "data: a\n\ndata: b\n"_ba << Events { ev("a") };
    QTest::newRow("unterminated line discarded") << "data: a\n\ndata: b"_ba << Events { ev("a") };
    QTest::newRow("id applies from its event on")
        << "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"_ba
        << Events { ev("a", "message", "1"), ev("b", "message", "1"), ev("c") };
    QTest::newRow("id with NUL ignored")
        << "id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\n"_ba
        << Events { ev("a", "message", "7"), ev("b", "message", "7") };
    QTest::newRow("utf-8 across the stream")
        << "data: caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80\n\n"_ba
        << Events { ev("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80") };
    QTest::newRow("invalid utf-8 becomes U+FFFD") << "data: a\xFF"
                                                     "b\n\n"_ba
                                                  << Events { ev("a\xEF\xBF\xBD"
                                                                 "b") };
    QTest::newRow("truncated utf-8 becomes U+FFFD")
        << "data: \xE2\x9C\n\n"_ba << Events { ev("\xEF\xBF\xBD") };
    QTest::newRow("blank lines before anything") << "\n\n\r\ndata: x\n\n"_ba << Events { ev("x") };
    QTest::newRow("error object mid-stream")
        << "data: {\"choices\":[]}\n\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"_ba
        << Events { ev("{\"choices\":[]}"), ev("{\"error\":{\"message\":\"boom\"}}") };
}

void TestSseParser::parse()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    const QByteArray want = describe(expected);
    QCOMPARE(describe(parseInChunks(stream, std::max<qsizetype>(1, stream.size()))), want);
    for (qsizetype size = 1; size <= stream.size(); ++size)
        QVERIFY2(describe(parseInChunks(stream, size)) == want,
            qPrintable(u"chunk size %1"_s.arg(size)));
    for (qsizetype cut = 0; cut <= stream.size(); ++cut)
        QVERIFY2(describe(parseInTwo(stream, cut)) == want, qPrintable(u"cut at %1"_s.arg(cut)));
}

void TestSseParser::retryAndLastEventId()
{
    SseParser parser;
    Events out;
    parser.feed("retry: 1500\nretry: 12a\nretry:\nid: abc\n\n: ping\n"_ba, out);
    QVERIFY(out.isEmpty());
    QCOMPARE(parser.reconnectionTime(), std::optional<qint64>(1500));
    QCOMPARE(parser.lastEventId(), "abc"_ba);
    QCOMPARE(parser.commentCount(), 1);
}

void TestSseParser::unterminatedEventIsReported()
{
    SseParser parser;
    Events out;
    parser.feed("data: done\n\n"_ba, out);
    QVERIFY(!parser.finish());
    parser.feed("data: cut off\n"_ba, out);
    QVERIFY(parser.finish());
    QCOMPARE(out.size(), 1);
}

void TestSseParser::longStreamKeepsMemoryBounded()
{
    // 100,000 events through one parser: nothing accumulates between events.
    SseParser parser;
    Events out;
    qsizetype total = 0;
    const QByteArray chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n"_ba;
    for (int i = 0; i < 100000; ++i) {
        parser.feed(chunk, out);
        total += out.size();
        out.clear();
    }
    QCOMPARE(total, 100000);
}

void TestSseParser::sanitize_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray r = "\xEF\xBF\xBD"_ba;
    const QByteArray valid = "a\xC3\xA9\xE2\x9C\x93\xF0\x9F\x98\x80"_ba;
    QTest::newRow("valid untouched") << valid << valid;
    QTest::newRow("lone continuation") << "a\x80"
                                          "b"_ba
                                       << "a" + r + "b";
    QTest::newRow("truncated 3-byte is one replacement") << "\xE2\x9C"
                                                            "b"_ba
                                                         << r + "b";
    const QByteArray truncated = "a\xF0\x9F\x98"_ba;
    QTest::newRow("truncated at the end") << truncated << "a" + r;
    QTest::newRow("overlong") << "\xC0\xAF"_ba << r + r;
    QTest::newRow("surrogate") << "\xED\xA0\x80"_ba << r + r + r;
    QTest::newRow("above U+10FFFF") << "\xF4\x90\x80\x80"_ba << r + r + r + r;
    QTest::newRow("FF byte") << "\xFF"_ba << r;
    QTest::newRow("broken then valid") << "\xE2\xC3\xA9"_ba << r + "\xC3\xA9"_ba;
}

void TestSseParser::sanitize()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(sanitizeUtf8(input), expected);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
