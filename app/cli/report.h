#pragma once

#include "core/gatewayresponse.h"
#include "core/responsebody.h"

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

    static ResponseReport from(
        core::RawResponse response, std::optional<core::BodyFraming> framing = {});
};

struct PrintOptions
{
    bool answer = true; //!< the answer, reasoning and tool calls (send prints them live instead)
};

//! \a text with control characters other than line breaks and tabs replaced (U+FFFD),
//! so that escape sequences from a response or a file never reach the terminal.
QString terminalSafe(const QString &text);

//! The JSON keys shared by `inspect --json` and `send --json` (see README).
QJsonObject reportJson(const ResponseReport &report);

//! The human-readable report: status, model, answer, gateway's configurations, timing.
void printReport(QTextStream &out, const ResponseReport &report, PrintOptions options = {});

} // namespace gs::cli
