#include "core/stream/bodymedia.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// What a body is, from its type and first bytes; text in another charset as UTF-8.
class TestBodyMedia final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sniff_data();
    void sniff();
    void charsets();
};

void TestBodyMedia::sniff_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("mime");
    QTest::addColumn<QString>("description");
    using K = BodyMedia::Kind;
    QTest::newRow("png as octet-stream")
        << "application/octet-stream"_ba << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << int(K::Image)
        << "image/png"_ba << u"PNG image"_s;
    QTest::newRow("jpeg") << "image/jpeg"_ba
                          << "\xff\xd8\xff\xe0"_ba << int(K::Image) << "image/jpeg"_ba
                          << u"JPEG image"_s;
    QTest::newRow("gif") << ""_ba
                         << "GIF89a...."_ba << int(K::Image) << "image/gif"_ba << u"GIF image"_s;
    QTest::newRow("webp") << ""_ba
                          << "RIFF\x10\0\0\0WEBPVP8 "_ba << int(K::Image) << "image/webp"_ba
                          << u"WebP image"_s;
    QTest::newRow("wav") << "audio/x-wav"_ba
                         << "RIFF\x24\0\0\0WAVEfmt "_ba << int(K::Audio) << "audio/wav"_ba
                         << u"WAV audio"_s;
    QTest::newRow("WAVE not in a RIFF")
        << "text/plain"_ba
        << "12345678WAVE"_ba << int(K::Text) << "text/plain"_ba << u"text"_s;
    QTest::newRow("mp3 by type") << "audio/mpeg"_ba
                                 << "\xff\xfb\x90"_ba << int(K::Audio) << "audio/mpeg"_ba
                                 << u"audio (audio/mpeg)"_s;
    QTest::newRow("id3") << ""_ba
                         << "ID3\x04"_ba << int(K::Audio) << "audio/mpeg"_ba << u"MP3 audio"_s;
    QTest::newRow("svg") << "image/svg+xml"_ba
                         << "<svg"_ba << int(K::Image) << "image/svg+xml"_ba << u"SVG image"_s;
    QTest::newRow("json") << "application/json; charset=utf-8"_ba
                          << "{\"a\":1}"_ba << int(K::Text) << "application/json"_ba << u"text"_s;
    QTest::newRow("zip") << "application/zip"_ba << QByteArray("PK\x03\x04\x14\0", 6)
                         << int(K::Binary) << "application/zip"_ba << u"binary (application/zip)"_s;
    QTest::newRow("untyped bytes") << ""_ba << QByteArray("\0\1\2\3", 4) << int(K::Binary) << ""_ba
                                   << u"binary (application/octet-stream)"_s;
    QTest::newRow("untyped text") << ""_ba
                                  << "hello\n"_ba << int(K::Text) << ""_ba << u"text"_s;
}

void TestBodyMedia::sniff()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, start);
    QFETCH(int, kind);
    QFETCH(QByteArray, mime);
    QFETCH(QString, description);
    const BodyMedia media = sniffBody(type, start);
    QCOMPARE(int(media.kind), kind);
    QCOMPARE(media.mimeType, mime);
    QCOMPARE(media.description(), description);
}

void TestBodyMedia::charsets()
{
    QCOMPARE(sniffBody("text/plain; charset=\"ISO-8859-1\"", "x").charset, "iso-8859-1"_ba);
    QCOMPARE(toUtf8("caf\xe9"_ba, "iso-8859-1"), std::optional(QByteArray("caf\xc3\xa9")));
    QCOMPARE(toUtf8("\x80"_ba, "windows-1252"), std::optional(QByteArray("\xe2\x82\xac")));
    QCOMPARE(toUtf8(QByteArray("h\0i\0", 4), "utf-16le"), std::optional(QByteArray("hi")));
    QCOMPARE(toUtf8("caf\xc3\xa9"_ba, "utf-8"), std::nullopt);
    QCOMPARE(toUtf8("x"_ba, ""), std::nullopt);
    QCOMPARE(toUtf8("x"_ba, "no-such-charset"), std::nullopt);
}

QTEST_GUILESS_MAIN(TestBodyMedia)
#include "tst_bodymedia.moc"
