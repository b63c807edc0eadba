#pragma once

#include "core/stream/ndjsonsplitter.h"
#include "core/stream/openaiassembler.h"
#include "core/stream/responsebody.h"
#include "core/stream/sseparser.h"

#include <QList>

#include <functional>
#include <optional>

namespace gs::core {

//! Decodes a response body as it arrives: decides its framing from the Content-Type
//! and the first bytes, splits an SSE or NDJSON stream into events, and assembles
//! what the events (or a whole JSON body) say. The live Exchange and decodeBody()
//! (a captured body, `inspect`) both run it: one pipeline, not two copies.
class ResponseDecoder final
{
public:
    //! Receives each decoded event, and whether it added to the answer (text,
    //! reasoning, a tool call, a refusal: what a reader counts as a token).
    //! The event is the sink's to keep (moved, not copied: a long stream has many).
    using Sink = std::function<void(SseEvent &&event, bool addedContent)>;

    //! \a forced: the framing to use whatever the headers say (a server that sends a
    //! stream as text/plain).
    explicit ResponseDecoder(QByteArray contentType, std::optional<BodyFraming> forced = {});

    //! The next bytes of the body, in any split. The framing is decided on the first.
    void feed(QByteArrayView bytes, const Sink &sink);
    //! The body is over: a last NDJSON line without its line end counts, an SSE event
    //! without its blank line is dropped (unterminatedEvent()), and a JSON body is
    //! assembled whole from \a wholeBody, which is only called then.
    void finish(const Sink &sink, const std::function<QByteArray()> &wholeBody);
    //! Assembles \a body as one JSON document (an error body that came with no
    //! framing at all).
    void assembleBody(QByteArrayView body);

    bool framingDecided() const { return m_decided; }
    BodyFraming framing() const { return m_framing; }
    bool isStream() const
    {
        return m_framing == BodyFraming::Sse || m_framing == BodyFraming::Ndjson;
    }
    bool unterminatedEvent() const { return m_unterminatedEvent; }
    qint64 eventCount() const { return m_eventCount; }
    const AssembledResponse &assembled() const { return m_assembler.result(); }

private:
    void deliver(const Sink &sink);

    QByteArray m_contentType;
    std::optional<BodyFraming> m_forced;
    BodyFraming m_framing = BodyFraming::Other;
    bool m_decided = false;
    bool m_finished = false;
    bool m_unterminatedEvent = false;
    qint64 m_eventCount = 0;
    SseParser m_sse;
    NdjsonSplitter m_ndjson;
    QList<SseEvent> m_pending;
    QList<QByteArray> m_records;
    OpenAiAssembler m_assembler;
};

} // namespace gs::core
