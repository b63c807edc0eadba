#include "core/load/latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace gs::core {

namespace {

constexpr int kSubBits = 7; // 128 linear steps per power of two
constexpr qint64 kSteps = qint64(1) << kSubBits;
constexpr qint64 kExact = kSteps * 2; // values below are their own bucket
// Powers of two from 2^8 to 2^40, 128 buckets each, after the exact ones.
constexpr qsizetype kBuckets = kExact + (40 - kSubBits) * kSteps + 1;

} // namespace

LatencyHistogram::LatencyHistogram()
    : m_counts(size_t(kBuckets), 0)
{ }

qsizetype LatencyHistogram::indexOf(qint64 value)
{
    const quint64 v = quint64(std::clamp<qint64>(value, 0, kMaxValue));
    if (v < quint64(kExact))
        return qsizetype(v);
    const int magnitude = std::bit_width(v) - 1; // floor(log2 v), 8 or more
    const int shift = magnitude - kSubBits;
    const qint64 top = qint64(v >> shift); // kSteps .. 2 * kSteps - 1
    return qsizetype(kExact + qint64(shift - 1) * kSteps + (top - kSteps));
}

qint64 LatencyHistogram::highestIn(qsizetype index)
{
    if (index < kExact)
        return index;
    const qint64 step = (index - kExact) / kSteps;
    const int shift = int(step) + 1;
    const qint64 top = kSteps + (index - kExact) % kSteps;
    return ((top + 1) << shift) - 1;
}

void LatencyHistogram::record(qint64 value)
{
    value = std::clamp<qint64>(value, 0, kMaxValue);
    ++m_counts[size_t(indexOf(value))];
    m_min = m_count ? std::min(m_min, value) : value;
    m_max = m_count ? std::max(m_max, value) : value;
    m_sum += value;
    ++m_count;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (!other.m_count)
        return;
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_min = m_count ? std::min(m_min, other.m_min) : other.m_min;
    m_max = m_count ? std::max(m_max, other.m_max) : other.m_max;
    m_sum += other.m_sum;
    m_count += other.m_count;
}

qint64 LatencyHistogram::valueAt(double percentile) const
{
    if (!m_count)
        return 0;
    const double share = std::clamp(percentile, 0.0, 100.0) / 100.0;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(share * double(m_count))));
    qint64 seen = 0;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::clamp(highestIn(qsizetype(i)), m_min, m_max);
    }
    return m_max;
}

} // namespace gs::core
