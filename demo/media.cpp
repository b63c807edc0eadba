#include "demo/media.h"

#include "demo/files.h"
#include "demo/replies.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <zlib.h>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

void appendBigEndian(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToBigEndian(value, bytes);
    out.append(bytes, 4);
}

void appendLittleEndian(QByteArray &out, quint32 value, int size)
{
    for (int i = 0; i < size; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

void pngChunk(QByteArray &out, const char *type, const QByteArray &data)
{
    appendBigEndian(out, quint32(data.size()));
    const QByteArray typed = QByteArray(type, 4) + data;
    out += typed;
    appendBigEndian(out,
        quint32(crc32(0, reinterpret_cast<const Bytef *>(typed.constData()), uInt(typed.size()))));
}

//! The body as a JSON object, or why not.
std::optional<QJsonObject> jsonBody(const DemoRequest &request, DemoResponse &refusal)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject()) {
        refusal = errorReply(
            400, u"The body is not a JSON object: %1."_s.arg(parseError.errorString()));
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

QByteArray demoPng(quint64 seed, int width, int height)
{
    QRandomGenerator64 random(seed);
    const auto colour = [&random] {
        return std::array<quint8, 3> { quint8(random.bounded(256U)), quint8(random.bounded(256U)),
            quint8(random.bounded(256U)) };
    };
    const auto background = colour();
    const auto band = colour();
    const auto disc = colour();
    const int bands = 2 + int(random.bounded(5U));
    const double cx = width * (0.3 + 0.4 * random.generateDouble());
    const double cy = height * (0.3 + 0.4 * random.generateDouble());
    const double radius = std::min(width, height) * (0.15 + 0.15 * random.generateDouble());
    QByteArray raw;
    raw.reserve(qsizetype(height) * (1 + 3 * width));
    for (int y = 0; y < height; ++y) {
        raw.append(char(0)); // filter: none
        for (int x = 0; x < width; ++x) {
            const bool inDisc = std::hypot(x - cx, y - cy) <= radius;
            const bool inBand = ((x + y) * bands / std::max(1, width)) % 2 == 1;
            const auto &c = inDisc ? disc : inBand ? band : background;
            raw.append(char(c[0])).append(char(c[1])).append(char(c[2]));
        }
    }
    uLongf size = compressBound(uLong(raw.size()));
    QByteArray compressed(qsizetype(size), Qt::Uninitialized);
    compress2(reinterpret_cast<Bytef *>(compressed.data()), &size,
        reinterpret_cast<const Bytef *>(raw.constData()), uLong(raw.size()), 6);
    compressed.truncate(qsizetype(size));

    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    QByteArray header;
    appendBigEndian(header, quint32(width));
    appendBigEndian(header, quint32(height));
    header.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0));
    pngChunk(png, "IHDR", header);
    pngChunk(png, "IDAT", compressed);
    pngChunk(png, "IEND", {});
    return png;
}

QByteArray demoWav(quint64 seed, int ms)
{
    constexpr int kRate = 16000;
    const int samples = kRate * ms / 1000;
    const double pitch = 220.0 + double(QRandomGenerator64(seed).bounded(440U));
    QByteArray pcm;
    pcm.reserve(samples * 2);
    const int fade = kRate / 50; // 20 ms
    for (int i = 0; i < samples; ++i) {
        const double envelope = std::min({ 1.0, double(i) / fade, double(samples - i) / fade });
        const double value = 0.3 * envelope * std::sin(2 * std::numbers::pi * pitch * i / kRate);
        appendLittleEndian(pcm, quint32(qint16(value * 32767)), 2);
    }
    QByteArray wav("RIFF");
    appendLittleEndian(wav, quint32(36 + pcm.size()), 4);
    wav += "WAVEfmt ";
    appendLittleEndian(wav, 16, 4);
    appendLittleEndian(wav, 1, 2); // PCM
    appendLittleEndian(wav, 1, 2); // mono
    appendLittleEndian(wav, kRate, 4);
    appendLittleEndian(wav, kRate * 2, 4);
    appendLittleEndian(wav, 2, 2);
    appendLittleEndian(wav, 16, 2);
    wav += "data";
    appendLittleEndian(wav, quint32(pcm.size()), 4);
    return wav + pcm;
}

std::optional<qint64> wavDurationMs(const QByteArray &bytes)
{
    if (bytes.size() < 44 || !bytes.startsWith("RIFF") || bytes.mid(8, 4) != "WAVE")
        return std::nullopt;
    // Walk the chunks for "fmt " (byte rate) and "data" (its size).
    qint64 byteRate = 0;
    for (qsizetype at = 12; at + 8 <= bytes.size();) {
        const QByteArray id = bytes.mid(at, 4);
        const quint32 size = qFromLittleEndian<quint32>(bytes.constData() + at + 4);
        if (id == "fmt " && at + 20 <= bytes.size())
            byteRate = qFromLittleEndian<quint32>(bytes.constData() + at + 16);
        if (id == "data")
            return byteRate > 0 ? std::optional(qint64(size) * 1000 / byteRate) : std::nullopt;
        at += 8 + qsizetype(size) + (size % 2);
    }
    return std::nullopt;
}

DemoMedia::DemoMedia(quint64 seed)
    : m_seed(seed)
{ }

QStringList DemoMedia::imageModels()
{
    return { u"openai-main/gpt-image-1"_s, u"openai-main/dall-e-3"_s };
}

QStringList DemoMedia::speechModels()
{
    return { u"openai-main/tts-1"_s, u"openai-main/gpt-4o-mini-tts"_s };
}

QStringList DemoMedia::transcriptionModels()
{
    return { u"openai-main/whisper-1"_s, u"openai-main/gpt-4o-transcribe"_s };
}

std::optional<DemoResponse> DemoMedia::handle(const DemoRequest &request, QByteArrayView path)
{
    DemoResponse (DemoMedia::*api)(const DemoRequest &) = nullptr;
    if (path.endsWith("/images/generations"))
        api = &DemoMedia::images;
    else if (path.endsWith("/audio/speech"))
        api = &DemoMedia::speech;
    else if (path.endsWith("/audio/transcriptions"))
        api = &DemoMedia::transcription;
    else
        return std::nullopt;
    if (request.method != "POST")
        return errorReply(405, u"Use POST for %1."_s.arg(QString::fromUtf8(path.toByteArray())));
    return (this->*api)(request);
}

DemoResponse DemoMedia::images(const DemoRequest &request)
{
    DemoResponse refusal;
    const auto body = jsonBody(request, refusal);
    if (!body)
        return refusal;
    const QString model = body->value("model"_L1).toString();
    if (!imageModels().contains(model))
        return errorReply(400,
            u"Model \"%1\" does not generate images here; use one of %2."_s.arg(
                model, imageModels().join(u", "_s)));
    const QString prompt = body->value("prompt"_L1).toString();
    if (prompt.trimmed().isEmpty())
        return errorReply(400, u"\"prompt\" is required."_s);
    const QString format = body->value("response_format"_L1).toString(u"b64_json"_s);
    if (format != "b64_json"_L1)
        return errorReply(400, u"The demo gateway answers response_format b64_json only."_s);
    const qint64 n = body->value("n"_L1).toInteger(1);
    if (n < 1 || n > 4)
        return errorReply(400, u"\"n\" must be 1 to 4 on the demo gateway."_s);
    const QString size = body->value("size"_L1).toString(u"256x256"_s);
    const QStringList sides = size.split(u'x');
    const int width = sides.size() == 2 ? sides[0].toInt() : 0;
    const int height = sides.size() == 2 ? sides[1].toInt() : 0;
    if (width < 16 || height < 16 || width > 1792 || height > 1792)
        return errorReply(400, u"\"size\" must be WIDTHxHEIGHT, 16 to 1792 pixels a side."_s);
    // Drawn at most 256 pixels a side (scaled down, in proportion): a demo stays small.
    const double scale = std::min(1.0, 256.0 / std::max(width, height));
    QJsonArray data;
    for (qint64 i = 0; i < n; ++i) {
        const quint64 seed = m_seed ^ qHash(prompt) ^ quint64(i * 0x9e3779b97f4a7c15ULL);
        const QByteArray png
            = demoPng(seed, std::max(1, int(width * scale)), std::max(1, int(height * scale)));
        data.append(QJsonObject { { u"b64_json"_s, QString::fromLatin1(png.toBase64()) },
            { u"revised_prompt"_s, u"A demo picture for: %1"_s.arg(prompt.left(200)) } });
    }
    return jsonReply(
        QJsonObject { { u"created"_s, QDateTime::currentSecsSinceEpoch() }, { u"data"_s, data } });
}

DemoResponse DemoMedia::speech(const DemoRequest &request)
{
    DemoResponse refusal;
    const auto body = jsonBody(request, refusal);
    if (!body)
        return refusal;
    const QString model = body->value("model"_L1).toString();
    if (!speechModels().contains(model))
        return errorReply(400,
            u"Model \"%1\" does not speak here; use one of %2."_s.arg(
                model, speechModels().join(u", "_s)));
    const QString input = body->value("input"_L1).toString();
    if (input.trimmed().isEmpty())
        return errorReply(400, u"\"input\" is required: the text to speak."_s);
    if (input.size() > 4096)
        return errorReply(400, u"\"input\" may hold at most 4096 characters."_s);
    const QString format = body->value("response_format"_L1).toString(u"wav"_s);
    if (format != "wav"_L1)
        return errorReply(400, u"The demo gateway speaks response_format wav only."_s);
    DemoResponse r;
    r.headers = { { "content-type", "audio/wav" } };
    // 60 ms a character, from 0.3 to 5 seconds.
    const int ms = int(std::clamp<qsizetype>(input.size() * 60, 300, 5000));
    r.body = demoWav(m_seed ^ qHash(input) ^ qHash(body->value("voice"_L1).toString()), ms);
    return r;
}

DemoResponse DemoMedia::transcription(const DemoRequest &request)
{
    const auto parts
        = parseFormData(core::headerValue(request.headers, "content-type"), request.body);
    if (!parts)
        return errorReply(400, parts.error());
    const FormPart *file = nullptr;
    QString model;
    QString format = u"json"_s;
    for (const FormPart &p : *parts) {
        if (p.name == "file"_L1)
            file = &p;
        else if (p.name == "model"_L1)
            model = QString::fromUtf8(p.data).trimmed();
        else if (p.name == "response_format"_L1)
            format = QString::fromUtf8(p.data).trimmed();
    }
    if (!file)
        return errorReply(400, u"No \"file\" part: the audio goes in a part named file."_s);
    if (!transcriptionModels().contains(model))
        return errorReply(400,
            u"Model \"%1\" does not transcribe here; use one of %2."_s.arg(
                model, transcriptionModels().join(u", "_s)));
    if (format != "json"_L1 && format != "text"_L1)
        return errorReply(400, u"The demo gateway answers response_format json or text."_s);
    QString text;
    if (const auto ms = wavDurationMs(file->data))
        text = u"The demo gateway heard %1 seconds of audio in %2."_s.arg(
            QString::number(double(*ms) / 1000, 'f', 1), file->filename);
    else
        text
            = u"The demo gateway received %1 bytes of %2 in %3."_s.arg(file->data.size())
                  .arg(QString::fromUtf8(file->contentType.isEmpty() ? "audio" : file->contentType),
                      file->filename);
    if (format == "text"_L1) {
        DemoResponse r;
        r.headers = { { "content-type", "text/plain; charset=utf-8" } };
        r.body = text.toUtf8();
        return r;
    }
    return jsonReply(QJsonObject { { u"text"_s, text } });
}

} // namespace gs::demo
