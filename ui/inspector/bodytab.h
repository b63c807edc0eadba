#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace gs::ui {
class LargeTextView;
}

namespace gs::ui::inspector {

//! The Body tab: the body as it came, pretty (JSON formatted on a worker) or raw (a
//! hex dump), with a note of its size, or of how much of it is shown.
class BodyTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyTab)

public:
    explicit BodyTab(QWidget *parent = nullptr);
    void clear();
    //! Shows \a bytes (formatted as JSON when \a json) with \a note above them.
    void showBody(const QByteArray &bytes, bool json, const QString &note);
    LargeTextView *view() const { return m_view; }

private:
    QComboBox *m_mode;
    QLabel *m_note;
    LargeTextView *m_view;
};

} // namespace gs::ui::inspector
