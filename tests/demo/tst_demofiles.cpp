#include "core/net/exchange.h"
#include "demo/demogateway.h"
#include "demo/files.h"
#include "tests/testfiles.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::demo;
using namespace Qt::StringLiterals;

// The demo gateway's Files API over real HTTP on loopback: an upload larger than any
// request the demo reads into memory is spooled to disk as it arrives and comes back
// byte for byte; one past the gateway's limit is refused before its body is read.
// And the demo's multipart reader gives the same parts however its input is cut.
class TestDemoFiles final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aLargeUploadIsSpooledAndComesBackWhole();
    void anUploadPastTheLimitIsRefusedUnread();
    void partsDoNotDependOnHowTheBodyIsRead();

private:
    std::unique_ptr<Exchange> exchange(const WireRequest &request);

    QTemporaryDir m_dir;
    DemoGateway m_demo;
    QString m_base;
    QNetworkAccessManager m_network;
};

void TestDemoFiles::initTestCase()
{
    const auto url = m_demo.listen();
    QVERIFY(url);
    m_base = *url;
}

std::unique_ptr<Exchange> TestDemoFiles::exchange(const WireRequest &request)
{
    ExchangeOptions options;
    options.spillThreshold = 1024 * 1024; // the downloaded content goes to a file too
    auto e = std::make_unique<Exchange>(&m_network, options);
    QSignalSpy finished(e.get(), &Exchange::finished);
    e->start(request);
    if (!e->isFinished())
        finished.wait(120000);
    return e;
}

void TestDemoFiles::aLargeUploadIsSpooledAndComesBackWhole()
{
    // 40 MiB, more than the 32 MiB the demo reads into memory for other requests,
    // with bytes that look like a boundary's start.
    QByteArray content(40 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator random(7);
    random.fillRange(reinterpret_cast<quint32 *>(content.data()), content.size() / 4);
    for (qsizetype i = 0; i < content.size(); i += 1024 * 1024)
        content.replace(i, 6, "\r\n--gs");
    const QString path = m_dir.filePath(u"weights.bin"_s);
    gs::tests::writeFile(path, content);

    const QByteArray boundary = "gs-demo-files-test";
    QByteArray body = "--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"weights.bin\"\r\n"
          "Content-Type: application/octet-stream\r\n\r\n";
    const BodyFiles files { BodyFile { body.size(), path, content.size() } };
    body += "\r\n--" + boundary + "--\r\n";
    const HttpHeaders auth { { "Authorization", "Bearer gs-demo-token" },
        { "x-tfy-provider-name", "openai-main" } };
    const auto up = exchange(WireRequest { "POST", m_base + u"/files"_s,
        auth + HttpHeaders { { "Content-Type", "multipart/form-data; boundary=" + boundary } },
        body, files });
    QVERIFY2(up->error().kind == ExchangeError::Kind::None, qPrintable(up->error().message));
    QCOMPARE(up->status(), 200);
    const QJsonObject stored = QJsonDocument::fromJson(up->body()).object();
    QCOMPARE(stored.value(u"bytes"_s).toInteger(), content.size());
    QCOMPARE(stored.value(u"filename"_s).toString(), u"weights.bin"_s);
    const QString id = stored.value(u"id"_s).toString();

    // Sent back from disk a piece at a time: the same bytes.
    const auto down
        = exchange(WireRequest { "GET", m_base + u"/files/"_s + id + u"/content"_s, auth, {}, {} });
    QCOMPARE(down->status(), 200);
    const QByteArray back = down->body();
    QCOMPARE(back.size(), content.size());
    QVERIFY(QCryptographicHash::hash(back, QCryptographicHash::Sha256)
        == QCryptographicHash::hash(content, QCryptographicHash::Sha256));
}

void TestDemoFiles::anUploadPastTheLimitIsRefusedUnread()
{
    // The demo answers in this thread: wait by running the event loop, never blocking.
    QTcpSocket socket;
    QByteArray answer;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { answer += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_demo.port());
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
    const qint64 tooLarge = DemoFiles::kMaxFileBytes + DemoFiles::kMaxFramingBytes + 1;
    socket.write(
        "POST /api/llm/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer gs-demo-token\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: "
        + QByteArray::number(tooLarge) + "\r\n\r\n--b\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(answer.contains("}}"), 10000);
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());
    QVERIFY2(answer.contains("512 MB"), answer.constData());
}

void TestDemoFiles::partsDoNotDependOnHowTheBodyIsRead()
{
    const QByteArray body
        = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n"
          "\r\nbatch\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; "
          "filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n"
          "{\"a\":1}\r\n--\r\n-b x--b\r\n-\r\n--b--\r\n";
    const QByteArray type = "multipart/form-data; boundary=b";
    const auto whole = parseFormData(type, body);
    QVERIFY2(whole, qPrintable(whole ? QString() : whole.error()));
    QCOMPARE(whole->size(), 2);
    QCOMPARE(whole->at(0).data, "batch");
    // The file's data runs to the CRLF before the next delimiter line, which is "--b--".
    QCOMPARE(whole->at(1).data, "{\"a\":1}\r\n--\r\n-b x--b\r\n-");
    QCOMPARE(whole->at(1).size, whole->at(1).data.size());
    for (const qint64 chunk : { 1, 2, 3, 5, 7, 64 }) {
        QBuffer in;
        in.setData(body);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QBuffer file;
        QVERIFY(file.open(QIODevice::WriteOnly));
        const auto parts = readFormData(
            type, in, [&file](const FormPart &p) { return p.name == "file"_L1 ? &file : nullptr; },
            1024, chunk);
        QVERIFY2(parts, qPrintable(parts ? QString() : parts.error()));
        QCOMPARE(parts->size(), 2);
        QCOMPARE(parts->at(0).data, whole->at(0).data);
        QVERIFY(parts->at(1).data.isEmpty()); // it went to the device
        QCOMPARE(file.data(), whole->at(1).data);
        QCOMPARE(parts->at(1).size, whole->at(1).size);
    }
    // A field past the limit for memory is refused, not read on.
    QBuffer in;
    in.setData(body);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const auto limited = readFormData(type, in, {}, 4, 3);
    QVERIFY(!limited);
    QVERIFY2(limited.error().contains(u"larger than 4 bytes"_s), qPrintable(limited.error()));
}

QTEST_GUILESS_MAIN(TestDemoFiles)
#include "tst_demofiles.moc"
