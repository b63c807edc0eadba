#include "core/stream/responsedecoder.h"

namespace gs::core {

ResponseDecoder::ResponseDecoder(QByteArray contentType, std::optional<BodyFraming> forced)
    : m_contentType(std::move(contentType))
    , m_forced(forced)
{ }

void ResponseDecoder::feed(QByteArrayView bytes, const Sink &sink)
{
    if (!m_decided) {
        m_decided = true;
        // The first bytes decide a mislabelled stream; 4 KiB is plenty to tell.
        m_framing = m_forced.value_or(
            framingFor(m_contentType, bytes.first(std::min<qsizetype>(bytes.size(), 4096))));
    }
    switch (m_framing) {
    case BodyFraming::Sse:
        m_sse.feed(bytes, m_pending);
        break;
    case BodyFraming::Ndjson:
        m_ndjson.feed(bytes, m_records);
        for (QByteArray &record : m_records)
            m_pending.append({ "ndjson", std::move(record), {} });
        m_records.clear();
        break;
    case BodyFraming::Json:
    case BodyFraming::Other:
        break;
    }
    deliver(sink);
}

void ResponseDecoder::finish(const Sink &sink, const std::function<QByteArray()> &wholeBody)
{
    if (m_finished)
        return;
    m_finished = true;
    switch (m_framing) {
    case BodyFraming::Sse:
        m_unterminatedEvent = m_sse.finish();
        break;
    case BodyFraming::Ndjson:
        m_ndjson.finish(m_records);
        for (QByteArray &record : m_records)
            m_pending.append({ "ndjson", std::move(record), {} });
        m_records.clear();
        deliver(sink);
        break;
    case BodyFraming::Json:
        if (m_decided)
            m_assembler.addBody(wholeBody());
        break;
    case BodyFraming::Other:
        break;
    }
}

void ResponseDecoder::assembleBody(QByteArrayView body)
{
    m_assembler.addBody(body);
}

void ResponseDecoder::deliver(const Sink &sink)
{
    for (SseEvent &e : m_pending) {
        ++m_eventCount;
        const bool added = m_assembler.addEvent(e.type, e.data) != OpenAiAssembler::Deltas();
        if (sink)
            sink(std::move(e), added);
    }
    m_pending.clear();
}

} // namespace gs::core
