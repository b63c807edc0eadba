#include "core/stream/responsebody.h"

#include "core/stream/ndjsonsplitter.h"

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
    out.framing = framing.value_or(framingFor(
        headerValue(headers, "content-type"), body.first(std::min<qsizetype>(body.size(), 4096))));
    OpenAiAssembler assembler;
    const auto take = [&](QList<SseEvent> &batch) {
        for (const SseEvent &e : std::as_const(batch)) {
            assembler.addEvent(e.type, e.data);
            if (sink)
                sink(e);
        }
        out.eventCount += batch.size();
        if (sink)
            batch.clear();
        else
            out.events += std::move(batch);
        batch.clear();
    };
    // In slices, so that the events of one slice are all that is held at a time when
    // they go to a sink.
    constexpr qsizetype kSlice = 1024 * 1024;
    QList<SseEvent> batch;
    switch (out.framing) {
    case BodyFraming::Sse: {
        SseParser parser;
        for (qsizetype at = 0; at < body.size(); at += kSlice) {
            parser.feed(body.sliced(at, std::min(kSlice, body.size() - at)), batch);
            take(batch);
        }
        out.unterminatedEvent = parser.finish();
        break;
    }
    case BodyFraming::Ndjson: {
        NdjsonSplitter splitter;
        QList<QByteArray> records;
        const auto recordsToEvents = [&] {
            for (QByteArray &record : records)
                batch.append({ "ndjson", std::move(record), {} });
            records.clear();
            take(batch);
        };
        for (qsizetype at = 0; at < body.size(); at += kSlice) {
            splitter.feed(body.sliced(at, std::min(kSlice, body.size() - at)), records);
            recordsToEvents();
        }
        splitter.finish(records);
        recordsToEvents();
        break;
    }
    case BodyFraming::Json:
        assembler.addBody(body);
        break;
    case BodyFraming::Other:
        break;
    }
    out.assembled = assembler.result();
    return out;
}

} // namespace gs::core
