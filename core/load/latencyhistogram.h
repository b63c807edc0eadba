#pragma once

#include <QtGlobal>

#include <vector>

namespace gs::core {

//! A latency distribution in bounded memory with accurate high percentiles, as HDR
//! histograms keep one: values below 256 exactly, larger ones in 128 linear steps per
//! power of two, so that any percentile is within 1/128 (0.8%) of the true value,
//! above it, never below. Values are whole units (the load run records microseconds)
//! from 0 to 2^40; larger ones count as 2^40. About 36 KiB whatever the count.
class LatencyHistogram
{
public:
    LatencyHistogram();

    void record(qint64 value);
    //! Adds every value \a other recorded.
    void merge(const LatencyHistogram &other);

    qint64 count() const { return m_count; }
    //! Exact; 0 when nothing was recorded.
    qint64 min() const { return m_count ? m_min : 0; }
    qint64 max() const { return m_count ? m_max : 0; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    //! The value at \a percentile (0 to 100): the smallest recorded value that at least
    //! that share of the values do not exceed, to within 1/128 above; 0 when empty.
    qint64 valueAt(double percentile) const;

    static constexpr qint64 kMaxValue = qint64(1) << 40;

private:
    static qsizetype indexOf(qint64 value);
    static qint64 highestIn(qsizetype index);

    std::vector<qint64> m_counts;
    qint64 m_count = 0;
    qint64 m_min = 0;
    qint64 m_max = 0;
    qint64 m_sum = 0;
};

} // namespace gs::core
