#include "demo/demogateway.h"

#include "demo/files.h"

#include <QDir>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTimer>

#include <zlib.h>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;
using namespace gs::core;

Q_LOGGING_CATEGORY(lcDemo, "gatescope.demo", QtWarningMsg)

namespace gs::demo {

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 32 * 1024 * 1024;
constexpr qint64 kHighWater = 1024 * 1024; // stop writing while this much is unsent
constexpr int kStallCloseMs = 120'000;
constexpr qsizetype kBatchBytes = 32 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

// gzip, flushed after every event so that a compressed stream still streams.
class GzipStream
{
public:
    GzipStream()
    {
        m_z.zalloc = Z_NULL;
        m_z.zfree = Z_NULL;
        m_z.opaque = Z_NULL;
        deflateInit2(&m_z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    }
    ~GzipStream() { deflateEnd(&m_z); }
    Q_DISABLE_COPY_MOVE(GzipStream)

    QByteArray compress(QByteArrayView in, int flush)
    {
        QByteArray out;
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
        m_z.avail_in = uInt(in.size());
        char buffer[16384];
        do {
            m_z.next_out = reinterpret_cast<Bytef *>(buffer);
            m_z.avail_out = sizeof buffer;
            deflate(&m_z, flush);
            out.append(buffer, qsizetype(sizeof buffer - m_z.avail_out));
        } while (m_z.avail_out == 0);
        return out;
    }

private:
    z_stream m_z {};
};

QByteArray chunkFrame(QByteArrayView data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data.toByteArray() + "\r\n";
}

// One client connection: reads requests, hands them to the router, writes responses
// (keep-alive), and plays the faults.
class Connection final : public QObject
{
public:
    Connection(QTcpSocket *socket, DemoRouter &router, DemoGateway *gateway)
        : QObject(gateway)
        , m_socket(socket)
        , m_router(router)
        , m_gateway(gateway)
    {
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readRequest);
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_waitingForDrain && m_socket->bytesToWrite() < kHighWater / 4) {
                m_waitingForDrain = false;
                pump();
            }
        });
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this] { deleteLater(); });
    }

private:
    void readRequest()
    {
        if (m_responding)
            return; // the next request waits until this response is done
        m_in += m_socket->readAll();
        if (!m_pending && !readHead())
            return;
        Pending &p = *m_pending;
        if (p.spool) {
            // A file upload goes to disk as it arrives, never whole into memory.
            const qint64 take = qMin<qint64>(m_in.size(), p.length - p.received);
            if (take > 0) {
                if (p.spool->write(m_in.constData(), take) != take) {
                    failAndClose(500, "no room on disk for the upload");
                    return;
                }
                m_in.remove(0, take);
                p.received += take;
            }
            if (p.received < p.length)
                return askToContinue();
            if (!p.spool->flush()) {
                failAndClose(500, "no room on disk for the upload");
                return;
            }
            p.request.bodyFile = std::move(p.spool);
        } else {
            if (m_in.size() < p.length)
                return askToContinue();
            p.request.body = m_in.first(p.length);
            m_in.remove(0, p.length);
        }
        DemoRequest request = std::move(p.request);
        m_pending.reset();
        m_continued = false;
        m_close = m_http10 || headerValue(request.headers, "connection").toLower() == "close";
        m_responding = true;
        m_response = m_router.handle(request);
        m_events = 0;
        // The path only: a query may carry a credential.
        qCDebug(lcDemo) << request.method << request.target.split('?').first() << "->"
                        << m_response.status << "fault" << demoFaultName(m_response.fault) << "held"
                        << m_response.headerDelayMs << "ms";
        Q_EMIT m_gateway->requestHandled(request.method, request.target, m_response.status);
        QTimer::singleShot(m_response.headerDelayMs, this, &Connection::writeHead);
    }

    //! Reads a request's head from m_in into m_pending; false while it is incomplete or
    //! when the request was refused.
    bool readHead()
    {
        const qsizetype headerEnd = m_in.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (m_in.size() > kMaxHeaderBytes)
                failAndClose(431, "request headers larger than 64 KiB");
            return false;
        }
        DemoRequest request;
        const QList<QByteArray> lines = m_in.first(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            failAndClose(400, "malformed request line");
            return false;
        }
        request.method = requestLine[0];
        request.target = requestLine[1];
        m_http10 = requestLine[2] == "HTTP/1.0";
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.append(
                    { line.first(colon).trimmed(), line.sliced(colon + 1).trimmed() });
        }
        if (headerValue(request.headers, "transfer-encoding").toLower().contains("chunked")) {
            failAndClose(411, "send the body with Content-Length");
            return false;
        }
        bool ok = true;
        const QByteArray lengthText = headerValue(request.headers, "content-length");
        const qint64 length = lengthText.isNull() ? 0 : lengthText.toLongLong(&ok);
        // An upload to the Files API may be as large as the gateway takes, and is
        // spooled to disk; anything else is read into memory up to 32 MiB.
        const QByteArray path = request.target.split('?').first();
        const bool upload = request.method == "POST" && path.endsWith("/files");
        const qint64 limit
            = upload ? DemoFiles::kMaxFileBytes + DemoFiles::kMaxFramingBytes : kMaxBodyBytes;
        if (!ok || length < 0) {
            failAndClose(411, "body without a valid Content-Length");
            return false;
        }
        if (length > limit) {
            failAndClose(413,
                upload ? "the file is larger than the gateway's 512 MB"
                       : "body larger than 32 MiB");
            return false;
        }
        Pending pending { std::move(request), length };
        if (upload) {
            pending.spool = std::make_shared<QTemporaryFile>(
                QDir::tempPath() + u"/gatescope-demo-upload-XXXXXX"_s);
            if (!pending.spool->open()) {
                failAndClose(500, "no room on disk for the upload");
                return false;
            }
        }
        m_in.remove(0, headerEnd + 4);
        m_pending = std::move(pending);
        return true;
    }

    //! Answers "Expect: 100-continue" once, while the body is still to come.
    void askToContinue()
    {
        if (!m_continued
            && headerValue(m_pending->request.headers, "expect").toLower() == "100-continue") {
            m_continued = true;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
    }

    void failAndClose(int status, const QByteArray &why)
    {
        qCDebug(lcDemo) << "refused before routing:" << status << why;
        const QByteArray body = "{\"error\":{\"message\":\"" + why
            + "\",\"type\":\"invalid_request_error\",\"code\":" + QByteArray::number(status) + "}}";
        m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
            + "\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        m_socket->disconnectFromHost();
    }

    void writeHead()
    {
        const bool stream = m_response.stream != nullptr;
        const bool gzip = m_response.fault == DemoFault::Gzip;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(m_response.status) + ' '
            + reasonPhrase(m_response.status) + "\r\n";
        for (const HttpHeader &h : m_response.headers)
            head += h.name + ": " + h.value + "\r\n";
        if (gzip) {
            head += "content-encoding: gzip\r\n";
            m_gzip = std::make_unique<GzipStream>();
        }
        QByteArray body = m_response.body;
        if (gzip && !stream)
            body = m_gzip->compress(body, Z_FINISH);
        head += stream ? QByteArray("transfer-encoding: chunked\r\n")
                       : "content-length: " + QByteArray::number(body.size()) + "\r\n";
        head += m_close ? "connection: close\r\n\r\n" : "connection: keep-alive\r\n\r\n";
        if (stream) {
            writePieces({ head }, 0, [this] { pump(); });
            return;
        }
        switch (m_response.fault) {
        case DemoFault::ResetMidStream:
            m_socket->write(head + body.first(body.size() / 2));
            m_socket->flush();
            reset();
            return;
        case DemoFault::Drip:
            writePieces(bytewise(head + body), 2, [this] { finishResponse(); });
            return;
        default:
            m_socket->write(head + body);
            finishResponse();
        }
    }

    static QList<QByteArray> bytewise(const QByteArray &bytes)
    {
        QList<QByteArray> out;
        out.reserve(bytes.size());
        for (char c : bytes)
            out.append(QByteArray(1, c));
        return out;
    }

    // Writes \a pieces one by one, \a gapMs apart, then calls \a then.
    void writePieces(QList<QByteArray> pieces, int gapMs, std::function<void()> then)
    {
        if (pieces.isEmpty()) {
            then();
            return;
        }
        m_socket->write(pieces.takeFirst());
        if (pieces.isEmpty()) {
            then();
            return;
        }
        m_socket->flush();
        QTimer::singleShot(
            gapMs, this, [this, rest = std::move(pieces), gapMs, then = std::move(then)]() mutable {
                writePieces(std::move(rest), gapMs, std::move(then));
            });
    }

    void pump()
    {
        for (;;) {
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                return;
            const DemoFault fault = m_response.fault;
            if (fault == DemoFault::Stall && m_events >= 3) {
                QTimer::singleShot(kStallCloseMs, this, [this] { m_socket->abort(); });
                return;
            }
            if (fault == DemoFault::ResetMidStream && m_events >= 5) {
                // A moment first, so that the client has read what was sent: a reset
                // makes the receiving kernel drop unread data.
                m_socket->flush();
                QTimer::singleShot(50, this, &Connection::reset);
                return;
            }
            if (fault == DemoFault::TruncatedChunked && m_events >= 4) {
                // A chunk that announces 1 KiB and delivers 10 bytes, then the end.
                m_socket->write("400\r\ndata: {\"ch");
                m_socket->disconnectFromHost();
                return;
            }
            std::optional<QByteArray> event = m_response.stream->next();
            if (!event) {
                QByteArray end;
                if (m_gzip)
                    end = chunkFrame(m_gzip->compress({}, Z_FINISH));
                m_socket->write(end + "0\r\n\r\n");
                finishResponse();
                return;
            }
            ++m_events;
            const QByteArray data = m_gzip ? m_gzip->compress(*event, Z_SYNC_FLUSH) : *event;
            if (fault == DemoFault::Drip) {
                writePieces(bytewise(chunkFrame(data)), 1, [this] { pump(); });
                return;
            }
            if (fault == DemoFault::SplitUtf8 && !m_gzip) {
                // Cut inside the first multi-byte sequence, into two writes 10 ms apart.
                qsizetype cut = data.size() / 2;
                for (qsizetype i = 0; i < data.size(); ++i) {
                    if (static_cast<unsigned char>(data[i]) >= 0xC0) {
                        cut = i + 1;
                        break;
                    }
                }
                writePieces({ chunkFrame(data.first(cut)), chunkFrame(data.sliced(cut)) }, 10,
                    [this] { nextAfterInterval(); });
                return;
            }
            if (m_response.eventIntervalMs == 0 && fault == DemoFault::None) {
                // Unpaced: gather events into chunks of about 32 KiB, as a busy
                // server's socket would, instead of one write per event.
                QByteArray batch;
                batch.reserve(kBatchBytes + 4 * 1024);
                batch += data;
                while (batch.size() < kBatchBytes) {
                    const std::optional<QByteArray> more = m_response.stream->next();
                    if (!more) {
                        m_socket->write(chunkFrame(batch) + "0\r\n\r\n");
                        finishResponse();
                        return;
                    }
                    ++m_events;
                    batch += *more;
                }
                // Three writes, not one concatenation: the socket keeps a written
                // QByteArray as it is, so the batch is never copied.
                m_socket->write(QByteArray::number(batch.size(), 16) + "\r\n");
                m_socket->write(batch);
                m_socket->write("\r\n");
                if (m_socket->bytesToWrite() > kHighWater) {
                    m_waitingForDrain = true;
                    return;
                }
                continue;
            }
            m_socket->write(chunkFrame(data));
            if (m_response.eventIntervalMs > 0) {
                nextAfterInterval();
                return;
            }
            if (m_socket->bytesToWrite() > kHighWater) {
                m_waitingForDrain = true;
                return;
            }
        }
    }

    void nextAfterInterval()
    {
        m_socket->flush();
        QTimer::singleShot(m_response.eventIntervalMs, this, &Connection::pump);
    }

    void reset()
    {
#ifdef Q_OS_UNIX
        // SO_LINGER with a zero timeout turns close() into a TCP reset.
        const linger noLinger { 1, 0 };
        ::setsockopt(
            int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger, sizeof noLinger);
#endif
        m_socket->abort();
    }

    void finishResponse()
    {
        m_responding = false;
        m_gzip.reset();
        m_response = {};
        if (m_close) {
            m_socket->disconnectFromHost();
            return;
        }
        if (!m_in.isEmpty() || m_socket->bytesAvailable() > 0)
            QTimer::singleShot(0, this, &Connection::readRequest);
    }

    QTcpSocket *m_socket;
    DemoRouter &m_router;
    DemoGateway *m_gateway;
    //! A request whose head was read and whose body is arriving.
    struct Pending
    {
        DemoRequest request;
        qint64 length = 0;
        std::shared_ptr<QTemporaryFile> spool = nullptr; //!< where an upload's body goes
        qint64 received = 0;
    };

    QByteArray m_in;
    std::optional<Pending> m_pending;
    DemoResponse m_response;
    std::unique_ptr<GzipStream> m_gzip;
    qint64 m_events = 0;
    bool m_responding = false;
    bool m_waitingForDrain = false;
    bool m_close = false;
    bool m_http10 = false;
    bool m_continued = false;
};

} // namespace

DemoGateway::DemoGateway(quint64 seed, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_router(seed)
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            new Connection(socket, m_router, this);
    });
}

DemoGateway::~DemoGateway() = default;

Result<QString> DemoGateway::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port))
        return fail(Error::Kind::Io,
            u"The demo gateway cannot listen on %1:%2: %3"_s.arg(address.toString())
                .arg(port)
                .arg(m_server->errorString()));
    return baseUrl();
}

quint16 DemoGateway::port() const
{
    return m_server->serverPort();
}

QString DemoGateway::baseUrl() const
{
    QString host = m_server->serverAddress().toString();
    if (m_server->serverAddress().protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://%1:%2/api/llm"_s.arg(host).arg(m_server->serverPort());
}

Result<LocalGateway> startLocalGateway()
{
    auto gateway = std::make_unique<DemoGateway>();
    auto url = gateway->listen(QHostAddress::LocalHost, kDemoPreferredPort);
    if (!url)
        url = gateway->listen();
    if (!url)
        return std::unexpected(url.error());
    return LocalGateway { std::move(gateway), *url, QString::fromLatin1(kDemoToken) };
}

} // namespace gs::demo
