#pragma once

#include "core/model/gatewayrequest.h"
#include "core/net/exchangesnapshot.h"
#include "core/net/timeline.h"
#include "core/net/trust.h"
#include "core/stream/responsedecoder.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTemporaryFile;
class QTimer;

namespace gs::core {

class BodyDevice;

struct ExchangeOptions
{
    qint64 deadlineMs = 0; //!< client-side limit for the whole exchange; 0: none
    qint64 idleTimeoutMs = 0; //!< give up when nothing at all arrives for this long; 0: never
    int maxRedirects = 5;
    //! Connections Qt may open to one host over HTTP/1.1 (its default is 6); 0: Qt's
    //! default. A load run sets its concurrency here.
    int connectionsPerHost = 0;
    bool allowInsecureTls
        = false; //!< accept certificate problems (self-hosted gateways); they are still reported
    qint64 spillThreshold
        = 8 * 1024 * 1024; //!< body bytes kept in memory before the body moves to a temporary file
    bool forceStream = false; //!< parse the body as SSE whatever its Content-Type says
    //! Keep the raw bytes of an SSE or NDJSON body too. A caller that only uses the
    //! decoded events and the assembled answer (a terminal) turns this off and saves
    //! writing a long stream to a temporary file; other bodies are always kept.
    bool keepStreamBody = true;
    //! Trusted in addition to the system's store (and SSL_CERT_FILE/SSL_CERT_DIR): a
    //! self-hosted gateway's private CA (--cacert).
    QList<QSslCertificate> extraCaCertificates;
    //! A client certificate, its intermediates and its key, for gateways that require
    //! one (mTLS); null: none.
    ClientIdentity client;

    //! Takes what \a material trusts and presents; its verifyHost false allows
    //! certificate problems.
    void useTls(const TlsMaterial &material)
    {
        extraCaCertificates += material.caCertificates;
        if (!material.client.isNull())
            client = material.client;
        if (!material.verifyHost)
            allowInsecureTls = true;
    }
};

//! Sends one composed request and streams the reply: records the timeline, decodes
//! SSE or NDJSON as bytes arrive, assembles the answer, and keeps the whole body
//! (in memory up to a threshold, then in a temporary file). Never blocks.
//!
//! Signals: headersReceived() at most once, then eventsArrived()/progress() any
//! number of times, then exactly one finished().
class Exchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Exchange)

public:
    Exchange(
        QNetworkAccessManager *network, ExchangeOptions options = {}, QObject *parent = nullptr);
    ~Exchange() override;

    void start(const WireRequest &request);
    //! Stops at once; finished() follows with a Canceled error and what had arrived.
    void cancel();

    bool isFinished() const { return m_finished; }
    //! The wall-clock time start() was called (the timeline itself is monotonic).
    QDateTime startedAt() const { return m_startedAt; }
    //! Microseconds since start(), on the clock the timeline uses.
    qint64 elapsedUs() const { return now(); }
    const Timeline &timeline() const { return m_timeline; }
    const ExchangeError &error() const { return m_error; }

    int status() const { return m_status; }
    QByteArray reason() const { return m_reason; }
    QByteArray httpVersion() const { return m_httpVersion; }
    const HttpHeaders &responseHeaders() const { return m_headers; }
    BodyFraming framing() const { return m_decoder ? m_decoder->framing() : BodyFraming::Other; }
    const AssembledResponse &assembled() const
    {
        static const AssembledResponse kNothing;
        return m_decoder ? m_decoder->assembled() : kNothing;
    }
    //! Redirects followed, in order.
    const QStringList &redirects() const { return m_redirects; }
    //! Certificate problems seen (and ignored only when allowInsecureTls).
    const QStringList &tlsProblems() const { return m_tlsProblems; }
    //! The certificate chain the server presented (leaf first); empty without TLS.
    const QList<QSslCertificate> &peerCertificates() const { return m_peerCertificates; }
    //! Things the user should know about how the request was sent.
    const QStringList &notes() const { return m_notes; }
    //! Whether the stream ended inside an event (which was dropped).
    bool unterminatedEvent() const { return m_decoder && m_decoder->unterminatedEvent(); }
    //! For a finished exchange without a transport error: why its streamed answer is
    //! not whole (core::incompleteReason), empty when it is.
    QString incomplete() const;

    //! The body received so far: all of it, read back from the temporary file when it
    //! spilled (empty for a stream when keepStreamBody is off). Meant for the end of
    //! an exchange.
    QByteArray body() const;
    //! Where the body went once it passed the spill threshold; empty while in memory.
    QString bodyFile() const;
    //! The exchange as a value (for a finished one): the body as its first
    //! \a prefixBytes, read from the spill file when it went there, plus the file,
    //! which stays on disk while the snapshot lives.
    ExchangeSnapshot snapshot(qsizetype prefixBytes = kSnapshotPrefixBytes) const;

Q_SIGNALS:
    void headersReceived();
    //! Body bytes as they arrive (after decompression), for raw views.
    void dataArrived(const QByteArray &chunk);
    void eventsArrived(const QList<gs::core::SseEvent> &events);
    //! Request body bytes sent so far, of \a total (for an upload's progress).
    void uploadProgress(qint64 sent, qint64 total);
    void progress();
    void finished();

private:
    qint64 now() const { return m_clock.nsecsElapsed() / 1000; }
    void onMetaData();
    void onReadyRead();
    void onFinished();
    //! Qt's HTTP/2 does not notice a gateway that refuses the client's certificate
    //! after a TLS 1.3 handshake once the request is on its way: the reply waits for
    //! ever. When a fresh TLS connection has said nothing for a moment, a second TLS
    //! connection (no request on it) hears the gateway's alert, if it sends one, and
    //! the exchange fails with what it means; any other answer leaves it alone.
    void probeTls(
        const std::function<void(const QString &meaning, const QString &detail)> &verdict);
    void consume(QByteArrayView bytes);
    //! One decoded event: counted, timed, queued for eventsArrived().
    void takeEvent(SseEvent &&event, bool addedContent);
    void handleEvents();
    void storeBody(QByteArrayView bytes);
    void fail(ExchangeError::Kind kind, const QString &message, const QString &detail = {});
    void finish();

    QNetworkAccessManager *m_network;
    ExchangeOptions m_options;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_deadline;
    QTimer *m_idle;
    //! Starts a TLS probe when a fresh TLS connection stays silent (see probeTls()).
    QTimer *m_probeTimer;
    //! The body, when files of it go out from disk.
    QPointer<BodyDevice> m_bodyDevice;
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    Timeline m_timeline;
    ExchangeError m_error;
    int m_status = 0;
    QByteArray m_reason;
    QByteArray m_httpVersion;
    HttpHeaders m_headers;
    //! Made when the first body bytes arrive (the headers are known then).
    std::optional<ResponseDecoder> m_decoder;
    ResponseDecoder::Sink m_eventSink;
    QList<SseEvent> m_pending; //!< decoded, not yet announced
    qint64 m_chunkTime = 0; //!< when the bytes being decoded arrived
    QByteArray m_body;
    std::shared_ptr<QTemporaryFile> m_spill;
    WireRequest m_sent;
    QStringList m_redirects;
    QStringList m_tlsProblems;
    QList<QSslCertificate> m_peerCertificates;
    QStringList m_notes;
    bool m_finished = false;
    bool m_canceled = false;
    bool m_deadlineHit = false;
    bool m_idleHit = false;
    bool m_probed = false; //!< probeTls() ran (once per exchange)
    bool m_drainQueued = false;
    bool m_idleBeforeHeaders = false;
    qint64 m_uploaded = 0; //!< request body bytes that went out
    qint64 m_uploadTotal = 0;
    bool m_idleHeadersUnreadable = false;
};

} // namespace gs::core
