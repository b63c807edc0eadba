#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslError>

class QNetworkProxy;
class QTcpSocket;

namespace gs::core {

class BodyDevice;

//! An HTTP/1.1 request whose body holds files, sent by Gatescope itself over a socket
//! of its own and presented as a QNetworkReply, so that Exchange treats it like any
//! other. Qt's network access manager hands a body to its HTTP thread 16 KiB per round
//! trip between threads (about 170 MiB/s here, docs/performance.md); this writes the
//! body in 1 MiB pieces as the socket drains, at the speed of the loopback or the
//! network. One fresh connection per request, closed after the response; no HTTP/2,
//! no redirects followed (a 3xx is the result), no decompression (it asks for none).
//! TLS with the request's QSslConfiguration; the proxy given (or the application's).
class UploadReply final : public QNetworkReply
{
    Q_OBJECT

public:
    //! Sends \a method \a request with the body read from \a body (open, positioned at
    //! its start, kept by the caller for as long as this reply runs). Starts from the
    //! event loop, so that signals can be connected first.
    UploadReply(const QNetworkRequest &request, const QByteArray &method, BodyDevice *body,
        const QNetworkProxy &proxy, QObject *parent = nullptr);
    ~UploadReply() override;

    void abort() override;
    void ignoreSslErrors() override;
    qint64 bytesAvailable() const override;
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    void sslConfigurationImplementation(QSslConfiguration &configuration) const override;

private:
    void start(const QNetworkProxy &proxy);
    void onConnected();
    void writeBody();
    void onReadyRead();
    //! Reads the status line and headers from m_in; false while they are incomplete.
    bool readHead();
    //! Moves body bytes from m_in to the reader as the framing allows.
    void readBody();
    void onSocketError();
    void done(NetworkError error = NoError, const QString &message = {});

    QByteArray m_method;
    QPointer<BodyDevice> m_body;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_in; //!< received and not yet parsed
    QByteArray m_out; //!< the response body not yet read
    QByteArray m_piece; //!< one read of the body, reused for every write
    qint64 m_sent = 0;
    qint64 m_total = 0;
    QElapsedTimer m_clock;
    qint64 m_lastProgressMs = -1;
    qint64 m_remaining = -1; //!< body bytes to come with Content-Length; -1 otherwise
    qint64 m_chunkLeft = -1; //!< bytes left in the current chunk; -1 before a chunk's size
    bool m_chunked = false;
    bool m_headWritten = false;
    bool m_headDone = false;
    bool m_bodySent = false;
    bool m_ignoreSsl = false;
    bool m_finished = false;
};

} // namespace gs::core
