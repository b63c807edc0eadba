#pragma once

#include "core/model/gatewayrequest.h"

#include <QList>
#include <QString>

namespace gs::core {

//! One problem with a request, tied to the field it concerns.
struct Issue
{
    enum class Severity {
        Error,
        Warning
    };

    Severity severity = Severity::Error;
    //! Which field: "url", "method", "model", "body", "token", "metadata",
    //! "metadata.<key>", "providerName", "strictOpenAi", "retryConfig",
    //! "retryConfig.attempts", "retryConfig.onStatusCodes",
    //! "retryConfig.useRetryAfterHeader", "requestTimeoutMs", "ttftTimeoutMs",
    //! "loggingEnabled", "guardrails", "mcpHeaders", "header:<Name>".
    QString field;
    QString message;

    friend bool operator==(const Issue &, const Issue &) = default;
};

//! Every problem that keeps \a request from being sent (errors) or that the user
//! should know about (warnings). Never stops at the first.
QList<Issue> validate(const GatewayRequest &request);

bool hasErrors(const QList<Issue> &issues);

//! The form field that a gateway header's problems are reported on.
QString fieldForHeader(QByteArrayView name);

//! The metadata value length limit the gateway documents.
inline constexpr qsizetype kMetadataValueMaxLength = 128;

} // namespace gs::core
