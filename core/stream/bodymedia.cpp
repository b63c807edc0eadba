#include "core/stream/bodymedia.h"

#include "core/model/httpheader.h"

#include <QList>
#include <QStringDecoder>
#include <QtEndian>

#include <array>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

struct Signature
{
    QByteArrayView magic;
    qsizetype offset;
    BodyMedia::Kind kind;
    const char *mime;
    const char *format;
    const char *extension;
};

// Magic numbers (the WHATWG MIME Sniffing standard's image and audio patterns).
constexpr std::array kSignatures {
    Signature { "\x89PNG\r\n\x1a\n", 0, BodyMedia::Kind::Image, "image/png", "PNG", "png" },
    Signature { "\xff\xd8\xff", 0, BodyMedia::Kind::Image, "image/jpeg", "JPEG", "jpg" },
    Signature { "GIF87a", 0, BodyMedia::Kind::Image, "image/gif", "GIF", "gif" },
    Signature { "GIF89a", 0, BodyMedia::Kind::Image, "image/gif", "GIF", "gif" },
    Signature { "WEBP", 8, BodyMedia::Kind::Image, "image/webp", "WebP", "webp" },
    Signature { "BM", 0, BodyMedia::Kind::Image, "image/bmp", "BMP", "bmp" },
    Signature { "WAVE", 8, BodyMedia::Kind::Audio, "audio/wav", "WAV", "wav" },
    Signature { "ID3", 0, BodyMedia::Kind::Audio, "audio/mpeg", "MP3", "mp3" },
    Signature { "OggS", 0, BodyMedia::Kind::Audio, "audio/ogg", "Ogg", "ogg" },
    Signature { "fLaC", 0, BodyMedia::Kind::Audio, "audio/flac", "FLAC", "flac" },
};

bool looksLikeText(QByteArrayView start)
{
    // Control bytes other than whitespace mean binary (the sniffing standard's rule).
    for (const char c : start.first(std::min<qsizetype>(start.size(), 1024))) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f' && u != 0x1b)
            return false;
    }
    return true;
}

} // namespace

QString BodyMedia::description() const
{
    switch (kind) {
    case Kind::Text:
        break;
    case Kind::Image:
        return format + u" image"_s;
    case Kind::Audio:
        return format.isEmpty() ? u"audio (%1)"_s.arg(QString::fromLatin1(mimeType))
                                : format + u" audio"_s;
    case Kind::Binary:
        return u"binary (%1)"_s.arg(QString::fromLatin1(
            mimeType.isEmpty() ? QByteArray("application/octet-stream") : mimeType));
    }
    return u"text"_s;
}

BodyMedia sniffBody(QByteArrayView contentType, QByteArrayView start)
{
    BodyMedia media;
    const QByteArray type = contentType.toByteArray().split(';').first().trimmed().toLower();
    media.mimeType = type;
    media.charset = headerParameter(contentType, "charset").toLower();
    for (const Signature &s : kSignatures) {
        if (start.size() >= s.offset + s.magic.size()
            && start.sliced(s.offset, s.magic.size()) == s.magic
            && (s.offset == 0 || start.startsWith("RIFF"))) {
            media.kind = s.kind;
            media.mimeType = s.mime;
            media.format = QString::fromLatin1(s.format);
            media.extension = QString::fromLatin1(s.extension);
            return media;
        }
    }
    if (type == "image/svg+xml") {
        media.kind = BodyMedia::Kind::Image;
        media.format = u"SVG"_s;
        media.extension = u"svg"_s;
        return media;
    }
    const bool textType = type.startsWith("text/") || type.contains("json") || type.contains("xml")
        || type == "application/x-ndjson" || type == "application/javascript";
    if (type.startsWith("audio/")) {
        media.kind = BodyMedia::Kind::Audio;
        media.extension = QString::fromLatin1(type.mid(6)).section(u'+', 0, 0);
        return media;
    }
    if (type.startsWith("image/")) {
        media.kind = BodyMedia::Kind::Image;
        media.format = QString::fromLatin1(type.mid(6)).toUpper();
        media.extension = QString::fromLatin1(type.mid(6));
        return media;
    }
    if (!textType && !looksLikeText(start)) {
        media.kind = BodyMedia::Kind::Binary;
        media.extension = u"bin"_s;
        return media;
    }
    return media;
}

std::optional<qint64> wavDurationMs(QByteArrayView bytes)
{
    if (bytes.size() < 12 || !bytes.startsWith("RIFF") || bytes.sliced(8, 4) != "WAVE")
        return std::nullopt;
    qint64 byteRate = 0;
    for (qsizetype at = 12; at + 8 <= bytes.size();) {
        const QByteArrayView id = bytes.sliced(at, 4);
        const quint32 size = qFromLittleEndian<quint32>(bytes.data() + at + 4);
        if (id == "fmt " && at + 20 <= bytes.size())
            byteRate = qFromLittleEndian<quint32>(bytes.data() + at + 16);
        if (id == "data")
            return byteRate > 0 ? std::optional(qint64(size) * 1000 / byteRate) : std::nullopt;
        at += 8 + qsizetype(size) + qsizetype(size % 2);
    }
    return std::nullopt;
}

std::optional<QByteArray> toUtf8(const QByteArray &bytes, const QByteArray &charset)
{
    if (charset.isEmpty() || charset == "utf-8" || charset == "utf8" || charset == "us-ascii")
        return std::nullopt;
    QStringDecoder decoder(charset.constData());
    if (!decoder.isValid())
        return std::nullopt;
    const QString text = decoder.decode(bytes);
    return text.toUtf8();
}

} // namespace gs::core
