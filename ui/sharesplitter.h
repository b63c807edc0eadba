#pragma once

#include <QList>
#include <QSplitter>

namespace gs::ui {

//! A splitter that keeps its panes' shares of its size (the user's last drag, or
//! shares given to it) when it is resized, shown for the first time or turned
//! vertical: a ratio, where a plain QSplitter keeps pixels and gives every change of
//! size to the panes' stretch.
class ShareSplitter final : public QSplitter
{
    Q_OBJECT

public:
    static constexpr int kWhole = 10000; //!< shares are of this many parts

    explicit ShareSplitter(Qt::Orientation orientation, QWidget *parent = nullptr);

    //! The panes' shares (of kWhole); empty until given or dragged.
    QList<int> shares() const { return m_shares; }
    void setShares(const QList<int> &shares);

Q_SIGNALS:
    //! The user dragged a handle: these are the new shares.
    void sharesChanged(const QList<int> &shares);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyShares();

    QList<int> m_shares;
};

} // namespace gs::ui
