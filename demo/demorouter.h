#pragma once

#include "core/model/httpheader.h"
#include "demo/gatewayrules.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <expected>
#include <functional>
#include <memory>
#include <optional>

class QTemporaryFile;

namespace gs::demo {

struct StreamPlan;
class DemoFiles;
class DemoBatches;
class DemoMedia;

using core::HttpHeaders;

struct Routing;
struct RoutingState;

//! Milliseconds since the epoch: the demo gateway's clock (a test may set its own).
using DemoClock = std::function<qint64()>;

//! Tokens the demo gateway accepts: the first may use every model, the second only
//! openai-main/* models (others answer 403).
inline constexpr QByteArrayView kDemoToken = "gs-demo-token";
inline constexpr QByteArrayView kDemoLimitedToken = "gs-limited-token";

//! Misbehaviours the demo gateway can put on a response, chosen per request with the
//! header "x-gatescope-fault: NAME" or a path segment: BASE/fault/NAME/chat/completions.
enum class DemoFault {
    None,
    ResetMidStream, //!< "reset": the connection is reset after a few events
    TruncatedChunked, //!< "truncated-chunked": a chunk announces more bytes than arrive
    Stall, //!< "stall": the stream stops sending and stays open
    MalformedSse, //!< "malformed-sse": broken event syntax and non-JSON data among good events
    SplitUtf8, //!< "split-utf8": multi-byte characters cut across writes, one invalid byte
    RateLimit, //!< "rate-limit": 429 with Retry-After
    Unavailable, //!< "unavailable": 503 "no healthy upstream" with Retry-After
    OversizedHeader, //!< "oversized-header": a 128 KiB response header
    Gzip, //!< "gzip": the stream is gzip-compressed, flushed per event
    Drip, //!< "drip": one byte at a time
};
std::optional<DemoFault> demoFaultFromName(QByteArrayView name);
QByteArray demoFaultName(DemoFault fault);

//! One request as the demo gateway's HTTP layer received it.
struct DemoRequest
{
    QByteArray method;
    QByteArray target; //!< path and query as on the request line
    HttpHeaders headers;
    QByteArray body; //!< empty when the body was spooled to bodyFile
    //! A large upload's body as the connection wrote it to disk while it arrived
    //! (DemoGateway does so for POST .../files); nullptr otherwise.
    std::shared_ptr<QTemporaryFile> bodyFile = nullptr;
};

//! Produces a streamed body one event (already framed) at a time.
class DemoEventSource
{
public:
    virtual ~DemoEventSource() = default;
    //! The next event's bytes, or nullopt after the last.
    virtual std::optional<QByteArray> next() = 0;
};

//! What the demo gateway answers, and how the HTTP layer must deliver it.
struct DemoResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body; //!< for non-streamed responses
    std::shared_ptr<DemoEventSource> stream; //!< for streamed responses (chunked)
    int headerDelayMs
        = 0; //!< held before the status line, as the gateway holds it until the provider answers
    int eventIntervalMs = 0; //!< pacing between streamed events
    DemoFault fault = DemoFault::None;
};

//! The demo gateway's behaviour without any networking: authentication, the models,
//! gateway headers checked by its own rules (gatewayrules.h), a small routing configuration
//! (weight-based load balancing, fallback, retries, per-attempt timeouts, TTFT timeouts) and
//! simulated providers. Deterministic for a given seed and request. See docs/demo-gateway.md.
class DemoRouter final
{
public:
    explicit DemoRouter(quint64 seed = 1, DemoClock clock = {});
    ~DemoRouter();
    //! Not copied or moved: the batches run their lines through this router.
    Q_DISABLE_COPY_MOVE(DemoRouter)

    DemoResponse handle(const DemoRequest &request);

    //! Models the demo gateway lists (GET /models).
    static QStringList modelIds();

private:
    enum class Endpoint {
        Chat,
        Responses,
        Embeddings,
        Models,
        Other
    };
    //! Where a request goes once the fault the caller chose is taken out of its path.
    struct Target
    {
        QByteArray path;
        DemoFault fault = DemoFault::None;
    };
    //! A model call the gateway accepted.
    struct Call
    {
        Endpoint endpoint = Endpoint::Other;
        DemoFault fault = DemoFault::None;
        QByteArray path;
        QJsonObject body;
        QString model;
    };

    static std::expected<Target, Refusal> selectFault(const DemoRequest &request);
    static std::optional<DemoResponse> faultResponse(DemoFault fault);
    static Endpoint endpointOf(QByteArrayView path);
    static DemoResponse modelList();
    static std::expected<Call, Refusal> checkCall(const DemoRequest &request, const Target &target,
        Endpoint endpoint, const GatewayHeaders &headers);
    //! What the answer to \a call will contain, before routing says who gives it.
    StreamPlan plan(const DemoRequest &request, const Call &call) const;
    //! Routes \a call and answers it: streamed, whole, or the error of the last target.
    DemoResponse answer(
        const DemoRequest &request, const Call &call, const GatewayHeaders &headers);
    //! The explanatory shape (what was applied and why, with the attempts), or with
    //! \a ruleIds the most likely real one: each category to the ids of the rules
    //! applied (inferred from the gateway's metrics schema).
    QByteArray appliedConfigurations(
        const Routing &routing, const GatewayHeaders &headers, bool ruleIds = false);

    quint64 m_seed;
    DemoClock m_clock;
    qint64 m_requestCount = 0;
    //! Routing draws, target health and latency, sticky sessions: kept across requests.
    std::unique_ptr<RoutingState> m_routing;
    std::unique_ptr<DemoFiles> m_files; //!< the Files API's uploads
    std::unique_ptr<DemoBatches> m_batches; //!< the Batch API's batches
    std::unique_ptr<DemoMedia> m_media; //!< images and audio
};

} // namespace gs::demo
