#include "ui/sharesplitter.h"

#include <numeric>

namespace gs::ui {

ShareSplitter::ShareSplitter(Qt::Orientation orientation, QWidget *parent)
    : QSplitter(orientation, parent)
{
    connect(this, &QSplitter::splitterMoved, this, [this] {
        const QList<int> now = sizes();
        const qint64 total = std::accumulate(now.cbegin(), now.cend(), qint64(0));
        if (total <= 0)
            return;
        m_shares.clear();
        for (const int size : now)
            m_shares << int(size * kWhole / total);
        Q_EMIT sharesChanged(m_shares);
    });
}

void ShareSplitter::setShares(const QList<int> &shares)
{
    if (shares.size() != count())
        return;
    m_shares = shares;
    applyShares();
}

void ShareSplitter::resizeEvent(QResizeEvent *event)
{
    QSplitter::resizeEvent(event);
    applyShares();
}

void ShareSplitter::applyShares()
{
    // setSizes() spreads the splitter's size in proportion to the values given.
    if (!m_shares.isEmpty() && m_shares.size() == count())
        setSizes(m_shares);
}

} // namespace gs::ui
