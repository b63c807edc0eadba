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

    static ResponseReport from(core::RawResponse response);
};

//! The JSON keys shared by `inspect --json` and `send --json` (see README).
QJsonObject reportJson(const ResponseReport &report);

//! The human-readable report: status, model, answer, gateway's configurations, timing.
void printReport(QTextStream &out, const ResponseReport &report);

} // namespace gs::cli
