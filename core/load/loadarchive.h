#pragma once

#include "core/load/loadcheck.h"
#include "core/load/loadrun.h"
#include "core/store/history.h"

#include <QJsonObject>

namespace gs::core {

//! A load run as it is kept after it finished: its report, every record (or, for a
//! very long run, every n-th), the names records point to and the requests as sent
//! (credentials masked). What the Load Run view needs to show it again; written into
//! the history as one entry (method kLoadRunMethod).
struct LoadArchive
{
    QJsonObject report; //!< loadRunJson(): plan, counts, percentiles, checks, warnings
    std::vector<LoadRecord> records;
    QStringList groups; //!< by LoadRecord::group
    QStringList names; //!< by LoadRecord::resolvedModel
    QList<WireRequest> requests; //!< the plan's, credentials masked
    QStringList requestNames;
    QStringList requestedModels;
    qint64 elapsedUs = 0;
    //! 1 when every record is kept; n when only every n-th is (a run of more than
    //! kMaxRecords exchanges).
    qint64 keptEvery = 1;

    //! Groups' counts and distributions rebuilt from the records kept (exact when
    //! every record is kept). The routing notes (latency, sticky, unhealthy) are in
    //! the report's warnings.
    LoadStats stats() const;

    static constexpr qsizetype kMaxRecords = 200'000;
};

//! \a run as an archive: \a checks in its report, \a secrets (and credential
//! headers) masked in the requests.
LoadArchive archiveOf(
    const LoadRun &run, const QList<LoadCheckResult> &checks, const QStringList &secrets = {});
//! The bytes a history entry keeps (about 30 bytes per record, compressed).
QByteArray writeLoadArchive(const LoadArchive &archive);
//! Reads what writeLoadArchive() wrote; an error for anything else.
Result<LoadArchive> readLoadArchive(const QByteArray &bytes);

//! The history entry of a finished run: the first request's method line as its
//! URL, the split as its resolved model, a summary as its error line, the archive as
//! its body.
HistoryEntry loadRunHistoryEntry(const LoadArchive &archive, const QDateTime &startedAt);
//! One exchange of a run as a history entry, for the inspector: the request as sent
//! (masked), the status, the resolved model, the timeline the record has; no headers
//! and no body (a run keeps none).
HistoryEntry loadRecordEntry(
    const LoadArchive &archive, qsizetype index, const QDateTime &runStartedAt);

} // namespace gs::core
