#pragma once

#include <QLatin1StringView>
#include <QList>
#include <QStringView>

#include <algorithm>
#include <array>

namespace gs::demo {

using namespace Qt::StringLiterals;

// The simulated providers and the routing configuration of the demo gateway
// (docs/demo-gateway.md, "Models" and "Routing").

struct SimulatedModel
{
    QLatin1StringView id;
    int firstTokenMs; // time to the first token
    int tokensPerSecond;
    bool reasoning; // emits thinking tokens (Claude-style) when x-tfy-strict-openai is false
    int failStatus; // 0: healthy; otherwise calls fail with this status
    bool failsFirstAttemptOnly;
    bool embeddings;
    int failPercent; // with failStatus: the share of calls that fail, drawn per call
};

inline constexpr std::array kModels {
    SimulatedModel { "openai-main/gpt-4o-mini"_L1, 40, 400, false, 0, false, false, 100 },
    SimulatedModel { "openai-main/gpt-4o"_L1, 80, 200, false, 0, false, false, 100 },
    // The default model of TrueFoundry's own examples and tools.
    SimulatedModel { "tfy-ai-openai/gpt-4o"_L1, 80, 200, false, 0, false, false, 100 },
    SimulatedModel { "anthropic-main/claude-sonnet-4"_L1, 60, 150, true, 0, false, false, 100 },
    SimulatedModel { "tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0"_L1, 90, 120, true,
        0, false, false, 100 },
    SimulatedModel { "openai-flaky/gpt-4o-mini"_L1, 40, 400, false, 503, true, false, 100 },
    SimulatedModel { "openai-down/gpt-4o"_L1, 10, 200, false, 503, false, false, 100 },
    SimulatedModel { "openai-slow/gpt-4o"_L1, 1500, 200, false, 0, false, false, 100 },
    // Fails two calls in five: the gateway marks it unhealthy for a while (demo/shaky).
    SimulatedModel { "openai-shaky/gpt-4o-mini"_L1, 40, 400, false, 503, false, false, 40 },
    SimulatedModel { "openai-main/text-embedding-3-small"_L1, 15, 0, false, 0, false, true, 100 },
};

struct Target
{
    QLatin1StringView model;
    int weight;
};

enum class Balancing {
    Weight, // weight-based-routing: a random draw by the targets' weights
    Latency, // latency-based-routing: the fastest target, once each has a few samples
};

// Virtual models: a load-balanced group plus fallback targets tried in order.
struct VirtualModel
{
    QLatin1StringView id;
    QLatin1StringView ruleId;
    std::array<Target, 2> targets; // weight 0: unused slot
    std::array<QLatin1StringView, 2> fallbacks;
    Balancing balancing;
    // sticky_routing.session_identifiers: the x-tfy-metadata key that pins a session
    // to the target its first request drew; empty: none.
    QLatin1StringView stickyKey;
};

inline constexpr std::array kVirtualModels {
    VirtualModel { "demo/chat"_L1, "demo-chat-weights"_L1,
        { Target { "openai-main/gpt-4o-mini"_L1, 70 },
            Target { "anthropic-main/claude-sonnet-4"_L1, 30 } },
        { "tfy-ai-bedrock/us-anthropic-claude-sonnet-4-20250514-v1-0"_L1, {} }, Balancing::Weight,
        {} },
    VirtualModel { "demo/fallback"_L1, "demo-fallback"_L1,
        { Target { "openai-down/gpt-4o"_L1, 100 }, Target {} },
        { "openai-main/gpt-4o-mini"_L1, {} }, Balancing::Weight, {} },
    VirtualModel { "demo/slow"_L1, "demo-slow-ttft"_L1,
        { Target { "openai-slow/gpt-4o"_L1, 100 }, Target {} },
        { "openai-main/gpt-4o-mini"_L1, {} }, Balancing::Weight, {} },
    VirtualModel { "demo/latency"_L1, "demo-latency"_L1,
        { Target { "openai-main/gpt-4o"_L1, 50 }, Target { "openai-main/gpt-4o-mini"_L1, 50 } }, {},
        Balancing::Latency, {} },
    VirtualModel { "demo/sticky"_L1, "demo-sticky"_L1,
        { Target { "openai-main/gpt-4o-mini"_L1, 50 },
            Target { "anthropic-main/claude-sonnet-4"_L1, 50 } },
        {}, Balancing::Weight, "session_id"_L1 },
    VirtualModel { "demo/shaky"_L1, "demo-shaky"_L1,
        { Target { "openai-shaky/gpt-4o-mini"_L1, 50 }, Target { "openai-main/gpt-4o"_L1, 50 } },
        {}, Balancing::Weight, {} },
};

// Target health (third-party account of the gateway): two failed calls within two
// minutes mark a target unhealthy; it recovers on its own (here after 30 s).
inline constexpr int kUnhealthyAfterFailures = 2;
inline constexpr qint64 kFailureWindowMs = 2 * 60 * 1000;
inline constexpr qint64 kUnhealthyForMs = 30 * 1000;
// Latency-based routing (documented): targets within 1.2x of the fastest are fast;
// a target needs 3 requests before it is judged; samples of the last 20 minutes.
inline constexpr double kLatencyTolerance = 1.2;
inline constexpr int kLatencyMinSamples = 3;
inline constexpr qint64 kLatencyWindowMs = 20 * 60 * 1000;
// Sticky routing keeps a session on its target this long (an assumption).
inline constexpr qint64 kStickyForMs = 10 * 60 * 1000;

// The gateway's documented defaults (server-side YAML): 2 attempts, 100 ms apart, on
// these codes; fallback on these codes.
inline constexpr int kDefaultRetries = 2;
inline constexpr int kRetryDelayMs = 100;
inline const QList<qint64> kDefaultRetryCodes { 429, 500, 502, 503 };
inline const QList<qint64> kFallbackCodes { 401, 403, 404, 408, 429, 500, 502, 503 };
inline constexpr int kRateLimitPerMinute = 600;

inline const SimulatedModel *findModel(QStringView id)
{
    const auto it
        = std::ranges::find_if(kModels, [id](const SimulatedModel &m) { return id == m.id; });
    return it == kModels.end() ? nullptr : &*it;
}

//! Up to three served ids (models and virtual models) closest to \a id: the same model
//! name first, then by edit distance. For a 404 that says what was meant.
QStringList closestModels(QStringView id);

inline const VirtualModel *findVirtual(QStringView id)
{
    const auto it
        = std::ranges::find_if(kVirtualModels, [id](const VirtualModel &m) { return id == m.id; });
    return it == kVirtualModels.end() ? nullptr : &*it;
}

} // namespace gs::demo
