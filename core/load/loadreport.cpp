#include "core/load/loadreport.h"

#include <QIODevice>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

double ms(double micros)
{
    return std::round(micros) / 1000.0;
}

QJsonValue distribution(const LatencyHistogram &h)
{
    if (h.count() == 0)
        return QJsonValue::Null;
    return QJsonObject {
        { u"count"_s, h.count() },
        { u"min"_s, ms(double(h.min())) },
        { u"mean"_s, ms(h.mean()) },
        { u"p50"_s, ms(double(h.valueAt(50))) },
        { u"p90"_s, ms(double(h.valueAt(90))) },
        { u"p99"_s, ms(double(h.valueAt(99))) },
        { u"p99.9"_s, ms(double(h.valueAt(99.9))) },
        { u"max"_s, ms(double(h.max())) },
    };
}

QByteArray csvField(const QString &text)
{
    QString t = text;
    // A spreadsheet runs a cell that starts so as a formula: a gateway's header value
    // must not become one on the user's machine.
    if (!t.isEmpty() && QStringView(u"=+-@\t\r").contains(t.front()))
        t.prepend(u'\'');
    if (t.contains(u',') || t.contains(u'"') || t.contains(u'\n') || t.contains(u'\r'))
        t = u'"' + t.replace(u'"', u"\"\""_s) + u'"';
    return t.toUtf8();
}

QByteArray msField(qint64 micros)
{
    return micros < 0 ? QByteArray() : QByteArray::number(double(micros) / 1000.0, 'f', 3);
}

} // namespace

QJsonObject loadGroupJson(const LoadGroupStats &g)
{
    return QJsonObject {
        { u"name"_s, g.name },
        { u"count"_s, g.count },
        { u"ok"_s, g.ok },
        { u"failures"_s, g.failures },
        { u"fallbacks"_s, g.fallbacks },
        { u"retries"_s, g.retries },
        { u"tokens"_s, g.tokens },
        { u"tokensPerSecond"_s, std::round(g.tokensPerSecond() * 10) / 10 },
        { u"ttftMs"_s, distribution(g.ttft) },
        { u"totalMs"_s, distribution(g.total) },
        { u"maxGapMs"_s, distribution(g.gap) },
    };
}

QJsonObject loadRunJson(const LoadRun &run, const QList<LoadCheckResult> &checks)
{
    const LoadPlan &plan = run.plan();
    const LoadStats &stats = run.stats();
    QJsonObject statuses;
    for (const auto &[status, count] : stats.statuses)
        statuses.insert(QString::number(status), count);
    QJsonObject outcomes;
    for (const auto &[outcome, count] : stats.outcomes)
        outcomes.insert(loadOutcomeName(outcome), count);
    QJsonArray groups;
    for (const LoadGroupStats &g : stats.groups)
        if (g.count > 0)
            groups.append(loadGroupJson(g));
    QJsonArray checkArray;
    bool passed = true;
    for (const LoadCheckResult &c : checks) {
        passed = passed && c.passed;
        checkArray.append(QJsonObject { { u"check"_s, c.text }, { u"passed"_s, c.passed },
            { u"actual"_s, c.actual }, { u"warnings"_s, QJsonArray::fromStringList(c.warnings) } });
    }
    const double seconds = double(run.elapsedUs()) / 1e6;
    return QJsonObject {
        { u"plan"_s,
            QJsonObject {
                { u"requests"_s, QJsonArray::fromStringList(plan.names) },
                { u"count"_s, plan.count > 0 ? QJsonValue(plan.count) : QJsonValue::Null },
                { u"durationMs"_s,
                    plan.durationMs > 0 ? QJsonValue(plan.durationMs) : QJsonValue::Null },
                { u"concurrency"_s, plan.concurrency },
                { u"ratePerSecond"_s,
                    plan.ratePerSecond > 0 ? QJsonValue(plan.ratePerSecond) : QJsonValue::Null },
                { u"rampMs"_s, plan.rampMs },
                { u"groupBy"_s, plan.groupBy.text() },
            } },
        { u"canceled"_s, run.wasCanceled() },
        { u"elapsedMs"_s, ms(double(run.elapsedUs())) },
        { u"started"_s, stats.started },
        { u"finished"_s, stats.finished },
        { u"canceledRequests"_s, stats.canceled },
        { u"requestsPerSecond"_s,
            seconds > 0 ? std::round(double(stats.all.count) / seconds * 10) / 10 : 0.0 },
        { u"errorRate"_s, stats.errorRate() },
        { u"statuses"_s, statuses },
        { u"outcomes"_s, outcomes },
        { u"all"_s, loadGroupJson(stats.all) },
        { u"groups"_s, groups },
        { u"checks"_s, checkArray },
        { u"warnings"_s, QJsonArray::fromStringList(runWarnings(stats)) },
        { u"passed"_s, passed },
    };
}

QStringList loadCsvColumns()
{
    return { u"index"_s, u"start_ms"_s, u"request"_s, u"status"_s, u"outcome"_s, u"group"_s,
        u"resolved_model"_s, u"fallback"_s, u"attempts"_s, u"ttft_ms"_s, u"total_ms"_s,
        u"max_gap_ms"_s, u"tokens"_s, u"tokens_per_s"_s, u"bytes"_s };
}

bool writeLoadCsv(QIODevice &device, const LoadRun &run)
{
    QStringList groups;
    for (const LoadGroupStats &g : run.stats().groups)
        groups << g.name;
    return writeLoadCsv(device, run.records(), run.plan().names, groups, run.names());
}

bool writeLoadCsv(QIODevice &device, const std::vector<LoadRecord> &records,
    const QStringList &requestNames, const QStringList &groups, const QStringList &names)
{
    QByteArray out = loadCsvColumns().join(u',').toUtf8() + "\r\n";
    qsizetype index = 0;
    for (const LoadRecord &r : records) {
        const double streamSeconds
            = r.ttftUs >= 0 && r.totalUs > r.ttftUs ? double(r.totalUs - r.ttftUs) / 1e6 : 0;
        out += QByteArray::number(index++) + ',' + msField(r.startUs) + ','
            + csvField(requestNames.value(r.request)) + ',' + QByteArray::number(r.status) + ','
            + loadOutcomeName(r.outcome).toUtf8() + ','
            + csvField(r.status > 0 ? groups.value(qsizetype(r.group)) : QString()) + ','
            + csvField(names.value(qsizetype(r.resolvedModel))) + ',' + (r.fallback ? "1" : "0")
            + ',' + QByteArray::number(r.attempts) + ',' + msField(r.ttftUs) + ','
            + msField(r.totalUs) + ',' + msField(r.maxGapUs) + ',' + QByteArray::number(r.tokens)
            + ','
            + (streamSeconds > 0 ? QByteArray::number(double(r.tokens) / streamSeconds, 'f', 1)
                                 : QByteArray())
            + ',' + QByteArray::number(r.bytes) + "\r\n";
        if (out.size() > 1024 * 1024) {
            if (device.write(out) != out.size())
                return false;
            out.clear();
        }
    }
    return device.write(out) == out.size();
}

} // namespace gs::core
