#pragma once

#include "core/model/httpheader.h"
#include "core/stream/openaiassembler.h"
#include "core/stream/sseparser.h"

#include <functional>
#include <optional>

namespace gs::core {

//! How a response body is framed.
enum class BodyFraming {
    Sse, //!< text/event-stream
    Ndjson, //!< application/x-ndjson, application/jsonl and kin: one JSON value per line
    Json, //!< one JSON document
    Other, //!< anything else: shown as it is
};

//! The framing a Content-Type announces. \a body, when given, lets a stream sent
//! with a wrong type (text/plain, octet-stream) still be recognised by its first bytes.
BodyFraming framingFor(QByteArrayView contentType, QByteArrayView bodyStart = {});

//! A whole captured body, decoded: its events (for streams) and what they assemble to.
struct DecodedBody
{
    BodyFraming framing = BodyFraming::Other;
    QList<SseEvent> events; //!< SSE events; NDJSON records as events of type "ndjson"
    qint64 eventCount = 0; //!< how many there were, kept or not
    AssembledResponse assembled;
    bool unterminatedEvent = false; //!< the stream ended inside an event, which was dropped
};

//! Why a streamed answer is not whole, whatever the transport said (a connection that
//! closes, even one reset, ends a close-delimited body as a clean end would): a chat
//! stream with neither [DONE] nor a finish reason, a Responses stream without
//! response.completed, .incomplete or .failed, an Anthropic stream without
//! message_stop, a stream with no event at all. Empty when it is whole, when it ended
//! in an error event (that is its own story), or when the body is not a stream.
QString incompleteReason(
    BodyFraming framing, const AssembledResponse &assembled, bool unterminatedEvent = false);

//! Receives each event as it is decoded.
using EventSink = std::function<void(const SseEvent &)>;

//! Decodes \a body as its headers say, or as \a framing when given (a "force stream"
//! switch for servers that send a stream with the wrong Content-Type). With \a sink,
//! the events go there one by one and DecodedBody::events stays empty, so that a
//! large stream is never held twice.
DecodedBody decodeBody(const HttpHeaders &headers, QByteArrayView body,
    std::optional<BodyFraming> framing = {}, const EventSink &sink = {});

} // namespace gs::core
