#pragma once

// A server on loopback that answers every request with a close-delimited event
// stream (no length, not chunked) and closes it after three chat chunks: neither
// [DONE] nor a finish reason, as a stream reset mid-way looks to a client. Shared by
// the tests of the exchange, the command line and the window.

#include <QHostAddress>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

namespace gs::tests {

class CutShortStreamServer final : public QTcpServer
{
public:
    CutShortStreamServer()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }

    //! The chat completions address on this server.
    QString chatUrl() const
    {
        return QStringLiteral("http://127.0.0.1:%1/chat/completions").arg(serverPort());
    }

private:
    static void serve(QTcpSocket *socket)
    {
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            if (!socket->peek(64 * 1024).contains("\r\n\r\n"))
                return;
            socket->readAll();
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                          "Connection: close\r\n\r\n");
            for (int i = 0; i < 3; ++i)
                socket->write(R"(data: {"choices":[{"index":0,"delta":{"content":"w "}}]})"
                              "\n\n");
            socket->disconnectFromHost();
        });
    }
};

} // namespace gs::tests
