#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace gs::core {

//! What a response body is, from its Content-Type and its first bytes (the bytes win
//! where they are sure: a PNG sent as application/octet-stream is a picture).
struct BodyMedia
{
    enum class Kind {
        Text, //!< JSON, an event stream, or other text
        Image, //!< PNG, JPEG, GIF, WebP, BMP, SVG
        Audio, //!< WAV, MP3, Ogg, FLAC, AAC, WebM audio
        Binary, //!< anything else that is not text
    };
    Kind kind = Kind::Text;
    QByteArray mimeType; //!< "image/png"; from the bytes when they say, else the header
    QString format; //!< "PNG", "WAV"; empty for text
    QString extension; //!< for a file name: "png", "wav", "bin"
    QByteArray charset; //!< the Content-Type's charset, lower case; empty when it names none

    bool isText() const { return kind == Kind::Text; }
    //! "PNG image", "WAV audio", "binary (application/zip)", "text".
    QString description() const;
};

BodyMedia sniffBody(QByteArrayView contentType, QByteArrayView start);

//! How long a PCM WAV file plays, in milliseconds (from its fmt and data chunks);
//! nullopt when \a bytes is not one or its header is cut.
std::optional<qint64> wavDurationMs(QByteArrayView bytes);

//! \a bytes decoded from \a charset and written as UTF-8, for a charset other than
//! UTF-8 that Qt knows (ISO-8859-1, windows-1252, UTF-16, ...); nullopt when there is
//! nothing to convert (UTF-8, ASCII, none named, or one Qt does not know).
std::optional<QByteArray> toUtf8(const QByteArray &bytes, const QByteArray &charset);

} // namespace gs::core
