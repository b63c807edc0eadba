#pragma once

#include "core/stream/responsebody.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace gs::ui {
class LargeTextView;
}

namespace gs::ui::inspector {

//! The Body tab: the body as it came, pretty (JSON, and a stream's JSON events,
//! formatted on a worker) or raw (text as it is, a hex dump when binary), with a note
//! of its size, or of how much of it is shown.
class BodyTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyTab)

public:
    explicit BodyTab(QWidget *parent = nullptr);
    void clear();
    //! Shows \a bytes framed as \a framing (a cut JSON body: core::BodyFraming::Other)
    //! with \a note above them.
    void showBody(const QByteArray &bytes, core::BodyFraming framing, const QString &note);
    LargeTextView *view() const { return m_view; }

private:
    QComboBox *m_mode;
    QLabel *m_note;
    LargeTextView *m_view;
};

} // namespace gs::ui::inspector
