#include "responsebody.h"

#include "ndjsonsplitter.h"

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

DecodedBody decodeBody(
    const HttpHeaders &headers, QByteArrayView body, std::optional<BodyFraming> framing)
{
    DecodedBody out;
    out.framing = framing.value_or(framingFor(
        headerValue(headers, "content-type"), body.first(std::min<qsizetype>(body.size(), 4096))));
    OpenAiAssembler assembler;
    switch (out.framing) {
    case BodyFraming::Sse: {
        SseParser parser;
        parser.feed(body, out.events);
        out.unterminatedEvent = parser.finish();
        for (const SseEvent &e : out.events)
            assembler.addEvent(e.type, e.data);
        break;
    }
    case BodyFraming::Ndjson: {
        NdjsonSplitter splitter;
        QList<QByteArray> records;
        splitter.feed(body, records);
        splitter.finish(records);
        for (const QByteArray &record : records) {
            out.events.append({ "ndjson", record, {} });
            assembler.addEvent("ndjson", record);
        }
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
