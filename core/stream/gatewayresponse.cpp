#include "core/stream/gatewayresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QString shownLine(QByteArrayView line)
{
    return quotedForMessage(QString::fromUtf8(line));
}

struct Dechunked
{
    QByteArray body;
    HttpHeaders trailers;
};

// Removes the chunked transfer coding; fails, saying what is wrong, when the body is
// not well-formed chunks.
Result<Dechunked> dechunk(QByteArrayView body)
{
    QByteArray out;
    qsizetype pos = 0;
    for (int chunk = 1;; ++chunk) {
        const qsizetype eol = body.indexOf('\n', pos);
        if (eol < 0)
            return fail(Error::Kind::Parse,
                pos >= body.size()
                    ? u"the chunked body ends after chunk %1 without the last, empty chunk: it was cut short"_s
                          .arg(chunk - 1)
                    : u"the chunked body ends inside the size line of chunk %1: it was cut short"_s
                          .arg(chunk),
                chunk == 1 ? u"not chunked"_s : QString());
        QByteArrayView sizeLine = body.sliced(pos, eol - pos);
        if (sizeLine.endsWith('\r'))
            sizeLine.chop(1);
        if (const qsizetype ext = sizeLine.indexOf(';'); ext >= 0)
            sizeLine.truncate(ext);
        bool ok = false;
        const QByteArrayView digits = sizeLine.trimmed();
        const qlonglong size = digits.toLongLong(&ok, 16);
        if (!ok || size < 0 || digits.isEmpty() || digits.startsWith('-') || digits.startsWith('+'))
            return fail(Error::Kind::Parse,
                u"chunk %1 has no valid size (\"%2\" is not a hexadecimal number)"_s.arg(chunk).arg(
                    quotedForMessage(QString::fromUtf8(digits), 20)),
                chunk == 1 ? u"not chunked"_s : QString());
        pos = eol + 1;
        if (size == 0) {
            // Trailer fields (Server-Timing may arrive here) up to the final blank line.
            HttpHeaders trailers;
            for (const QByteArrayView line :
                QByteArrayView(body).sliced(pos).toByteArray().split('\n')) {
                const QByteArrayView field = line.trimmed();
                const qsizetype colon = field.indexOf(':');
                if (field.isEmpty())
                    break;
                if (colon > 0)
                    trailers.append({ field.first(colon).trimmed().toByteArray(),
                        field.sliced(colon + 1).trimmed().toByteArray() });
            }
            return Dechunked { out, trailers };
        }
        if (size > body.size() - pos)
            return fail(Error::Kind::Parse,
                u"chunk %1 announces %2 bytes but only %3 arrived: the body was cut short"_s
                    .arg(chunk)
                    .arg(size)
                    .arg(body.size() - pos));
        out += body.sliced(pos, size);
        pos += size;
        if (body.sliced(pos).startsWith("\r\n"))
            pos += 2;
        else if (body.sliced(pos).startsWith("\n"))
            pos += 1;
        else
            return fail(Error::Kind::Parse,
                u"chunk %1 is longer than its size says (no line end after %2 bytes)"_s.arg(chunk)
                    .arg(size));
    }
}

} // namespace

Result<RawResponse> parseRawResponse(QByteArrayView input, bool borrowBody)
{
    // Bare CR line ends (old Mac editors) are read as line ends, and said.
    QByteArray normalized;
    QByteArrayView bytes = input;
    const QByteArrayView head = input.first(std::min<qsizetype>(input.size(), 64 * 1024));
    const bool bareCr = !head.contains('\n') && head.contains('\r');
    if (bareCr) {
        normalized = input.toByteArray();
        normalized.replace('\r', '\n');
        bytes = normalized;
    }
    RawResponse r;
    qsizetype pos = 0;
    const auto nextLine = [&]() -> std::optional<QByteArrayView> {
        if (pos >= bytes.size())
            return std::nullopt;
        qsizetype eol = bytes.indexOf('\n', pos);
        const qsizetype end = eol < 0 ? bytes.size() : eol;
        QByteArrayView line = bytes.sliced(pos, end - pos);
        pos = eol < 0 ? bytes.size() : eol + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    };
    // Tolerate a leading BOM or blank lines from an editor.
    if (bytes.startsWith("\xEF\xBB\xBF"))
        pos = 3;
    auto statusLine = nextLine();
    while (statusLine && statusLine->trimmed().isEmpty())
        statusLine = nextLine();
    if (!statusLine)
        return fail(Error::Kind::Parse,
            u"The input is empty: expected an HTTP response starting with a status line like \"HTTP/1.1 200 OK\"."_s);
    const QByteArrayView status = *statusLine;
    const qsizetype sp1 = status.indexOf(' ');
    const QByteArrayView codeText = sp1 > 0
        ? status.sliced(sp1 + 1).first(std::min<qsizetype>(3, status.size() - sp1 - 1))
        : QByteArrayView();
    bool ok = codeText.size() == 3
        && std::ranges::all_of(codeText, [](char c) { return c >= '0' && c <= '9'; })
        && (status.size() == sp1 + 4 || status[sp1 + 4] == ' ');
    const int code = ok ? codeText.toInt() : 0;
    if (!status.startsWith("HTTP/") || sp1 < 0 || !ok)
        return fail(Error::Kind::Parse,
            u"Line 1 is not an HTTP status line (expected e.g. \"HTTP/1.1 200 OK\"): %1"_s.arg(
                shownLine(status)));
    if (code < 100 || code > 599)
        r.problems << u"The status code %1 is outside HTTP's 100 to 599."_s.arg(code);
    if (bareCr)
        r.problems << u"Lines end in a bare CR, not CRLF as HTTP's do; read as line ends."_s;
    r.httpVersion = status.first(sp1).toByteArray();
    r.status = code;
    r.reason = status.sliced(sp1 + 1)
                   .sliced(std::min<qsizetype>(4, status.size() - sp1 - 1))
                   .trimmed()
                   .toByteArray();

    int lineNo = 1;
    for (;;) {
        const auto line = nextLine();
        ++lineNo;
        if (!line || line->isEmpty())
            break;
        if ((line->startsWith(' ') || line->startsWith('\t')) && !r.headers.isEmpty()) {
            // Obsolete line folding: continues the previous header's value.
            QByteArray &value = r.headers.last().value;
            value += (value.isEmpty() ? QByteArray() : QByteArray(" "))
                + line->trimmed().toByteArray();
            continue;
        }
        const qsizetype colon = line->indexOf(':');
        if (colon <= 0)
            return fail(Error::Kind::Parse,
                u"Line %1 is not a header (\"Name: value\"): %2"_s.arg(lineNo).arg(
                    shownLine(*line)));
        r.headers.append({ line->first(colon).trimmed().toByteArray(),
            line->sliced(colon + 1).trimmed().toByteArray() });
    }
    // curl -i and proxies put interim responses first: "100 Continue", "103 Early
    // Hints", a proxy's "200 Connection established". The final response follows.
    const QByteArrayView rest = bytes.sliced(pos);
    const bool interim = (r.status >= 100 && r.status < 200)
        || (r.status == 200 && r.reason.toLower() == "connection established");
    if (interim && rest.startsWith("HTTP/"))
        return parseRawResponse(rest, borrowBody && !bareCr);
    const QByteArray length = headerValue(r.headers, "content-length");
    r.body = borrowBody && !bareCr ? QByteArray::fromRawData(rest.data(), rest.size())
                                   : rest.toByteArray();
    if (headerValue(r.headers, "transfer-encoding").toLower().contains("chunked")) {
        if (auto plain = dechunk(r.body)) {
            r.body = plain->body;
            r.trailers = plain->trailers;
        } else if (plain.error().detail.isEmpty()) {
            // Not chunks from the start: the tool that saved it (curl -i) removed the
            // chunking already. Broken framing after a first good chunk is a problem.
            r.problems << u"The body is not well-formed chunks: %1. It is shown as it arrived."_s
                              .arg(plain.error().message);
        }
    } else if (!length.isNull()) {
        bool isNumber = false;
        const qint64 announced = length.trimmed().toLongLong(&isNumber);
        if (!isNumber || announced < 0)
            r.problems << u"Content-Length \"%1\" is not a number of bytes."_s.arg(
                shownLine(length));
        else if (announced > r.body.size())
            r.problems
                << u"The body was cut short: Content-Length announces %1 bytes, the capture has %2."_s
                       .arg(announced)
                       .arg(r.body.size());
        else if (announced < r.body.size() && r.status != 304 && r.status != 204)
            r.problems << u"The capture has %1 bytes after the %2 that Content-Length announces."_s
                              .arg(r.body.size() - announced)
                              .arg(announced);
    }
    const QByteArray coding = headerValue(r.headers, "content-encoding").trimmed().toLower();
    if (!coding.isEmpty() && coding != "identity")
        r.problems
            << u"The body is %1-encoded and was not decoded (curl --compressed saves it decoded); what follows reads it as it is."_s
                   .arg(QString::fromLatin1(coding));
    return r;
}

FeedbackTarget decodeFeedbackTarget(QByteArrayView value)
{
    FeedbackTarget t;
    t.raw = QString::fromLatin1(value);
    // Standard base64 first, then the URL-safe alphabet; padding is optional in both.
    const QByteArray text = value.trimmed().toByteArray();
    constexpr auto kStrict = QByteArray::AbortOnBase64DecodingErrors;
    auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::Base64Encoding | kStrict);
    if (!decoded)
        decoded = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding | kStrict);
    if (!decoded) {
        t.error = u"not base64"_s;
        return t;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        t.error = u"base64 of something other than a JSON object"_s;
        return t;
    }
    t.spanId = doc.object().value("spanId"_L1).toString();
    t.traceId = doc.object().value("traceId"_L1).toString();
    if (t.spanId.isEmpty() && t.traceId.isEmpty())
        t.error = u"the JSON has neither spanId nor traceId"_s;
    return t;
}

QString GatewayResponseInfo::cacheText() const
{
    if (cacheStatus.isEmpty())
        return {};
    QStringList details;
    if (cacheSimilarity)
        details << u"similarity %1"_s.arg(*cacheSimilarity);
    if (!cachedTraceId.isEmpty())
        details << u"cached from trace %1"_s.arg(cachedTraceId);
    return details.isEmpty() ? cacheStatus : u"%1 (%2)"_s.arg(cacheStatus, details.join(u", "_s));
}

QList<GatewayAttempt> attemptsIn(const QJsonValue &applied)
{
    const auto number
        = [](const QJsonObject &o,
              std::initializer_list<QLatin1StringView> keys) -> std::optional<double> {
        for (const QLatin1StringView key : keys) {
            if (o.value(key).isDouble())
                return o.value(key).toDouble();
        }
        return std::nullopt;
    };
    const auto attemptsOf = [&number](const QJsonArray &array) {
        QList<GatewayAttempt> attempts;
        for (const QJsonValue &v : array) {
            const QJsonObject o = v.toObject();
            const auto status = number(o, { "status"_L1, "status_code"_L1, "statusCode"_L1 });
            const auto duration
                = number(o, { "duration_ms"_L1, "durationMs"_L1, "duration"_L1, "latency_ms"_L1 });
            if (!status || !duration)
                return QList<GatewayAttempt> {};
            GatewayAttempt a;
            a.status = int(*status);
            a.durationMs = std::max(0.0, *duration);
            a.delayBeforeMs = std::max(0.0,
                number(o, { "delay_before_ms"_L1, "delay_ms"_L1, "delayMs"_L1, "delay"_L1 })
                    .value_or(0));
            a.target = o.value("model"_L1).toString(o.value("target"_L1).toString());
            attempts.append(a);
        }
        return attempts;
    };
    // Depth first (an object's keys in alphabetical order, as QJsonObject keeps them).
    std::function<QList<GatewayAttempt>(const QJsonValue &, int)> search
        = [&](const QJsonValue &value, int depth) -> QList<GatewayAttempt> {
        if (depth > 16)
            return {};
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            if (!array.isEmpty() && array.first().isObject()) {
                if (QList<GatewayAttempt> found = attemptsOf(array); !found.isEmpty())
                    return found;
            }
            for (const QJsonValue &v : array) {
                if (QList<GatewayAttempt> found = search(v, depth + 1); !found.isEmpty())
                    return found;
            }
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (QList<GatewayAttempt> found = search(it.value(), depth + 1); !found.isEmpty())
                    return found;
            }
        }
        return {};
    };
    return search(applied, 0);
}

GatewayResponseInfo GatewayResponseInfo::fromHeaders(const HttpHeaders &headers)
{
    GatewayResponseInfo info;
    for (const HttpHeader &h : headers) {
        if (h.name.size() > 6
            && QByteArrayView(h.name).first(6).compare("x-tfy-", Qt::CaseInsensitive) == 0)
            info.gatewayHeaders.append(h);
    }
    info.resolvedModel = QString::fromUtf8(headerValue(headers, "x-tfy-resolved-model"));
    const QByteArray applied = headerValue(headers, "x-tfy-applied-configurations");
    if (!applied.isNull()) {
        info.appliedConfigurationsRaw = QString::fromUtf8(applied);
        QJsonParseError error;
        // QJsonDocument takes only objects and arrays; wrapping accepts any JSON value.
        const QJsonDocument doc = QJsonDocument::fromJson('[' + applied + ']', &error);
        if (error.error == QJsonParseError::NoError && doc.array().size() == 1) {
            info.appliedConfigurations = doc.array().first();
            info.attempts = attemptsIn(info.appliedConfigurations);
        } else
            info.appliedConfigurationsError
                = u"x-tfy-applied-configurations is not valid JSON: %1 at character %2"_s
                      .arg(error.error != QJsonParseError::NoError ? error.errorString()
                                                                   : u"more than one value"_s)
                      .arg(std::max(1, error.offset));
    }
    info.cacheStatus = QString::fromUtf8(headerValue(headers, "x-tfy-cache-status")).trimmed();
    bool similar = false;
    const double similarity
        = headerValue(headers, "x-tfy-cache-similarity-score").trimmed().toDouble(&similar);
    if (similar)
        info.cacheSimilarity = similarity;
    info.cachedTraceId = QString::fromUtf8(headerValue(headers, "x-tfy-cached-trace-id")).trimmed();
    const QByteArray timing = combinedHeaderValue(headers, "server-timing");
    if (!timing.isNull())
        info.serverTiming = parseServerTiming(timing);
    const QByteArray feedback = headerValue(headers, "x-tfy-feedback-target-id");
    if (!feedback.isNull())
        info.feedbackTarget = decodeFeedbackTarget(feedback);
    return info;
}

std::optional<BodyError> errorFromBody(QByteArrayView body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    const QJsonValue error = object.value("error"_L1);
    const auto scalar = [](const QJsonValue &v) {
        return v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : v.toString();
    };
    if (error.isObject()) {
        const QJsonObject e = error.toObject();
        return BodyError { e.value("message"_L1).toString(), e.value("type"_L1).toString(),
            scalar(e.value("code"_L1)), error };
    }
    if (error.isString())
        return BodyError { error.toString(), {}, {}, error };
    if (object.value("message"_L1).isString() && !object.contains("choices"_L1))
        return BodyError { object.value("message"_L1).toString(), {}, {}, object };
    return std::nullopt;
}

QString statusMeaning(int status)
{
    switch (status) {
    case 400:
        return u"The request is malformed for the gateway or the provider: a header, a body "
               "field or a model parameter."_s;
    case 401:
        return u"No token, or one the gateway does not accept: check the Authorization "
               "header."_s;
    case 403:
        return u"The token is valid but not allowed this model or endpoint."_s;
    case 404:
        return u"This gateway has no such model or endpoint: check the model id and the base "
               "URL."_s;
    case 408:
        return u"A timeout ran out (x-tfy-request-timeout or x-tfy-ttft-timeout-ms); for a "
               "virtual model it triggers fallback."_s;
    case 409:
        return u"A conflict with the resource's current state (a file or batch in use)."_s;
    case 410:
        return u"The resource is gone (a file or batch deleted or expired)."_s;
    case 412:
        return u"A precondition failed: the resource changed since it was read."_s;
    case 413:
        return u"The request is too large for the gateway or the provider."_s;
    case 422:
        return u"The request is well formed, but a value in it cannot be processed."_s;
    case 424:
        return u"Something the request depends on failed: a guardrail, an MCP server or "
               "another service."_s;
    case 429:
        return u"Rate limited, by the gateway's rules or by the provider; Retry-After says "
               "when to try again."_s;
    case 499:
        return u"The client closed the request (a Cancel); the gateway stopped its "
               "retries."_s;
    case 500:
        return u"An error inside the gateway or the provider."_s;
    case 502:
        return u"The provider answered badly or not at all."_s;
    case 503:
        return u"No healthy target: every target is down or marked unhealthy, or the "
               "provider is overloaded."_s;
    case 504:
        return u"The provider did not answer in time."_s;
    default:
        return {};
    }
}

} // namespace gs::core
