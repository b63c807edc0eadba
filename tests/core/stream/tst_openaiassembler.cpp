#include "core/stream/openaiassembler.h"
#include "core/stream/sseparser.h"

#include <QJsonObject>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestOpenAiAssembler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void byteOrderMarksInTokensAreKept();
    void chatStreamWithReasoningToolCallsAndUsage();
    void severalChoices();
    void errorMidStreamKeepsThePartialAnswer();
    void thinkingBlocksOnlyWhenNoReasoningContent();
    void deltasReportWhatArrived();
    void responsesApiStream();
    void responsesApiFailure();
    void anthropicMessagesStream();
    void nonStreamingBodies_data();
    void nonStreamingBodies();
    void unreadableEventsAreCounted();
    void fastAndGeneralReadersAgree_data();
    void fastAndGeneralReadersAgree();
};

namespace {

AssembledResponse assembleSse(const QByteArray &stream)
{
    SseParser parser;
    QList<SseEvent> events;
    parser.feed(stream, events);
    parser.finish();
    OpenAiAssembler assembler;
    for (const SseEvent &e : events)
        assembler.addEvent(e.type, e.data);
    return assembler.result();
}

} // namespace

void TestOpenAiAssembler::chatStreamWithReasoningToolCallsAndUsage()
{
    const AssembledResponse r = assembleSse(
        R"(data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"Think "}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"hard."}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}

data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

data: {"id":"c1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}

data: [DONE]

)"_ba);
    QCOMPARE(r.api, AssembledResponse::Api::ChatCompletions);
    QCOMPARE(r.id, u"c1"_s);
    QCOMPARE(r.model, u"gpt-4o"_s);
    QCOMPARE(r.text(), u"Hello"_s);
    QCOMPARE(r.reasoning(), u"Think hard."_s);
    QCOMPARE(r.finishReason(), u"tool_calls"_s);
    QCOMPARE(r.choices.first().role, u"assistant"_s);
    const QList<ToolCall> calls = r.toolCalls();
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls[0],
        (ToolCall { 0, u"call_1"_s, u"function"_s, u"get_weather"_s, uR"({"city":"Paris"})"_s }));
    QCOMPARE(calls[1], (ToolCall { 1, u"call_2"_s, u"function"_s, u"get_time"_s, u"{}"_s }));
    QCOMPARE(r.usage.toObject().value(u"total_tokens"_s).toInt(), 15);
    QVERIFY(r.done);
    QCOMPARE(r.events, 12);
    QVERIFY(r.errors.isEmpty());
}

void TestOpenAiAssembler::byteOrderMarksInTokensAreKept()
{
    // A token that starts with U+FEFF, escaped or raw, keeps it on the fast path.
    // (The general path uses QJsonDocument, which drops a raw U+FEFF at the start of
    // a string; escaped, it keeps it.)
    OpenAiAssembler a;
    a.addEvent("message", R"({"choices":[{"index":0,"delta":{"content":"\uFEFFa"}}]})");
    a.addEvent("message",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xEF\xBB\xBF"
        "b\"}}]}");
    QCOMPARE(a.result().text(), u"\uFEFFa\uFEFFb"_s);
    OpenAiAssembler general;
    general.addEvent(
        "message", R"({"type":"chunk","choices":[{"index":0,"delta":{"content":"\uFEFFa"}}]})");
    QCOMPARE(general.result().text(), u"\uFEFFa"_s);
}

void TestOpenAiAssembler::severalChoices()
{
    const AssembledResponse r = assembleSse(
        R"(data: {"choices":[{"index":1,"delta":{"content":"B1"}},{"index":0,"delta":{"content":"A1"}}]}

data: {"choices":[{"index":0,"delta":{"content":"A2"},"finish_reason":"stop"}]}

data: {"choices":[{"index":1,"delta":{"content":"B2"},"finish_reason":"length"}]}

)"_ba);
    QCOMPARE(r.choices.size(), 2);
    QCOMPARE(r.choices[0].index, 0);
    QCOMPARE(r.choices[0].text, u"A1A2"_s);
    QCOMPARE(r.choices[0].finishReason, u"stop"_s);
    QCOMPARE(r.choices[1].text, u"B1B2"_s);
    QCOMPARE(r.choices[1].finishReason, u"length"_s);
    QVERIFY(!r.done);
}

void TestOpenAiAssembler::errorMidStreamKeepsThePartialAnswer()
{
    const AssembledResponse r
        = assembleSse(R"(data: {"choices":[{"index":0,"delta":{"content":"Partial "}}]}

data: {"choices":[{"index":0,"delta":{"content":"answer"}}]}

data: {"error":{"message":"Output guardrail blocked the response","type":"guardrail_error","code":400}}

)"_ba);
    QCOMPARE(r.text(), u"Partial answer"_s);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].message, u"Output guardrail blocked the response"_s);
    QCOMPARE(r.errors[0].type, u"guardrail_error"_s);
    QCOMPARE(r.errors[0].code, u"400"_s);
    QCOMPARE(r.errors[0].eventIndex, 2);
}

void TestOpenAiAssembler::thinkingBlocksOnlyWhenNoReasoningContent()
{
    const AssembledResponse r = assembleSse(
        R"(data: {"choices":[{"index":0,"delta":{"reasoning_content":"A","thinking_blocks":[{"type":"thinking","thinking":"A"}]}}]}

data: {"choices":[{"index":0,"delta":{"thinking_blocks":[{"type":"thinking","thinking":"B","signature":"s"}]}}]}

)"_ba);
    QCOMPARE(r.reasoning(), u"AB"_s);
    QVERIFY(r.text().isEmpty());
}

void TestOpenAiAssembler::deltasReportWhatArrived()
{
    OpenAiAssembler a;
    QCOMPARE(a.addEvent("message",
                 R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"),
        OpenAiAssembler::Deltas());
    QCOMPARE(
        a.addEvent("message", R"({"choices":[{"index":0,"delta":{"reasoning_content":"r"}}]})"),
        OpenAiAssembler::Deltas(OpenAiAssembler::Delta::Reasoning));
    QCOMPARE(a.addEvent("message", R"({"choices":[{"index":0,"delta":{"content":"x"}}]})"),
        OpenAiAssembler::Deltas(OpenAiAssembler::Delta::Content));
    QCOMPARE(a.addEvent("message", R"({"choices":[{"index":0,"delta":{"refusal":"no"}}]})"),
        OpenAiAssembler::Deltas(OpenAiAssembler::Delta::Refusal));
    QCOMPARE(a.addEvent("message", "[DONE]"), OpenAiAssembler::Deltas());
    QCOMPARE(a.result().refusal(), u"no"_s);
}

void TestOpenAiAssembler::responsesApiStream()
{
    const AssembledResponse r = assembleSse(R"(event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","model":"gpt-4o-mini"}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"reasoning","id":"rs_1"}}

event: response.reasoning_summary_text.delta
data: {"type":"response.reasoning_summary_text.delta","sequence_number":2,"output_index":0,"delta":"Plan."}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":3,"output_index":1,"item":{"type":"message","role":"assistant","id":"msg_1"}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":4,"output_index":1,"content_index":0,"delta":"Hi "}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":5,"output_index":1,"content_index":0,"delta":"there"}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":6,"output_index":2,"item":{"type":"function_call","call_id":"call_9","name":"lookup","arguments":""}}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","sequence_number":7,"output_index":2,"delta":"{\"q\":"}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","sequence_number":8,"output_index":2,"delta":"1}"}

event: response.completed
data: {"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","model":"gpt-4o-mini-2024-07-18","usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12}}}

)"_ba);
    QCOMPARE(r.api, AssembledResponse::Api::Responses);
    QCOMPARE(r.id, u"resp_1"_s);
    QCOMPARE(r.model, u"gpt-4o-mini-2024-07-18"_s);
    QCOMPARE(r.text(), u"Hi there"_s);
    QCOMPARE(r.reasoning(), u"Plan."_s);
    QCOMPARE(r.toolCalls().size(), 1);
    QCOMPARE(r.toolCalls().first(),
        (ToolCall { 2, u"call_9"_s, u"function"_s, u"lookup"_s, uR"({"q":1})"_s }));
    QCOMPARE(r.status, u"completed"_s);
    QCOMPARE(r.finishReason(), u"tool_calls"_s);
    QCOMPARE(r.usage.toObject().value(u"total_tokens"_s).toInt(), 12);
    QVERIFY(r.done);
}

void TestOpenAiAssembler::responsesApiFailure()
{
    const AssembledResponse r = assembleSse(R"(event: response.output_text.delta
data: {"type":"response.output_text.delta","delta":"Par"}

event: response.failed
data: {"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"upstream died"}}}

)"_ba);
    QCOMPARE(r.text(), u"Par"_s);
    QCOMPARE(r.status, u"failed"_s);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].message, u"upstream died"_s);
    QVERIFY(r.done);

    const AssembledResponse incomplete = assembleSse(
        R"(data: {"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}

)"_ba);
    QCOMPARE(incomplete.status, u"incomplete"_s);
    QCOMPARE(incomplete.finishReason(), u"max_output_tokens"_s);
}

void TestOpenAiAssembler::anthropicMessagesStream()
{
    const AssembledResponse r = assembleSse(R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_1","role":"assistant","model":"claude-sonnet-4","usage":{"input_tokens":12,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"391"}}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"tu_1","name":"calc","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"x\":1}"}}

event: ping
data: {"type":"ping"}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":20}}

event: message_stop
data: {"type":"message_stop"}

)"_ba);
    QCOMPARE(r.api, AssembledResponse::Api::AnthropicMessages);
    QCOMPARE(r.text(), u"391"_s);
    QCOMPARE(r.reasoning(), u"Hmm."_s);
    QCOMPARE(r.toolCalls().first().name, u"calc"_s);
    QCOMPARE(r.toolCalls().first().arguments, uR"({"x":1})"_s);
    QCOMPARE(r.finishReason(), u"end_turn"_s);
    QCOMPARE(r.usage.toObject().value(u"input_tokens"_s).toInt(), 12);
    QCOMPARE(r.usage.toObject().value(u"output_tokens"_s).toInt(), 20);
    QVERIFY(r.done);
}

void TestOpenAiAssembler::nonStreamingBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<int>("toolCalls");
    QTest::addColumn<QString>("error");

    QTest::newRow("chat completion")
        << R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_content":"r"},"finish_reason":"stop"}],"usage":{"total_tokens":3}})"_ba
        << u"Hi"_s << u"r"_s << u"stop"_s << 0 << QString();
    QTest::newRow("chat with tool calls")
        << R"({"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})"_ba
        << QString() << QString() << u"tool_calls"_s << 1 << QString();
    QTest::newRow("content parts")
        << R"({"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}}]})"_ba
        << u"AB"_s << QString() << QString() << 0 << QString();
    QTest::newRow("legacy completion")
        << R"({"object":"text_completion","choices":[{"index":0,"text":"old","finish_reason":"length"}]})"_ba
        << u"old"_s << QString() << u"length"_s << 0 << QString();
    QTest::newRow("responses")
        << R"({"object":"response","status":"completed","output":[{"type":"reasoning","summary":[{"type":"summary_text","text":"S"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Out"}]},{"type":"function_call","call_id":"x","name":"f","arguments":"{}"}]})"_ba
        << u"Out"_s << u"S"_s << u"tool_calls"_s << 1 << QString();
    QTest::newRow("anthropic message")
        << R"({"type":"message","role":"assistant","content":[{"type":"thinking","thinking":"T"},{"type":"text","text":"X"},{"type":"tool_use","id":"t","name":"f","input":{"a":1}}],"stop_reason":"tool_use"})"_ba
        << u"X"_s << u"T"_s << u"tool_use"_s << 1 << QString();
    QTest::newRow("error")
        << R"({"error":{"message":"no healthy upstream","type":"unavailable"}})"_ba << QString()
        << QString() << QString() << 0 << u"no healthy upstream"_s;
}

void TestOpenAiAssembler::nonStreamingBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, text);
    QFETCH(QString, reasoning);
    QFETCH(QString, finish);
    QFETCH(int, toolCalls);
    QFETCH(QString, error);
    OpenAiAssembler a;
    a.addBody(body);
    const AssembledResponse &r = a.result();
    QCOMPARE(r.text(), text);
    QCOMPARE(r.reasoning(), reasoning);
    QCOMPARE(r.finishReason(), finish);
    QCOMPARE(r.toolCalls().size(), toolCalls);
    QCOMPARE(r.errors.isEmpty() ? QString() : r.errors.first().message, error);
}

void TestOpenAiAssembler::unreadableEventsAreCounted()
{
    OpenAiAssembler a;
    a.addEvent("message", "not json");
    a.addEvent("message", "[1,2]");
    a.addEvent("message", R"({"choices":[{"index":0,"delta":{"content":"ok"}}]})");
    QCOMPARE(a.result().events, 3);
    QCOMPARE(a.result().unreadableEvents, 2);
    QCOMPARE(a.result().text(), u"ok"_s);
}

void TestOpenAiAssembler::fastAndGeneralReadersAgree_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::newRow("content, role, finish") << QByteArrayList {
        R"({"id":"a","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
        R"({"choices":[{"index":0,"delta":{"content":"H\u00e9llo \"q\" \ud83d\ude00"}}]})",
        R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})",
        R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})",
    };
    QTest::newRow("reasoning, refusal, tools, two choices") << QByteArrayList {
        R"({"choices":[{"index":1,"delta":{"reasoning":"r1"}},{"index":0,"delta":{"reasoning_content":"r0"}}]})",
        R"({"choices":[{"index":0,"delta":{"refusal":"no"}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"d","function":{"name":"g"}}]}}]})",
    };
    QTest::newRow("shapes the fast reader hands on") << QByteArrayList {
        R"({"choices":[{"index":0,"delta":{"content":[{"type":"text","text":"parts"}]}}]})",
        R"({"choices":[{"index":0,"delta":{"thinking_blocks":[{"type":"thinking","thinking":"t"}]}}]})",
        R"({"error":{"message":"boom"}})",
        R"({"choices":[{"index":"zero","delta":{"content":"bad index"}}]})",
        R"({"choices":[{"index":0,"delta":{"content":"x"}}]} trailing)",
    };
}

void TestOpenAiAssembler::fastAndGeneralReadersAgree()
{
    QFETCH(QByteArrayList, chunks);
    // Unnamed events take the simdjson reader; a named one goes the general way.
    OpenAiAssembler fast;
    OpenAiAssembler general;
    for (const QByteArray &chunk : chunks) {
        QCOMPARE(fast.addEvent("message", chunk), general.addEvent("x-chunk", chunk));
    }
    const AssembledResponse &a = fast.result();
    const AssembledResponse &b = general.result();
    QCOMPARE(a.choices.size(), b.choices.size());
    for (qsizetype i = 0; i < a.choices.size(); ++i) {
        QCOMPARE(a.choices[i].index, b.choices[i].index);
        QCOMPARE(a.choices[i].role, b.choices[i].role);
        QCOMPARE(a.choices[i].text, b.choices[i].text);
        QCOMPARE(a.choices[i].reasoning, b.choices[i].reasoning);
        QCOMPARE(a.choices[i].refusal, b.choices[i].refusal);
        QCOMPARE(a.choices[i].toolCalls, b.choices[i].toolCalls);
        QCOMPARE(a.choices[i].finishReason, b.choices[i].finishReason);
    }
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.model, b.model);
    QCOMPARE(a.usage, b.usage);
    QCOMPARE(a.errors.size(), b.errors.size());
    QCOMPARE(a.unreadableEvents, b.unreadableEvents);
}

QTEST_GUILESS_MAIN(TestOpenAiAssembler)
#include "tst_openaiassembler.moc"
