#include "core/load/loadcheck.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

Result<LoadExpectation> refuse(const QString &text, const QString &why)
{
    return fail(Error::Kind::Usage,
        u"--expect \"%1\": %2. Examples: 'p99(ttft) < 800ms', 'error_rate < 1%', 'rps >= 50'"_s.arg(
            text.left(100), why));
}

QString percentText(double share)
{
    return QString::number(share * 100, 'f', share * 100 < 10 ? 2 : 1) + u'%';
}

bool compare(double actual, LoadExpectation::Op op, double bound)
{
    switch (op) {
    case LoadExpectation::Op::Less:
        return actual < bound;
    case LoadExpectation::Op::LessOrEqual:
        return actual <= bound;
    case LoadExpectation::Op::Greater:
        return actual > bound;
    case LoadExpectation::Op::GreaterOrEqual:
        return actual >= bound;
    }
    return false;
}

// How many answers a percentile needs before it is more than the largest few.
qint64 samplesFor(double percentile)
{
    if (percentile <= 0 || percentile >= 100)
        return 1;
    return qint64(std::ceil(100.0 / (100.0 - percentile) - 1e-9));
}

} // namespace

QString formatMicros(double micros)
{
    if (micros < 1000)
        return QString::number(micros / 1000.0, 'f', 3) + u" ms"_s;
    if (micros < 10'000)
        return QString::number(micros / 1000.0, 'f', 2) + u" ms"_s;
    if (micros < 1'000'000)
        return QString::number(micros / 1000.0, 'f', 1) + u" ms"_s;
    return QString::number(micros / 1e6, 'f', 2) + u" s"_s;
}

Result<LoadExpectation> LoadExpectation::parse(const QString &text)
{
    static const QRegularExpression kLatency(
        uR"(^\s*(p\d+(?:\.\d+)?|min|max|mean)\s*\(\s*(ttft|total|latency|gap)\s*(?:,\s*([^)]*?)\s*)?\)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+)\s*(us|µs|ms|s)?\s*$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression kRate(
        uR"(^\s*(error_rate|fallback_rate|rps)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+)\s*(%)?\s*$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    LoadExpectation e;
    e.text = text.simplified();
    const auto opOf = [](const QString &op) {
        if (op == "<"_L1)
            return Op::Less;
        if (op == "<="_L1)
            return Op::LessOrEqual;
        if (op == ">"_L1)
            return Op::Greater;
        return Op::GreaterOrEqual;
    };
    if (const auto m = kLatency.match(text); m.hasMatch()) {
        const QString function = m.captured(1).toLower();
        const QString metric = m.captured(2).toLower();
        e.metric = metric == "ttft"_L1 ? Metric::Ttft
            : metric == "gap"_L1       ? Metric::Gap
                                       : Metric::Total;
        if (function == "min"_L1)
            e.percentile = 0;
        else if (function == "max"_L1)
            e.percentile = 100;
        else if (function == "mean"_L1)
            e.percentile = kMean;
        else
            e.percentile = function.mid(1).toDouble();
        if (e.percentile > 100)
            return refuse(text, u"a percentile is at most p100"_s);
        e.group = m.captured(3);
        e.op = opOf(m.captured(4));
        const double value = m.captured(5).toDouble();
        const QString unit = m.captured(6).toLower();
        e.bound = unit == "s"_L1                 ? value * 1e6
            : unit == "us"_L1 || unit == u"µs"_s ? value
                                                 : value * 1000;
        return e;
    }
    if (const auto m = kRate.match(text); m.hasMatch()) {
        const QString metric = m.captured(1).toLower();
        e.metric = metric == "rps"_L1   ? Metric::RequestsPerSecond
            : metric == "error_rate"_L1 ? Metric::ErrorRate
                                        : Metric::FallbackRate;
        e.op = opOf(m.captured(2));
        const double value = m.captured(3).toDouble();
        const bool percent = !m.captured(4).isEmpty();
        if (e.metric == Metric::RequestsPerSecond) {
            if (percent)
                return refuse(text, u"rps is a number of requests per second, not a percentage"_s);
            e.bound = value;
        } else {
            // "1%" or a share, "0.01".
            e.bound = percent ? value / 100 : value;
            if (e.bound > 1)
                return refuse(text, u"a rate is a share of at most 100%"_s);
        }
        return e;
    }
    return refuse(text, u"not a check this command knows"_s);
}

LoadCheckResult evaluate(const LoadExpectation &e, const LoadStats &stats, qint64 elapsedUs)
{
    LoadCheckResult r;
    r.text = e.text;
    const LoadGroupStats *group = &stats.all;
    if (!e.group.isEmpty()) {
        group = nullptr;
        for (const LoadGroupStats &g : stats.groups)
            if (g.name == e.group)
                group = &g;
        if (!group) {
            r.actual = u"no answer in group \"%1\""_s.arg(e.group);
            return r;
        }
    }
    double actual = 0;
    switch (e.metric) {
    case LoadExpectation::Metric::Ttft:
    case LoadExpectation::Metric::Total:
    case LoadExpectation::Metric::Gap: {
        const LatencyHistogram &h = e.metric == LoadExpectation::Metric::Ttft ? group->ttft
            : e.metric == LoadExpectation::Metric::Gap                        ? group->gap
                                                                              : group->total;
        if (h.count() == 0) {
            r.actual = e.metric == LoadExpectation::Metric::Total ? u"no successful answer"_s
                                                                  : u"no streamed tokens"_s;
            return r;
        }
        if (e.percentile == LoadExpectation::kMean)
            actual = h.mean();
        else if (e.percentile >= 100)
            actual = double(h.max());
        else if (e.percentile <= 0)
            actual = double(h.min());
        else
            actual = double(h.valueAt(e.percentile));
        r.actual = formatMicros(actual) + u" of %1 answers"_s.arg(h.count());
        if (e.percentile != LoadExpectation::kMean && h.count() < samplesFor(e.percentile))
            r.warnings
                << u"%1 answers are too few for this percentile (it needs at least %2): it is the largest value"_s
                       .arg(h.count())
                       .arg(samplesFor(e.percentile));
        break;
    }
    case LoadExpectation::Metric::ErrorRate:
        if (group->count == 0) {
            r.actual = u"no finished request"_s;
            return r;
        }
        actual = double(group->failures) / double(group->count);
        r.actual
            = u"%1 (%2 of %3)"_s.arg(percentText(actual)).arg(group->failures).arg(group->count);
        break;
    case LoadExpectation::Metric::FallbackRate:
        if (group->ok == 0) {
            r.actual = u"no successful answer"_s;
            return r;
        }
        actual = double(group->fallbacks) / double(group->ok);
        r.actual = u"%1 (%2 of %3)"_s.arg(percentText(actual)).arg(group->fallbacks).arg(group->ok);
        break;
    case LoadExpectation::Metric::RequestsPerSecond:
        actual = elapsedUs > 0 ? double(group->count) * 1e6 / double(elapsedUs) : 0;
        r.actual = QString::number(actual, 'f', 1) + u"/s"_s;
        break;
    }
    r.passed = compare(actual, e.op, e.bound);
    return r;
}

Result<QList<std::pair<QString, double>>> parseSplit(const QString &text)
{
    QList<std::pair<QString, double>> out;
    const auto refuseSplit = [&text](const QString &why) {
        return fail(Error::Kind::Usage,
            u"--expect-split \"%1\": %2; write it as model-a=70,model-b=30"_s.arg(
                text.left(100), why));
    };
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        // The last '=' separates: a group's name may hold one.
        const qsizetype eq = part.lastIndexOf(u'=');
        const QString name = part.left(eq).trimmed();
        bool ok = false;
        const double percent = part.mid(eq + 1).trimmed().remove(u'%').toDouble(&ok);
        if (eq <= 0 || name.isEmpty())
            return refuseSplit(u"\"%1\" names no group"_s.arg(part.trimmed()));
        if (!ok || !std::isfinite(percent) || percent < 0)
            return refuseSplit(u"\"%1\" has no share"_s.arg(part.trimmed()));
        if (std::ranges::find(out, name, &std::pair<QString, double>::first) != out.end())
            return refuseSplit(u"%1 is named twice"_s.arg(name));
        out.append({ name, percent });
    }
    if (out.isEmpty())
        return refuseSplit(u"no group"_s);
    double sum = 0;
    for (const auto &[name, percent] : out)
        sum += percent;
    if (sum <= 0)
        return refuseSplit(u"the shares add up to nothing"_s);
    return out;
}

SplitCheck splitOf(const QList<std::pair<QString, double>> &expected, const LoadStats &stats)
{
    QList<std::pair<QString, qint64>> observed;
    for (const LoadGroupStats &g : stats.groups)
        if (g.ok > 0)
            observed.append({ g.name, g.ok });
    return checkSplit(expected, observed);
}

LoadCheckResult evaluateSplit(
    const QList<std::pair<QString, double>> &expected, const LoadStats &stats, double tolerance)
{
    const SplitCheck split = splitOf(expected, stats);
    LoadCheckResult r;
    QStringList parts;
    for (const auto &[name, percent] : expected)
        parts << name + u'=' + QString::number(percent);
    r.text = u"split "_s + parts.join(u',')
        + (tolerance >= 0 ? u" within %1 points"_s.arg(tolerance) : QString());
    QStringList seen;
    bool within = split.total > 0;
    for (const SplitCheck::Group &g : split.groups) {
        seen << u"%1 %2 [%3-%4]"_s.arg(
            g.name, percentText(g.share), percentText(g.low), percentText(g.high));
        within = within && std::abs(g.share * 100 - g.expectedPercent) <= tolerance;
    }
    r.actual = seen.join(u", "_s)
        + u"; chi-square %1, %2 degree(s) of freedom, p = %3, of %4 answers"_s
              .arg(split.statistic, 0, 'f', 2)
              .arg(split.degrees)
              .arg(split.pValue, 0, 'g', 3)
              .arg(split.total);
    r.passed = tolerance >= 0 ? within : split.passed;
    r.warnings = split.warnings;
    if (split.total == 0)
        r.warnings << u"No successful answer: there is no split to test."_s;
    return r;
}

QStringList runWarnings(const LoadStats &stats)
{
    QStringList w;
    if (stats.all.ok > 0 && stats.all.ok < 30)
        w << u"Only %1 successful answers: percentiles and shares are rough."_s.arg(stats.all.ok);
    if (stats.latencyRouted > 0)
        w << u"%1 answers were routed by latency: the gateway prefers the faster target, so the "
             "split follows speed, not weights."_s.arg(stats.latencyRouted);
    if (stats.stickyRouted > 0)
        w << u"%1 answers were pinned by sticky routing: requests with the same session key go "
             "to one target, so they are not independent draws."_s.arg(stats.stickyRouted);
    if (!stats.unhealthyTargets.isEmpty())
        w << u"The gateway marked %1 unhealthy during the run: traffic moved away from it for a "
             "while."_s.arg(stats.unhealthyTargets.join(u", "_s));
    if (stats.canceled > 0)
        w << u"%1 requests were canceled and are left out."_s.arg(stats.canceled);
    return w;
}

} // namespace gs::core
