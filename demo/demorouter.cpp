#include "demo/demorouter.h"

#include "demo/answers.h"
#include "demo/batches.h"
#include "demo/catalog.h"
#include "demo/files.h"
#include "demo/media.h"
#include "demo/replies.h"
#include "demo/routing.h"
#include "demo/streams.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::demo {

namespace {

DemoResponse refusal(const Refusal &r)
{
    return errorReply(r.status, r.message, r.type);
}

Refusal refused(int status, const QString &message)
{
    return Refusal { status, message, u"invalid_request_error"_s };
}

QString lastUserMessage(const QJsonObject &body)
{
    const QJsonArray messages = body.value("messages"_L1).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages[i].toObject();
        if (m.value("role"_L1).toString() != "user"_L1)
            continue;
        const QJsonValue content = m.value("content"_L1);
        if (content.isString())
            return content.toString();
        return QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Compact));
    }
    const QJsonValue input = body.value("input"_L1);
    return input.isString() ? input.toString() : QString();
}

QByteArray feedbackTarget(QRandomGenerator64 &random)
{
    const auto hex = [&random](int bytes) {
        QByteArray raw(bytes, Qt::Uninitialized);
        for (char &c : raw)
            c = char(random.bounded(256U));
        return raw.toHex();
    };
    return QByteArray("{\"spanId\":\"" + hex(8) + "\",\"traceId\":\"" + hex(16) + "\"}").toBase64();
}

} // namespace

std::optional<DemoFault> demoFaultFromName(QByteArrayView name)
{
    static const std::array<std::pair<QByteArrayView, DemoFault>, 10> kNames { {
        { "reset", DemoFault::ResetMidStream },
        { "truncated-chunked", DemoFault::TruncatedChunked },
        { "stall", DemoFault::Stall },
        { "malformed-sse", DemoFault::MalformedSse },
        { "split-utf8", DemoFault::SplitUtf8 },
        { "rate-limit", DemoFault::RateLimit },
        { "unavailable", DemoFault::Unavailable },
        { "oversized-header", DemoFault::OversizedHeader },
        { "gzip", DemoFault::Gzip },
        { "drip", DemoFault::Drip },
    } };
    for (const auto &[n, f] : kNames) {
        if (n == name)
            return f;
    }
    return std::nullopt;
}

QByteArray demoFaultName(DemoFault fault)
{
    for (const char *name : { "reset", "truncated-chunked", "stall", "malformed-sse", "split-utf8",
             "rate-limit", "unavailable", "oversized-header", "gzip", "drip" }) {
        if (demoFaultFromName(name) == fault)
            return name;
    }
    return "none";
}

DemoRouter::DemoRouter(quint64 seed, DemoClock clock)
    : m_seed(seed)
{
    if (!clock)
        clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    m_clock = clock;
    m_routing = std::make_unique<RoutingState>();
    m_files = std::make_unique<DemoFiles>(clock);
    m_media = std::make_unique<DemoMedia>(seed);
    m_batches = std::make_unique<DemoBatches>(
        *m_files, [this](const DemoRequest &r) { return handle(r); }, clock, seed);
}

DemoRouter::~DemoRouter() = default;

QStringList DemoRouter::modelIds()
{
    QStringList ids;
    for (const SimulatedModel &m : kModels)
        ids << QString(m.id);
    for (const VirtualModel &v : kVirtualModels)
        ids << QString(v.id);
    ids << DemoMedia::imageModels() << DemoMedia::speechModels()
        << DemoMedia::transcriptionModels();
    return ids;
}

// The steps of one request, in the gateway's order: the fault the caller asked
// for, authentication, the gateway headers, the endpoint, then routing and the answer.
DemoResponse DemoRouter::handle(const DemoRequest &request)
{
    ++m_requestCount;
    const auto target = selectFault(request);
    if (!target)
        return refusal(target.error());
    const auto token = bearerToken(request.headers);
    if (!token)
        return refusal(token.error());
    if (*token != kDemoToken && *token != kDemoLimitedToken)
        return refusal({ 401, u"Invalid token."_s, u"authentication_error"_s });
    auto headers = readGatewayHeaders(request.headers);
    if (!headers)
        return refusal(headers.error());
    headers->token = *token;
    if (const auto faulted = faultResponse(target->fault))
        return *faulted;
    const Endpoint endpoint = endpointOf(target->path);
    if (endpoint == Endpoint::Models && request.method == "GET")
        return modelList();
    if (auto files = m_files->handle(request, target->path, headers->providerName))
        return std::move(*files);
    if (auto batches = m_batches->handle(request, target->path, *headers))
        return std::move(*batches);
    if (auto media = m_media->handle(request, target->path))
        return std::move(*media);
    const auto call = checkCall(request, *target, endpoint, *headers);
    if (!call)
        return refusal(call.error());
    return answer(request, *call, *headers);
}

std::expected<DemoRouter::Target, Refusal> DemoRouter::selectFault(const DemoRequest &request)
{
    Target target;
    target.path = request.target;
    if (const qsizetype q = target.path.indexOf('?'); q >= 0)
        target.path.truncate(q);
    // A header or a "/fault/NAME/" path prefix.
    if (const QByteArray name = headerValue(request.headers, "x-gatescope-fault");
        !name.isEmpty()) {
        const auto f = demoFaultFromName(name.trimmed());
        if (!f)
            return std::unexpected(
                Refusal { 400, u"Unknown x-gatescope-fault \"%1\"."_s.arg(QString::fromUtf8(name)),
                    u"invalid_request_error"_s });
        target.fault = *f;
    }
    if (const qsizetype at = target.path.indexOf("/fault/"); at >= 0) {
        // ".../fault/NAME/chat/completions": the segment goes, the rest is the request.
        const QByteArray path = target.path;
        const qsizetype nameStart = at + 7;
        const qsizetype end = path.indexOf('/', nameStart);
        const auto f = demoFaultFromName(
            QByteArrayView(path).sliced(nameStart, (end < 0 ? path.size() : end) - nameStart));
        if (!f)
            return std::unexpected(
                Refusal { 404, u"Unknown fault in path %1."_s.arg(QString::fromUtf8(path)),
                    u"not_found_error"_s });
        target.fault = *f;
        target.path = path.left(at) + (end < 0 ? QByteArray("/") : path.mid(end));
    }
    return target;
}

std::optional<DemoResponse> DemoRouter::faultResponse(DemoFault fault)
{
    if (fault == DemoFault::RateLimit) {
        DemoResponse r
            = errorReply(429, u"Rate limit exceeded for rule demo-rpm: 600 requests_per_minute."_s,
                u"rate_limit_error"_s);
        r.headers.append(HttpHeader { "retry-after", "1" });
        return r;
    }
    if (fault == DemoFault::Unavailable) {
        DemoResponse r = errorReply(503, u"no healthy upstream"_s, u"service_unavailable"_s);
        r.headers.append(HttpHeader { "retry-after", "1" });
        return r;
    }
    return std::nullopt;
}

DemoRouter::Endpoint DemoRouter::endpointOf(QByteArrayView path)
{
    // The base URL is a free-form prefix: the OpenAI-style path is its end.
    for (const auto &[suffix, endpoint] : { std::pair { "/chat/completions", Endpoint::Chat },
             std::pair { "/responses", Endpoint::Responses },
             std::pair { "/embeddings", Endpoint::Embeddings },
             std::pair { "/models", Endpoint::Models } }) {
        if (path.endsWith(suffix))
            return endpoint;
    }
    return Endpoint::Other;
}

DemoResponse DemoRouter::modelList()
{
    QJsonArray data;
    for (const QString &id : modelIds())
        data.append(QJsonObject { { u"id"_s, id }, { u"object"_s, u"model"_s },
            { u"owned_by"_s, id.section(u'/', 0, 0) } });
    DemoResponse r;
    r.headers = { { "content-type", "application/json" } };
    r.body = QJsonDocument(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data } })
                 .toJson(QJsonDocument::Compact);
    return r;
}

std::expected<DemoRouter::Call, Refusal> DemoRouter::checkCall(const DemoRequest &request,
    const Target &target, Endpoint endpoint, const GatewayHeaders &headers)
{
    const QString path = QString::fromUtf8(target.path);
    if (endpoint == Endpoint::Other || endpoint == Endpoint::Models)
        return std::unexpected(Refusal { 404,
            u"The demo gateway does not serve %1 %2."_s.arg(
                QString::fromUtf8(request.method), path),
            u"not_found_error"_s });
    if (request.method != "POST")
        return std::unexpected(refused(405, u"Use POST for %1."_s.arg(path)));
    if (endpoint == Endpoint::Responses && headers.providerName.isEmpty())
        return std::unexpected(
            refused(400, u"x-tfy-provider-name is required for the responses API."_s));

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject())
        return std::unexpected(
            refused(400, u"The body is not a JSON object: %1."_s.arg(parseError.errorString())));
    Call call;
    call.endpoint = endpoint;
    call.fault = target.fault;
    call.path = target.path;
    call.body = doc.object();
    call.model = call.body.value("model"_L1).toString();
    if (call.model.isEmpty())
        return std::unexpected(refused(400, u"\"model\" is required."_s));
    const SimulatedModel *direct = findModel(call.model);
    if (!direct && !findVirtual(call.model))
        return std::unexpected(Refusal { 404,
            u"Model %1 not found; the closest this gateway serves: %2. GET /models lists them "
            "all."_s.arg(call.model, closestModels(call.model).join(u", "_s)),
            u"not_found_error"_s });
    if (headers.token == kDemoLimitedToken && !call.model.startsWith("openai-main/"_L1))
        return std::unexpected(Refusal { 403,
            u"Model %1 is not allowed for this token."_s.arg(call.model), u"permission_error"_s });
    const bool embeddings = endpoint == Endpoint::Embeddings;
    if (embeddings != (direct && direct->embeddings))
        return std::unexpected(
            refused(400, u"Model %1 does not serve %2."_s.arg(call.model, path)));
    return call;
}

StreamPlan DemoRouter::plan(const DemoRequest &request, const Call &call) const
{
    const QJsonObject &body = call.body;
    StreamPlan plan;
    plan.seed = m_seed ^ qHash(request.body) ^ qHash(call.path);
    plan.fault = call.fault;
    plan.created = 1'764'000'000 + m_requestCount;
    plan.tokens = std::clamp<qint64>(
        body.value("max_tokens"_L1).toInteger(body.value("max_output_tokens"_L1).toInteger(40)), 1,
        10'000'000);
    if (call.fault == DemoFault::Drip)
        plan.tokens = std::min<qint64>(plan.tokens, 6);
    plan.includeUsage
        = body.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool();
    const QString prompt = lastUserMessage(body);
    plan.promptTokens = std::max<qint64>(1, prompt.split(u' ', Qt::SkipEmptyParts).size() + 8);
    plan.choices = int(std::clamp<qint64>(body.value("n"_L1).toInteger(1), 1, 8));
    const QJsonArray tools = body.value("tools"_L1).toArray();
    if (!tools.isEmpty()) {
        const QJsonObject function = tools.first().toObject().value("function"_L1).toObject();
        plan.toolName = function.value("name"_L1).toString(u"tool"_s).toUtf8();
    }
    return plan;
}

DemoResponse DemoRouter::answer(
    const DemoRequest &request, const Call &call, const GatewayHeaders &headers)
{
    StreamPlan plan = this->plan(request, call);
    QRandomGenerator64 random(plan.seed);
    const bool embeddings = call.endpoint == Endpoint::Embeddings;
    const bool stream = call.body.value("stream"_L1).toBool() && !embeddings;
    const Routing routing
        = route(call.model, headers, stream, plan.tokens, m_seed, *m_routing, m_clock());

    DemoResponse r;
    r.fault = call.fault;
    // "x-gatescope-applied-shape: rule-ids" asks for the most likely real shape.
    const bool ruleIds
        = headerValue(request.headers, "x-gatescope-applied-shape").trimmed() == "rule-ids";
    r.headers.append(
        { "x-tfy-applied-configurations", appliedConfigurations(routing, headers, ruleIds) });
    if (ruleIds)
        r.headers.append(core::HttpHeader { "x-gatescope-applied-shape", "rule-ids (inferred)" });
    r.headers.append({ "x-tfy-feedback-target-id", feedbackTarget(random) });
    if (call.fault == DemoFault::OversizedHeader)
        r.headers.append({ "x-tfy-debug-trace", QByteArray(128 * 1024, 'x') });
    r.headerDelayMs = routing.waitMs;
    if (routing.resolvedModel.isEmpty()) {
        const Attempt &last = routing.attempts.last();
        DemoResponse failed = errorReply(last.status,
            u"All targets failed; the last (%1) answered %2: %3."_s.arg(last.model)
                .arg(last.status)
                .arg(last.reason),
            last.status == 408 ? u"timeout_error"_s : u"upstream_error"_s);
        failed.headers += r.headers;
        failed.headerDelayMs = routing.waitMs;
        return failed;
    }
    r.headers.append({ "x-tfy-resolved-model", routing.resolvedModel.toUtf8() });
    const bool responses = call.endpoint == Endpoint::Responses;
    plan.id = (responses ? "resp_" : "chatcmpl-")
        + QByteArray::number(random.generate() % 1000000000, 36);
    plan.model = routing.resolvedModel.section(u'/', 1).toUtf8();
    const SimulatedModel *served = findModel(routing.resolvedModel);
    const bool thinking = served->reasoning && headers.strictOpenAi == false;
    plan.reasoningTokens = thinking ? std::max<qint64>(3, plan.tokens / 4) : 0;

    if (stream) {
        r.headers.prepend({ "cache-control", "no-cache" });
        r.headers.prepend({ "content-type", "text/event-stream; charset=utf-8" });
        if (call.fault == DemoFault::MalformedSse)
            r.stream = malformedStream(plan.model);
        else
            r.stream = responses ? responsesStream(plan) : chatStream(plan);
        // Pacing: the provider's token rate, unless the request asks for another
        // ("x-gatescope-token-interval-ms: 0" streams as fast as the socket takes it).
        r.eventIntervalMs = served->tokensPerSecond > 0 ? 1000 / served->tokensPerSecond : 0;
        if (const QByteArray pace = headerValue(request.headers, "x-gatescope-token-interval-ms");
            !pace.isNull())
            r.eventIntervalMs = std::clamp(pace.toInt(), 0, 10'000);
        return r;
    }
    // The whole answer, with server-timing (which the gateway sends only on
    // non-streaming responses).
    r.headers.prepend({ "content-type", "application/json" });
    r.headers.append({ "server-timing", serverTiming(routing, headers) });
    if (embeddings) {
        const QJsonValue input = call.body.value("input"_L1);
        r.body = embeddingsBody(plan, input.isArray() ? input.toArray() : QJsonArray { input });
    } else if (responses) {
        r.body = responseBody(plan);
    } else {
        const QString prompt = lastUserMessage(call.body);
        r.body = chatCompletionBody(plan,
            thinking ? u"The user asked: %1. Answer briefly."_s.arg(prompt.left(200)) : QString());
    }
    return r;
}

QByteArray DemoRouter::appliedConfigurations(
    const Routing &routing, const GatewayHeaders &headers, bool ruleIds)
{
    if (ruleIds) {
        // Category to the ids of the rules applied: no explanation, no attempts.
        QJsonObject ids { { u"rate_limiting"_s, QJsonArray { u"demo-rpm"_s } } };
        const QJsonObject balancing = routing.applied.value("load_balancing"_L1).toObject();
        if (!balancing.isEmpty())
            ids.insert(u"load_balancing"_s, QJsonArray { balancing.value("rule_id"_L1) });
        if (headers.hasGuardrails)
            ids.insert(u"guardrails"_s,
                QJsonArray::fromStringList(headers.inputGuardrails + headers.outputGuardrails));
        return QJsonDocument(ids).toJson(QJsonDocument::Compact);
    }
    QJsonObject applied = routing.applied;
    applied.insert(u"rate_limiting"_s,
        QJsonObject { { u"rule_id"_s, u"demo-rpm"_s }, { u"limit"_s, kRateLimitPerMinute },
            { u"unit"_s, u"requests_per_minute"_s },
            { u"remaining"_s,
                qint64(kRateLimitPerMinute) - (m_requestCount % kRateLimitPerMinute) } });
    if (!headers.metadata.isEmpty()) {
        QJsonObject metadata;
        for (const auto &[k, v] : headers.metadata)
            metadata.insert(k, v);
        applied.insert(u"metadata"_s, metadata);
    }
    if (headers.hasGuardrails) {
        applied.insert(u"guardrails"_s,
            QJsonObject {
                { u"llm_input_guardrails"_s, QJsonArray::fromStringList(headers.inputGuardrails) },
                { u"llm_output_guardrails"_s,
                    QJsonArray::fromStringList(headers.outputGuardrails) } });
    }
    return QJsonDocument(applied).toJson(QJsonDocument::Compact);
}

} // namespace gs::demo
