#include "openaiassembler.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

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

    if (eventType == "error"_L1 || (eventType.isEmpty() && object.contains("error"_L1))) {
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
