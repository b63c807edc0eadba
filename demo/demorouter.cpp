#include "demo/demorouter.h"

#include "core/json/jsonutil.h"
#include "core/model/gatewayrequest.h"
#include "core/model/validation.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::demo {

namespace {

// ---------------------------------------------------------------------------
// The simulated providers and the routing configuration.

struct SimulatedModel
{
    QLatin1StringView id;
    int firstTokenMs; // time to the first token
    int tokensPerSecond;
    bool reasoning; // emits thinking tokens (Claude-style) when x-tfy-strict-openai is false
    int failStatus; // 0: healthy; otherwise every call fails with this status
    bool failsFirstAttemptOnly;
    bool embeddings;
};

constexpr std::array kModels {
    SimulatedModel { "openai-main/gpt-4o-mini"_L1, 40, 400, false, 0, false, false },
    SimulatedModel { "openai-main/gpt-4o"_L1, 80, 200, false, 0, false, false },
    SimulatedModel { "anthropic-main/claude-sonnet-4"_L1, 60, 150, true, 0, false, false },
    SimulatedModel { "tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0"_L1, 90, 120, true,
        0, false, false },
    SimulatedModel { "openai-flaky/gpt-4o-mini"_L1, 40, 400, false, 503, true, false },
    SimulatedModel { "openai-down/gpt-4o"_L1, 10, 200, false, 503, false, false },
    SimulatedModel { "openai-slow/gpt-4o"_L1, 1500, 200, false, 0, false, false },
    SimulatedModel { "openai-main/text-embedding-3-small"_L1, 15, 0, false, 0, false, true },
};

struct Target
{
    QLatin1StringView model;
    int weight;
};

// Virtual models: a load-balanced group plus fallback targets tried in order.
struct VirtualModel
{
    QLatin1StringView id;
    QLatin1StringView ruleId;
    std::array<Target, 2> targets; // weight 0: unused slot
    std::array<QLatin1StringView, 2> fallbacks;
};

constexpr std::array kVirtualModels {
    VirtualModel { "demo/chat"_L1, "demo-chat-weights"_L1,
        { Target { "openai-main/gpt-4o-mini"_L1, 70 },
            Target { "anthropic-main/claude-sonnet-4"_L1, 30 } },
        { "tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0"_L1, {} } },
    VirtualModel { "demo/fallback"_L1, "demo-fallback"_L1,
        { Target { "openai-down/gpt-4o"_L1, 100 }, Target {} },
        { "openai-main/gpt-4o-mini"_L1, {} } },
    VirtualModel { "demo/slow"_L1, "demo-slow-ttft"_L1,
        { Target { "openai-slow/gpt-4o"_L1, 100 }, Target {} },
        { "openai-main/gpt-4o-mini"_L1, {} } },
};

// The gateway's documented defaults (server-side YAML): 2 attempts, 100 ms apart, on
// these codes; fallback on these codes.
constexpr int kDefaultRetries = 2;
constexpr int kRetryDelayMs = 100;
const QList<qint64> kDefaultRetryCodes { 429, 500, 502, 503 };
const QList<qint64> kFallbackCodes { 401, 403, 404, 408, 429, 500, 502, 503 };
constexpr int kRateLimitPerMinute = 600;

const SimulatedModel *findModel(QStringView id)
{
    const auto it
        = std::ranges::find_if(kModels, [id](const SimulatedModel &m) { return id == m.id; });
    return it == kModels.end() ? nullptr : &*it;
}

const VirtualModel *findVirtual(QStringView id)
{
    const auto it
        = std::ranges::find_if(kVirtualModels, [id](const VirtualModel &m) { return id == m.id; });
    return it == kVirtualModels.end() ? nullptr : &*it;
}

// ---------------------------------------------------------------------------
// Text the simulated models "generate": words drawn from a fixed vocabulary.

constexpr std::array kWords { "gateway"_L1, "routes"_L1, "each"_L1, "request"_L1, "to"_L1, "a"_L1,
    "model"_L1, "provider"_L1, "and"_L1, "records"_L1, "what"_L1, "it"_L1, "did"_L1, "the"_L1,
    "latency"_L1, "budget"_L1, "fallback"_L1, "keeps"_L1, "answers"_L1, "flowing"_L1, "when"_L1,
    "one"_L1, "upstream"_L1, "fails"_L1, "tokens"_L1, "stream"_L1, "back"_L1, "as"_L1, "they"_L1,
    "arrive"_L1, "metadata"_L1, "drives"_L1 };

class Words
{
public:
    explicit Words(quint64 seed)
        : m_random(seed)
    { }
    QByteArray next()
    {
        QByteArray word;
        appendTo(word);
        return word;
    }
    // Appends the next word and what follows it (a space, sometimes a full stop).
    void appendTo(QByteArray &out)
    {
        const QLatin1StringView pick = kWords[m_random.bounded(quint32(kWords.size()))];
        const qsizetype start = out.size();
        out.append(pick.data(), pick.size());
        if (m_count++ == 0)
            out[start] = char(std::toupper(static_cast<unsigned char>(out[start])));
        out.append(m_random.bounded(9U) == 0 ? ". " : " ");
    }

private:
    QRandomGenerator64 m_random;
    qint64 m_count = 0;
};

QByteArray errorBody(const QString &message, const QString &type, int code)
{
    return QJsonDocument(QJsonObject { { u"error"_s,
                             QJsonObject { { u"message"_s, message }, { u"type"_s, type },
                                 { u"param"_s, QJsonValue::Null }, { u"code"_s, code } } } })
        .toJson(QJsonDocument::Compact);
}

DemoResponse errorResponse(int status, const QString &message, const QString &type)
{
    DemoResponse r;
    r.status = status;
    r.headers = { { "content-type", "application/json" } };
    r.body = errorBody(message, type, status);
    return r;
}

QByteArray sseEvent(const QByteArray &data)
{
    return "data: " + data + "\n\n";
}

QByteArray sseEvent(QByteArrayView type, const QByteArray &data)
{
    return "event: " + type.toByteArray() + "\ndata: " + data + "\n\n";
}

// ---------------------------------------------------------------------------
// Streamed bodies.

struct StreamPlan
{
    QByteArray id;
    QByteArray model; // as reported in chunks
    qint64 created = 0;
    qint64 tokens = 0; // content tokens to emit
    qint64 reasoningTokens = 0;
    QByteArray toolName; // a tool call when the request offered tools
    bool includeUsage = false;
    qint64 promptTokens = 0;
    int choices = 1;
    quint64 seed = 0;
    DemoFault fault = DemoFault::None;
};

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

// ---------------------------------------------------------------------------
// Attempts: what the routing configuration does with one request.

struct Attempt
{
    QString model;
    int status = 200; // 200: served
    int durationMs = 0; // time spent on this attempt
    int delayBeforeMs = 0; // retry delay before it
    QString reason;
};

struct RetryPolicy
{
    int retries = kDefaultRetries;
    QList<qint64> codes = kDefaultRetryCodes;
    bool useRetryAfter = false;
};

struct Routing
{
    QList<Attempt> attempts;
    QString resolvedModel; // empty: every attempt failed
    QJsonObject applied;
    int waitMs = 0; // total time before the first byte
    int modelCallMs = 0;
};

class Router
{
public:
    Router(const GatewayRequest &request, bool stream, qint64 tokens, quint64 seed)
        : m_request(request)
        , m_stream(stream)
        , m_tokens(tokens)
        , m_random(seed)
    {
        if (request.retryConfig) {
            if (request.retryConfig->attempts)
                m_retry.retries = int(std::min<qint64>(*request.retryConfig->attempts, 10));
            if (request.retryConfig->onStatusCodes)
                m_retry.codes = *request.retryConfig->onStatusCodes;
            m_retry.useRetryAfter = request.retryConfig->useRetryAfterHeader.value_or(false);
        }
    }

    // One call to one model, without retries.
    Attempt call(const SimulatedModel &m, int attemptNumber) const
    {
        Attempt a;
        a.model = QString(m.id);
        if (m.failStatus && (!m.failsFirstAttemptOnly || attemptNumber == 0)) {
            a.status = m.failStatus;
            a.durationMs = 5;
            a.reason = m.failStatus == 503 ? u"no healthy upstream"_s : u"provider error"_s;
            return a;
        }
        const int generationMs
            = m.tokensPerSecond > 0 ? int(m_tokens * 1000 / m.tokensPerSecond) : 0;
        const int untilAnswer = m_stream ? m.firstTokenMs : m.firstTokenMs + generationMs;
        if (m_stream && m_request.ttftTimeoutMs && m.firstTokenMs > *m_request.ttftTimeoutMs) {
            a.status = 408;
            a.durationMs = int(*m_request.ttftTimeoutMs);
            a.reason = u"no first token within x-tfy-ttft-timeout-ms (%1 ms)"_s.arg(
                *m_request.ttftTimeoutMs);
            return a;
        }
        if (m_request.requestTimeoutMs && untilAnswer > *m_request.requestTimeoutMs) {
            a.status = 408;
            a.durationMs = int(*m_request.requestTimeoutMs);
            a.reason = u"model call exceeded x-tfy-request-timeout (%1 ms)"_s.arg(
                *m_request.requestTimeoutMs);
            return a;
        }
        a.durationMs = untilAnswer;
        return a;
    }

    // Calls a model with the retry policy; returns the last attempt.
    Attempt callWithRetries(const SimulatedModel &m, Routing &routing) const
    {
        Attempt a;
        for (int n = 0; n <= m_retry.retries; ++n) {
            a = call(m, n);
            if (n > 0)
                a.delayBeforeMs = m_retry.useRetryAfter && a.status == 503 ? 1000 : kRetryDelayMs;
            routing.attempts.append(a);
            if (a.status == 200 || !m_retry.codes.contains(a.status))
                break;
        }
        return a;
    }

    Routing route(const QString &model)
    {
        Routing routing;
        QJsonObject applied;
        QStringList chain;
        if (const VirtualModel *v = findVirtual(model)) {
            // Weight-based load balancing, then the fallback chain.
            int total = 0;
            for (const Target &t : v->targets)
                total += t.weight;
            int pick = int(m_random.bounded(quint32(std::max(total, 1))));
            QJsonArray targets;
            QString selected;
            for (const Target &t : v->targets) {
                if (t.weight == 0)
                    continue;
                targets.append(
                    QJsonObject { { u"target"_s, QString(t.model) }, { u"weight"_s, t.weight } });
                if (selected.isEmpty() && pick < t.weight)
                    selected = QString(t.model);
                pick -= t.weight;
            }
            chain << selected;
            for (QLatin1StringView f : v->fallbacks) {
                if (!f.isEmpty())
                    chain << QString(f);
            }
            applied.insert(u"load_balancing"_s,
                QJsonObject { { u"rule_id"_s, QString(v->ruleId) },
                    { u"type"_s, u"weight-based-routing"_s }, { u"targets"_s, targets },
                    { u"selected"_s, selected } });
        } else {
            chain << model;
        }
        QJsonArray fallbackTried;
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const SimulatedModel *m = findModel(chain[i]);
            const Attempt last = callWithRetries(*m, routing);
            if (i > 0)
                fallbackTried.append(chain[i]);
            if (last.status == 200) {
                routing.resolvedModel = chain[i];
                routing.modelCallMs = last.durationMs;
                break;
            }
            if (!kFallbackCodes.contains(last.status))
                break;
        }
        if (!fallbackTried.isEmpty()) {
            applied.insert(u"fallback"_s,
                QJsonObject { { u"triggered"_s, true }, { u"from"_s, chain.first() },
                    { u"tried"_s, fallbackTried },
                    { u"status_codes"_s,
                        QJsonArray::fromVariantList(
                            { 401, 403, 404, 408, 429, 500, 502, 503 }) } });
        }
        if (routing.attempts.size() > 1) {
            QJsonArray attempts;
            for (const Attempt &a : routing.attempts) {
                attempts.append(QJsonObject { { u"model"_s, a.model }, { u"status"_s, a.status },
                    { u"duration_ms"_s, a.durationMs },
                    { u"delay_before_ms"_s, a.delayBeforeMs } });
            }
            applied.insert(u"retries"_s,
                QJsonObject { { u"max_retries"_s, m_retry.retries },
                    { u"on_status_codes"_s,
                        QJsonArray::fromVariantList(toVariants(m_retry.codes)) },
                    { u"attempts"_s, attempts } });
        }
        for (const Attempt &a : routing.attempts)
            routing.waitMs += a.delayBeforeMs + a.durationMs;
        routing.applied = applied;
        return routing;
    }

private:
    static QVariantList toVariants(const QList<qint64> &codes)
    {
        QVariantList out;
        for (qint64 c : codes)
            out << c;
        return out;
    }

    const GatewayRequest &m_request;
    bool m_stream;
    qint64 m_tokens;
    QRandomGenerator64 m_random;
    RetryPolicy m_retry;
};

QString lastUserMessage(const QJsonObject &body)
{
    const QJsonArray messages = body.value("messages"_L1).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages[i].toObject();
        if (m.value("role"_L1).toString() != "user"_L1)
            continue;
        const QJsonValue content = m.value("content"_L1);
        if (content.isString())
            return content.toString();
        return QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Compact));
    }
    const QJsonValue input = body.value("input"_L1);
    return input.isString() ? input.toString() : QString();
}

QByteArray feedbackTarget(QRandomGenerator64 &random)
{
    const auto hex = [&random](int bytes) {
        QByteArray raw(bytes, Qt::Uninitialized);
        for (char &c : raw)
            c = char(random.bounded(256U));
        return raw.toHex();
    };
    return QByteArray("{\"spanId\":\"" + hex(8) + "\",\"traceId\":\"" + hex(16) + "\"}").toBase64();
}

QByteArray serverTiming(const Routing &routing, const GatewayRequest &request)
{
    const double guardrails
        = request.guardrails && !request.guardrails->input.isEmpty() ? 4.2 : 0.0;
    const double outputGuardrails
        = request.guardrails && !request.guardrails->output.isEmpty() ? 3.1 : 0.0;
    const double total = 0.3 + 0.2 + 0.1 + guardrails + routing.waitMs + outputGuardrails + 0.4;
    QByteArray out = "authentication;dur=0.3, rate_limiting;dur=0.2, load_balancing;dur=0.1";
    if (guardrails > 0)
        out += ", input_guardrails;dur=" + QByteArray::number(guardrails);
    out += ", model_call;dur=" + QByteArray::number(routing.waitMs) + ";desc=\""
        + routing.resolvedModel.toUtf8() + '"';
    if (outputGuardrails > 0)
        out += ", output_guardrails;dur=" + QByteArray::number(outputGuardrails);
    out += ", logging;dur=0.4, total;dur=" + QByteArray::number(total, 'f', 1);
    return out;
}

} // namespace

std::optional<DemoFault> demoFaultFromName(QByteArrayView name)
{
    static const std::array<std::pair<QByteArrayView, DemoFault>, 10> kNames { {
        { "reset", DemoFault::ResetMidStream },
        { "truncated-chunked", DemoFault::TruncatedChunked },
        { "stall", DemoFault::Stall },
        { "malformed-sse", DemoFault::MalformedSse },
        { "split-utf8", DemoFault::SplitUtf8 },
        { "rate-limit", DemoFault::RateLimit },
        { "unavailable", DemoFault::Unavailable },
        { "oversized-header", DemoFault::OversizedHeader },
        { "gzip", DemoFault::Gzip },
        { "drip", DemoFault::Drip },
    } };
    for (const auto &[n, f] : kNames) {
        if (n == name)
            return f;
    }
    return std::nullopt;
}

QByteArray demoFaultName(DemoFault fault)
{
    for (const char *name : { "reset", "truncated-chunked", "stall", "malformed-sse", "split-utf8",
             "rate-limit", "unavailable", "oversized-header", "gzip", "drip" }) {
        if (demoFaultFromName(name) == fault)
            return name;
    }
    return "none";
}

DemoRouter::DemoRouter(quint64 seed)
    : m_seed(seed)
{ }

QStringList DemoRouter::modelIds()
{
    QStringList ids;
    for (const SimulatedModel &m : kModels)
        ids << QString(m.id);
    for (const VirtualModel &v : kVirtualModels)
        ids << QString(v.id);
    return ids;
}

DemoResponse DemoRouter::handle(const DemoRequest &request)
{
    ++m_requestCount;
    QByteArray path = request.target;
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path.truncate(q);

    // Faults: a header or a "/fault/NAME/" path prefix.
    DemoFault fault = DemoFault::None;
    if (const QByteArray name = headerValue(request.headers, "x-gatescope-fault");
        !name.isEmpty()) {
        const auto f = demoFaultFromName(name.trimmed());
        if (!f)
            return errorResponse(400,
                u"Unknown x-gatescope-fault \"%1\"."_s.arg(QString::fromUtf8(name)),
                u"invalid_request_error"_s);
        fault = *f;
    }
    if (const qsizetype at = path.indexOf("/fault/"); at >= 0) {
        // ".../fault/NAME/chat/completions": the segment goes, the rest is the request.
        const qsizetype nameStart = at + 7;
        const qsizetype end = path.indexOf('/', nameStart);
        const auto f = demoFaultFromName(
            QByteArrayView(path).sliced(nameStart, (end < 0 ? path.size() : end) - nameStart));
        if (!f)
            return errorResponse(404, u"Unknown fault in path %1."_s.arg(QString::fromUtf8(path)),
                u"not_found_error"_s);
        fault = *f;
        path = path.left(at) + (end < 0 ? QByteArray("/") : path.mid(end));
    }

    // Decoding with the client's own model gives the gateway the same reading of the
    // headers that Gatescope's validator has.
    GatewayRequest gw = decode(WireRequest { request.method,
        u"http://demo"_s + QString::fromUtf8(path), request.headers, request.body });

    const QByteArray authorization = headerValue(request.headers, "authorization");
    if (authorization.isEmpty())
        return errorResponse(401,
            u"Missing Authorization header: send \"Authorization: Bearer <token>\"."_s,
            u"authentication_error"_s);
    if (gw.bearerToken.toUtf8() != kDemoToken && gw.bearerToken.toUtf8() != kDemoLimitedToken)
        return errorResponse(401, u"Invalid token."_s, u"authentication_error"_s);

    // Gateway headers are checked as the real gateway documents them.
    for (const Issue &issue : validate(gw)) {
        if (issue.severity != Issue::Severity::Error)
            continue;
        const bool gatewayField = issue.field.startsWith("metadata"_L1)
            || issue.field.startsWith("retryConfig"_L1) || issue.field == "strictOpenAi"_L1
            || issue.field.endsWith("TimeoutMs"_L1) || issue.field == "loggingEnabled"_L1
            || issue.field == "guardrails"_L1 || issue.field == "mcpHeaders"_L1;
        if (gatewayField)
            return errorResponse(400, issue.message, u"invalid_request_error"_s);
    }

    if (fault == DemoFault::RateLimit) {
        DemoResponse r = errorResponse(429,
            u"Rate limit exceeded for rule demo-rpm: 600 requests_per_minute."_s,
            u"rate_limit_error"_s);
        r.headers.append(HttpHeader { "retry-after", "1" });
        return r;
    }
    if (fault == DemoFault::Unavailable) {
        DemoResponse r = errorResponse(503, u"no healthy upstream"_s, u"service_unavailable"_s);
        r.headers.append(HttpHeader { "retry-after", "1" });
        return r;
    }

    if (gw.endpoint == Endpoint::Models && request.method == "GET") {
        QJsonArray data;
        for (const QString &id : modelIds())
            data.append(QJsonObject { { u"id"_s, id }, { u"object"_s, u"model"_s },
                { u"owned_by"_s, id.section(u'/', 0, 0) } });
        DemoResponse r;
        r.headers = { { "content-type", "application/json" } };
        r.body = QJsonDocument(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data } })
                     .toJson(QJsonDocument::Compact);
        return r;
    }
    const bool chat = gw.endpoint == Endpoint::ChatCompletions;
    const bool responses = gw.endpoint == Endpoint::Responses;
    const bool embeddings = gw.endpoint == Endpoint::Embeddings;
    if (!chat && !responses && !embeddings)
        return errorResponse(404,
            u"The demo gateway does not serve %1 %2."_s.arg(
                QString::fromUtf8(request.method), QString::fromUtf8(path)),
            u"not_found_error"_s);
    if (request.method != "POST")
        return errorResponse(
            405, u"Use POST for %1."_s.arg(QString::fromUtf8(path)), u"invalid_request_error"_s);
    if (responses && gw.providerName.value_or(QString()).isEmpty())
        return errorResponse(400, u"x-tfy-provider-name is required for the responses API."_s,
            u"invalid_request_error"_s);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject())
        return errorResponse(400,
            u"The body is not a JSON object: %1."_s.arg(parseError.errorString()),
            u"invalid_request_error"_s);
    const QJsonObject body = doc.object();
    const QString model = body.value("model"_L1).toString();
    if (model.isEmpty())
        return errorResponse(400, u"\"model\" is required."_s, u"invalid_request_error"_s);
    if (!findModel(model) && !findVirtual(model))
        return errorResponse(404,
            u"Model %1 not found. GET /models lists what this gateway serves."_s.arg(model),
            u"not_found_error"_s);
    if (gw.bearerToken.toUtf8() == kDemoLimitedToken && !model.startsWith("openai-main/"_L1))
        return errorResponse(
            403, u"Model %1 is not allowed for this token."_s.arg(model), u"permission_error"_s);
    const SimulatedModel *direct = findModel(model);
    if (embeddings != (direct && direct->embeddings))
        return errorResponse(400,
            u"Model %1 does not serve %2."_s.arg(model, QString::fromUtf8(path)),
            u"invalid_request_error"_s);

    const quint64 seed = m_seed ^ qHash(request.body) ^ qHash(path);
    QRandomGenerator64 random(seed);
    const bool stream = body.value("stream"_L1).toBool() && !embeddings;
    qint64 tokens
        = body.value("max_tokens"_L1).toInteger(body.value("max_output_tokens"_L1).toInteger(40));
    tokens = std::clamp<qint64>(tokens, 1, 10'000'000);
    if (fault == DemoFault::Drip)
        tokens = std::min<qint64>(tokens, 6);

    Router router(gw, stream, tokens, seed);
    const Routing routing = router.route(model);

    DemoResponse r;
    r.fault = fault;
    QJsonObject applied = routing.applied;
    applied.insert(u"rate_limiting"_s,
        QJsonObject { { u"rule_id"_s, u"demo-rpm"_s }, { u"limit"_s, kRateLimitPerMinute },
            { u"unit"_s, u"requests_per_minute"_s },
            { u"remaining"_s,
                qint64(kRateLimitPerMinute) - (m_requestCount % kRateLimitPerMinute) } });
    if (gw.metadata && !gw.metadata->isEmpty()) {
        QJsonObject metadata;
        for (const auto &[k, v] : *gw.metadata)
            metadata.insert(k, v);
        applied.insert(u"metadata"_s, metadata);
    }
    if (gw.guardrails) {
        applied.insert(u"guardrails"_s,
            QJsonObject {
                { u"llm_input_guardrails"_s, QJsonArray::fromStringList(gw.guardrails->input) },
                { u"llm_output_guardrails"_s,
                    QJsonArray::fromStringList(gw.guardrails->output) } });
    }
    r.headers.append(
        { "x-tfy-applied-configurations", QJsonDocument(applied).toJson(QJsonDocument::Compact) });
    r.headers.append({ "x-tfy-feedback-target-id", feedbackTarget(random) });
    if (fault == DemoFault::OversizedHeader)
        r.headers.append({ "x-tfy-debug-trace", QByteArray(128 * 1024, 'x') });

    if (routing.resolvedModel.isEmpty()) {
        const Attempt &last = routing.attempts.last();
        DemoResponse failed = errorResponse(last.status,
            u"All targets failed; the last (%1) answered %2: %3."_s.arg(last.model)
                .arg(last.status)
                .arg(last.reason),
            last.status == 408 ? u"timeout_error"_s : u"upstream_error"_s);
        failed.headers += r.headers;
        failed.headerDelayMs = routing.waitMs;
        return failed;
    }
    r.headers.append({ "x-tfy-resolved-model", routing.resolvedModel.toUtf8() });
    r.headerDelayMs = routing.waitMs;

    const SimulatedModel *served = findModel(routing.resolvedModel);
    const bool thinking = served->reasoning && gw.strictOpenAi == false;
    const QString prompt = lastUserMessage(body);
    const qint64 promptTokens
        = std::max<qint64>(1, prompt.split(u' ', Qt::SkipEmptyParts).size() + 8);
    const QByteArray id = (responses ? "resp_" : "chatcmpl-")
        + QByteArray::number(random.generate() % 1000000000, 36);
    const QByteArray servedName = routing.resolvedModel.section(u'/', 1).toUtf8();

    if (embeddings) {
        QJsonArray data;
        const QJsonValue input = body.value("input"_L1);
        const QJsonArray inputs = input.isArray() ? input.toArray() : QJsonArray { input };
        for (qsizetype i = 0; i < inputs.size(); ++i) {
            QJsonArray vector;
            QRandomGenerator64 v(seed + quint64(i));
            for (int d = 0; d < 8; ++d)
                vector.append(std::round((v.generateDouble() * 2 - 1) * 1e6) / 1e6);
            data.append(QJsonObject {
                { u"object"_s, u"embedding"_s }, { u"index"_s, i }, { u"embedding"_s, vector } });
        }
        r.headers.prepend({ "content-type", "application/json" });
        r.headers.append({ "server-timing", serverTiming(routing, gw) });
        r.body = QJsonDocument(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data },
                                   { u"model"_s, QString::fromUtf8(servedName) },
                                   { u"usage"_s,
                                       QJsonObject { { u"prompt_tokens"_s, promptTokens },
                                           { u"total_tokens"_s, promptTokens } } } })
                     .toJson(QJsonDocument::Compact);
        return r;
    }

    StreamPlan plan;
    plan.id = id;
    plan.model = servedName;
    plan.created = 1'764'000'000 + m_requestCount;
    plan.tokens = tokens;
    plan.reasoningTokens = thinking ? std::max<qint64>(3, tokens / 4) : 0;
    plan.includeUsage
        = body.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool();
    plan.promptTokens = promptTokens;
    plan.choices = int(std::clamp<qint64>(body.value("n"_L1).toInteger(1), 1, 8));
    plan.seed = seed;
    plan.fault = fault;
    const QJsonArray tools = body.value("tools"_L1).toArray();
    if (!tools.isEmpty())
        plan.toolName = tools.first()
                            .toObject()
                            .value("function"_L1)
                            .toObject()
                            .value("name"_L1)
                            .toString(u"tool"_s)
                            .toUtf8();

    if (stream) {
        r.headers.prepend({ "cache-control", "no-cache" });
        r.headers.prepend({ "content-type", "text/event-stream; charset=utf-8" });
        if (fault == DemoFault::MalformedSse)
            r.stream = std::make_shared<MalformedStream>(servedName);
        else if (responses)
            r.stream = std::make_shared<ResponsesStream>(plan);
        else
            r.stream = std::make_shared<ChatStream>(plan);
        // Pacing: the provider's token rate, unless the request asks for another
        // ("x-gatescope-token-interval-ms: 0" streams as fast as the socket takes it).
        r.eventIntervalMs = served->tokensPerSecond > 0 ? 1000 / served->tokensPerSecond : 0;
        if (const QByteArray pace = headerValue(request.headers, "x-gatescope-token-interval-ms");
            !pace.isNull())
            r.eventIntervalMs = std::clamp(pace.toInt(), 0, 10'000);
        return r;
    }

    // Non-streaming: the whole answer, with server-timing (which the gateway only
    // sends on non-streaming responses).
    r.headers.prepend({ "content-type", "application/json" });
    r.headers.append({ "server-timing", serverTiming(routing, gw) });
    Words words(seed);
    QString text;
    for (qint64 i = 0; i < std::min<qint64>(tokens, 100'000); ++i)
        text += QString::fromUtf8(words.next());
    text = text.trimmed();
    const QJsonObject usage { { u"prompt_tokens"_s, promptTokens },
        { u"completion_tokens"_s, tokens }, { u"total_tokens"_s, promptTokens + tokens } };
    if (responses) {
        r.body = QJsonDocument(
            QJsonObject {
                { u"id"_s, QString::fromUtf8(id) },
                { u"object"_s, u"response"_s },
                { u"model"_s, QString::fromUtf8(servedName) },
                { u"status"_s, u"completed"_s },
                { u"output"_s,
                    QJsonArray {
                        QJsonObject { { u"type"_s, u"message"_s }, { u"role"_s, u"assistant"_s },
                            { u"content"_s,
                                QJsonArray { QJsonObject { { u"type"_s, u"output_text"_s },
                                    { u"text"_s, text } } } } } } },
                { u"usage"_s,
                    QJsonObject { { u"input_tokens"_s, promptTokens },
                        { u"output_tokens"_s, tokens },
                        { u"total_tokens"_s, promptTokens + tokens } } },
            })
                     .toJson(QJsonDocument::Compact);
        return r;
    }
    QJsonObject message { { u"role"_s, u"assistant"_s }, { u"content"_s, text } };
    if (thinking)
        message.insert(
            u"reasoning_content"_s, u"The user asked: %1. Answer briefly."_s.arg(prompt.left(200)));
    if (!plan.toolName.isEmpty()) {
        message.insert(u"tool_calls"_s,
            QJsonArray { QJsonObject { { u"id"_s, u"call_demo_1"_s }, { u"type"_s, u"function"_s },
                { u"function"_s,
                    QJsonObject { { u"name"_s, QString::fromUtf8(plan.toolName) },
                        { u"arguments"_s, uR"({"query":"gateway"})"_s } } } } });
    }
    QJsonArray choices;
    for (int i = 0; i < plan.choices; ++i) {
        choices.append(QJsonObject { { u"index"_s, i }, { u"message"_s, message },
            { u"finish_reason"_s, plan.toolName.isEmpty() ? u"stop"_s : u"tool_calls"_s } });
    }
    r.body = QJsonDocument(
        QJsonObject { { u"id"_s, QString::fromUtf8(id) }, { u"object"_s, u"chat.completion"_s },
            { u"created"_s, plan.created }, { u"model"_s, QString::fromUtf8(servedName) },
            { u"choices"_s, choices }, { u"usage"_s, usage } })
                 .toJson(QJsonDocument::Compact);
    return r;
}

} // namespace gs::demo
