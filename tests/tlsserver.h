#pragma once

// A TLS server on loopback with the tests' self-signed certificate (tests/data/tls)
// that answers every request with a small chat completion, and, when asked, requires
// a client certificate the tests' client CA issued. It counts the requests it
// answered and names the client certificate each came with. Shared by the window's
// tests.

#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QString>
#include <QStringList>

namespace gs::tests {

class LoopbackTlsServer final : public QSslServer
{
public:
    enum class Clients {
        Anyone,
        WithCertificate, //!< issued by tests/data/tls/client-ca.crt
    };

    explicit LoopbackTlsServer(Clients clients = Clients::Anyone)
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate::fromPath(file("self-signed.crt")).value(0));
        QFile key(file("self-signed.key"));
        if (key.open(QIODevice::ReadOnly))
            config.setPrivateKey(QSslKey(&key, QSsl::Rsa, QSsl::Pem));
        if (clients == Clients::WithCertificate) {
            config.setPeerVerifyMode(QSslSocket::VerifyPeer);
            config.setCaCertificates(QSslCertificate::fromPath(file("client-ca.crt")));
        }
        setSslConfiguration(config);
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(nextPendingConnection()))
                serve(socket);
        });
    }

    //! A file of tests/data/tls.
    static QString file(const char *name)
    {
        return QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/") + QLatin1StringView(name);
    }
    QString base() const { return QStringLiteral("https://127.0.0.1:%1").arg(serverPort()); }
    //! The subject of the client certificate of each answered request ("" for none).
    const QStringList &answered() const { return m_answered; }

private:
    void serve(QSslSocket *socket)
    {
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            if (!socket->peek(64 * 1024).contains("\r\n\r\n"))
                return;
            socket->readAll();
            m_answered << socket->peerCertificate().subjectDisplayName();
            const QByteArray body = R"({"choices":[{"index":0,"message":{"role":)"
                                    R"("assistant","content":"hi"}}]})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        });
    }

    QStringList m_answered;
};

} // namespace gs::tests
