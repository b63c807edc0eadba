#include "core/stream/openaiassembler.h"

#include "core/json/jsonutil.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstring>
#include <simdjson.h>
#include <string>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QString scalarText(const QJsonValue &v)
{
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    return v.toString();
}

// Message content is a string, or (newer APIs) a list of parts with "text".
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue part : content.toArray()) {
        const QJsonObject p = part.toObject();
        const QString type = p.value("type"_L1).toString();
        if (type.isEmpty() || type == "text"_L1 || type == "output_text"_L1)
            text += p.value("text"_L1).toString();
    }
    return text;
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString thinkingText(const QJsonValue &blocks)
{
    QString text;
    for (const QJsonValue block : blocks.toArray())
        text += block.toObject().value("thinking"_L1).toString();
    return text;
}

} // namespace

QString AssembledResponse::text() const
{
    return choices.isEmpty() ? QString() : choices.first().text;
}
QString AssembledResponse::reasoning() const
{
    return choices.isEmpty() ? QString() : choices.first().reasoning;
}
QString AssembledResponse::refusal() const
{
    return choices.isEmpty() ? QString() : choices.first().refusal;
}
QString AssembledResponse::finishReason() const
{
    return choices.isEmpty() ? QString() : choices.first().finishReason;
}
QList<ToolCall> AssembledResponse::toolCalls() const
{
    return choices.isEmpty() ? QList<ToolCall>() : choices.first().toolCalls;
}

namespace fastpath {

// What one chat chunk says, read without committing anything, so that a chunk the
// fast path cannot read whole goes to the general path untouched.
struct FastToolDelta
{
    int64_t index = -1;
    std::string_view id, type, name, arguments;
};
struct FastChoice
{
    int64_t index = 0;
    std::string_view role, content, reasoning, refusal, finish;
    std::vector<FastToolDelta> tools;
};

} // namespace fastpath

// One simdjson parser for the assembler's life (it keeps its buffers), plus a padded
// copy of the event: simdjson reads a little past the end of its input.
struct OpenAiAssembler::FastParser
{
    simdjson::ondemand::parser parser;
    std::string buffer;
    std::string lastId; // every chunk repeats these: convert only when they change
    std::string lastModel;
    std::vector<fastpath::FastChoice> choices; // kept between chunks: no allocation per chunk
};

OpenAiAssembler::OpenAiAssembler() = default;
OpenAiAssembler::~OpenAiAssembler() = default;
OpenAiAssembler::OpenAiAssembler(OpenAiAssembler &&) noexcept = default;
OpenAiAssembler &OpenAiAssembler::operator=(OpenAiAssembler &&) noexcept = default;

namespace {

using fastpath::FastChoice;
using fastpath::FastToolDelta;
using simdjson::ondemand::json_type;

// Equality with a literal whose length the compiler knows, so no memcmp call.
template <std::size_t N> bool is(std::string_view s, const char (&literal)[N])
{
    return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

bool readString(simdjson::ondemand::value v, std::string_view &out)
{
    json_type t;
    if (v.type().get(t))
        return false;
    if (t == json_type::null)
        return true;
    return t == json_type::string && !v.get_string().get(out);
}

bool readToolCalls(simdjson::ondemand::value v, std::vector<FastToolDelta> &out)
{
    simdjson::ondemand::array calls;
    if (v.get_array().get(calls))
        return false;
    for (auto item : calls) {
        simdjson::ondemand::object call;
        if (item.get_object().get(call))
            return false;
        FastToolDelta t;
        for (auto field : call) {
            std::string_view key;
            simdjson::ondemand::value value;
            if (field.unescaped_key().get(key) || field.value().get(value))
                return false;
            if (is(key, "index")) {
                if (value.get_int64().get(t.index))
                    return false;
            } else if (is(key, "id")) {
                if (!readString(value, t.id))
                    return false;
            } else if (is(key, "type")) {
                if (!readString(value, t.type))
                    return false;
            } else if (is(key, "function")) {
                simdjson::ondemand::object function;
                if (value.get_object().get(function))
                    return false;
                for (auto f : function) {
                    std::string_view fkey;
                    simdjson::ondemand::value fvalue;
                    if (f.unescaped_key().get(fkey) || f.value().get(fvalue))
                        return false;
                    if (is(fkey, "name") && !readString(fvalue, t.name))
                        return false;
                    if (is(fkey, "arguments") && !readString(fvalue, t.arguments))
                        return false;
                }
            }
        }
        out.push_back(t);
    }
    return true;
}

bool readChoice(simdjson::ondemand::object object, FastChoice &c)
{
    for (auto field : object) {
        std::string_view key;
        simdjson::ondemand::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return false;
        if (is(key, "index")) {
            if (value.get_int64().get(c.index))
                return false;
        } else if (is(key, "finish_reason")) {
            if (!readString(value, c.finish))
                return false;
        } else if (is(key, "delta")) {
            simdjson::ondemand::object delta;
            if (value.get_object().get(delta))
                return false;
            for (auto d : delta) {
                std::string_view dkey;
                simdjson::ondemand::value dvalue;
                if (d.unescaped_key().get(dkey) || d.value().get(dvalue))
                    return false;
                bool ok = true;
                if (is(dkey, "content")) {
                    json_type t;
                    if (dvalue.type().get(t) || t == json_type::array)
                        return false; // content parts: the general path
                    ok = readString(dvalue, c.content);
                } else if (is(dkey, "role")) {
                    ok = readString(dvalue, c.role);
                } else if (is(dkey, "reasoning_content")
                    || (is(dkey, "reasoning") && c.reasoning.empty())) {
                    ok = readString(dvalue, c.reasoning);
                } else if (is(dkey, "refusal")) {
                    ok = readString(dvalue, c.refusal);
                } else if (is(dkey, "tool_calls")) {
                    ok = readToolCalls(dvalue, c.tools);
                } else if (is(dkey, "thinking_blocks")) {
                    return false; // rare, and its precedence rules live in the general path
                }
                if (!ok)
                    return false;
            }
        }
    }
    return true;
}

QString toQString(std::string_view s)
{
    return fromUtf8Exact(QByteArrayView(s.data(), qsizetype(s.size())));
}

} // namespace

std::optional<OpenAiAssembler::Deltas> OpenAiAssembler::addChatChunkFast(QByteArrayView data)
{
    if (!m_fast)
        m_fast = std::make_unique<FastParser>();
    std::string &buffer = m_fast->buffer;
    const std::size_t needed = std::size_t(data.size()) + simdjson::SIMDJSON_PADDING;
    if (buffer.capacity() < needed)
        buffer.reserve(needed * 2);
    buffer.assign(data.data(), std::size_t(data.size()));
    simdjson::ondemand::document doc;
    if (m_fast->parser
            .iterate(simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity()))
            .get(doc))
        return std::nullopt;
    simdjson::ondemand::object object;
    if (doc.get_object().get(object))
        return std::nullopt;
    std::string_view id, model;
    std::string_view usageJson;
    std::vector<FastChoice> &choices = m_fast->choices;
    choices.clear();
    for (auto field : object) {
        std::string_view key;
        simdjson::ondemand::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return std::nullopt;
        if (is(key, "type") || is(key, "error"))
            return std::nullopt; // Responses, Anthropic or an error: the general path
        if (is(key, "id")) {
            if (!readString(value, id))
                return std::nullopt;
        } else if (is(key, "model")) {
            if (!readString(value, model))
                return std::nullopt;
        } else if (is(key, "usage")) {
            json_type t;
            if (value.type().get(t))
                return std::nullopt;
            if (t == json_type::object && value.raw_json().get(usageJson))
                return std::nullopt;
        } else if (is(key, "choices")) {
            simdjson::ondemand::array array;
            if (value.get_array().get(array))
                return std::nullopt;
            for (auto item : array) {
                simdjson::ondemand::object c;
                if (item.get_object().get(c))
                    return std::nullopt;
                FastChoice fc;
                if (!readChoice(c, fc))
                    return std::nullopt;
                choices.push_back(std::move(fc));
            }
        }
    }
    if (!doc.at_end())
        return std::nullopt;

    // Read whole: commit.
    m_result.api = AssembledResponse::Api::ChatCompletions;
    if (!id.empty() && id != m_fast->lastId) {
        m_fast->lastId = id;
        m_result.id = toQString(id);
    }
    if (!model.empty() && model != m_fast->lastModel) {
        m_fast->lastModel = model;
        m_result.model = toQString(model);
    }
    if (!usageJson.empty())
        m_result.usage
            = QJsonDocument::fromJson(QByteArray(usageJson.data(), qsizetype(usageJson.size())))
                  .object();
    Deltas added;
    for (const FastChoice &fc : choices) {
        AssembledChoice &target = choice(qint64(fc.index));
        if (!fc.role.empty())
            target.role = toQString(fc.role);
        if (!fc.content.empty()) {
            appendUtf8Exact(
                target.text, QByteArrayView(fc.content.data(), qsizetype(fc.content.size())));
            added |= Delta::Content;
        }
        if (!fc.reasoning.empty()) {
            appendUtf8Exact(target.reasoning,
                QByteArrayView(fc.reasoning.data(), qsizetype(fc.reasoning.size())));
            added |= Delta::Reasoning;
        }
        if (!fc.refusal.empty()) {
            target.refusal += toQString(fc.refusal);
            added |= Delta::Refusal;
        }
        for (const FastToolDelta &t : fc.tools) {
            ToolCall &call
                = toolCall(target, t.index >= 0 ? qint64(t.index) : target.toolCalls.size());
            if (!t.id.empty())
                call.id = toQString(t.id);
            if (!t.type.empty())
                call.type = toQString(t.type);
            if (!t.name.empty())
                call.name = toQString(t.name);
            call.arguments += toQString(t.arguments);
            added |= Delta::ToolCall;
        }
        if (!fc.finish.empty())
            target.finishReason = toQString(fc.finish);
    }
    return added;
}

AssembledChoice &OpenAiAssembler::choice(qint64 index)
{
    auto it = std::ranges::lower_bound(m_result.choices, index, {}, &AssembledChoice::index);
    if (it == m_result.choices.end() || it->index != index) {
        AssembledChoice c;
        c.index = index;
        it = m_result.choices.insert(it, std::move(c));
    }
    return *it;
}

ToolCall &OpenAiAssembler::toolCall(AssembledChoice &c, qint64 index)
{
    auto it = std::ranges::find(c.toolCalls, index, &ToolCall::index);
    if (it != c.toolCalls.end())
        return *it;
    ToolCall call;
    call.index = index;
    c.toolCalls.append(call);
    return c.toolCalls.last();
}

void OpenAiAssembler::addError(const QJsonValue &error, qsizetype eventIndex)
{
    StreamError e;
    e.raw = error;
    e.eventIndex = eventIndex;
    if (error.isObject()) {
        const QJsonObject o = error.toObject();
        e.message = o.value("message"_L1).toString();
        e.type = o.value("type"_L1).toString();
        e.code = scalarText(o.value("code"_L1));
    } else {
        e.message = scalarText(error);
    }
    m_result.errors.append(std::move(e));
}

OpenAiAssembler::Deltas OpenAiAssembler::addEvent(QByteArrayView type, QByteArrayView data)
{
    const qsizetype eventIndex = m_result.events++;
    const QByteArrayView trimmed = data.trimmed();
    if (trimmed == "[DONE]") {
        m_result.done = true;
        return Delta::None;
    }
    // Most events are chat chunks: read those with simdjson, the rest (and anything
    // the fast reader does not take whole) with QJsonDocument.
    if (trimmed.startsWith('{') && (type == "message" || type == "ndjson")) {
        if (const auto added = addChatChunkFast(trimmed))
            return *added;
    }
    if (m_fast) {
        // The general path may change id and model: the fast path's cache must not
        // keep them from being set again.
        m_fast->lastId.clear();
        m_fast->lastModel.clear();
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        ++m_result.unreadableEvents;
        return Delta::None;
    }
    const QJsonObject object = doc.object();
    QString eventType = object.value("type"_L1).toString();
    if (eventType.isEmpty() && type != "message" && type != "ndjson")
        eventType = QString::fromUtf8(type);

    if (eventType == "error"_L1 || object.contains("error"_L1)) {
        addError(object.contains("error"_L1) ? object.value("error"_L1) : QJsonValue(object),
            eventIndex);
        return Delta::None;
    }
    if (eventType.startsWith("response."_L1))
        return addResponsesEvent(eventType, object);
    if (eventType.startsWith("message_"_L1) || eventType.startsWith("content_block_"_L1)
        || eventType == "ping"_L1)
        return addAnthropicEvent(eventType, object);
    return addChatChunk(object);
}

OpenAiAssembler::Deltas OpenAiAssembler::addChatChunk(const QJsonObject &chunk)
{
    m_result.api = AssembledResponse::Api::ChatCompletions;
    if (const QString id = chunk.value("id"_L1).toString(); !id.isEmpty())
        m_result.id = id;
    if (const QString model = chunk.value("model"_L1).toString(); !model.isEmpty())
        m_result.model = model;
    if (const QJsonValue usage = chunk.value("usage"_L1); usage.isObject())
        m_result.usage = usage;
    Deltas added;
    for (const QJsonValue item : chunk.value("choices"_L1).toArray()) {
        const QJsonObject c = item.toObject();
        AssembledChoice &target = choice(c.value("index"_L1).toInteger());
        const QJsonObject delta = c.value("delta"_L1).toObject();
        if (const QString role = delta.value("role"_L1).toString(); !role.isEmpty())
            target.role = role;
        if (const QString content = contentText(delta.value("content"_L1)); !content.isEmpty()) {
            target.text += content;
            added |= Delta::Content;
        }
        // reasoning_content (Claude through the gateway, DeepSeek), "reasoning" (some
        // other providers), thinking blocks only when neither came with them.
        QString reasoning = delta.value("reasoning_content"_L1).toString();
        if (reasoning.isEmpty())
            reasoning = delta.value("reasoning"_L1).toString();
        if (reasoning.isEmpty())
            reasoning = thinkingText(delta.value("thinking_blocks"_L1));
        if (!reasoning.isEmpty()) {
            target.reasoning += reasoning;
            added |= Delta::Reasoning;
        }
        if (const QString refusal = delta.value("refusal"_L1).toString(); !refusal.isEmpty()) {
            target.refusal += refusal;
            added |= Delta::Refusal;
        }
        for (const QJsonValue callValue : delta.value("tool_calls"_L1).toArray()) {
            const QJsonObject call = callValue.toObject();
            ToolCall &t
                = toolCall(target, call.value("index"_L1).toInteger(target.toolCalls.size()));
            if (const QString id = call.value("id"_L1).toString(); !id.isEmpty())
                t.id = id;
            if (const QString type = call.value("type"_L1).toString(); !type.isEmpty())
                t.type = type;
            const QJsonObject function = call.value("function"_L1).toObject();
            if (const QString name = function.value("name"_L1).toString(); !name.isEmpty())
                t.name = name;
            t.arguments += function.value("arguments"_L1).toString();
            added |= Delta::ToolCall;
        }
        if (const QString finish = c.value("finish_reason"_L1).toString(); !finish.isEmpty())
            target.finishReason = finish;
    }
    return added;
}

void OpenAiAssembler::takeResponseObject(const QJsonObject &response)
{
    if (const QString id = response.value("id"_L1).toString(); !id.isEmpty())
        m_result.id = id;
    if (const QString model = response.value("model"_L1).toString(); !model.isEmpty())
        m_result.model = model;
    if (const QString status = response.value("status"_L1).toString(); !status.isEmpty())
        m_result.status = status;
    if (const QJsonValue usage = response.value("usage"_L1); usage.isObject())
        m_result.usage = usage;
    if (const QJsonValue error = response.value("error"_L1); error.isObject())
        addError(error, m_result.events - 1);
    const QString incomplete
        = response.value("incomplete_details"_L1).toObject().value("reason"_L1).toString();
    if (!incomplete.isEmpty())
        choice(0).finishReason = incomplete;
    else if (m_result.status == "completed"_L1 && choice(0).finishReason.isEmpty())
        choice(0).finishReason = m_result.toolCalls().isEmpty() ? u"stop"_s : u"tool_calls"_s;
}

OpenAiAssembler::Deltas OpenAiAssembler::addResponsesEvent(
    const QString &type, const QJsonObject &event)
{
    m_result.api = AssembledResponse::Api::Responses;
    AssembledChoice &answer = choice(0);
    const QString delta = event.value("delta"_L1).toString();
    if (type == "response.created"_L1 || type == "response.in_progress"_L1) {
        takeResponseObject(event.value("response"_L1).toObject());
    } else if (type == "response.output_item.added"_L1) {
        const QJsonObject item = event.value("item"_L1).toObject();
        if (item.value("type"_L1).toString() == "function_call"_L1) {
            ToolCall &t = toolCall(answer, event.value("output_index"_L1).toInteger());
            t.id = item.value("call_id"_L1).toString();
            t.type = u"function"_s;
            t.name = item.value("name"_L1).toString();
            t.arguments += item.value("arguments"_L1).toString();
            return Delta::ToolCall;
        }
        if (item.value("type"_L1).toString() == "message"_L1)
            answer.role = item.value("role"_L1).toString(u"assistant"_s);
    } else if (type == "response.output_text.delta"_L1) {
        answer.text += delta;
        return delta.isEmpty() ? Deltas(Delta::None) : Deltas(Delta::Content);
    } else if (type == "response.reasoning_text.delta"_L1
        || type == "response.reasoning_summary_text.delta"_L1) {
        answer.reasoning += delta;
        return delta.isEmpty() ? Deltas(Delta::None) : Deltas(Delta::Reasoning);
    } else if (type == "response.refusal.delta"_L1) {
        answer.refusal += delta;
        return delta.isEmpty() ? Deltas(Delta::None) : Deltas(Delta::Refusal);
    } else if (type == "response.function_call_arguments.delta"_L1) {
        toolCall(answer, event.value("output_index"_L1).toInteger()).arguments += delta;
        return Delta::ToolCall;
    } else if (type == "response.function_call_arguments.done"_L1) {
        ToolCall &t = toolCall(answer, event.value("output_index"_L1).toInteger());
        if (t.arguments.isEmpty())
            t.arguments = event.value("arguments"_L1).toString();
    } else if (type == "response.completed"_L1 || type == "response.incomplete"_L1
        || type == "response.failed"_L1) {
        takeResponseObject(event.value("response"_L1).toObject());
        if (m_result.status.isEmpty())
            m_result.status = type.mid(9);
        m_result.done = true;
    }
    return Delta::None;
}

OpenAiAssembler::Deltas OpenAiAssembler::addAnthropicEvent(
    const QString &type, const QJsonObject &event)
{
    m_result.api = AssembledResponse::Api::AnthropicMessages;
    AssembledChoice &answer = choice(0);
    if (type == "message_start"_L1) {
        const QJsonObject message = event.value("message"_L1).toObject();
        m_result.id = message.value("id"_L1).toString();
        m_result.model = message.value("model"_L1).toString();
        answer.role = message.value("role"_L1).toString(u"assistant"_s);
        if (message.value("usage"_L1).isObject())
            m_result.usage = message.value("usage"_L1);
    } else if (type == "content_block_start"_L1) {
        const QJsonObject block = event.value("content_block"_L1).toObject();
        if (block.value("type"_L1).toString() == "tool_use"_L1) {
            ToolCall &t = toolCall(answer, event.value("index"_L1).toInteger());
            t.id = block.value("id"_L1).toString();
            t.type = u"tool_use"_s;
            t.name = block.value("name"_L1).toString();
            return Delta::ToolCall;
        }
    } else if (type == "content_block_delta"_L1) {
        const QJsonObject delta = event.value("delta"_L1).toObject();
        const QString kind = delta.value("type"_L1).toString();
        if (kind == "text_delta"_L1) {
            answer.text += delta.value("text"_L1).toString();
            return Delta::Content;
        }
        if (kind == "thinking_delta"_L1) {
            answer.reasoning += delta.value("thinking"_L1).toString();
            return Delta::Reasoning;
        }
        if (kind == "input_json_delta"_L1) {
            toolCall(answer, event.value("index"_L1).toInteger()).arguments
                += delta.value("partial_json"_L1).toString();
            return Delta::ToolCall;
        }
    } else if (type == "message_delta"_L1) {
        if (const QString stop
            = event.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
            !stop.isEmpty())
            answer.finishReason = stop;
        if (event.value("usage"_L1).isObject()) {
            // Anthropic reports input tokens at the start and output tokens here.
            QJsonObject usage = m_result.usage.toObject();
            const QJsonObject more = event.value("usage"_L1).toObject();
            for (auto it = more.begin(); it != more.end(); ++it)
                usage.insert(it.key(), it.value());
            m_result.usage = usage;
        }
    } else if (type == "message_stop"_L1) {
        m_result.done = true;
    }
    return Delta::None;
}

void OpenAiAssembler::addBody(QByteArrayView body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        ++m_result.unreadableEvents;
        return;
    }
    const QJsonObject object = doc.object();
    if (object.contains("error"_L1)) {
        addError(object.value("error"_L1), -1);
        return;
    }
    m_result.done = true;
    const QString kind = object.value("object"_L1).toString();
    if (kind == "response"_L1) {
        m_result.api = AssembledResponse::Api::Responses;
        AssembledChoice &answer = choice(0);
        for (const QJsonValue itemValue : object.value("output"_L1).toArray()) {
            const QJsonObject item = itemValue.toObject();
            const QString type = item.value("type"_L1).toString();
            if (type == "message"_L1) {
                answer.role = item.value("role"_L1).toString();
                for (const QJsonValue part : item.value("content"_L1).toArray()) {
                    const QJsonObject p = part.toObject();
                    if (p.value("type"_L1).toString() == "refusal"_L1)
                        answer.refusal += p.value("refusal"_L1).toString();
                    else
                        answer.text += p.value("text"_L1).toString();
                }
            } else if (type == "reasoning"_L1) {
                for (const char *key : { "summary", "content" }) {
                    for (const QJsonValue part : item.value(QLatin1StringView(key)).toArray())
                        answer.reasoning += part.toObject().value("text"_L1).toString();
                }
            } else if (type == "function_call"_L1) {
                ToolCall t;
                t.index = answer.toolCalls.size();
                t.id = item.value("call_id"_L1).toString();
                t.type = u"function"_s;
                t.name = item.value("name"_L1).toString();
                t.arguments = item.value("arguments"_L1).toString();
                answer.toolCalls.append(t);
            }
        }
        takeResponseObject(object);
        return;
    }
    if (object.value("type"_L1).toString() == "message"_L1) {
        m_result.api = AssembledResponse::Api::AnthropicMessages;
        m_result.id = object.value("id"_L1).toString();
        m_result.model = object.value("model"_L1).toString();
        m_result.usage = object.value("usage"_L1);
        AssembledChoice &answer = choice(0);
        answer.role = object.value("role"_L1).toString();
        answer.finishReason = object.value("stop_reason"_L1).toString();
        for (const QJsonValue blockValue : object.value("content"_L1).toArray()) {
            const QJsonObject block = blockValue.toObject();
            const QString type = block.value("type"_L1).toString();
            if (type == "text"_L1)
                answer.text += block.value("text"_L1).toString();
            else if (type == "thinking"_L1)
                answer.reasoning += block.value("thinking"_L1).toString();
            else if (type == "tool_use"_L1)
                answer.toolCalls.append({ answer.toolCalls.size(), block.value("id"_L1).toString(),
                    u"tool_use"_s, block.value("name"_L1).toString(),
                    compactJson(block.value("input"_L1).toObject()) });
        }
        return;
    }
    // A chat completion (or anything else OpenAI-shaped).
    m_result.api = AssembledResponse::Api::ChatCompletions;
    m_result.id = object.value("id"_L1).toString();
    m_result.model = object.value("model"_L1).toString();
    m_result.usage = object.value("usage"_L1);
    for (const QJsonValue item : object.value("choices"_L1).toArray()) {
        const QJsonObject c = item.toObject();
        AssembledChoice &target = choice(c.value("index"_L1).toInteger());
        const QJsonObject message = c.value("message"_L1).toObject();
        target.role = message.value("role"_L1).toString();
        target.text = message.contains("content"_L1) ? contentText(message.value("content"_L1))
                                                     : c.value("text"_L1).toString();
        target.reasoning = message.value("reasoning_content"_L1).toString();
        if (target.reasoning.isEmpty())
            target.reasoning = message.value("reasoning"_L1).toString();
        if (target.reasoning.isEmpty())
            target.reasoning = thinkingText(message.value("thinking_blocks"_L1));
        target.refusal = message.value("refusal"_L1).toString();
        for (const QJsonValue callValue : message.value("tool_calls"_L1).toArray()) {
            const QJsonObject call = callValue.toObject();
            const QJsonObject function = call.value("function"_L1).toObject();
            target.toolCalls.append({ target.toolCalls.size(), call.value("id"_L1).toString(),
                call.value("type"_L1).toString(), function.value("name"_L1).toString(),
                function.value("arguments"_L1).toString() });
        }
        target.finishReason = c.value("finish_reason"_L1).toString();
    }
}

} // namespace gs::core
