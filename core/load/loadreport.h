#pragma once

#include "core/load/loadcheck.h"
#include "core/load/loadrun.h"

#include <QJsonObject>

class QIODevice;

namespace gs::core {

//! A finished (or canceled) load run with its checks, as one JSON document: the plan,
//! counts by status and outcome, every group's latency percentiles in milliseconds,
//! the checks with their verdicts, the warnings, and "passed".
QJsonObject loadRunJson(const LoadRun &run, const QList<LoadCheckResult> &checks);

//! One group's counts and percentiles as JSON (part of loadRunJson()).
QJsonObject loadGroupJson(const LoadGroupStats &group);

//! The column names of writeLoadCsv(), in order.
QStringList loadCsvColumns();
//! One line per exchange, in the order they finished, with a header line: for users'
//! own analysis. Text a spreadsheet would run as a formula is prefixed with "'".
bool writeLoadCsv(QIODevice &device, const LoadRun &run);
//! The same for records kept apart from their run (an archive): \a groups and \a names
//! are what the records' indices point into.
bool writeLoadCsv(QIODevice &device, const std::vector<LoadRecord> &records,
    const QStringList &requestNames, const QStringList &groups, const QStringList &names);

} // namespace gs::core
