#include "core/stream/responsebody.h"

#include "core/stream/responsedecoder.h"

using namespace Qt::StringLiterals;

namespace gs::core {

BodyFraming framingFor(QByteArrayView contentType, QByteArrayView bodyStart)
{
    QByteArrayView type = contentType;
    if (const qsizetype semicolon = type.indexOf(';'); semicolon >= 0)
        type.truncate(semicolon);
    const QByteArray mime = type.trimmed().toByteArray().toLower();
    if (mime == "text/event-stream")
        return BodyFraming::Sse;
    if (mime == "application/x-ndjson" || mime == "application/ndjson"
        || mime == "application/jsonl" || mime == "application/x-jsonlines"
        || mime == "application/jsonlines")
        return BodyFraming::Ndjson;
    if (mime == "application/json" || mime.endsWith("+json"))
        return BodyFraming::Json;
    // Mislabelled streams: what the first bytes look like decides.
    const QByteArrayView start = bodyStart.trimmed();
    if (start.startsWith("data:") || start.startsWith("event:") || start.startsWith(": "))
        return BodyFraming::Sse;
    if (start.startsWith('[') || start.startsWith('{')) {
        // Several JSON objects on lines of their own are NDJSON; one document is JSON.
        const qsizetype lineEnd = start.indexOf('\n');
        const bool moreLines = start.startsWith('{') && lineEnd > 0
            && start.sliced(lineEnd + 1).trimmed().startsWith('{');
        return moreLines ? BodyFraming::Ndjson : BodyFraming::Json;
    }
    return BodyFraming::Other;
}

DecodedBody decodeBody(const HttpHeaders &headers, QByteArrayView body,
    std::optional<BodyFraming> framing, const EventSink &sink)
{
    DecodedBody out;
    ResponseDecoder decoder(headerValue(headers, "content-type"), framing);
    const auto take = [&](SseEvent &&e, bool addedContent) {
        Q_UNUSED(addedContent);
        if (sink)
            sink(e);
        else
            out.events.append(std::move(e));
    };
    // In slices, so that the events of one slice are all that is held at a time when
    // they go to a sink.
    constexpr qsizetype kSlice = 1024 * 1024;
    decoder.feed(body.first(std::min(kSlice, body.size())), take);
    for (qsizetype at = kSlice; at < body.size(); at += kSlice)
        decoder.feed(body.sliced(at, std::min(kSlice, body.size() - at)), take);
    // A JSON body is assembled from the bytes in place, not a copy.
    decoder.finish(take, [body] { return QByteArray::fromRawData(body.data(), body.size()); });
    out.framing = decoder.framing();
    out.eventCount = decoder.eventCount();
    out.unterminatedEvent = decoder.unterminatedEvent();
    out.assembled = decoder.assembled();
    return out;
}

QString incompleteReason(BodyFraming framing, const AssembledResponse &a, bool unterminatedEvent)
{
    if (framing != BodyFraming::Sse && framing != BodyFraming::Ndjson)
        return {};
    if (!a.errors.isEmpty())
        return {};
    QString reason;
    switch (a.api) {
    case AssembledResponse::Api::ChatCompletions:
        if (!a.done && a.finishReason().isEmpty())
            reason = u"the stream ended without [DONE] or a finish reason"_s;
        break;
    case AssembledResponse::Api::Responses:
        if (!a.done)
            reason = u"the stream ended without response.completed, response.incomplete or "
                     "response.failed"_s;
        break;
    case AssembledResponse::Api::AnthropicMessages:
        if (!a.done)
            reason = u"the stream ended without message_stop"_s;
        break;
    case AssembledResponse::Api::Unknown:
        if (a.events == 0 && !a.done)
            reason = u"the stream ended before any event"_s;
        break;
    }
    if (!reason.isEmpty() && unterminatedEvent)
        reason += u", inside an event"_s;
    return reason;
}

} // namespace gs::core
