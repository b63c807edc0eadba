#pragma once

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

} // namespace gs::core
