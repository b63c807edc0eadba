#pragma once

#include <QList>
#include <QString>

namespace gs::core {

//! The probability that a chi-square variable with \a degrees degrees of freedom is at
//! least \a statistic (the upper tail; a goodness-of-fit test's p-value).
double chiSquareUpperTail(double statistic, int degrees);

//! Wilson's score interval for \a successes of \a trials at 95 %: {low, high} as shares.
std::pair<double, double> wilsonInterval(qint64 successes, qint64 trials);

//! An expected split of a load run's answers among groups (resolved models), tested
//! with Pearson's chi-square goodness of fit against what was observed.
struct SplitCheck
{
    struct Group
    {
        QString name;
        double expectedPercent = 0; //!< 0 for a group that was not expected
        qint64 observed = 0;
        double share = 0; //!< observed / total
        double low = 0; //!< Wilson 95 % interval of the share
        double high = 0;
    };
    QList<Group> groups; //!< the expected ones in their order, then any others seen
    qint64 total = 0;
    double statistic = 0;
    int degrees = 0;
    double pValue = 1;
    bool passed = false; //!< pValue at least 0.05 and no unexpected group
    QStringList warnings; //!< why the result may not mean what it seems
};

//! Tests \a observed (group, count) against \a expected (group, percent; the percents
//! need not add up to 100, they are normalised).
SplitCheck checkSplit(const QList<std::pair<QString, double>> &expected,
    const QList<std::pair<QString, qint64>> &observed);

} // namespace gs::core
