#pragma once

#include "core/load/loadcheck.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/model/httpheader.h"

#include <QStringList>

namespace gs::core {

//! How an Artillery scenario paces a load run: the same numbers as gatescope-cli load.
struct ArtilleryPacing
{
    qint64 count = 0; //!< requests in all (with no rate: concurrency users loop)
    qint64 durationMs = 0; //!< with a rate: how long requests arrive
    int concurrency = 1;
    double ratePerSecond = 0;
    qint64 rampMs = 0;
};

//! An Artillery scenario (YAML, https://www.artillery.io/docs) that sends \a requests
//! in turn as a load run would. Credentials never stand in it: the bearer token is
//! read from TFY_API_KEY and other secret headers and query parameters from variables
//! named after them ({{ $processEnvironment.NAME }}), and the values of \a secrets are
//! masked wherever else they stand. Latency thresholds on the total time become the
//! ensure plugin's thresholds; checks Artillery cannot make (TTFT, splits) are written
//! as comments. \a notes receives what the user should know (a count Artillery rounds).
Result<QString> exportArtillery(const QList<WireRequest> &requests, const QStringList &names,
    const ArtilleryPacing &pacing, const QList<LoadExpectation> &expectations,
    const QStringList &secrets, QStringList *notes = nullptr);

} // namespace gs::core
