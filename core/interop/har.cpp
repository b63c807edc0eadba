#include "core/interop/har.h"

#include "core/model/formfields.h"
#include "core/model/redaction.h"
#include "core/net/exchangesnapshot.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

//! HAR 1.2's postData.params for a form: a multipart part each (a file by its name
//! and type, its content left out as browsers leave it) or a URL-encoded pair each.
QJsonArray formParams(const WireRequest &request)
{
    QJsonArray params;
    if (const auto fields = formFields(request)) {
        for (const FormField &f : *fields) {
            QJsonObject param { { u"name"_s, f.name } };
            if (!f.filename.isEmpty())
                param.insert(u"fileName"_s, f.filename);
            if (!f.contentType.isEmpty())
                param.insert(u"contentType"_s, QString::fromUtf8(f.contentType));
            if (!f.isFile())
                param.insert(u"value"_s, QString::fromUtf8(f.value));
            params.append(param);
        }
        return params;
    }
    const QByteArray type = headerValue(request.headers, "content-type").trimmed().toLower();
    if (!type.startsWith("application/x-www-form-urlencoded"))
        return params;
    for (const QByteArray &pair : request.body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const auto decoded
            = [](QByteArray text) { return QUrl::fromPercentEncoding(text.replace('+', ' ')); };
        params.append(QJsonObject { { u"name"_s, decoded(eq < 0 ? pair : pair.first(eq)) },
            { u"value"_s, eq < 0 ? QString() : decoded(pair.mid(eq + 1)) } });
    }
    return params;
}

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
// \a size is the body's as it arrived, before any mask.
QJsonObject contentOf(const QByteArray &body, qint64 size, const QString &mimeType)
{
    QJsonObject content { { u"size"_s, size }, { u"mimeType"_s, mimeType } };
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

HarEntry harEntry(const ExchangeSnapshot &exchange)
{
    HarEntry e;
    e.request = exchange.request;
    e.startedAt = exchange.startedAt;
    e.timeline = exchange.timeline;
    e.status = exchange.status;
    e.reason = exchange.reason;
    e.httpVersion = exchange.httpVersion;
    e.responseHeaders = exchange.responseHeaders;
    e.responseBodyFile = exchange.bodyFile;
    e.bodyFileKeeper = exchange.bodyFileKeeper;
    if (e.responseBodyFile.isEmpty())
        e.responseBody = exchange.bodyInMemory;
    QStringList comment;
    if (exchange.error.kind != ExchangeError::Kind::None)
        comment << exchange.error.message;
    for (const QString &r : exchange.redirects)
        comment << u"redirected to "_s + r;
    for (const QString &p : exchange.tlsProblems)
        comment << u"TLS: "_s + p;
    e.comment = comment.join(u"; "_s);
    return e;
}

QJsonObject toHar(const QList<HarEntry> &entries, bool showSecrets, const QStringList &secretValues)
{
    const Redactor redactor(secretValues);
    const Redactor *mask = showSecrets ? nullptr : &redactor;
    QJsonArray list;
    for (const HarEntry &shown : entries) {
        HarEntry e = shown;
        qint64 responseSize = e.responseBody.size();
        if (!e.responseBodyFile.isEmpty()) {
            QFile f(e.responseBodyFile);
            if (f.open(QIODevice::ReadOnly))
                e.responseBody = f.readAll();
            responseSize = e.responseBody.size();
        }
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
            { u"headers"_s, headerArray(e.request.headers, nullptr) }, { u"queryString"_s, query },
            { u"headersSize"_s, -1 }, { u"bodySize"_s, e.request.bodySize() } };
        if (!e.request.body.isEmpty()) {
            const QString mime = QString::fromUtf8(headerValue(e.request.headers, "content-type"));
            QJsonObject postData { { u"mimeType"_s, mime },
                { u"text"_s, QString::fromUtf8(e.request.bodyText()) } };
            if (const QJsonArray params = formParams(e.request); !params.isEmpty())
                postData.insert(u"params"_s, params);
            request.insert(u"postData"_s, postData);
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
            { u"content"_s, contentOf(e.responseBody, responseSize, mime) },
            { u"redirectURL"_s, QString::fromUtf8(headerValue(e.responseHeaders, "location")) },
            { u"headersSize"_s, -1 }, { u"bodySize"_s, responseSize } };
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

namespace {

constexpr qint64 kSlice = 1024 * 1024;

// Whether the file's bytes are UTF-8 throughout (a decoder carries a sequence split
// between two slices).
bool fileIsUtf8(QFile &f)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    f.seek(0);
    while (!f.atEnd()) {
        // decode() converts only when its result is taken.
        const QString text = decoder.decode(f.read(kSlice));
        if (decoder.hasError())
            return false;
    }
    const QString rest = decoder.decode(QByteArrayView());
    return !decoder.hasError();
}

// The body as the inside of a JSON string (UTF-8 text) or as base64, a slice at a
// time; secret values are masked across slice boundaries by holding back the last
// bytes that could start one.
bool streamBody(QFile &f, QIODevice &out, bool base64, const Redactor *redactor, qsizetype holdBack)
{
    f.seek(0);
    QByteArray pending;
    const auto escape = [](const QByteArray &bytes) {
        QByteArray json;
        json.reserve(bytes.size() + bytes.size() / 8);
        for (const char c : bytes) {
            switch (c) {
            case '"':
                json += "\\\"";
                break;
            case '\\':
                json += "\\\\";
                break;
            case '\n':
                json += "\\n";
                break;
            case '\r':
                json += "\\r";
                break;
            case '\t':
                json += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    json += QByteArray("\\u00")
                        + QByteArray::number(static_cast<unsigned char>(c), 16)
                              .rightJustified(2, '0');
                else
                    json += c;
            }
        }
        return json;
    };
    while (!f.atEnd() || !pending.isEmpty()) {
        const QByteArray slice = f.read(kSlice - (kSlice % 3));
        pending += slice;
        const bool last = f.atEnd();
        QByteArray ready;
        if (base64) {
            // Whole groups of three bytes, so that the pieces join into one base64 text.
            const qsizetype n = last ? pending.size() : pending.size() - pending.size() % 3;
            ready = pending.first(n);
            pending.remove(0, n);
            if (out.write(ready.toBase64()) < 0)
                return false;
        } else {
            // Masked before it is cut: a secret split by the last read is whole in the
            // bytes held back for the next round.
            if (redactor)
                pending = redactor->bytes(pending);
            qsizetype n = last ? pending.size() : std::max<qsizetype>(0, pending.size() - holdBack);
            // Never cut inside a UTF-8 sequence: back up to the start of one.
            while (n > 0 && n < pending.size()
                && (static_cast<unsigned char>(pending[n]) & 0xC0) == 0x80)
                --n;
            ready = pending.first(n);
            pending.remove(0, n);
            if (out.write(escape(ready)) < 0)
                return false;
        }
        if (last && pending.isEmpty())
            break;
        if (slice.isEmpty() && !last)
            return false;
    }
    return true;
}

} // namespace

Result<void> writeHar(QIODevice &out, const QList<HarEntry> &entries, bool showSecrets,
    const QStringList &secretValues)
{
    // Bodies in files are written in place of a marker that the rest of the document
    // (built as toHar() builds it) carries where their text goes.
    QList<HarEntry> shown = entries;
    struct Streamed
    {
        QByteArray marker;
        QString path;
        bool base64 = false;
    };
    QList<Streamed> streamed;
    for (qsizetype i = 0; i < shown.size(); ++i) {
        HarEntry &e = shown[i];
        if (e.responseBodyFile.isEmpty())
            continue;
        QFile f(e.responseBodyFile);
        if (!f.open(QIODevice::ReadOnly))
            return fail(
                Error::Kind::Io, u"Cannot read %1: %2"_s.arg(f.fileName(), f.errorString()));
        const QString marker = u"\uE000gatescope-body-%1\uE000"_s.arg(i);
        streamed.append({ marker.toUtf8(), e.responseBodyFile, !fileIsUtf8(f) });
        e.responseBodyFile.clear();
        e.responseBody = marker.toUtf8();
    }
    QJsonObject har = toHar(shown, showSecrets, secretValues);
    // The sizes are the files', and a body that is not UTF-8 says so.
    QJsonArray list = har[u"log"_s].toObject()[u"entries"_s].toArray();
    for (qsizetype i = 0, s = 0; i < entries.size(); ++i) {
        if (entries[i].responseBodyFile.isEmpty())
            continue;
        QJsonObject entry = list[i].toObject();
        QJsonObject response = entry[u"response"_s].toObject();
        QJsonObject content = response[u"content"_s].toObject();
        const qint64 size = QFileInfo(entries[i].responseBodyFile).size();
        content[u"size"_s] = size;
        content.remove(u"encoding"_s);
        if (streamed[s++].base64)
            content[u"encoding"_s] = u"base64"_s;
        response[u"content"_s] = content;
        response[u"bodySize"_s] = size;
        entry[u"response"_s] = response;
        list[i] = entry;
    }
    QJsonObject log = har[u"log"_s].toObject();
    log[u"entries"_s] = list;
    har[u"log"_s] = log;
    const QByteArray text = QJsonDocument(har).toJson();

    const Redactor redactor(secretValues);
    qsizetype holdBack = 0;
    for (const QString &v : secretValues)
        holdBack = std::max(holdBack, v.toUtf8().size());
    qsizetype from = 0;
    for (const Streamed &b : std::as_const(streamed)) {
        const qsizetype at = text.indexOf(b.marker, from);
        if (at < 0)
            return fail(Error::Kind::Io, u"The HAR body marker went missing."_s);
        if (out.write(text.sliced(from, at - from)) < 0)
            return fail(Error::Kind::Io, out.errorString());
        QFile f(b.path);
        if (!f.open(QIODevice::ReadOnly)
            || !streamBody(f, out, b.base64, showSecrets ? nullptr : &redactor, holdBack))
            return fail(Error::Kind::Io,
                u"Cannot copy the body from %1: %2"_s.arg(b.path, f.errorString()));
        from = at + b.marker.size();
    }
    if (out.write(text.sliced(from)) < 0)
        return fail(Error::Kind::Io, out.errorString());
    return {};
}

} // namespace gs::core
