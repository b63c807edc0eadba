#include "har.h"

#include "exchange.h"
#include "redaction.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

double ms(qint64 micros)
{
    return double(micros) / 1000.0;
}

QJsonArray headerArray(const HttpHeaders &headers, const Redactor *redactor)
{
    QJsonArray out;
    for (const HttpHeader &h : headers) {
        const QByteArray value = redactor ? redactor->headerValue(h.name, h.value) : h.value;
        out.append(QJsonObject {
            { u"name"_s, QString::fromUtf8(h.name) }, { u"value"_s, QString::fromUtf8(value) } });
    }
    return out;
}

// Text when the bytes are UTF-8, base64 otherwise (HAR's "encoding").
QJsonObject contentOf(const QByteArray &body, const QString &mimeType)
{
    QJsonObject content { { u"size"_s, qint64(body.size()) }, { u"mimeType"_s, mimeType } };
    if (body.isEmpty())
        return content;
    const QString text = QString::fromUtf8(body);
    if (text.toUtf8() == body) {
        content.insert(u"text"_s, text);
    } else {
        content.insert(u"text"_s, QString::fromLatin1(body.toBase64()));
        content.insert(u"encoding"_s, u"base64"_s);
    }
    return content;
}

QString versionText(const QByteArray &v)
{
    return v.isEmpty() ? u"HTTP/1.1"_s : QString::fromLatin1(v);
}

} // namespace

HarEntry harEntry(const Exchange &exchange, const WireRequest &request)
{
    HarEntry e;
    e.request = request;
    e.startedAt = exchange.startedAt();
    e.timeline = exchange.timeline();
    e.status = exchange.status();
    e.reason = exchange.reason();
    e.httpVersion = exchange.httpVersion();
    e.responseHeaders = exchange.responseHeaders();
    e.responseBody = exchange.body();
    QStringList comment;
    if (exchange.error().kind != ExchangeError::Kind::None)
        comment << exchange.error().message;
    for (const QString &r : exchange.redirects())
        comment << u"redirected to "_s + r;
    for (const QString &p : exchange.tlsProblems())
        comment << u"TLS: "_s + p;
    e.comment = comment.join(u"; "_s);
    return e;
}

QJsonObject toHar(
    const QList<HarEntry> &entries, bool showSecrets, const QStringList &secretValues)
{
    const Redactor redactor(secretValues);
    const Redactor *mask = showSecrets ? nullptr : &redactor;
    QJsonArray list;
    for (const HarEntry &shown : entries) {
        HarEntry e = shown;
        if (mask) {
            e.request = redactor.request(e.request);
            e.responseBody = redactor.bytes(e.responseBody);
            e.comment = redactor.message(e.comment);
        }
        const Timeline &t = e.timeline;
        const QUrl url(e.request.url);
        QJsonArray query;
        for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
            query.append(QJsonObject { { u"name"_s, name }, { u"value"_s, value } });
        QJsonObject request { { u"method"_s, QString::fromUtf8(e.request.method) },
            { u"url"_s, e.request.url }, { u"httpVersion"_s, versionText(e.httpVersion) },
            { u"cookies"_s, QJsonArray() },
            { u"headers"_s, headerArray(e.request.headers, nullptr) },
            { u"queryString"_s, query }, { u"headersSize"_s, -1 },
            { u"bodySize"_s, qint64(e.request.body.size()) } };
        if (!e.request.body.isEmpty()) {
            const QString mime = QString::fromUtf8(headerValue(e.request.headers, "content-type"));
            request.insert(u"postData"_s,
                QJsonObject {
                    { u"mimeType"_s, mime }, { u"text"_s, QString::fromUtf8(e.request.body) } });
        }

        // Timings in milliseconds; -1 for what did not happen. HAR's connect
        // includes ssl, as Timeline's connect bar does.
        const qint64 connected = t.encrypted >= 0 ? t.encrypted : t.requestSent;
        const bool connectMeasured = !t.connectionReused && t.connecting >= 0 && connected >= 0;
        const double connect = connectMeasured ? ms(connected - t.connecting) : -1;
        const double ssl
            = connectMeasured && t.encrypted >= 0 ? ms(t.encrypted - t.connecting) : -1;
        const double send
            = t.requestSent >= 0 && connectMeasured ? ms(t.requestSent - connected) : 0;
        const double wait
            = t.requestSent >= 0 && t.headers >= 0 ? ms(t.headers - t.requestSent) : 0;
        const double receive = t.headers >= 0 && t.finished >= 0 ? ms(t.finished - t.headers) : 0;
        // Before the connection (or, on a reused one, before the request went out): the
        // request waited in the client. HAR's time is the sum of the timings that
        // happened, so it is computed as that sum, never measured apart.
        const double blocked
            = connectMeasured ? ms(t.connecting) : (t.requestSent >= 0 ? ms(t.requestSent) : -1);
        double total = 0;
        for (const double phase : { blocked, connect, send, wait, receive })
            total += std::max(0.0, phase);
        const QJsonObject timings { { u"blocked"_s, blocked }, { u"dns"_s, -1 },
            { u"connect"_s, connect }, { u"ssl"_s, ssl }, { u"send"_s, send }, { u"wait"_s, wait },
            { u"receive"_s, receive } };

        const QString mime = QString::fromUtf8(headerValue(e.responseHeaders, "content-type"));
        const QJsonObject response { { u"status"_s, e.status },
            { u"statusText"_s, QString::fromUtf8(e.reason) },
            { u"httpVersion"_s, versionText(e.httpVersion) }, { u"cookies"_s, QJsonArray() },
            { u"headers"_s, headerArray(e.responseHeaders, mask) },
            { u"content"_s, contentOf(e.responseBody, mime) },
            { u"redirectURL"_s, QString::fromUtf8(headerValue(e.responseHeaders, "location")) },
            { u"headersSize"_s, -1 }, { u"bodySize"_s, qint64(e.responseBody.size()) } };
        QJsonObject entry { { u"startedDateTime"_s,
                                e.startedAt.toUTC().toString(Qt::ISODateWithMs) },
            { u"time"_s, total }, { u"request"_s, request }, { u"response"_s, response },
            { u"cache"_s, QJsonObject() }, { u"timings"_s, timings } };
        if (!e.comment.isEmpty())
            entry.insert(u"comment"_s, e.comment);
        list.append(entry);
    }
    const QJsonObject creator { { u"name"_s, u"Gatescope"_s },
        { u"version"_s,
            QCoreApplication::applicationVersion().isEmpty()
                ? QStringLiteral(GATESCOPE_VERSION)
                : QCoreApplication::applicationVersion() } };
    return QJsonObject { { u"log"_s,
        QJsonObject {
            { u"version"_s, u"1.2"_s }, { u"creator"_s, creator }, { u"entries"_s, list } } } };
}

} // namespace gs::core
