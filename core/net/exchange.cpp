#include "core/net/exchange.h"

#include "core/net/bodydevice.h"
#include "core/net/uploadreply.h"

#include <QDir>
#include <QFile>
#include <QHttp1Configuration>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslSocket>
#include <QTemporaryFile>
#include <QTimer>

#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcExchange, "gatescope.exchange", QtWarningMsg)

namespace gs::core {

namespace {

constexpr qint64 kReadBufferBytes = 1024 * 1024;
constexpr qint64 kSliceBytes = 256 * 1024;
//! How long a fresh TLS connection may stay silent before probeTls() asks why.
constexpr std::chrono::milliseconds kProbeAfter { 1500 };
const auto kProbeNote = QStringLiteral(
    "The gateway said nothing on the request's connection; a second TLS connection, with no "
    "request on it, heard why.");

// The proxy the manager would use for \a url, when a socket of our own can reach the
// gateway through it the same way: directly, through SOCKS, or through an HTTP proxy's
// tunnel for https. Nullopt for a plain-http URL behind an HTTP proxy: the manager
// speaks to such a proxy in absolute form, so the upload stays with it.
std::optional<QNetworkProxy> uploadProxy(const QNetworkAccessManager &network, const QUrl &url)
{
    QNetworkProxy proxy = network.proxy();
    if (proxy.type() == QNetworkProxy::DefaultProxy) {
        const QNetworkProxyQuery query(url);
        proxy = (network.proxyFactory() ? network.proxyFactory()->queryProxy(query)
                                        : QNetworkProxyFactory::proxyForQuery(query))
                    .value(0, QNetworkProxy(QNetworkProxy::NoProxy));
    }
    const bool https = url.scheme() == "https"_L1;
    if (proxy.type() == QNetworkProxy::NoProxy || proxy.type() == QNetworkProxy::Socks5Proxy
        || (proxy.type() == QNetworkProxy::HttpProxy && https))
        return proxy;
    return std::nullopt;
}

ExchangeError::Kind kindFor(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return ExchangeError::Kind::ConnectionRefused;
    case QNetworkReply::HostNotFoundError:
        return ExchangeError::Kind::HostNotFound;
    case QNetworkReply::RemoteHostClosedError:
        return ExchangeError::Kind::ConnectionReset;
    case QNetworkReply::TimeoutError:
        return ExchangeError::Kind::Timeout;
    case QNetworkReply::SslHandshakeFailedError:
        return ExchangeError::Kind::Tls;
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return ExchangeError::Kind::TooManyRedirects;
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        return ExchangeError::Kind::Protocol;
    case QNetworkReply::OperationCanceledError:
        return ExchangeError::Kind::Canceled;
    default:
        return ExchangeError::Kind::Other;
    }
}

// The errors Qt derives from an HTTP status alone (401 -> AuthenticationRequired,
// 400 -> ProtocolInvalidOperation, 5xx -> the server range): for an inspector those
// are results to show, not failures.
bool isStatusError(QNetworkReply::NetworkError e)
{
    return (e >= QNetworkReply::ContentAccessDenied && e <= QNetworkReply::UnknownContentError)
        || (e >= QNetworkReply::InternalServerError && e <= QNetworkReply::UnknownServerError)
        || e == QNetworkReply::ProtocolInvalidOperationError;
}

QString messageFor(ExchangeError::Kind kind, const QString &url)
{
    switch (kind) {
    case ExchangeError::Kind::ConnectionRefused:
        return u"Connection refused by %1: is the gateway running?"_s.arg(url);
    case ExchangeError::Kind::HostNotFound:
        return u"Host not found for %1: check the base URL."_s.arg(url);
    case ExchangeError::Kind::ConnectionReset:
        return u"The gateway closed the connection before the response was complete."_s;
    case ExchangeError::Kind::Timeout:
        return u"The connection timed out."_s;
    case ExchangeError::Kind::Tls:
        return u"The TLS handshake failed."_s;
    case ExchangeError::Kind::TooManyRedirects:
        return u"Too many or insecure redirects."_s;
    case ExchangeError::Kind::Protocol:
        return u"The response broke the HTTP protocol (for instance a truncated chunked body)."_s;
    default:
        return u"The exchange failed."_s;
    }
}

} // namespace

Exchange::Exchange(QNetworkAccessManager *network, ExchangeOptions options, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_options(options)
    , m_deadline(new QTimer(this))
    , m_idle(new QTimer(this))
    , m_probeTimer(new QTimer(this))
    , m_eventSink([this](SseEvent &&event, bool addedContent) {
        takeEvent(std::move(event), addedContent);
    })
{
    m_idle->setSingleShot(true);
    connect(m_idle, &QTimer::timeout, this, [this] {
        m_idleHit = true;
        m_idleBeforeHeaders = m_timeline.requestSent >= 0 && m_timeline.headers < 0;
        m_idleHeadersUnreadable = m_timeline.headers >= 0 && m_headers.isEmpty();
        if (m_reply)
            m_reply->abort();
    });
    m_probeTimer->setSingleShot(true);
    m_probeTimer->setInterval(kProbeAfter);
    connect(m_probeTimer, &QTimer::timeout, this, [this] {
        if (!m_reply || m_finished || m_timeline.headers >= 0)
            return;
        probeTls([this](const QString &meaning, const QString &detail) {
            if (meaning.isEmpty() || !m_reply || m_finished || m_timeline.headers >= 0)
                return;
            m_notes << kProbeNote;
            fail(ExchangeError::Kind::Tls, meaning, detail);
            m_reply->abort();
        });
    });
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        m_deadlineHit = true;
        if (m_reply)
            m_reply->abort();
    });
}

Exchange::~Exchange()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void Exchange::start(const WireRequest &wire)
{
    m_clock.start();
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_sent = wire;
    QNetworkRequest request { QUrl(wire.url, QUrl::StrictMode) };
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(m_options.maxRedirects);
    // Qt adds Accept-Encoding itself and then decompresses as bytes arrive, so a
    // compressed stream still streams. A hand-set Accept-Encoding would switch that
    // off and hand us compressed bytes, so it is left to Qt.
    for (const HttpHeader &h : wire.headers) {
        if (headerNameEquals(h.name, "accept-encoding")) {
            m_notes
                << u"Accept-Encoding is left to Qt, which decompresses gzip and deflate as the stream arrives."_s;
            continue;
        }
        request.setRawHeader(h.name, h.value);
    }
    applyTls(TlsMaterial { m_options.extraCaCertificates, m_options.client, true }, request);
    if (m_options.connectionsPerHost > 0) {
        QHttp1Configuration http1;
        http1.setNumberOfConnectionsPerHost(qsizetype(m_options.connectionsPerHost));
        request.setHttp1Configuration(http1);
    }
    if (m_options.deadlineMs > 0)
        m_deadline->start(std::chrono::milliseconds(m_options.deadlineMs));

    if (wire.bodyFiles.isEmpty()) {
        m_reply = m_network->sendCustomRequest(request, wire.method, wire.body);
    } else {
        // Files go out from disk as they are read: the body is never whole in memory.
        auto *device = new BodyDevice(wire, this);
        m_bodyDevice = device;
        if (!device->open(QIODevice::ReadOnly)) {
            fail(ExchangeError::Kind::Other, device->errorString());
            QMetaObject::invokeMethod(this, &Exchange::finish, Qt::QueuedConnection);
            return;
        }
        // Sent by a socket of our own: Qt's manager hands a body over 16 KiB per round
        // trip between its threads (docs/performance.md).
        if (const auto proxy = uploadProxy(*m_network, request.url())) {
            m_reply = new UploadReply(request, wire.method, device, *proxy, this);
        } else {
            request.setHeader(QNetworkRequest::ContentLengthHeader, device->size());
            m_reply = m_network->sendCustomRequest(request, wire.method, device);
        }
    }
    QNetworkReply *reply = m_reply;
    // Bounded: when we fall behind, Qt stops reading the socket instead of buffering
    // the rest of an endless stream in memory.
    reply->setReadBufferSize(kReadBufferBytes);
    if (m_options.idleTimeoutMs > 0) {
        // Any sign of life restarts the idle clock.
        m_idle->start(std::chrono::milliseconds(m_options.idleTimeoutMs));
        const auto alive = [this] {
            if (m_idle->isActive())
                m_idle->start();
        };
        connect(reply, &QNetworkReply::socketStartedConnecting, this, alive);
        connect(reply, &QNetworkReply::requestSent, this, alive);
        connect(reply, &QNetworkReply::metaDataChanged, this, alive);
        connect(reply, &QNetworkReply::readyRead, this, alive);
        connect(reply, &QNetworkReply::uploadProgress, this, alive);
    }
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this] {
        if (m_timeline.connecting < 0)
            m_timeline.connecting = now();
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        m_timeline.encrypted = now();
        m_peerCertificates = reply->sslConfiguration().peerCertificateChain();
        // Only Qt's HTTP/2 misses the alert (over HTTP/1.1 Qt reports it): a silent
        // fresh HTTP/2 connection is the one worth asking about.
        const bool http2 = reply->sslConfiguration().nextNegotiatedProtocol()
            == QSslConfiguration::ALPNProtocolHTTP2;
        if (http2 && m_timeline.connecting >= 0 && m_timeline.headers < 0)
            m_probeTimer->start();
    });
    m_uploadTotal = wire.bodySize();
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent <= m_uploaded)
            return;
        m_uploaded = sent;
        Q_EMIT uploadProgress(m_uploaded, m_uploadTotal);
    });
    connect(reply, &QNetworkReply::requestSent, this, [this, reply] {
        // Qt's HTTP thread applies a read buffer size to the connection only when it
        // changes after the request has started (QTBUG-15065's neighbourhood): set
        // it again now, or the thread reads an endless stream into memory as fast as
        // the server sends it, however far behind we are.
        reply->setReadBufferSize(kReadBufferBytes);
        m_timeline.requestSent = now();
        m_timeline.connectionReused = m_timeline.connecting < 0;
    });
    connect(reply, &QNetworkReply::redirected, this,
        [this](const QUrl &url) { m_redirects << url.toString(); });
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_tlsProblems << e.errorString();
        // A refused server's chain too: what it presented is what the user checks.
        m_peerCertificates = reply->sslConfiguration().peerCertificateChain();
        if (m_options.allowInsecureTls)
            reply->ignoreSslErrors();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, &Exchange::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &Exchange::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &Exchange::onFinished);
}

void Exchange::cancel()
{
    if (m_finished)
        return;
    m_canceled = true;
    if (m_reply)
        m_reply->abort();
}

void Exchange::probeTls(const std::function<void(const QString &, const QString &)> &verdict)
{
    if (m_probed || !m_reply)
        return;
    m_probed = true;
    const QUrl url = m_reply->url();
    auto *probe = new QSslSocket(this);
    QSslConfiguration config = m_reply->request().sslConfiguration();
    config.setAllowedNextProtocols({ QSslConfiguration::ALPNProtocolHTTP2, "http/1.1" });
    probe->setSslConfiguration(config);
    // Only the gateway's verdict on this client matters here: its own certificate was
    // checked (or its problems allowed) on the real connection already.
    connect(probe, &QSslSocket::sslErrors, probe, [probe] { probe->ignoreSslErrors(); });
    // Called once: with what an alert meant, or empty when the gateway sent anything
    // else (HTTP/2's SETTINGS: it accepted this client), closed, or kept quiet.
    auto once = std::make_shared<bool>(false);
    const auto conclude = [probe, once, verdict](const QString &meaning, const QString &detail) {
        if (std::exchange(*once, true))
            return;
        probe->disconnect();
        probe->abort();
        probe->deleteLater();
        verdict(meaning, detail);
    };
    const auto nothing = [conclude] { conclude({}, {}); };
    connect(probe, &QSslSocket::readyRead, this, nothing);
    connect(probe, &QSslSocket::disconnected, this, nothing);
    connect(probe, &QSslSocket::errorOccurred, this, [this, probe, conclude] {
        const QString detail = probe->errorString();
        conclude(explainTlsAlert(detail, m_options.client), detail);
    });
    QTimer::singleShot(kProbeAfter * 4, probe, nothing);
    probe->connectToHostEncrypted(url.host(), quint16(url.port(443)));
}

void Exchange::onMetaData()
{
    if (!m_reply || m_timeline.headers >= 0)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    // A redirect's headers are not the response's (an upload follows none).
    const int code = status.toInt();
    if (code >= 300 && code < 400 && m_reply->hasRawHeader("location")
        && !qobject_cast<UploadReply *>(m_reply))
        return;
    m_timeline.headers = now();
    m_status = code;
    m_reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    m_httpVersion = m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()
        ? "HTTP/2"
        : "HTTP/1.1";
    m_headers.clear();
    for (const auto &[name, value] : m_reply->rawHeaderPairs())
        m_headers.append({ name, value });
    Q_EMIT headersReceived();
}

void Exchange::onReadyRead()
{
    if (!m_reply)
        return;
    if (m_timeline.headers < 0)
        onMetaData();
    // Take a bounded slice, then let the event loop breathe: a flood never turns
    // into one huge read and one huge batch of events, and a window stays responsive.
    // Qt signals readyRead once per arrival, so what is left is picked up by a
    // queued call.
    const QByteArray chunk = m_reply->read(kSliceBytes);
    if (!chunk.isEmpty()) {
        consume(chunk);
        if (isSignalConnected(QMetaMethod::fromSignal(&Exchange::dataArrived)))
            Q_EMIT dataArrived(chunk);
    }
    if (m_reply && m_reply->bytesAvailable() > 0 && !m_drainQueued) {
        m_drainQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_drainQueued = false;
                onReadyRead();
            },
            Qt::QueuedConnection);
    }
}

void Exchange::consume(QByteArrayView bytes)
{
    if (m_timeline.firstByte < 0)
        m_timeline.firstByte = now();
    m_timeline.bytes += bytes.size();
    if (!m_decoder) {
        m_decoder.emplace(headerValue(m_headers, "content-type"),
            m_options.forceStream ? std::optional(BodyFraming::Sse) : std::nullopt);
    }
    m_chunkTime = now();
    m_decoder->feed(bytes, m_eventSink);
    if (m_options.keepStreamBody || !m_decoder->isStream())
        storeBody(bytes);
    handleEvents();
    Q_EMIT progress();
}

void Exchange::takeEvent(SseEvent &&event, bool addedContent)
{
    const qint64 t = m_chunkTime;
    if (m_timeline.firstEvent < 0)
        m_timeline.firstEvent = t;
    ++m_timeline.events;
    m_pending.append(std::move(event));
    if (!addedContent)
        return;
    if (m_timeline.firstToken < 0)
        m_timeline.firstToken = t;
    if (m_timeline.tokenTimes.size() < Timeline::kMaxTokenTimes)
        m_timeline.tokenTimes.append(t);
    else
        m_timeline.tokenTimesTruncated = true;
}

void Exchange::handleEvents()
{
    if (m_pending.isEmpty())
        return;
    Q_EMIT eventsArrived(m_pending);
    m_pending.clear();
}

void Exchange::storeBody(QByteArrayView bytes)
{
    if (!m_spill && m_body.size() + bytes.size() <= m_options.spillThreshold) {
        m_body += bytes;
        return;
    }
    if (!m_spill) {
        m_spill = std::make_shared<QTemporaryFile>();
        m_spill->setFileTemplate(QDir::tempPath() + u"/gatescope-body-XXXXXX"_s);
        if (!m_spill->open()) {
            m_notes << u"The body passed %1 bytes and no temporary file could hold the rest: %2"_s
                           .arg(m_options.spillThreshold)
                           .arg(m_spill->errorString());
            m_spill.reset();
            m_options.spillThreshold = std::numeric_limits<qint64>::max();
            m_body += bytes;
            return;
        }
        m_spill->write(m_body);
        m_body.clear();
        m_body.squeeze();
    }
    m_spill->write(bytes.data(), bytes.size());
}

QByteArray Exchange::body() const
{
    if (!m_spill)
        return m_body;
    m_spill->flush();
    QFile f(m_spill->fileName());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString Exchange::bodyFile() const
{
    if (!m_spill)
        return {};
    m_spill->flush(); // whoever reads the file sees every byte that arrived
    return m_spill->fileName();
}

QString Exchange::incomplete() const
{
    if (!isFinished() || m_error.kind != ExchangeError::Kind::None || m_status < 200
        || m_status >= 300)
        return {};
    return incompleteReason(framing(), assembled(), unterminatedEvent());
}

ExchangeSnapshot Exchange::snapshot(qsizetype prefixBytes) const
{
    ExchangeSnapshot s;
    s.request = m_sent;
    s.startedAt = m_startedAt;
    s.timeline = m_timeline;
    s.error = m_error;
    s.status = m_status;
    s.reason = m_reason;
    s.httpVersion = m_httpVersion;
    s.responseHeaders = m_headers;
    s.framing = framing();
    s.assembled = assembled();
    s.incomplete = incomplete();
    s.unterminatedEvent = unterminatedEvent();
    s.redirects = m_redirects;
    s.tlsProblems = m_tlsProblems;
    s.notes = m_notes;
    if (!m_spill) {
        s.bodyInMemory = m_body; // shared, not copied
        s.bodyPrefix = m_body.left(prefixBytes);
        s.bodySize = m_body.size();
        return s;
    }
    // Only the prefix is read: the rest stays in the file, kept alive by the snapshot.
    m_spill->flush();
    s.bodyFile = m_spill->fileName();
    s.bodyFileKeeper = m_spill;
    s.bodySize = m_spill->size();
    QFile file(s.bodyFile);
    if (file.open(QIODevice::ReadOnly))
        s.bodyPrefix = file.read(prefixBytes);
    return s;
}

void Exchange::onFinished()
{
    if (!m_reply)
        return;
    if (m_timeline.headers < 0)
        onMetaData();
    while (m_reply->bytesAvailable() > 0) {
        const QByteArray chunk = m_reply->read(kSliceBytes);
        if (chunk.isEmpty())
            break;
        consume(chunk);
        if (isSignalConnected(QMetaMethod::fromSignal(&Exchange::dataArrived)))
            Q_EMIT dataArrived(chunk);
    }
    const QNetworkReply::NetworkError e = m_reply->error();
    if (m_deadlineHit) {
        fail(ExchangeError::Kind::Deadline,
            u"The client-side deadline of %1 ms passed; what arrived before it is kept."_s.arg(
                m_options.deadlineMs),
            m_reply->errorString());
    } else if (m_idleHit) {
        QString message = u"Nothing arrived for %1 s; what arrived before is kept."_s.arg(
            double(m_options.idleTimeoutMs) / 1000.0);
        if (m_idleHeadersUnreadable)
            message += u" The status line came with no readable headers: Qt stops reading a header "
                       u"field over "
                       "100 KiB and then waits for a body without a known end."_s;
        else if (m_idleBeforeHeaders)
            message
                += u" The request was sent but no complete response headers came: the gateway is "
                   u"slow to "
                   "answer, or sent a header Qt cannot read (Qt stops at a header field over 100 KiB)."_s;
        fail(ExchangeError::Kind::Timeout, message, m_reply->errorString());
    } else if (m_canceled) {
        fail(ExchangeError::Kind::Canceled, u"Canceled; what arrived before is kept."_s,
            m_reply->errorString());
    } else if (e != QNetworkReply::NoError && !(m_status >= 400 && isStatusError(e))) {
        // 4xx/5xx arrive as errors in Qt's eyes; here they are results. Anything
        // else (refused, reset, TLS, a broken body) is a transport failure.
        ExchangeError::Kind kind = kindFor(e);
        QString message = messageFor(kind, m_reply->url().toString());
        // A file of the body that could not be read to its end (it changed meanwhile).
        const bool bodyUnreadable = m_bodyDevice && m_bodyDevice->failed();
        if (bodyUnreadable) {
            kind = ExchangeError::Kind::Other;
            message = m_bodyDevice->errorString();
        }
        if (kind == ExchangeError::Kind::Tls && !m_tlsProblems.isEmpty())
            message = u"The gateway's certificate was not accepted: %1"_s.arg(
                m_tlsProblems.join(u"; "_s));
        // The gateway refused this client with a TLS alert (no certificate, one it does
        // not trust): say which side refused and why.
        const QString alert = explainTlsAlert(m_reply->errorString(), m_options.client);
        if (!alert.isEmpty()) {
            kind = ExchangeError::Kind::Tls;
            message = alert;
        }
        if (m_status != 0 && kind == ExchangeError::Kind::Other)
            kind = ExchangeError::Kind::Protocol;
        // Closed over a fresh TLS connection before any answer: that is also how a
        // gateway refuses a client without the certificate it requires (with TLS 1.3
        // the client's handshake has already ended then, so Qt sees a plain close).
        const bool mayWantClientCertificate = !bodyUnreadable && alert.isEmpty()
            && m_reply->url().scheme() == "https"_L1 && !m_timeline.connectionReused
            && m_timeline.headers < 0 && m_tlsProblems.isEmpty()
            && (kind == ExchangeError::Kind::Other || kind == ExchangeError::Kind::ConnectionReset);
        if (mayWantClientCertificate && !m_probed) {
            // Ask the gateway why before saying anything: a second TLS connection hears
            // the alert this one may have missed. Then finish again.
            probeTls([this](const QString &meaning, const QString &detail) {
                if (!meaning.isEmpty()) {
                    m_notes << kProbeNote;
                    fail(ExchangeError::Kind::Tls, meaning, detail);
                }
                onFinished();
            });
            return;
        }
        // A server that refuses a body (413) often answers and closes while the body
        // is still going out; Qt then says only that the write failed ("Unknown
        // error"), and its requestSent means "queued", not "delivered".
        const bool refusedBody = !bodyUnreadable && m_uploadTotal > 0 && m_timeline.headers < 0
            && (kind == ExchangeError::Kind::Other || kind == ExchangeError::Kind::ConnectionReset);
        if (m_uploadTotal > 0 && m_status >= 400) {
            m_notes
                << u"The server answered %1 and closed the connection; %2 of the body's %3 bytes had gone out."_s
                       .arg(m_status)
                       .arg(m_uploaded)
                       .arg(m_uploadTotal);
        } else {
            if (refusedBody) {
                kind = ExchangeError::Kind::ConnectionReset;
                message
                    = u"The server closed the connection before answering, while the %1-byte body was being sent; it may refuse bodies this large (413)."_s
                          .arg(m_uploadTotal);
            }
            if (mayWantClientCertificate)
                message += m_options.client.isNull()
                    ? u" Over TLS this is also how a gateway refuses a client without the "
                      "client certificate it requires (--cert and --key)."_s
                    : u" Over TLS this is also how a gateway refuses a client certificate it "
                      "does not accept (%1)."_s.arg(
                          m_options.client.certificate.subjectDisplayName());
            fail(kind, message, m_reply->errorString());
        }
    }
    // The stream is over: an event without its blank line is dropped, a last NDJSON
    // line without its newline counts, and a plain JSON body is assembled whole.
    if (m_decoder) {
        m_chunkTime = now();
        m_decoder->finish(m_eventSink, [this] { return body(); });
        handleEvents();
    } else if (m_status >= 400) {
        // An error with no body at all still says what it is.
        m_decoder.emplace(headerValue(m_headers, "content-type"));
        m_decoder->assembleBody({});
    }
    finish();
}

void Exchange::fail(ExchangeError::Kind kind, const QString &message, const QString &detail)
{
    if (m_error.kind == ExchangeError::Kind::None)
        m_error = { kind, message, detail };
}

void Exchange::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline->stop();
    m_idle->stop();
    m_probeTimer->stop();
    m_timeline.finished = now();
    // Status and kind only: messages may quote a URL with its credentials.
    qCDebug(lcExchange) << "finished: status" << m_status << "failure kind" << int(m_error.kind)
                        << "after" << (m_timeline.finished / 1000) << "ms";
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished();
}

} // namespace gs::core
