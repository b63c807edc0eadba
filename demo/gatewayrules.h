#pragma once

#include "core/model/httpheader.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <expected>
#include <optional>
#include <utility>

namespace gs::demo {

//! Why the gateway refuses a request: the status, message and error type it answers.
struct Refusal
{
    int status = 400;
    QString message;
    QString type = QStringLiteral("invalid_request_error");
};

//! The gateway's request headers as the demo gateway reads them. These rules are
//! written from the gateway's public documentation (docs/demo-gateway.md names the
//! pages), never with the client's decode() or validate(): a client that reads or
//! checks a header wrongly then disagrees with the demo, and a test can see it.
struct GatewayHeaders
{
    QByteArray token; //!< from "Authorization: Bearer TOKEN"
    QList<std::pair<QString, QString>> metadata; //!< x-tfy-metadata
    QString providerName; //!< x-tfy-provider-name
    std::optional<bool> strictOpenAi; //!< x-tfy-strict-openai
    bool hasRetryConfig = false; //!< x-tfy-retry-config was sent
    std::optional<qint64> retryAttempts;
    std::optional<QList<qint64>> retryOnStatusCodes;
    bool useRetryAfterHeader = false;
    std::optional<qint64> requestTimeoutMs; //!< x-tfy-request-timeout
    std::optional<qint64> ttftTimeoutMs; //!< x-tfy-ttft-timeout-ms
    std::optional<bool> loggingEnabled; //!< x-tfy-logging-config's "enabled"
    bool hasGuardrails = false; //!< x-tfy-guardrails was sent
    QStringList inputGuardrails;
    QStringList outputGuardrails;
};

//! The bearer token, or 401: no Authorization header, or another scheme.
std::expected<QByteArray, Refusal> bearerToken(const core::HttpHeaders &headers);

//! Every x-tfy-* header read by the documented rules; the first one that breaks a
//! rule refuses the request with 400 and a message naming the header and the rule.
//! - x-tfy-metadata: a JSON object whose values are strings of at most 128
//!   characters (counted as the gateway's JavaScript counts them, in UTF-16 units);
//!   a repeated key keeps its last value, as JSON.parse does.
//! - x-tfy-strict-openai: true or false.
//! - x-tfy-retry-config: a JSON object, camelCase: attempts (a whole number, 0 or
//!   more), onStatusCodes (HTTP status numbers), useRetryAfterHeader (a boolean).
//!   The snake_case keys of the server-side YAML are refused with a hint.
//! - x-tfy-request-timeout, x-tfy-ttft-timeout-ms: positive whole milliseconds.
//! - x-tfy-logging-config: a JSON object; "enabled" a boolean, other keys ignored.
//! - x-tfy-guardrails: a JSON object; llm_input_guardrails and llm_output_guardrails
//!   lists of names (the shape is inferred).
//! - x-tfy-mcp-headers: a JSON object of header objects, keyed by MCP server.
std::expected<GatewayHeaders, Refusal> readGatewayHeaders(const core::HttpHeaders &headers);

} // namespace gs::demo
