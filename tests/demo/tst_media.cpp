#include "demo/demorouter.h"
#include "demo/media.h"
#include "tests/testfiles.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace gs::demo;
using gs::core::HttpHeaders;
using namespace Qt::StringLiterals;

// The demo gateway's images and audio, each checked by an independent decoder: Qt's
// PNG reader (libpng) for the pictures, Python's wave module for the speech.
class TestMedia final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void imagesAreRealPngs();
    void imageRefusals_data();
    void imageRefusals();
    void speechIsARealWav();
    void transcriptionHearsTheUpload();
    void listedModels();

private:
    DemoResponse post(const QByteArray &path, const QByteArray &body,
        const QByteArray &type = "application/json");
    DemoRouter m_router;
};

DemoResponse TestMedia::post(const QByteArray &path, const QByteArray &body, const QByteArray &type)
{
    const HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
        { "Content-Type", type } };
    return m_router.handle({ "POST", "/api/llm" + path, headers, body });
}

void TestMedia::imagesAreRealPngs()
{
    const QByteArray request
        = R"({"model":"openai-main/gpt-image-1","prompt":"a lighthouse","n":2,"size":"1024x512"})";
    const DemoResponse r = post("/images/generations", request);
    QCOMPARE(r.status, 200);
    const QJsonArray data = QJsonDocument::fromJson(r.body).object().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QList<QByteArray> pngs;
    for (const QJsonValue &d : data) {
        const QByteArray png = QByteArray::fromBase64(d[u"b64_json"_s].toString().toLatin1());
        const QImage image = QImage::fromData(png, "PNG");
        QVERIFY2(!image.isNull(), png.left(16).toHex().constData());
        QCOMPARE(image.size(), QSize(256, 128)); // drawn at most 256 a side, in proportion
        // More than one colour: something is drawn.
        QVERIFY(image.pixel(0, 0) != image.pixel(image.width() / 2, image.height() / 2)
            || image.pixel(0, 0) != image.pixel(image.width() - 1, image.height() / 3));
        pngs << png;
    }
    QVERIFY(pngs[0] != pngs[1]);
    // One prompt, one picture; another prompt, another.
    const DemoResponse again = post("/images/generations", request);
    QCOMPARE(
        QJsonDocument::fromJson(again.body)[u"data"_s][0][u"b64_json"_s], data[0][u"b64_json"_s]);
    const DemoResponse other = post("/images/generations",
        R"({"model":"openai-main/gpt-image-1","prompt":"a forest","size":"1024x512"})");
    QVERIFY(
        QJsonDocument::fromJson(other.body)[u"data"_s][0][u"b64_json"_s] != data[0][u"b64_json"_s]);
}

void TestMedia::imageRefusals_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    QTest::newRow("chat model") << QByteArray(R"({"model":"openai-main/gpt-4o","prompt":"x"})")
                                << u"does not generate images"_s;
    QTest::newRow("no prompt") << QByteArray(R"({"model":"openai-main/gpt-image-1"})")
                               << u"\"prompt\" is required"_s;
    QTest::newRow("url") << QByteArray(
        R"({"model":"openai-main/gpt-image-1","prompt":"x","response_format":"url"})")
                         << u"b64_json only"_s;
    QTest::newRow("size") << QByteArray(
        R"({"model":"openai-main/gpt-image-1","prompt":"x","size":"huge"})")
                          << u"WIDTHxHEIGHT"_s;
    QTest::newRow("n") << QByteArray(R"({"model":"openai-main/gpt-image-1","prompt":"x","n":9})")
                       << u"\"n\""_s;
}

void TestMedia::imageRefusals()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    const DemoResponse r = post("/images/generations", body);
    QCOMPARE(r.status, 400);
    const QString message = QJsonDocument::fromJson(r.body)[u"error"_s][u"message"_s].toString();
    QVERIFY2(message.contains(reason), qPrintable(message));
}

void TestMedia::speechIsARealWav()
{
    GATESCOPE_REQUIRE_PROGRAM(python, "python3");
    const DemoResponse r = post("/audio/speech",
        R"({"model":"openai-main/tts-1","input":"Hello from the demo gateway","voice":"alloy"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(gs::core::headerValue(r.headers, "content-type"), "audio/wav");
    QProcess p;
    p.start(python,
        { u"-c"_s,
            u"import sys, wave, io\n"
            "w = wave.open(io.BytesIO(sys.stdin.buffer.read()))\n"
            "print(w.getnchannels(), w.getsampwidth(), w.getframerate(), "
            "w.getnframes())"_s });
    p.write(r.body);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(20000));
    const QList<QByteArray> facts = p.readAllStandardOutput().trimmed().split(' ');
    QVERIFY2(facts.size() == 4, p.readAllStandardError().constData());
    QCOMPARE(facts[0], "1");
    QCOMPARE(facts[1], "2");
    QCOMPARE(facts[2], "16000");
    // 27 characters at 60 ms each.
    QCOMPARE(facts[3].toInt(), 16000 * 27 * 60 / 1000);
    QCOMPARE(wavDurationMs(r.body), 27 * 60);
    QCOMPARE(post("/audio/speech",
                 R"({"model":"openai-main/tts-1","input":"x","response_format":"mp3"})")
                 .status,
        400);
}

void TestMedia::transcriptionHearsTheUpload()
{
    const QByteArray wav = demoWav(7, 1500);
    const QByteArray form
        = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
          "openai-main/whisper-1\r\n--b\r\nContent-Disposition: form-data; "
          "name=\"file\"; filename=\"hello.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
        + wav + "\r\n--b--\r\n";
    const DemoResponse r = post("/audio/transcriptions", form, "multipart/form-data; boundary=b");
    QCOMPARE(r.status, 200);
    QCOMPARE(QJsonDocument::fromJson(r.body)[u"text"_s].toString(),
        u"The demo gateway heard 1.5 seconds of audio in hello.wav."_s);
    const DemoResponse text = post("/audio/transcriptions",
        QByteArray(form).replace("--b--",
            "--b\r\nContent-Disposition: form-data; "
            "name=\"response_format\"\r\n\r\ntext\r\n--b--"),
        "multipart/form-data; boundary=b");
    QCOMPARE(text.body, "The demo gateway heard 1.5 seconds of audio in hello.wav.");
    QCOMPARE(post("/audio/transcriptions", QByteArray(form).replace("whisper-1", "gpt-4o"),
                 "multipart/form-data; boundary=b")
                 .status,
        400);
    QCOMPARE(post("/audio/transcriptions", "{}").status, 400);
}

void TestMedia::listedModels()
{
    const QStringList ids = DemoRouter::modelIds();
    QVERIFY(ids.contains(u"openai-main/gpt-image-1"_s));
    QVERIFY(ids.contains(u"openai-main/tts-1"_s));
    QVERIFY(ids.contains(u"openai-main/whisper-1"_s));
}

QTEST_GUILESS_MAIN(TestMedia)
#include "tst_media.moc"
