#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace gs::demo {

//! A PNG of \a width x \a height pixels drawn from \a seed: a background, bands and a
//! disc in colours the seed picks, so that one prompt always gives one picture. The
//! demo's own encoder (zlib for the pixels), so that the demo needs no image library.
QByteArray demoPng(quint64 seed, int width, int height);

//! A WAV file (PCM, 16-bit, mono, 16 kHz) of \a ms milliseconds: a tone whose pitch
//! the seed picks, faded in and out.
QByteArray demoWav(quint64 seed, int ms);

//! The length of a PCM WAV file in milliseconds, or nullopt when \a bytes is not one.
std::optional<qint64> wavDurationMs(const QByteArray &bytes);

//! The image and audio APIs on the demo: POST /images/generations (b64_json PNGs),
//! POST /audio/speech (a WAV), POST /audio/transcriptions (multipart audio in, text
//! out). Emulated: see docs/demo-gateway.md.
class DemoMedia
{
public:
    explicit DemoMedia(quint64 seed);

    //! The models each API serves (GET /models lists them too).
    static QStringList imageModels();
    static QStringList speechModels();
    static QStringList transcriptionModels();

    //! The response when \a path is one of these APIs; nullopt otherwise.
    std::optional<DemoResponse> handle(const DemoRequest &request, QByteArrayView path);

private:
    DemoResponse images(const DemoRequest &request);
    DemoResponse speech(const DemoRequest &request);
    DemoResponse transcription(const DemoRequest &request);

    quint64 m_seed;
};

} // namespace gs::demo
