#pragma once

#include <QLayout>
#include <QList>

namespace gs::ui {

//! Lays its widgets out left to right and starts a new line where the next one does
//! not fit, so that a row of chips or options reflows in a narrow pane instead of
//! asking for a horizontal scroll bar. Its height follows its width.
class FlowLayout final : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

private:
    //! Places the items in \a rect (or only measures, when \a place is false) and
    //! returns the height used.
    int arrange(const QRect &rect, bool place) const;

    QList<QLayoutItem *> m_items;
};

} // namespace gs::ui
