#pragma once

#include <QFlags>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace gs::core {

//! A tool call, assembled from index-addressed deltas.
struct ToolCall
{
    qint64 index = 0;
    QString id;
    QString type;
    QString name;
    QString arguments; //!< concatenated across chunks

    friend bool operator==(const ToolCall &, const ToolCall &) = default;
};

//! One choice (n > 1 gives several). Reasoning and refusals are kept apart from the answer.
struct AssembledChoice
{
    qint64 index = 0;
    QString role;
    QString text;
    QString reasoning; //!< reasoning_content, thinking blocks, Responses reasoning text
    QString refusal;
    QList<ToolCall> toolCalls;
    QString finishReason;
};

//! An error object that arrived in the body or in the stream; what came before it stays.
struct StreamError
{
    QString message;
    QString type;
    QString code;
    QJsonValue raw;
    qsizetype eventIndex = -1; //!< which event carried it; -1 for a whole body
};

//! What a chat completion, Responses API or Anthropic Messages exchange produced, from a
//! stream of events or from one JSON body: the same shape either way.
struct AssembledResponse
{
    enum class Api {
        Unknown,
        ChatCompletions,
        Responses,
        AnthropicMessages
    };

    Api api = Api::Unknown;
    QString id;
    QString model;
    QList<AssembledChoice> choices; //!< by index
    QJsonValue usage; //!< as sent; undefined when none came
    QString status; //!< Responses API: completed, incomplete, failed
    bool done = false; //!< [DONE] or a terminal event arrived
    QList<StreamError> errors;
    qsizetype events = 0;
    qsizetype unreadableEvents = 0; //!< events whose data was not JSON

    //! The first choice's parts, which is what a single-answer request shows.
    QString text() const;
    QString reasoning() const;
    QString refusal() const;
    QString finishReason() const;
    QList<ToolCall> toolCalls() const;
};

//! Builds an AssembledResponse from OpenAI-style stream events (chat completion chunks
//! ending in [DONE], the Responses API's typed events, Anthropic's message events) or
//! from a non-streaming JSON body.
class OpenAiAssembler final
{
public:
    enum class Delta : quint8 {
        None = 0,
        Content = 1,
        Reasoning = 2,
        ToolCall = 4,
        Refusal = 8,
    };
    Q_DECLARE_FLAGS(Deltas, Delta)

    OpenAiAssembler();
    ~OpenAiAssembler();
    OpenAiAssembler(OpenAiAssembler &&) noexcept;
    OpenAiAssembler &operator=(OpenAiAssembler &&) noexcept;

    //! One event: \a type is the SSE event name ("message" when unnamed, "ndjson" for
    //! a JSON line), \a data its payload. Returns which kinds of token it added.
    Deltas addEvent(QByteArrayView type, QByteArrayView data);
    //! A complete, non-streaming JSON response body.
    void addBody(QByteArrayView body);

    const AssembledResponse &result() const { return m_result; }

private:
    Deltas addChatChunk(const QJsonObject &chunk);
    std::optional<Deltas> addChatChunkFast(QByteArrayView data);
    Deltas addResponsesEvent(const QString &type, const QJsonObject &event);
    Deltas addAnthropicEvent(const QString &type, const QJsonObject &event);
    void addError(const QJsonValue &error, qsizetype eventIndex);
    AssembledChoice &choice(qint64 index);
    ToolCall &toolCall(AssembledChoice &choice, qint64 index);
    void takeResponseObject(const QJsonObject &response);

    AssembledResponse m_result;
    struct FastParser;
    std::unique_ptr<FastParser> m_fast; // simdjson, for the common chat chunk
};

Q_DECLARE_OPERATORS_FOR_FLAGS(OpenAiAssembler::Deltas)

} // namespace gs::core
