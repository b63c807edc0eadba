#include "ui/inspector/bodytab.h"

#include "ui/inspector/viewhelpers.h"
#include "ui/largetextview.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTemporaryFile>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

namespace {

//! The most pictures a JSON answer's b64_json shows, and their height.
constexpr int kMaxPictures = 8;
constexpr int kThumbnail = 160;

} // namespace

BodyTab::BodyTab(QWidget *parent)
    : QWidget(parent)
    , m_mode(new QComboBox)
    , m_note(new QLabel)
    , m_play(new QPushButton(tr("&Play")))
    , m_save(new QPushButton(tr("Save &As…")))
    , m_pages(new QStackedWidget)
    , m_view(new LargeTextView)
    , m_pictureArea(new QScrollArea)
    , m_picture(new QLabel)
    , m_gallery(new QWidget)
    , m_galleryLayout(new QHBoxLayout(m_gallery))
{
    m_mode->setObjectName(u"bodyMode"_s);
    m_mode->addItems({ tr("Pretty"), tr("Raw") });
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) {
        const bool raw = index == 1;
        m_view->setMode(raw ? LargeTextView::Mode::Raw : LargeTextView::Mode::Pretty);
        if (m_media.kind == BodyMedia::Kind::Image)
            m_pages->setCurrentIndex(raw ? 0 : 1);
    });
    m_note->setObjectName(u"bodyNote"_s);
    m_note->setWordWrap(true);
    m_play->setObjectName(u"bodyPlay"_s);
    m_play->setToolTip(tr("Play it with the system's player"));
    m_save->setObjectName(u"bodySave"_s);
    m_save->setToolTip(tr("Save the whole body as it came"));
    m_view->setObjectName(u"body"_s);
    m_picture->setObjectName(u"bodyPicture"_s);
    m_picture->setAlignment(Qt::AlignCenter);
    m_pictureArea->setWidget(m_picture);
    m_pictureArea->setWidgetResizable(true);
    m_pictureArea->setAlignment(Qt::AlignCenter);
    m_gallery->setObjectName(u"bodyPictures"_s);
    m_galleryLayout->setContentsMargins(0, 0, 0, 0);
    m_pages->addWidget(m_view);
    m_pages->addWidget(m_pictureArea);
    connect(m_view, &LargeTextView::formattingProgress, this, [this](qint64 done, qint64 total) {
        if (m_media.kind != BodyMedia::Kind::Text)
            return;
        const QString size = bytesText(total);
        m_note->setText(done >= total
                ? m_note->property("done").toString()
                : tr("%1 · formatting %2%").arg(size).arg(done * 100 / std::max<qint64>(1, total)));
    });
    connect(m_play, &QPushButton::clicked, this, &BodyTab::play);
    connect(m_save, &QPushButton::clicked, this, &BodyTab::askSave);
    auto *top = new QHBoxLayout;
    top->addWidget(m_mode);
    top->addWidget(m_note, 1);
    top->addWidget(m_play);
    top->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_gallery);
    layout->addWidget(m_pages, 1);
    clear();
}

void BodyTab::clear()
{
    m_view->clear();
    m_note->clear();
    m_picture->clear();
    m_image = {};
    m_bytes.clear();
    m_whole = {};
    m_media = {};
    m_play->hide();
    m_save->setEnabled(false);
    m_gallery->hide();
    setPictureMode(false);
}

void BodyTab::setPictureMode(bool picture)
{
    const QSignalBlocker block(m_mode);
    m_mode->setItemText(0, picture ? tr("Picture") : tr("Pretty"));
    m_pages->setCurrentIndex(picture && m_mode->currentIndex() == 0 ? 1 : 0);
}

void BodyTab::showBody(const QByteArray &bytes, BodyFraming framing, const QString &note,
    const QByteArray &contentType, WholeBody whole)
{
    m_bytes = bytes;
    m_whole = std::move(whole);
    m_media = sniffBody(
        contentType, QByteArrayView(bytes).first(std::min<qsizetype>(bytes.size(), 1024)));
    m_save->setEnabled(!bytes.isEmpty());
    m_play->setVisible(m_media.kind == BodyMedia::Kind::Audio);
    m_gallery->hide();
    QString shownNote = note;
    using Kind = LargeTextView::Kind;
    const Kind kind = framing == BodyFraming::Json                      ? Kind::Json
        : framing == BodyFraming::Sse || framing == BodyFraming::Ndjson ? Kind::Events
                                                                        : Kind::Text;
    switch (m_media.kind) {
    case BodyMedia::Kind::Image: {
        QImage image;
        image.loadFromData(bytes);
        if (image.isNull()) {
            shownNote = tr("%1 · %2 that does not decode (cut, or a format Qt cannot read): Raw "
                           "shows its bytes")
                            .arg(note, m_media.description());
            m_picture->clear();
            m_image = {};
        } else {
            shownNote = tr("%1 · %2 × %3 px · %4")
                            .arg(m_media.description())
                            .arg(image.width())
                            .arg(image.height())
                            .arg(note);
            m_image = image;
        }
        m_view->setContent(bytes, Kind::Text);
        setPictureMode(true);
        fitPicture();
        break;
    }
    case BodyMedia::Kind::Audio: {
        const auto ms = wavDurationMs(bytes);
        shownNote = ms ? tr("%1 · %2 s · %3")
                             .arg(m_media.description())
                             .arg(QString::number(double(*ms) / 1000, 'f', 1))
                             .arg(note)
                       : tr("%1 · %2").arg(m_media.description(), note);
        m_view->setContent(bytes, Kind::Text);
        setPictureMode(false);
        m_mode->setCurrentIndex(1);
        break;
    }
    case BodyMedia::Kind::Binary:
        shownNote = tr("%1 · %2").arg(m_media.description(), note);
        m_view->setContent(bytes, Kind::Text);
        setPictureMode(false);
        m_mode->setCurrentIndex(1);
        break;
    case BodyMedia::Kind::Text:
        setPictureMode(false);
        if (const auto utf8 = toUtf8(bytes, m_media.charset)) {
            shownNote = tr("%1 · decoded from %2").arg(note, QString::fromLatin1(m_media.charset));
            m_view->setContent(*utf8, kind);
        } else {
            m_view->setContent(bytes, kind);
        }
        if (framing == BodyFraming::Json && bytes.contains("\"b64_json\""))
            showPictures(bytes);
        break;
    }
    m_note->setProperty("done", shownNote);
    m_note->setText(shownNote);
}

// The pictures an image API answers as data[].b64_json, above the JSON.
void BodyTab::showPictures(const QByteArray &json)
{
    while (QLayoutItem *item = m_galleryLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QJsonArray items = QJsonDocument::fromJson(json).object().value("data"_L1).toArray();
    int shown = 0;
    for (const QJsonValue &d : items) {
        const QByteArray png = QByteArray::fromBase64(d[u"b64_json"_s].toString().toLatin1());
        QImage image;
        if (shown == kMaxPictures || !image.loadFromData(png))
            continue;
        auto *label = new QLabel;
        label->setObjectName(u"bodyPictureThumbnail"_s);
        label->setPixmap(QPixmap::fromImage(
            image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        label->setToolTip(
            tr("data[%1].b64_json: %2 × %3 px").arg(shown).arg(image.width()).arg(image.height()));
        m_galleryLayout->addWidget(label);
        ++shown;
    }
    if (shown == 0)
        return;
    auto *caption = new QLabel(shown == 1 ? tr("1 picture in data[].b64_json")
                                          : tr("%1 pictures in data[].b64_json").arg(shown));
    caption->setAlignment(Qt::AlignTop);
    m_galleryLayout->addWidget(caption, 1);
    m_gallery->show();
}

void BodyTab::fitPicture()
{
    const QImage &image = m_image;
    if (image.isNull() || m_media.kind != BodyMedia::Kind::Image)
        return;
    // Scaled down to fit, never up: a small picture keeps its pixels.
    const QSize room = m_pictureArea->viewport()->size() - QSize(8, 8);
    QImage shown = image;
    if (image.width() > room.width() || image.height() > room.height())
        shown = image.scaled(
            room.expandedTo(QSize(16, 16)), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_picture->setPixmap(QPixmap::fromImage(shown));
}

void BodyTab::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitPicture();
}

Result<QByteArray> BodyTab::wholeBody() const
{
    return m_whole ? m_whole() : Result<QByteArray>(m_bytes);
}

Result<void> BodyTab::saveBody(const QString &path) const
{
    const auto bytes = wholeBody();
    if (!bytes)
        return std::unexpected(bytes.error());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit())
        return fail(Error::Kind::Io, tr("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

void BodyTab::askSave()
{
    const QString extension = m_media.extension.isEmpty()
        ? (m_media.mimeType.contains("json") ? u"json"_s : u"txt"_s)
        : m_media.extension;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Body"), QDir::home().filePath(u"response."_s + extension));
    if (path.isEmpty())
        return;
    const auto saved = saveBody(path);
    Q_EMIT message(saved ? tr("Body saved to %1").arg(path) : saved.error().message);
}

// The system's player, from a temporary file that lives while the tab does.
void BodyTab::play()
{
    const auto bytes = wholeBody();
    if (!bytes) {
        Q_EMIT message(bytes.error().message);
        return;
    }
    auto *file = new QTemporaryFile(
        QDir::temp().filePath(u"gatescope-XXXXXX."_s + m_media.extension), this);
    if (!file->open() || file->write(*bytes) != bytes->size() || !file->flush()) {
        Q_EMIT message(tr("Cannot write a file to play: %1").arg(file->errorString()));
        delete file;
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(file->fileName())))
        Q_EMIT message(tr("No player opened %1; Save As keeps it.").arg(file->fileName()));
}

} // namespace gs::ui::inspector
