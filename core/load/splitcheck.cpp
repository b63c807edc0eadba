#include "core/load/splitcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// The regularised gamma functions P(a, x) and Q(a, x) = 1 - P(a, x): a series where
// it converges fast (x < a + 1), Lentz's continued fraction for Q elsewhere.
double lowerSeries(double a, double x)
{
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < 1000; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::abs(term) < std::abs(sum) * 1e-15)
            break;
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

double upperFraction(double a, double x)
{
    constexpr double tiny
        = std::numeric_limits<double>::min() / std::numeric_limits<double>::epsilon();
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 1000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < 1e-15)
            break;
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

} // namespace

double chiSquareUpperTail(double statistic, int degrees)
{
    if (degrees <= 0)
        return 1.0;
    if (statistic <= 0)
        return 1.0;
    const double a = degrees / 2.0;
    const double x = statistic / 2.0;
    return x < a + 1.0 ? 1.0 - lowerSeries(a, x) : upperFraction(a, x);
}

std::pair<double, double> wilsonInterval(qint64 successes, qint64 trials)
{
    if (trials <= 0)
        return { 0.0, 1.0 };
    constexpr double z = 1.959963984540054; // 95 %
    const double n = double(trials);
    const double p = double(successes) / n;
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

SplitCheck checkSplit(const QList<std::pair<QString, double>> &expected,
    const QList<std::pair<QString, qint64>> &observed)
{
    SplitCheck out;
    double expectedSum = 0;
    for (const auto &[name, percent] : expected)
        expectedSum += std::max(0.0, percent);
    for (const auto &[name, percent] : expected)
        out.groups.append(
            { name, expectedSum > 0 ? 100.0 * std::max(0.0, percent) / expectedSum : 0 });
    for (const auto &[name, count] : observed) {
        out.total += count;
        auto it = std::ranges::find(out.groups, name, &SplitCheck::Group::name);
        if (it == out.groups.end()) {
            out.groups.append({ name, 0 });
            it = out.groups.end() - 1;
        }
        it->observed += count;
    }
    bool unexpected = false;
    bool fewSamples = false;
    for (SplitCheck::Group &g : out.groups) {
        g.share = out.total ? double(g.observed) / double(out.total) : 0;
        std::tie(g.low, g.high) = wilsonInterval(g.observed, out.total);
        if (g.expectedPercent <= 0) {
            if (g.observed > 0) {
                unexpected = true;
                out.warnings << u"%1 answered %2 requests but has no expected share."_s.arg(g.name)
                                    .arg(g.observed);
            }
            continue;
        }
        const double e = double(out.total) * g.expectedPercent / 100.0;
        fewSamples = fewSamples || e < 5.0;
        if (e > 0)
            out.statistic += (double(g.observed) - e) * (double(g.observed) - e) / e;
    }
    const qsizetype expectedGroups = std::ranges::count_if(
        out.groups, [](const SplitCheck::Group &g) { return g.expectedPercent > 0; });
    out.degrees = int(std::max<qsizetype>(0, expectedGroups - 1));
    out.pValue = chiSquareUpperTail(out.statistic, out.degrees);
    if (fewSamples)
        out.warnings
            << u"Too few answers for the test to mean much: some group expects fewer than 5 of %1."_s
                   .arg(out.total);
    out.passed = out.total > 0 && !unexpected && out.pValue >= 0.05;
    return out;
}

} // namespace gs::core
