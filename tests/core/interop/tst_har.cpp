#include "core/interop/har.h"
#include "core/net/exchange.h"
#include "demo/demogateway.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::demo;
using namespace Qt::StringLiterals;

// HAR 1.2 of real exchanges with the demo gateway over loopback.
class TestHar final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exchangeAsHar();
    void reusedConnectionHasNoConnectTiming();
    void binaryBodiesAreBase64();
    void formsListTheirParams();
    void largeBodiesAreWrittenFromTheirFile_data();
    void largeBodiesAreWrittenFromTheirFile();

private:
    HarEntry run(QNetworkAccessManager &network);
    DemoGateway m_gateway;
    QString m_base;
    WireRequest m_request;
};

void TestHar::initTestCase()
{
    const auto url = m_gateway.listen();
    QVERIFY(url);
    m_base = *url;
    m_request = WireRequest { "POST", m_base + u"/chat/completions?trace=1"_s,
        { { "Authorization", "Bearer gs-demo-token" }, { "Content-Type", "application/json" },
            { "x-tfy-metadata", R"({"team":"platform"})" } },
        R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})" };
}

HarEntry TestHar::run(QNetworkAccessManager &network)
{
    Exchange exchange(&network);
    QSignalSpy finished(&exchange, &Exchange::finished);
    exchange.start(m_request);
    if (!exchange.isFinished())
        finished.wait(20000);
    return harEntry(exchange.snapshot());
}

void TestHar::exchangeAsHar()
{
    QNetworkAccessManager network;
    const HarEntry entry = run(network);
    const QJsonObject har = toHar({ entry });
    // It is JSON a HAR reader takes: the log, its version, the creator, one entry.
    const QJsonObject log
        = QJsonDocument::fromJson(QJsonDocument(har).toJson()).object().value(u"log"_s).toObject();
    QCOMPARE(log.value(u"version"_s).toString(), u"1.2"_s);
    QCOMPARE(log.value(u"creator"_s).toObject().value(u"name"_s).toString(), u"Gatescope"_s);
    const QJsonObject e = log.value(u"entries"_s).toArray().first().toObject();
    const QString started = e.value(u"startedDateTime"_s).toString();
    QVERIFY(QDateTime::fromString(started, Qt::ISODateWithMs).isValid());

    const QJsonObject request = e.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(
        request.value(u"queryString"_s).toArray().first().toObject().value(u"name"_s).toString(),
        u"trace"_s);
    const QJsonArray headers = request.value(u"headers"_s).toArray();
    QCOMPARE(headers.first().toObject().value(u"value"_s).toString(), u"Bearer ********"_s);
    QVERIFY(!QJsonDocument(har).toJson().contains("gs-demo-token"));
    const QJsonObject postData = request.value(u"postData"_s).toObject();
    QVERIFY(postData.value(u"text"_s).toString().contains(u"gpt-4o-mini"_s));

    const QJsonObject response = e.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 200);
    const QJsonObject content = response.value(u"content"_s).toObject();
    QVERIFY(content.value(u"mimeType"_s).toString().startsWith(u"application/json"_s));
    QVERIFY(QJsonDocument::fromJson(content.value(u"text"_s).toString().toUtf8()).isObject());
    QCOMPARE(content.value(u"size"_s).toInteger(), response.value(u"bodySize"_s).toInteger());

    // The timings add up to the entry's time by construction, however busy the
    // machine (dns is not measured; ssl is part of connect; blocked is the time
    // before the connection started).
    const QJsonObject t = e.value(u"timings"_s).toObject();
    QCOMPARE(t.value(u"dns"_s).toDouble(), -1.0);
    QVERIFY(t.value(u"blocked"_s).toDouble() >= 0);
    QVERIFY(t.value(u"connect"_s).toDouble() >= 0);
    QVERIFY(t.value(u"wait"_s).toDouble() >= 35); // the demo model's first-token latency
    double sum = 0;
    for (const auto *k : { "blocked", "connect", "send", "wait", "receive" })
        sum += std::max(0.0, t.value(QLatin1StringView(k)).toDouble());
    QVERIFY2(qAbs(sum - e.value(u"time"_s).toDouble()) < 1e-6,
        qPrintable(u"%1 vs %2"_s.arg(sum).arg(e.value(u"time"_s).toDouble())));

    // Secrets on request.
    QVERIFY(QJsonDocument(toHar({ entry }, true)).toJson().contains("Bearer gs-demo-token"));
}

void TestHar::reusedConnectionHasNoConnectTiming()
{
    QNetworkAccessManager network;
    run(network);
    const HarEntry second = run(network); // the same connection
    QVERIFY(second.timeline.connectionReused);
    const QJsonObject t = toHar({ second })
                              .value(u"log"_s)
                              .toObject()
                              .value(u"entries"_s)
                              .toArray()
                              .first()
                              .toObject()
                              .value(u"timings"_s)
                              .toObject();
    QCOMPARE(t.value(u"connect"_s).toDouble(), -1.0);
    QCOMPARE(t.value(u"ssl"_s).toDouble(), -1.0);
}

void TestHar::binaryBodiesAreBase64()
{
    HarEntry e;
    e.request = WireRequest { "GET", u"https://x.example/f"_s, {}, {} };
    e.startedAt = QDateTime::currentDateTimeUtc();
    e.status = 200;
    e.responseHeaders = { { "Content-Type", "application/octet-stream" } };
    e.responseBody = QByteArray("\x00\xff\xfe", 3);
    const QJsonObject content = toHar({ e })
                                    .value(u"log"_s)
                                    .toObject()
                                    .value(u"entries"_s)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(u"response"_s)
                                    .toObject()
                                    .value(u"content"_s)
                                    .toObject();
    QCOMPARE(content.value(u"encoding"_s).toString(), u"base64"_s);
    QCOMPARE(
        QByteArray::fromBase64(content.value(u"text"_s).toString().toLatin1()), e.responseBody);
}

// A form's parts as HAR 1.2's postData.params: a multipart upload's fields and file
// (by name and type, its content left out), a URL-encoded body's pairs decoded.
void TestHar::formsListTheirParams()
{
    const auto paramsOf = [](const WireRequest &request) {
        HarEntry e;
        e.request = request;
        e.startedAt = QDateTime::currentDateTimeUtc();
        return toHar({ e })[u"log"_s][u"entries"_s][0][u"request"_s][u"postData"_s][u"params"_s]
            .toArray();
    };
    WireRequest upload { "POST", u"https://x.example/files"_s,
        { { "Content-Type", "multipart/form-data; boundary=b" } }, {} };
    upload.body = "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--b\r\n"
                  "Content-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
                  "Content-Type: application/jsonl\r\n\r\n";
    upload.bodyFiles = { BodyFile { upload.body.size(), u"/tmp/in.jsonl"_s, 12 } };
    upload.body += "\r\n--b--";
    const QJsonArray params = paramsOf(upload);
    QCOMPARE(params.size(), 2);
    QCOMPARE(params[0].toObject(),
        QJsonObject({ { u"name"_s, u"purpose"_s }, { u"value"_s, u"batch"_s } }));
    QCOMPARE(params[1].toObject(),
        QJsonObject({ { u"name"_s, u"file"_s }, { u"fileName"_s, u"in.jsonl"_s },
            { u"contentType"_s, u"application/jsonl"_s } }));
    const QJsonArray pairs = paramsOf(WireRequest { "POST", u"https://x.example/"_s,
        { { "Content-Type", "application/x-www-form-urlencoded" } }, "a=1+2&b=%C3%A9&c" });
    QCOMPARE(pairs.size(), 3);
    QCOMPARE(pairs[0][u"value"_s].toString(), u"1 2"_s);
    QCOMPARE(pairs[1][u"value"_s].toString(), u"é"_s);
    QCOMPARE(pairs[2][u"name"_s].toString(), u"c"_s);
    QVERIFY(paramsOf(m_request).isEmpty()); // JSON: no params
}

void TestHar::largeBodiesAreWrittenFromTheirFile_data()
{
    QTest::addColumn<QByteArray>("body");
    // Text with everything JSON escapes, a secret across the 1 MiB slice boundary and
    // a UTF-8 sequence across it too; and bytes that are not UTF-8.
    QByteArray text = QByteArray(1024 * 1024 - 5, 'a') + "SECRET-VALUE" + "\"\\\n\r\t\x01"
        + QByteArray(1024 * 1024 - 2, 'b') + "\xE2\x82\xAC" + "tail";
    QTest::newRow("utf-8 text") << text;
    QByteArray binary(3 * 1024 * 1024 + 1, '\0');
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char(i * 7 % 256);
    QTest::newRow("binary") << binary;
}

// A body in a file goes into the HAR a slice at a time, and reads back as the same
// document toHar() would give, the secret masked.
void TestHar::largeBodiesAreWrittenFromTheirFile()
{
    QFETCH(QByteArray, body);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"body"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(body);
    f.close();
    HarEntry fromFile;
    fromFile.request = WireRequest { "GET", u"https://gw.example/x"_s, {}, {} };
    fromFile.startedAt = QDateTime::currentDateTimeUtc();
    fromFile.status = 200;
    fromFile.responseHeaders = { { "Content-Type", "text/plain" } };
    fromFile.responseBodyFile = path;
    HarEntry inMemory = fromFile;
    inMemory.responseBodyFile.clear();
    inMemory.responseBody = body;

    QBuffer streamed;
    streamed.open(QIODevice::WriteOnly);
    const QStringList secrets { u"SECRET-VALUE"_s };
    QVERIFY(writeHar(streamed, { fromFile }, false, secrets));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(streamed.data(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject expected = toHar({ inMemory }, false, secrets);
    const auto content = [](const QJsonObject &har) {
        return har[u"log"_s][u"entries"_s][0][u"response"_s][u"content"_s].toObject();
    };
    QCOMPARE(content(doc.object()), content(expected));
    QCOMPARE(content(doc.object())[u"size"_s].toInteger(), body.size());
    QVERIFY(!streamed.data().contains("SECRET-VALUE"));
}

QTEST_GUILESS_MAIN(TestHar)
#include "tst_har.moc"
