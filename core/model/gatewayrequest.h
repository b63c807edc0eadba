#pragma once

#include "core/model/httpheader.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>
#include <utility>

namespace gs::core {

//! The gateway's OpenAI-style APIs, appended to a gateway's base URL.
enum class Endpoint {
    ChatCompletions,
    Completions,
    Embeddings,
    Responses,
    Models,
    Files,
    Batches,
    Moderations,
    ImageGenerations,
    AudioTranscriptions,
    AudioSpeech,
    Rerank,
    Messages,
    Custom, //!< any other path, kept as written
};

struct EndpointInfo
{
    Endpoint endpoint;
    QLatin1StringView id; //!< stable identifier for files and the CLI
    QLatin1StringView path; //!< appended to the base URL; empty for Custom
    QLatin1StringView label;
    QLatin1StringView defaultMethod;
    bool needsModel; //!< the body must name a model
    bool needsProviderName; //!< the gateway rejects it without x-tfy-provider-name
};

std::span<const EndpointInfo> endpoints();
const EndpointInfo &endpointInfo(Endpoint endpoint);

//! The gateway's header names, in the order compose() writes them.
namespace headers {
inline constexpr QLatin1StringView kAuthorization { "Authorization" };
inline constexpr QLatin1StringView kContentType { "Content-Type" };
inline constexpr QLatin1StringView kProviderName { "x-tfy-provider-name" };
inline constexpr QLatin1StringView kMetadata { "x-tfy-metadata" };
inline constexpr QLatin1StringView kStrictOpenAi { "x-tfy-strict-openai" };
inline constexpr QLatin1StringView kRetryConfig { "x-tfy-retry-config" };
inline constexpr QLatin1StringView kRequestTimeout { "x-tfy-request-timeout" };
inline constexpr QLatin1StringView kTtftTimeout { "x-tfy-ttft-timeout-ms" };
inline constexpr QLatin1StringView kLoggingConfig { "x-tfy-logging-config" };
inline constexpr QLatin1StringView kGuardrails { "x-tfy-guardrails" };
inline constexpr QLatin1StringView kMcpHeaders { "x-tfy-mcp-headers" };
//! What a Vertex account's /files and /batches need besides x-tfy-provider-name
//! (docs.truefoundry.com/gateway/file-endpoints).
inline constexpr QLatin1StringView kVertexStorageBucketName { "x-tfy-vertex-storage-bucket-name" };
inline constexpr QLatin1StringView kVertexRegion { "x-tfy-vertex-region" };
inline constexpr QLatin1StringView kProviderModel { "x-tfy-provider-model" };
} // namespace headers

//! x-tfy-retry-config, camelCase on the wire. Unset members are left out.
struct RetryConfig
{
    std::optional<qint64> attempts;
    std::optional<QList<qint64>> onStatusCodes;
    std::optional<bool> useRetryAfterHeader;

    friend bool operator==(const RetryConfig &, const RetryConfig &) = default;
};

//! x-tfy-guardrails (shape inferred from the gateway's docs, see docs/gateway-notes.md).
struct Guardrails
{
    QStringList input; //!< llm_input_guardrails
    QStringList output; //!< llm_output_guardrails

    friend bool operator==(const Guardrails &, const Guardrails &) = default;
};

using MetadataEntries = QList<std::pair<QString, QString>>;

//! Content of a request body sent from a file (a multipart upload's file part): read
//! from disk as the body goes out, never held in memory.
struct BodyFile
{
    qsizetype offset = 0; //!< where in the body's bytes its content goes
    QString path; //!< absolute
    qint64 size = 0; //!< as it was when the request was resolved

    friend bool operator==(const BodyFile &, const BodyFile &) = default;
};
using BodyFiles = QList<BodyFile>;

//! A gateway request with every documented header as a typed field.
struct GatewayRequest
{
    QString baseUrl; //!< e.g. https://gateway.truefoundry.ai or https://host/api/llm
    Endpoint endpoint = Endpoint::ChatCompletions;
    QString customPath; //!< the path when endpoint is Custom
    QString query; //!< without the leading '?'
    QString method; //!< empty: the endpoint's default
    QString model; //!< written into the JSON body's "model" when it differs
    QByteArray body;
    BodyFiles bodyFiles; //!< files whose content goes into the body at their offsets
    QString bearerToken;

    std::optional<MetadataEntries> metadata;
    std::optional<QString> providerName;
    std::optional<bool> strictOpenAi;
    std::optional<RetryConfig> retryConfig;
    std::optional<qint64> requestTimeoutMs;
    std::optional<qint64> ttftTimeoutMs;
    std::optional<bool> loggingEnabled;
    std::optional<Guardrails> guardrails;
    std::optional<QJsonObject> mcpHeaders;
    std::optional<QString> vertexStorageBucketName; //!< a Vertex account's files and batches
    std::optional<QString> vertexRegion;
    std::optional<QString> providerModel;
    HttpHeaders extraHeaders; //!< anything else, in order

    //! Gateway headers whose text does not fit their typed field. They are sent as
    //! written and validate() says what is wrong with them.
    HttpHeaders unparsedHeaders;

    //! The headers this request was decoded from. compose() reuses their order,
    //! spelling and exact text wherever the typed value is unchanged, so that an
    //! untouched request composes to the bytes it was read from.
    HttpHeaders sourceHeaders;

    QString effectiveMethod() const;
    QString url() const;
};

//! Exactly what goes on the wire (Host and Content-Length are the transport's).
struct WireRequest
{
    QByteArray method;
    QString url;
    HttpHeaders headers;
    QByteArray body; //!< the body's bytes but for the files' content
    BodyFiles bodyFiles {}; //!< files whose content goes into the body at their offsets

    //! The body's length on the wire: its bytes and its files'.
    qint64 bodySize() const;
    //! The body for a reader: its bytes with each file shown as "<file PATH, N bytes>".
    QByteArray bodyText() const;
    //! HTTP/1.1-style text: request line, headers, blank line, body, each file's
    //! content shown as "<file PATH, N bytes>". Secrets (the bearer token, API keys,
    //! cookies) are masked unless \a showSecrets.
    QByteArray toText(bool showSecrets = false) const;

    friend bool operator==(const WireRequest &, const WireRequest &) = default;
};

//! Whether a header of this name carries a credential (masked in every output).
bool isSecretHeader(QByteArrayView name);
//! \a value with the credential part replaced by a mask.
QByteArray maskSecret(QByteArrayView name, QByteArrayView value);

WireRequest compose(const GatewayRequest &request);
GatewayRequest decode(const WireRequest &wire);

//! Splits a URL into base URL, endpoint and query the way decode() does.
void applyUrl(GatewayRequest &request, const QString &url);

//! The canonical wire text of one gateway header, or nullopt when it is unset.
std::optional<QByteArray> encodeGatewayHeader(const GatewayRequest &request, QByteArrayView name);

} // namespace gs::core
