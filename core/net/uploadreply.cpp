#include "core/net/uploadreply.h"

#include "core/net/bodydevice.h"

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QSslSocket>
#include <QTimer>

#include <cstring>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr qint64 kPieceBytes = 1024 * 1024; //!< read from the body and written at once
constexpr qint64 kQueuedBytes = 4 * 1024 * 1024; //!< written while less than this waits
constexpr qsizetype kMaxHeadBytes = 1024 * 1024;
constexpr qint64 kProgressEveryMs = 100;

QNetworkReply::NetworkError replyErrorFor(QAbstractSocket::SocketError e)
{
    switch (e) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return QNetworkReply::SslHandshakeFailedError;
    case QAbstractSocket::ProxyConnectionRefusedError:
        return QNetworkReply::ProxyConnectionRefusedError;
    case QAbstractSocket::ProxyConnectionClosedError:
        return QNetworkReply::ProxyConnectionClosedError;
    case QAbstractSocket::ProxyNotFoundError:
        return QNetworkReply::ProxyNotFoundError;
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return QNetworkReply::ProxyTimeoutError;
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

} // namespace

UploadReply::UploadReply(const QNetworkRequest &request, const QByteArray &method, BodyDevice *body,
    const QNetworkProxy &proxy, QObject *parent)
    : QNetworkReply(parent)
    , m_method(method)
    , m_body(body)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(QNetworkAccessManager::CustomOperation);
    setAttribute(QNetworkRequest::CustomVerbAttribute, method);
    QIODevice::open(QIODevice::ReadOnly);
    m_total = body ? body->size() : 0;
    m_clock.start();
    QTimer::singleShot(0, this, [this, proxy] { start(proxy); });
}

UploadReply::~UploadReply() = default;

void UploadReply::start(const QNetworkProxy &proxy)
{
    if (m_finished)
        return;
    const QUrl url = request().url();
    const bool tls = url.scheme() == "https"_L1;
    if (tls) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(request().sslConfiguration());
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
            Q_EMIT sslErrors(errors); // a handler may call ignoreSslErrors()
            if (m_ignoreSsl)
                ssl->ignoreSslErrors();
        });
        connect(ssl, &QSslSocket::encrypted, this, [this] {
            setAttribute(QNetworkRequest::ConnectionEncryptedAttribute, true);
            Q_EMIT encrypted();
            onConnected();
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &UploadReply::onConnected);
    }
    m_socket->setProxy(proxy);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &UploadReply::writeBody);
    connect(m_socket, &QTcpSocket::readyRead, this, &UploadReply::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UploadReply::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &UploadReply::onSocketError);
    Q_EMIT socketStartedConnecting();
    if (tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(
            url.host(), quint16(url.port(443)));
    else
        m_socket->connectToHost(url.host(), quint16(url.port(80)));
}

void UploadReply::onConnected()
{
    const QUrl url = request().url();
    QByteArray target
        = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    // "//host:port" as the URL writes it (IPv6 in brackets, a name in ASCII).
    // A Host the request sets itself (a virtual host behind an address) is the one sent.
    const QByteArray host = request().hasRawHeader("Host")
        ? request().rawHeader("Host")
        : url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveUserInfo | QUrl::RemovePath
                 | QUrl::RemoveQuery | QUrl::RemoveFragment)
              .sliced(2);
    QByteArray head = m_method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const QByteArray &name : request().rawHeaderList()) {
        const QByteArray lower = name.toLower();
        if (lower == "host" || lower == "content-length")
            continue;
        head += name + ": " + request().rawHeader(name) + "\r\n";
    }
    head += "Content-Length: " + QByteArray::number(m_total) + "\r\n\r\n";
    m_socket->write(head);
    m_headWritten = true;
    writeBody();
}

void UploadReply::writeBody()
{
    if (m_finished || !m_socket || !m_headWritten)
        return;
    if (!m_bodySent) {
        if (m_piece.isEmpty())
            m_piece.resize(kPieceBytes);
        char *piece = m_piece.data();
        while (m_socket->bytesToWrite() < kQueuedBytes && m_sent < m_total) {
            const qint64 n
                = m_body ? m_body->read(piece, std::min(kPieceBytes, m_total - m_sent)) : -1;
            if (n <= 0) {
                done(QNetworkReply::UnknownContentError,
                    m_body ? m_body->errorString() : u"The body is gone."_s);
                return;
            }
            m_socket->write(piece, n);
            m_sent += n;
        }
        m_bodySent = m_sent == m_total;
    }
    const qint64 out = m_sent - m_socket->bytesToWrite();
    if (out == m_total || m_lastProgressMs < 0
        || m_clock.elapsed() - m_lastProgressMs >= kProgressEveryMs) {
        m_lastProgressMs = m_clock.elapsed();
        Q_EMIT uploadProgress(out, m_total);
    }
    // Sent: every byte of the body went out (an early answer stopped it short: not).
    if (m_bodySent && m_sent == m_total && m_socket->bytesToWrite() == 0) {
        disconnect(m_socket, &QTcpSocket::bytesWritten, this, &UploadReply::writeBody);
        Q_EMIT requestSent();
    }
}

void UploadReply::onReadyRead()
{
    if (m_finished)
        return;
    m_in += m_socket->readAll();
    if (!m_headDone && !readHead())
        return;
    readBody();
}

bool UploadReply::readHead()
{
    for (;;) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_in.size() > kMaxHeadBytes)
                done(QNetworkReply::ProtocolFailure,
                    u"The response's headers are longer than 1 MiB."_s);
            return false;
        }
        const QList<QByteArray> lines = m_in.first(end).split('\n');
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        bool ok = false;
        const int status = parts.value(1).toInt(&ok);
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
            done(QNetworkReply::ProtocolFailure,
                u"The response does not start with an HTTP/1.1 status line."_s);
            return false;
        }
        m_in.remove(0, end + 4);
        if (status < 200)
            continue; // 100 Continue, 103 Early Hints: the answer is still to come
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
        setAttribute(QNetworkRequest::HttpReasonPhraseAttribute,
            statusLine.sliced(
                std::min<qsizetype>(statusLine.size(), parts[0].size() + parts[1].size() + 2)));
        setAttribute(QNetworkRequest::Http2WasUsedAttribute, false);
        QList<QByteArray> names;
        QList<QByteArray> values;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.first(colon).trimmed();
            const QByteArray value = line.sliced(colon + 1).trimmed();
            const qsizetype known = names.indexOf(name);
            if (known < 0) {
                names << name;
                values << value;
            } else {
                // As Qt joins a repeated header: cookies by line, the rest by comma.
                values[known]
                    += (name.compare("set-cookie", Qt::CaseInsensitive) == 0 ? "\n" : ", ") + value;
            }
        }
        for (qsizetype i = 0; i < names.size(); ++i)
            setRawHeader(names[i], values[i]);
        m_chunked = rawHeader("transfer-encoding").toLower().contains("chunked");
        const bool noBody = m_method == "HEAD" || status == 204 || status == 304;
        if (noBody)
            m_remaining = 0;
        else if (!m_chunked && hasRawHeader("content-length"))
            m_remaining = rawHeader("content-length").trimmed().toLongLong();
        m_headDone = true;
        // An answer before the whole body went out (413, 401): the rest is not sent.
        m_bodySent = true;
        Q_EMIT metaDataChanged();
        return true;
    }
}

void UploadReply::readBody()
{
    const qsizetype before = m_out.size();
    bool complete = false;
    if (m_chunked) {
        for (;;) {
            if (m_chunkLeft < 0) {
                const qsizetype eol = m_in.indexOf("\r\n");
                if (eol < 0)
                    break;
                bool ok = false;
                const qint64 size
                    = m_in.first(eol).split(';').first().trimmed().toLongLong(&ok, 16);
                if (!ok || size < 0) {
                    done(QNetworkReply::ProtocolFailure, u"A chunk's size is not a number."_s);
                    return;
                }
                m_in.remove(0, eol + 2);
                if (size == 0) {
                    complete = true; // trailers, if any, are left unread
                    break;
                }
                m_chunkLeft = size;
            }
            const qint64 take = std::min<qint64>(m_chunkLeft, m_in.size());
            m_out += QByteArrayView(m_in).first(take);
            m_in.remove(0, take);
            m_chunkLeft -= take;
            if (m_chunkLeft > 0 || m_in.size() < 2)
                break;
            m_in.remove(0, 2); // the CRLF after the chunk's data
            m_chunkLeft = -1;
        }
    } else if (m_remaining >= 0) {
        const qint64 take = std::min<qint64>(m_remaining, m_in.size());
        m_out += QByteArrayView(m_in).first(take);
        m_in.remove(0, take);
        m_remaining -= take;
        complete = m_remaining == 0;
    } else {
        m_out += m_in; // to the connection's close
        m_in.clear();
    }
    if (m_out.size() > before)
        Q_EMIT readyRead();
    if (complete)
        done();
}

void UploadReply::onSocketError()
{
    if (m_finished)
        return;
    // What arrived with the close is read first.
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
    if (m_finished)
        return;
    const QAbstractSocket::SocketError e = m_socket->error();
    const bool closed = e == QAbstractSocket::RemoteHostClosedError
        || m_socket->state() == QAbstractSocket::UnconnectedState;
    if (closed && m_headDone && !m_chunked && m_remaining < 0) {
        done(); // a body that ends with the connection
        return;
    }
    if (closed && m_headDone) {
        done(QNetworkReply::RemoteHostClosedError,
            u"The connection closed before the end of the response's body."_s);
        return;
    }
    if (e == QAbstractSocket::UnknownSocketError && closed) {
        done(QNetworkReply::RemoteHostClosedError, u"Connection closed"_s);
        return;
    }
    done(replyErrorFor(e), m_socket->errorString());
}

void UploadReply::done(NetworkError error, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (error != NoError) {
        setError(error, message);
        Q_EMIT errorOccurred(error);
    }
    setFinished(true);
    Q_EMIT finished();
}

void UploadReply::abort()
{
    done(OperationCanceledError, u"Operation canceled"_s);
}

void UploadReply::ignoreSslErrors()
{
    m_ignoreSsl = true;
}

qint64 UploadReply::bytesAvailable() const
{
    return m_out.size() + QNetworkReply::bytesAvailable();
}

qint64 UploadReply::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_out.size());
    if (n == 0)
        return m_finished ? -1 : 0;
    std::memcpy(data, m_out.constData(), size_t(n));
    m_out.remove(0, n);
    return n;
}

void UploadReply::sslConfigurationImplementation(QSslConfiguration &configuration) const
{
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        configuration = ssl->sslConfiguration();
    else
        configuration = request().sslConfiguration();
}

} // namespace gs::core
