#include "core/httpfile/httpfile.h"
#include "core/httpfile/httpwriter.h"
#include "core/net/bodydevice.h"
#include "core/net/exchange.h"
#include "tests/tlsserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

// A loopback HTTP/1.1 server that reads one request whole (by its Content-Length)
// and answers 200, keeping what arrived.
class CapturingServer final : public QTcpServer
{
public:
    CapturingServer()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }
    QString url() const { return u"http://127.0.0.1:%1/files"_s.arg(serverPort()); }
    QByteArray headers;
    QByteArray body;

private:
    void serve(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            m_buffer += socket->readAll();
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            headers = m_buffer.first(end);
            qint64 length = 0;
            for (const QByteArray &line : headers.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (m_buffer.size() - end - 4 < length)
                return;
            body = m_buffer.sliced(end + 4, length);
            const QByteArray answer = R"({"id":"file-1","object":"file","status":"processed"})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(answer.size()) + "\r\n\r\n" + answer);
            m_buffer.clear();
        });
    }
    QByteArray m_buffer;
};

} // namespace

// A multipart upload as a .http file writes it: the file part read from disk as the
// body goes out, the bytes on the wire checked by Python's own email parser.
class TestUpload final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void multipartFromAFile();
    void problemsWithThePartsAreNamed();
    void aFileThatChangesIsNotSentAsIfWhole();
    void aLargeFileHoldingTheBoundaryStopsAsItStreams();
    void writtenBackWithItsFileLines();
    void answersFramedEveryWayAreRead_data();
    void answersFramedEveryWayAreRead();
    void overTlsWithTheGatewaysAuthority();
    void plainHttpThroughAnHttpProxyStaysWithQt();

private:
    ResolvedRequest resolveUpload(const QString &boundary = u"gs-boundary"_s);
    std::unique_ptr<Exchange> send(const WireRequest &wire, ExchangeOptions options = {});

    QTemporaryDir m_dir;
    QByteArray m_jsonl;
    QNetworkAccessManager m_network;
};

void TestUpload::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A batch input file of a few hundred kilobytes, with bytes of every value.
    for (int i = 0; i < 3000; ++i)
        m_jsonl += R"({"custom_id":"r)" + QByteArray::number(i)
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"a/b"}})" + '\n';
    for (int c = 0; c < 256; ++c)
        m_jsonl += char(c);
    QFile f(m_dir.filePath(u"input.jsonl"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_jsonl);
}

ResolvedRequest TestUpload::resolveUpload(const QString &boundary)
{
    const QString text = u"POST {{url}}\n"
                         "Content-Type: multipart/form-data; boundary=%1\n"
                         "\n"
                         "--%1\n"
                         "Content-Disposition: form-data; name=\"purpose\"\n"
                         "\n"
                         "batch\n"
                         "--%1\n"
                         "Content-Disposition: form-data; name=\"file\"; filename=\"input.jsonl\"\n"
                         "Content-Type: application/jsonl\n"
                         "\n"
                         "< ./input.jsonl\n"
                         "--%1--\n"_s.arg(boundary);
    const auto file = HttpFile::parse(text);
    if (!file)
        qFatal("%s", qPrintable(file.error().message));
    const auto resolved = resolve(
        file->requests().first(), { { u"url"_s, u"http://127.0.0.1:9/files"_s } }, m_dir.path());
    if (!resolved)
        qFatal("%s", qPrintable(resolved.error().message));
    return *resolved;
}

std::unique_ptr<Exchange> TestUpload::send(const WireRequest &wire, ExchangeOptions options)
{
    auto exchange = std::make_unique<Exchange>(&m_network, options);
    QSignalSpy finished(exchange.get(), &Exchange::finished);
    exchange->start(wire);
    if (!exchange->isFinished())
        finished.wait(30000);
    return exchange;
}

void TestUpload::multipartFromAFile()
{
    ResolvedRequest wire = resolveUpload();
    // The file is not in the request's bytes: only where it goes and its size.
    QCOMPARE(wire.bodyFiles.size(), 1);
    QCOMPARE(wire.bodyFiles.first().size, m_jsonl.size());
    QVERIFY(wire.body.size() < 400);
    const QByteArray placeholder = "<file " + m_dir.filePath(u"input.jsonl"_s).toUtf8() + ", "
        + QByteArray::number(m_jsonl.size()) + " bytes>";
    QVERIFY(wire.toText().contains(placeholder));

    CapturingServer server;
    wire.url = server.url();
    const auto exchange = send(wire);
    QCOMPARE(exchange->error().message, QString());
    QCOMPARE(exchange->status(), 200);
    QCOMPARE(server.body.size(), wire.bodySize());
    const QByteArray length = "content-length: " + QByteArray::number(wire.bodySize());
    QVERIFY(server.headers.toLower().contains(length));
    // Sent by Gatescope's own socket: the request line and Host as HTTP/1.1 has them.
    QVERIFY2(server.headers.startsWith("POST /files HTTP/1.1\r\nHost: 127.0.0.1:"),
        server.headers.constData());
    QCOMPARE(exchange->snapshot().httpVersion, "HTTP/1.1");
    QVERIFY(exchange->timeline().requestSent >= exchange->timeline().connecting);
    // A Host the request sets (a virtual host behind an address) is the one sent, once.
    ResolvedRequest virtualHost = wire;
    virtualHost.headers.append(HttpHeader { "Host", "gateway.example" });
    QCOMPARE(send(virtualHost)->status(), 200);
    QVERIFY2(server.headers.contains("\r\nHost: gateway.example\r\n")
            && server.headers.count("Host:") == 1,
        server.headers.constData());

    // Python's email package reads the parts: their names, file name and content.
    QProcess python;
    python.start(u"python3"_s, { u"-c"_s, uR"(import sys, json, hashlib
from email.parser import BytesParser
from email import policy
raw = sys.stdin.buffer.read()
msg = BytesParser(policy=policy.HTTP).parsebytes(raw)
parts = []
for part in msg.iter_parts():
    payload = part.get_payload(decode=True)
    parts.append({"name": part.get_param("name", header="content-disposition"),
                  "filename": part.get_filename(), "type": part.get_content_type(),
                  "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()})
print(json.dumps({"multipart": msg.is_multipart(), "defects": len(msg.defects), "parts": parts}))
)"_s });
    QVERIFY(python.waitForStarted());
    python.write("Content-Type: multipart/form-data; boundary=gs-boundary\r\n\r\n" + server.body);
    python.closeWriteChannel();
    QVERIFY(python.waitForFinished(30000));
    QCOMPARE(python.exitCode(), 0);
    const QJsonObject parsed = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    QVERIFY2(parsed.value(u"multipart"_s).toBool(), python.readAllStandardError().constData());
    QCOMPARE(parsed.value(u"defects"_s).toInt(), 0);
    const QJsonArray parts = parsed.value(u"parts"_s).toArray();
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[0].toObject().value(u"name"_s).toString(), u"purpose"_s);
    QCOMPARE(parts[0].toObject().value(u"size"_s).toInt(), 5); // "batch"
    const QJsonObject filePart = parts[1].toObject();
    QCOMPARE(filePart.value(u"name"_s).toString(), u"file"_s);
    QCOMPARE(filePart.value(u"filename"_s).toString(), u"input.jsonl"_s);
    QCOMPARE(filePart.value(u"type"_s).toString(), u"application/jsonl"_s);
    QCOMPARE(filePart.value(u"size"_s).toInt(), m_jsonl.size());
    QCOMPARE(filePart.value(u"sha256"_s).toString(),
        QString::fromLatin1(QCryptographicHash::hash(m_jsonl, QCryptographicHash::Sha256).toHex()));
}

// The answer to an upload read whatever its framing: a length, chunks (after a
// 100 Continue), or the connection's close; a 3xx is the result, not followed.
void TestUpload::answersFramedEveryWayAreRead_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("length") << "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"_ba << 200
                            << "hello"_ba;
    QTest::newRow("chunked after 100")
        << "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n"
           "\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba
        << 201 << "hello world"_ba;
    QTest::newRow("to the close")
        << "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"_ba << 200
        << "until close"_ba;
    QTest::newRow("redirect kept") << "HTTP/1.1 308 Permanent Redirect\r\nLocation: /v2/files\r\n"
                                      "Content-Length: 0\r\n\r\n"_ba
                                   << 308 << QByteArray();
}

void TestUpload::answersFramedEveryWayAreRead()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QByteArray received;
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
        QTcpSocket *socket = server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
            received += socket->readAll();
            const qsizetype end = received.indexOf("\r\n\r\n");
            if (end < 0 || received.size() - end - 4 < m_jsonl.size())
                return; // answered once the whole body is in
            socket->write(answer);
            if (!answer.contains("Content-Length") && !answer.contains("chunked"))
                socket->disconnectFromHost();
        });
    });
    ResolvedRequest wire = resolveUpload();
    wire.url = u"http://127.0.0.1:%1/files"_s.arg(server.serverPort());
    const auto exchange = send(wire);
    QVERIFY2(
        exchange->error().kind == ExchangeError::Kind::None, qPrintable(exchange->error().message));
    QCOMPARE(exchange->status(), status);
    QCOMPARE(exchange->body(), body);
}

// Over TLS the gateway's certificate is checked against the authorities given (a
// self-hosted gateway's own CA), and refused, with the reason, without them.
void TestUpload::overTlsWithTheGatewaysAuthority()
{
    gs::tests::LoopbackTlsServer server;
    ResolvedRequest wire = resolveUpload();
    wire.url = server.base() + u"/files"_s;
    const auto refused = send(wire);
    QCOMPARE(refused->error().kind, ExchangeError::Kind::Tls);
    QVERIFY2(refused->error().message.contains(u"certificate was not accepted"_s),
        qPrintable(refused->error().message));
    QCOMPARE(server.answered().size(), 0);

    ExchangeOptions trusting;
    trusting.extraCaCertificates
        = QSslCertificate::fromPath(gs::tests::LoopbackTlsServer::file("self-signed.crt"));
    const auto accepted = send(wire, trusting);
    QVERIFY2(
        accepted->error().kind == ExchangeError::Kind::None, qPrintable(accepted->error().message));
    QCOMPARE(accepted->status(), 200);
    QVERIFY(accepted->body().contains("\"content\":\"hi\""));
    QVERIFY(accepted->timeline().encrypted >= 0);
    QCOMPARE(server.answered().size(), 1);
}

// Behind an HTTP proxy a plain-http upload is sent as Qt's manager sends it, in
// absolute form to the proxy (a socket of our own could only ask for a tunnel).
void TestUpload::plainHttpThroughAnHttpProxyStaysWithQt()
{
    CapturingServer proxyServer;
    QNetworkAccessManager network;
    network.setProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, proxyServer.serverPort()));
    ResolvedRequest wire = resolveUpload();
    wire.url = u"http://gateway.invalid/api/llm/files"_s;
    Exchange exchange(&network, ExchangeOptions {});
    QSignalSpy finished(&exchange, &Exchange::finished);
    exchange.start(wire);
    QVERIFY(exchange.isFinished() || finished.wait(30000));
    QVERIFY2(
        exchange.error().kind == ExchangeError::Kind::None, qPrintable(exchange.error().message));
    QCOMPARE(exchange.status(), 200);
    QVERIFY2(proxyServer.headers.startsWith("POST http://gateway.invalid/api/llm/files HTTP/1.1"),
        proxyServer.headers.constData());
    QCOMPARE(proxyServer.body.size(), wire.bodySize());
}

void TestUpload::problemsWithThePartsAreNamed()
{
    const auto problem = [this](const QString &text) {
        const auto file = HttpFile::parse(text);
        if (!file)
            return file.error().message;
        const auto resolved = resolve(file->requests().first(), {}, m_dir.path());
        return resolved ? QString() : resolved.error().message;
    };
    const QString missing
        = problem(u"POST http://h/files\nContent-Type: multipart/form-data; boundary=b\n\n--b\n"
                  "Content-Disposition: form-data; name=\"file\"\n\n< ./missing.jsonl\n--b--\n"_s);
    QVERIFY2(missing.contains(u"missing.jsonl: no such file"_s), qPrintable(missing));
    const QString noBoundary
        = problem(u"POST http://h/files\nContent-Type: multipart/form-data\n\n--b\n\nx\n--b--\n"_s);
    QVERIFY2(noBoundary.contains(u"no boundary"_s), qPrintable(noBoundary));
    // A boundary the file's content holds would end the part early.
    QFile f(m_dir.filePath(u"clash.txt"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("line\n--b\nmore\n");
    f.close();
    const QString clash
        = problem(u"POST http://h/files\nContent-Type: multipart/form-data; boundary=b\n\n--b\n"
                  "Content-Disposition: form-data; name=\"file\"\n\n< ./clash.txt\n--b--\n"_s);
    QVERIFY2(clash.contains(u"contains the boundary --b"_s), qPrintable(clash));
}

// A file that changes between composing and sending is not sent as if it were whole.
void TestUpload::aFileThatChangesIsNotSentAsIfWhole()
{
    QFile copy(m_dir.filePath(u"input.jsonl"_s));
    ResolvedRequest wire = resolveUpload();
    CapturingServer server;
    wire.url = server.url();
    QVERIFY(copy.open(QIODevice::Append));
    copy.write("{}\n");
    copy.close();
    const auto exchange = send(wire);
    QCOMPARE(exchange->status(), 0);
    QVERIFY2(exchange->error().message.contains(u"not the %1 it was"_s.arg(m_jsonl.size())),
        qPrintable(exchange->error().message));
    QVERIFY(server.body.isEmpty());
    QVERIFY(QFile::resize(m_dir.filePath(u"input.jsonl"_s), m_jsonl.size()));
}

// A file too large to search when the request is resolved (the window's thread) is
// searched as it streams: the boundary line inside it stops the upload, named, and
// the server never sees the close delimiter.
void TestUpload::aLargeFileHoldingTheBoundaryStopsAsItStreams()
{
    const QString path = m_dir.filePath(u"large.jsonl"_s);
    QFile large(path);
    QVERIFY(large.open(QIODevice::WriteOnly));
    const QByteArray filler(1024 * 1024, 'x');
    for (int i = 0; i < 40; ++i) {
        large.write(filler);
        if (i == 20)
            large.write("\r\n--gs-large\r\n"); // at 21 MiB, wherever Qt's reads fall
    }
    large.close();
    const QString text = u"POST http://127.0.0.1:1/files\n"
                         "Content-Type: multipart/form-data; boundary=gs-large\n\n--gs-large\n"
                         "Content-Disposition: form-data; name=\"file\"; filename=\"l.jsonl\"\n\n"
                         "< ./large.jsonl\n--gs-large--"_s;
    const auto file = HttpFile::parse(text);
    QVERIFY(file);
    auto wire = resolve(file->requests().first(), {}, m_dir.path());
    QVERIFY2(wire, qPrintable(wire ? QString() : wire.error().message)); // not searched here
    CapturingServer server;
    wire->url = server.url();
    const auto exchange = send(*wire);
    QCOMPARE(exchange->status(), 0);
    QVERIFY2(exchange->error().message.contains(u"contains the boundary line --gs-large"_s),
        qPrintable(exchange->error().message));
    QVERIFY(!server.body.contains("--gs-large--"));
    // Read in pieces smaller than the line, it is still found across them.
    BodyDevice device(*wire);
    QVERIFY(device.open(QIODevice::ReadOnly));
    QVERIFY(device.seek(device.size() - 19 * 1024 * 1024 - 200));
    char piece[5];
    while (device.read(piece, sizeof piece) > 0) { }
    QVERIFY(device.failed());
    QVERIFY(device.errorString().contains(u"--gs-large"_s));
    // A small file holding it is named before anything is sent, as before.
    QVERIFY(QFile::resize(path, 1024));
    QVERIFY(large.open(QIODevice::Append));
    large.write("\r\n--gs-large\r\n");
    large.close();
    const auto small = resolve(file->requests().first(), {}, m_dir.path());
    QVERIFY(!small && small.error().message.contains(u"boundary"_s));
}

// Written back into a .http file (Save in the window, the session kept), an upload
// keeps its "< path" line, and reads back as the same request.
void TestUpload::writtenBackWithItsFileLines()
{
    const ResolvedRequest wire = resolveUpload();
    const auto text = httpFileTextOf(wire);
    QVERIFY(text);
    QVERIFY2(text->text.contains(u"\n< "_s + m_dir.filePath(u"input.jsonl"_s) + u"\n"_s),
        qPrintable(text->text));
    const auto file = HttpFile::parse(text->text);
    QVERIFY(file);
    const auto again = resolve(file->requests().first(), {}, m_dir.path());
    QVERIFY(again);
    QCOMPARE(again->body, wire.body);
    QCOMPARE(again->bodyFiles, wire.bodyFiles);
}

QTEST_GUILESS_MAIN(TestUpload)
#include "tst_upload.moc"
