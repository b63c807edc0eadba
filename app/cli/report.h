#pragma once

#include "core/model/redaction.h"
#include "core/stream/gatewayresponse.h"
#include "core/stream/responsebody.h"

#include <QJsonObject>

class QTextStream;

namespace gs::cli {

//! Everything the CLI reports about one response.
struct ResponseReport
{
    core::RawResponse response;
    core::GatewayResponseInfo info;
    core::DecodedBody body;
    qint64 bodyBytes = 0; //!< may exceed response.body when the body was not kept
    qint64 eventCount = 0; //!< may exceed body.events when the events were not kept
    //! What does not add up (RawResponse::problems, implausible server timing).
    QStringList problems;

    //! With \a sink, the events go there as they are decoded instead of into body.events.
    static ResponseReport from(core::RawResponse response,
        std::optional<core::BodyFraming> framing = {}, const core::EventSink &sink = {});
};

struct PrintOptions
{
    bool answer = true; //!< the answer, reasoning and tool calls (send prints them live instead)
};

//! \a text with control characters other than line breaks and tabs replaced (U+FFFD),
//! so that escape sequences from a response or a file never reach the terminal.
QString terminalSafe(const QString &text);

//! One event as the report's "events" list has it.
QJsonObject eventJson(const core::SseEvent &event);

//! The report's JSON written with its events one at a time, as they come, so that a
//! long stream is never held as JSON: the events first, then the rest of the keys.
//! Every secret of \a redactor is masked.
class JsonEventsWriter final
{
public:
    JsonEventsWriter(QTextStream &out, bool indented, core::Redactor redactor = core::Redactor());
    void add(const core::SseEvent &event);
    //! The keys of \a rest but "events" (reportJson() of what remains), and the end.
    void finish(QJsonObject rest);
    qint64 count() const { return m_count; }

private:
    QTextStream &m_out;
    bool m_indented;
    core::Redactor m_redactor;
    qint64 m_count = 0;
};

//! The JSON keys shared by `inspect --json` and `send --json` (see README).
QJsonObject reportJson(const ResponseReport &report);
//! Why a 2xx streamed answer is not whole (core::incompleteReason); empty when it is.
QString incompleteOf(const ResponseReport &report);

//! The human-readable report: status, model, answer, gateway's configurations, timing.
void printReport(QTextStream &out, const ResponseReport &report, PrintOptions options = {});

} // namespace gs::cli
