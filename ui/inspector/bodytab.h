#pragma once

#include "core/model/error.h"
#include "core/stream/bodymedia.h"
#include "core/stream/responsebody.h"

#include <QImage>
#include <QWidget>

#include <functional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;

namespace gs::ui {
class LargeTextView;
}

namespace gs::ui::inspector {

//! The Body tab: the body as it came. Text pretty (JSON, and a stream's JSON events,
//! formatted on a worker) or raw, decoded from the charset its Content-Type names; a
//! picture (PNG, JPEG, GIF, WebP, ...) shown scaled to fit with its size; the pictures
//! a JSON answer carries as b64_json shown above its text; audio with Play (the
//! system's player) and its length; any other binary as a hex dump. Save As writes
//! the whole body, whatever it is.
class BodyTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyTab)

public:
    //! Every byte of the body (read from where the exchange kept it).
    using WholeBody = std::function<core::Result<QByteArray>()>;

    explicit BodyTab(QWidget *parent = nullptr);
    void clear();
    //! Shows \a bytes (the body, or its first bytes) framed as \a framing (a cut JSON
    //! body: core::BodyFraming::Other) with \a note above them. \a contentType says
    //! what it is, with the bytes; \a whole, when given, reads all of it for Save As
    //! and Play.
    void showBody(const QByteArray &bytes, core::BodyFraming framing, const QString &note,
        const QByteArray &contentType = {}, WholeBody whole = {});
    LargeTextView *view() const { return m_view; }
    //! What the body was taken for.
    const core::BodyMedia &media() const { return m_media; }
    //! Writes the whole body to \a path.
    core::Result<void> saveBody(const QString &path) const;

protected:
    void resizeEvent(QResizeEvent *event) override;

Q_SIGNALS:
    //! For the status bar.
    void message(const QString &text);

private:
    void setPictureMode(bool picture);
    void showPictures(const QByteArray &json);
    void fitPicture();
    void play();
    void askSave();
    core::Result<QByteArray> wholeBody() const;

    QComboBox *m_mode;
    QLabel *m_note;
    QPushButton *m_play;
    QPushButton *m_save;
    QStackedWidget *m_pages;
    LargeTextView *m_view;
    QScrollArea *m_pictureArea;
    QLabel *m_picture;
    QWidget *m_gallery;
    QHBoxLayout *m_galleryLayout;
    QImage m_image; //!< the picture the body is, when it is one
    core::BodyMedia m_media;
    QByteArray m_bytes;
    WholeBody m_whole;
};

} // namespace gs::ui::inspector
