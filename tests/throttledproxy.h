#pragma once

// A TCP proxy on loopback that passes what a client sends upstream at most
// bytesPerTick every tickMs, and answers back as fast as upstream does: an upload
// through it is under way for a while however fast the machine is, so that a test
// can act on it midway without depending on timing. A slower machine only makes the
// upload take longer.

#include <QHostAddress>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace gs::tests {

class ThrottledProxy final : public QTcpServer
{
public:
    ThrottledProxy(quint16 upstreamPort, qint64 bytesPerTick, int tickMs = 20)
        : m_upstreamPort(upstreamPort)
        , m_bytesPerTick(bytesPerTick)
        , m_tickMs(tickMs)
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *client = nextPendingConnection())
                relay(client);
        });
    }

    //! \a url (an address on the upstream port) through this proxy.
    QString through(QString url) const
    {
        return url.replace(u':' + QString::number(m_upstreamPort) + u'/',
            u':' + QString::number(serverPort()) + u'/');
    }

private:
    void relay(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        // The client's bytes go up a measured amount at a time: the socket's read
        // buffer is limited, so the client's kernel holds back the rest.
        client->setReadBufferSize(m_bytesPerTick);
        auto *tick = new QTimer(client);
        tick->setInterval(m_tickMs);
        connect(tick, &QTimer::timeout, client, [client, upstream, this] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(client->read(m_bytesPerTick));
        });
        connect(upstream, &QTcpSocket::connected, tick, qOverload<>(&QTimer::start));
        connect(upstream, &QTcpSocket::readyRead, client,
            [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->disconnectFromHost();
            client->deleteLater();
        });
    }

    quint16 m_upstreamPort;
    qint64 m_bytesPerTick;
    int m_tickMs;
};

} // namespace gs::tests
