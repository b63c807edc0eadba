#include "demo/streams.h"

#include "core/json/jsonutil.h"

using namespace Qt::StringLiterals;
using gs::core::jsonString;

namespace gs::demo {

namespace {

QByteArray sseEvent(const QByteArray &data)
{
    return "data: " + data + "\n\n";
}

QByteArray sseEvent(QByteArrayView type, const QByteArray &data)
{
    return "event: " + type.toByteArray() + "\ndata: " + data + "\n\n";
}

// Chat completion chunks, in the order OpenAI sends them, ending in [DONE].
class ChatStream final : public DemoEventSource
{
public:
    explicit ChatStream(StreamPlan plan)
        : m_plan(std::move(plan))
        , m_words(m_plan.seed)
        , m_prefix("{\"id\":\"" + m_plan.id + "\",\"object\":\"chat.completion.chunk\",\"created\":"
              + QByteArray::number(m_plan.created) + ",\"model\":\"" + m_plan.model
              + "\",\"choices\":[")
    { }

    std::optional<QByteArray> next() override
    {
        switch (m_phase) {
        case Phase::Role: {
            const int i = int(m_index++);
            if (m_index >= m_plan.choices)
                advance(Phase::Reasoning);
            return chunk(i, "{\"role\":\"assistant\",\"content\":\"\"}", {});
        }
        case Phase::Reasoning:
            if (m_index >= m_plan.reasoningTokens) {
                advance(Phase::Content);
                return next();
            }
            ++m_index;
            return chunk(0,
                "{\"reasoning_content\":" + jsonString(QString::fromUtf8(m_words.next())) + '}',
                {});
        case Phase::Content: {
            const qint64 total = m_plan.tokens * m_plan.choices;
            if (m_index >= total) {
                advance(m_plan.toolName.isEmpty() ? Phase::Finish : Phase::ToolName);
                return next();
            }
            const qint64 i = m_index++;
            if (m_plan.fault != DemoFault::SplitUtf8)
                return contentChunk(int(i % m_plan.choices));
            return chunk(int(i % m_plan.choices), "{\"content\":" + contentToken(i) + '}', {});
        }
        case Phase::ToolName:
            advance(Phase::ToolArguments);
            return chunk(0,
                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_demo_1\",\"type\":\"function\","
                "\"function\":{\"name\":\""
                    + m_plan.toolName + "\",\"arguments\":\"\"}}]}",
                {});
        case Phase::ToolArguments: {
            static constexpr std::array kParts { R"({\"query\":)", R"(\"gateway\")", R"(})" };
            const qint64 i = m_index++;
            if (m_index >= qint64(kParts.size()))
                advance(Phase::Finish);
            return chunk(0,
                QByteArray("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"")
                    + kParts[i] + "\"}}]}",
                {});
        }
        case Phase::Finish: {
            const int i = int(m_index++);
            if (m_index >= m_plan.choices)
                advance(m_plan.includeUsage ? Phase::Usage : Phase::Done);
            return chunk(i, "{}", m_plan.toolName.isEmpty() ? "stop" : "tool_calls");
        }
        case Phase::Usage: {
            advance(Phase::Done);
            const qint64 completion = (m_plan.tokens + m_plan.reasoningTokens) * m_plan.choices;
            return sseEvent(m_prefix
                + "],\"usage\":{\"prompt_tokens\":" + QByteArray::number(m_plan.promptTokens)
                + ",\"completion_tokens\":" + QByteArray::number(completion) + ",\"total_tokens\":"
                + QByteArray::number(m_plan.promptTokens + completion) + "}}");
        }
        case Phase::Done:
            advance(Phase::End);
            return sseEvent("[DONE]");
        case Phase::End:
            break;
        }
        return std::nullopt;
    }

private:
    enum class Phase {
        Role,
        Reasoning,
        Content,
        ToolName,
        ToolArguments,
        Finish,
        Usage,
        Done,
        End
    };

    void advance(Phase phase)
    {
        m_phase = phase;
        m_index = 0;
    }

    QByteArray contentToken(qint64 i)
    {
        if (m_plan.fault == DemoFault::SplitUtf8 && i % 3 == 1) {
            // Multi-byte characters that the HTTP layer cuts across writes; once, a raw
            // invalid byte inside the JSON string.
            return i == 4 ? QByteArray("\"caf\xC3\xA9 \xFF \"")
                          : QByteArray("\"caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \"");
        }
        return '"' + m_words.next() + '"';
    }

    // The common chunk, one word of content, built in place: a long unpaced stream
    // spends its time here.
    QByteArray contentChunk(int choice)
    {
        QByteArray c;
        c.reserve(m_prefix.size() + 80);
        c.append("data: ").append(m_prefix).append("{\"index\":");
        c.append(QByteArray::number(choice)).append(",\"delta\":{\"content\":\"");
        m_words.appendTo(c);
        c.append("\"},\"finish_reason\":null}]}\n\n");
        return c;
    }

    QByteArray chunk(int choice, const QByteArray &delta, QByteArrayView finish)
    {
        QByteArray c = m_prefix + "{\"index\":" + QByteArray::number(choice) + ",\"delta\":" + delta
            + ",\"finish_reason\":"
            + (finish.isEmpty() ? QByteArray("null") : '"' + finish.toByteArray() + '"') + "}]}";
        return sseEvent(c);
    }

    StreamPlan m_plan;
    Words m_words;
    QByteArray m_prefix;
    Phase m_phase = Phase::Role;
    qint64 m_index = 0;
};

// The Responses API's typed events, ending in response.completed.
class ResponsesStream final : public DemoEventSource
{
public:
    explicit ResponsesStream(StreamPlan plan)
        : m_plan(std::move(plan))
        , m_words(m_plan.seed)
    { }

    std::optional<QByteArray> next() override
    {
        const auto event = [this](QByteArrayView type, const QByteArray &fields) {
            return sseEvent(type,
                "{\"type\":\"" + type.toByteArray()
                    + "\",\"sequence_number\":" + QByteArray::number(m_sequence++)
                    + (fields.isEmpty() ? QByteArray() : ',' + fields) + '}');
        };
        const QByteArray response = "\"response\":{\"id\":\"" + m_plan.id
            + "\",\"object\":\"response\",\"model\":\"" + m_plan.model + "\",\"status\":";
        switch (m_step) {
        case 0:
            ++m_step;
            return event("response.created", response + "\"in_progress\"}");
        case 1:
            ++m_step;
            return event("response.in_progress", response + "\"in_progress\"}");
        case 2:
            ++m_step;
            return event("response.output_item.added",
                R"("output_index":0,"item":{"type":"message","id":"msg_demo","role":"assistant","status":"in_progress","content":[]})");
        case 3:
            ++m_step;
            return event("response.content_part.added",
                R"("output_index":0,"content_index":0,"item_id":"msg_demo","part":{"type":"output_text","text":""})");
        default:
            break;
        }
        if (m_token < m_plan.tokens) {
            const QByteArray word = m_words.next();
            m_text += word;
            ++m_token;
            return event("response.output_text.delta",
                R"("output_index":0,"content_index":0,"item_id":"msg_demo","delta":)"
                    + jsonString(QString::fromUtf8(word)));
        }
        switch (m_tail++) {
        case 0:
            return event("response.output_text.done",
                R"("output_index":0,"content_index":0,"item_id":"msg_demo","text":)"
                    + jsonString(QString::fromUtf8(m_text)));
        case 1:
            return event("response.output_item.done",
                R"("output_index":0,"item":{"type":"message","id":"msg_demo","status":"completed"})");
        case 2:
            return event("response.completed",
                response + "\"completed\",\"usage\":{\"input_tokens\":"
                    + QByteArray::number(m_plan.promptTokens) + ",\"output_tokens\":"
                    + QByteArray::number(m_plan.tokens) + ",\"total_tokens\":"
                    + QByteArray::number(m_plan.promptTokens + m_plan.tokens) + "}}");
        default:
            return std::nullopt;
        }
    }

private:
    StreamPlan m_plan;
    Words m_words;
    int m_step = 0;
    int m_tail = 0;
    qint64 m_token = 0;
    qint64 m_sequence = 0;
    QByteArray m_text;
};

// A stream with broken syntax among good events: the client must keep going.
class MalformedStream final : public DemoEventSource
{
public:
    explicit MalformedStream(const QByteArray &model)
        : m_model(model)
    { }
    std::optional<QByteArray> next() override
    {
        const auto good = [this](const char *text) {
            return sseEvent("{\"object\":\"chat.completion.chunk\",\"model\":\"" + m_model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}");
        };
        switch (m_step++) {
        case 0:
            return good("Before ");
        case 1:
            return QByteArray(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bro\n\n"); // cut-off
                                                                                      // JSON
        case 2:
            return QByteArray("this line has no colon\nretry: soon\n: comment\n\n");
        case 3:
            return QByteArray("data: not json at all\n\n");
        case 4:
            return QByteArray(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"CR-only \"}}]}\r\r");
        case 5:
            return good("after.");
        case 6:
            return sseEvent("[DONE]");
        default:
            return std::nullopt;
        }
    }

private:
    QByteArray m_model;
    int m_step = 0;
};

} // namespace

std::shared_ptr<DemoEventSource> chatStream(StreamPlan plan)
{
    return std::make_shared<ChatStream>(std::move(plan));
}

std::shared_ptr<DemoEventSource> responsesStream(StreamPlan plan)
{
    return std::make_shared<ResponsesStream>(std::move(plan));
}

std::shared_ptr<DemoEventSource> malformedStream(QByteArray model)
{
    return std::make_shared<MalformedStream>(std::move(model));
}

} // namespace gs::demo
