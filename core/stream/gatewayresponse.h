#pragma once

#include "core/model/error.h"
#include "core/model/httpheader.h"
#include "core/stream/servertiming.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace gs::core {

//! A response as captured off the wire: status line, headers, body.
struct RawResponse
{
    QByteArray httpVersion;
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body; //!< chunked transfer coding removed when the capture used it
    HttpHeaders trailers; //!< trailer fields of a chunked body
    //! What is wrong with the capture though it could be read: a body cut short or
    //! longer than announced, chunks that do not add up, an encoding not decoded, a
    //! status code out of range, bare CR line ends. Empty for a sound capture.
    QStringList problems;

    //! Headers, then trailers: what the gateway said, wherever it said it.
    HttpHeaders allFields() const { return headers + trailers; }
};

//! Reads a captured HTTP/1.x response (CRLF or bare LF line ends), as curl -i or a
//! proxy saves it: interim responses (1xx, a proxy's "Connection established") before
//! the final one are skipped. A body sent with "Transfer-Encoding: chunked" is
//! de-chunked when it is well formed, kept as it is otherwise; what does not add up
//! is in RawResponse::problems.
//! With \a borrowBody the body refers to \a bytes instead of copying them (a mapped
//! file): they must outlive the response.
Result<RawResponse> parseRawResponse(QByteArrayView bytes, bool borrowBody = false);

//! x-tfy-feedback-target-id decoded: base64 of {"spanId":..., "traceId":...}.
struct FeedbackTarget
{
    QString spanId;
    QString traceId;
    QString raw;
    QString error; //!< set when the value is not base64 JSON of that shape
};

//! One call the gateway made to a target for a request (a retry or a fallback is
//! another), as the applied configurations report it.
struct GatewayAttempt
{
    QString target; //!< the model called
    int status = 0; //!< what it answered (200: served)
    double durationMs = 0;
    double delayBeforeMs = 0; //!< the wait before it (a retry's delay)
};

//! The attempts listed anywhere in \a applied: the first array of objects that carry
//! a status and a duration ("attempts" in the demo gateway's explanatory shape; the
//! real header's shape is unconfirmed, so keys are matched loosely: duration_ms,
//! durationMs or duration; delay_before_ms, delay_ms or delay; model or target).
//! Empty when the gateway reports none.
QList<GatewayAttempt> attemptsIn(const QJsonValue &applied);

//! What the gateway said about a request through its response headers.
struct GatewayResponseInfo
{
    QString resolvedModel; //!< x-tfy-resolved-model, empty when absent
    //! x-tfy-applied-configurations as JSON; null when absent or invalid.
    QJsonValue appliedConfigurations = QJsonValue::Null;
    QString appliedConfigurationsRaw;
    QString appliedConfigurationsError; //!< why the raw text is not JSON
    QList<ServerTimingMetric> serverTiming;
    QList<GatewayAttempt> attempts; //!< attemptsIn(appliedConfigurations)
    //! The cache's word on the request (x-tfy-cache-status: hit, miss or error; empty
    //! when absent), the similarity of a semantic hit and the trace it was cached from
    //! (third-party sources only).
    QString cacheStatus;
    std::optional<double> cacheSimilarity;
    QString cachedTraceId;
    //! "hit (similarity 0.93, cached from trace …)", empty without a cache status.
    QString cacheText() const;
    std::optional<FeedbackTarget> feedbackTarget;
    HttpHeaders gatewayHeaders; //!< every x-tfy-* header, in order

    static GatewayResponseInfo fromHeaders(const HttpHeaders &headers);
};

FeedbackTarget decodeFeedbackTarget(QByteArrayView value);

//! The error a gateway or provider put in a JSON body: OpenAI style
//! {"error":{"message","type","param","code"}}, {"error":"text"}, or {"message":...}.
struct BodyError
{
    QString message;
    QString type;
    QString code;
    QJsonValue raw; //!< the error value as sent
};
std::optional<BodyError> errorFromBody(QByteArrayView body);

//! What an error status means from a gateway, in plain words, for every status the
//! gateway's SDK types (400, 401, 403, 404, 408, 409, 410, 412, 413, 422, 424, 429,
//! 499, 500, 502, 503, 504); shown next to the gateway's own message. Empty for
//! others.
QString statusMeaning(int status);

} // namespace gs::core
