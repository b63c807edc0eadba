#include "demo/catalog.h"

#include <QList>

#include <algorithm>
#include <numeric>
#include <tuple>
#include <vector>

namespace gs::demo {

namespace {

// Levenshtein distance, case-insensitive.
qsizetype distance(QStringView a, QStringView b)
{
    std::vector<qsizetype> row(std::size_t(b.size() + 1));
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        qsizetype diagonal = row[0];
        row[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype above = row[std::size_t(j)];
            const bool same = a[i - 1].toCaseFolded() == b[j - 1].toCaseFolded();
            row[std::size_t(j)]
                = std::min({ above + 1, row[std::size_t(j - 1)] + 1, diagonal + (same ? 0 : 1) });
            diagonal = above;
        }
    }
    return row.back();
}

} // namespace

QStringList closestModels(QStringView id)
{
    QStringList ids;
    for (const SimulatedModel &m : kModels)
        ids << QString(m.id);
    for (const VirtualModel &v : kVirtualModels)
        ids << QString(v.id);
    const QStringView name = id.mid(id.lastIndexOf(u'/') + 1);
    const auto rank = [&](const QString &candidate) {
        // The same model behind another account is what was meant, most likely.
        const bool sameName = QStringView(candidate)
                                  .mid(candidate.lastIndexOf(u'/') + 1)
                                  .compare(name, Qt::CaseInsensitive)
            == 0;
        // A target that is down or slow on purpose is a poor suggestion.
        const SimulatedModel *m = findModel(candidate);
        const bool troubled = m && (m->failStatus != 0 || m->firstTokenMs > 1000);
        return std::tuple { sameName ? 0 : 1, troubled ? 1 : 0, distance(id, candidate) };
    };
    std::ranges::stable_sort(
        ids, [&](const QString &a, const QString &b) { return rank(a) < rank(b); });
    return ids.mid(0, 3);
}

} // namespace gs::demo
