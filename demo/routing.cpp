#include "demo/routing.h"

#include "demo/catalog.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QVariantList>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

struct RetryPolicy
{
    int retries = kDefaultRetries;
    QList<qint64> codes = kDefaultRetryCodes;
    bool useRetryAfter = false;
};

quint64 splitMix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

class Router
{
public:
    Router(const GatewayHeaders &request, bool stream, qint64 tokens, quint64 seed,
        RoutingState &state, qint64 now)
        : m_request(request)
        , m_stream(stream)
        , m_tokens(tokens)
        // Every request draws anew, reproducibly: the n-th request under a seed always
        // gets the same numbers.
        , m_random(seed ^ splitMix(state.draws++))
        , m_state(state)
        , m_now(now)
    {
        if (request.hasRetryConfig) {
            if (request.retryAttempts)
                m_retry.retries = int(std::min<qint64>(*request.retryAttempts, 10));
            if (request.retryOnStatusCodes)
                m_retry.codes = *request.retryOnStatusCodes;
            m_retry.useRetryAfter = request.useRetryAfterHeader;
        }
    }

    // One call to one model, without retries; the target's health and latency learn
    // from it.
    Attempt call(const SimulatedModel &m, int attemptNumber)
    {
        Attempt a = simulate(m, attemptNumber);
        if (a.status == 200)
            noteLatency(a.model, a.durationMs);
        else
            noteFailure(a.model);
        return a;
    }

    // Calls a model with the retry policy; returns the last attempt.
    Attempt callWithRetries(const SimulatedModel &m, Routing &routing)
    {
        Attempt a;
        for (int n = 0; n <= m_retry.retries; ++n) {
            a = call(m, n);
            if (n > 0)
                a.delayBeforeMs = m_retry.useRetryAfter && a.status == 503 ? 1000 : kRetryDelayMs;
            routing.attempts.append(a);
            if (a.status == 200 || !m_retry.codes.contains(a.status))
                break;
        }
        return a;
    }

    Routing route(const QString &model)
    {
        Routing routing;
        QJsonObject applied;
        QStringList chain;
        if (const VirtualModel *v = findVirtual(model)) {
            QJsonObject balancing = balance(*v);
            chain << balancing.value("selected"_L1).toString();
            for (QLatin1StringView f : v->fallbacks) {
                if (!f.isEmpty())
                    chain << QString(f);
            }
            applied.insert(u"load_balancing"_s, balancing);
        } else {
            chain << model;
        }
        QJsonArray fallbackTried;
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const SimulatedModel *m = findModel(chain[i]);
            const Attempt last = callWithRetries(*m, routing);
            if (i > 0)
                fallbackTried.append(chain[i]);
            if (last.status == 200) {
                routing.resolvedModel = chain[i];
                routing.modelCallMs = last.durationMs;
                break;
            }
            if (!kFallbackCodes.contains(last.status))
                break;
        }
        if (!fallbackTried.isEmpty()) {
            applied.insert(u"fallback"_s,
                QJsonObject { { u"triggered"_s, true }, { u"from"_s, chain.first() },
                    { u"tried"_s, fallbackTried },
                    { u"status_codes"_s,
                        QJsonArray::fromVariantList(
                            { 401, 403, 404, 408, 429, 500, 502, 503 }) } });
        }
        if (routing.attempts.size() > 1) {
            QJsonArray attempts;
            for (const Attempt &a : routing.attempts) {
                attempts.append(QJsonObject { { u"model"_s, a.model }, { u"status"_s, a.status },
                    { u"duration_ms"_s, a.durationMs },
                    { u"delay_before_ms"_s, a.delayBeforeMs } });
            }
            applied.insert(u"retries"_s,
                QJsonObject { { u"max_retries"_s, m_retry.retries },
                    { u"on_status_codes"_s,
                        QJsonArray::fromVariantList(toVariants(m_retry.codes)) },
                    { u"attempts"_s, attempts } });
        }
        for (const Attempt &a : routing.attempts)
            routing.waitMs += a.delayBeforeMs + a.durationMs;
        routing.applied = applied;
        return routing;
    }

private:
    Attempt simulate(const SimulatedModel &m, int attemptNumber)
    {
        Attempt a;
        a.model = QString(m.id);
        const bool failing = m.failStatus && (!m.failsFirstAttemptOnly || attemptNumber == 0)
            && (m.failPercent >= 100 || int(m_random.bounded(100U)) < m.failPercent);
        if (failing) {
            a.status = m.failStatus;
            a.durationMs = 5;
            a.reason = m.failStatus == 503 ? u"no healthy upstream"_s : u"provider error"_s;
            return a;
        }
        const int generationMs
            = m.tokensPerSecond > 0 ? int(m_tokens * 1000 / m.tokensPerSecond) : 0;
        const int untilAnswer = m_stream ? m.firstTokenMs : m.firstTokenMs + generationMs;
        if (m_stream && m_request.ttftTimeoutMs && m.firstTokenMs > *m_request.ttftTimeoutMs) {
            a.status = 408;
            a.durationMs = int(*m_request.ttftTimeoutMs);
            a.reason = u"no first token within x-tfy-ttft-timeout-ms (%1 ms)"_s.arg(
                *m_request.ttftTimeoutMs);
            return a;
        }
        if (m_request.requestTimeoutMs && untilAnswer > *m_request.requestTimeoutMs) {
            a.status = 408;
            a.durationMs = int(*m_request.requestTimeoutMs);
            a.reason = u"model call exceeded x-tfy-request-timeout (%1 ms)"_s.arg(
                *m_request.requestTimeoutMs);
            return a;
        }
        a.durationMs = untilAnswer;
        return a;
    }

    bool unhealthy(const QString &target) const
    {
        return m_state.unhealthyUntil.value(target, -1) > m_now;
    }

    void noteFailure(const QString &target)
    {
        QList<qint64> &times = m_state.failures[target];
        times.removeIf([this](qint64 t) { return t <= m_now - kFailureWindowMs; });
        times.append(m_now);
        if (times.size() >= kUnhealthyAfterFailures) {
            m_state.unhealthyUntil.insert(target, m_now + kUnhealthyForMs);
            times.clear();
        }
    }

    void noteLatency(const QString &target, int ms)
    {
        auto &samples = m_state.latencies[target];
        samples.removeIf([this](const auto &s) { return s.first <= m_now - kLatencyWindowMs; });
        samples.append({ m_now, ms });
        if (samples.size() > 200)
            samples.removeFirst();
    }

    // Picks among \a candidates by weight.
    QString drawByWeight(const QList<Target> &candidates)
    {
        int total = 0;
        for (const Target &t : candidates)
            total += t.weight;
        int pick = int(m_random.bounded(quint32(std::max(total, 1))));
        for (const Target &t : candidates) {
            if (pick < t.weight)
                return QString(t.model);
            pick -= t.weight;
        }
        return QString(candidates.last().model);
    }

    // Latency-based: a target with fewer than three recent samples is tried first;
    // then any target within 1.2x of the fastest mean, at random.
    QString drawByLatency(const QList<Target> &candidates, QJsonArray &report)
    {
        QList<std::pair<QString, double>> means;
        QString learning;
        qsizetype fewest = std::numeric_limits<qsizetype>::max();
        for (const Target &t : candidates) {
            const QString name(t.model);
            auto &samples = m_state.latencies[name];
            samples.removeIf([this](const auto &s) { return s.first <= m_now - kLatencyWindowMs; });
            double sum = 0;
            for (const auto &[time, ms] : samples)
                sum += ms;
            const double mean = samples.isEmpty() ? 0 : sum / double(samples.size());
            means.append({ name, mean });
            if (samples.size() < kLatencyMinSamples && samples.size() < fewest) {
                fewest = samples.size();
                learning = name;
            }
            report.append(
                QJsonObject { { u"target"_s, name }, { u"samples"_s, qint64(samples.size()) },
                    { u"mean_ms"_s, std::round(mean * 10) / 10 } });
        }
        if (!learning.isEmpty())
            return learning;
        double fastest = std::numeric_limits<double>::max();
        for (const auto &[name, mean] : means)
            fastest = std::min(fastest, mean);
        QStringList fast;
        for (const auto &[name, mean] : means)
            if (mean <= fastest * kLatencyTolerance)
                fast << name;
        return fast.at(qsizetype(m_random.bounded(quint32(fast.size()))));
    }

    // The load-balancing decision for \a v, reported as the applied configuration.
    QJsonObject balance(const VirtualModel &v)
    {
        QList<Target> all;
        QList<Target> healthy;
        QJsonArray unhealthyTargets;
        QJsonArray targets;
        for (const Target &t : v.targets) {
            if (t.weight == 0)
                continue;
            all << t;
            if (unhealthy(QString(t.model)))
                unhealthyTargets.append(QString(t.model));
            else
                healthy << t;
            if (v.balancing == Balancing::Weight)
                targets.append(
                    QJsonObject { { u"target"_s, QString(t.model) }, { u"weight"_s, t.weight } });
        }
        // With every target unhealthy the gateway still has to try one.
        const QList<Target> &candidates = healthy.isEmpty() ? all : healthy;
        QJsonObject out { { u"rule_id"_s, QString(v.ruleId) } };
        QString selected;
        if (v.balancing == Balancing::Latency) {
            out.insert(u"type"_s, u"latency-based-routing"_s);
            selected = drawByLatency(candidates, targets);
        } else {
            out.insert(u"type"_s, u"weight-based-routing"_s);
            const QString session = v.stickyKey.isEmpty() ? QString() : metadata(v.stickyKey);
            if (!session.isNull()) {
                const QString key = QString(v.ruleId) + u'\n' + session;
                const auto pinned = m_state.sessions.value(key);
                const bool valid = pinned.second > m_now && !unhealthy(pinned.first);
                selected = valid ? pinned.first : drawByWeight(candidates);
                if (!valid)
                    m_state.sessions.insert(key, { selected, m_now + kStickyForMs });
                out.insert(u"sticky"_s,
                    QJsonObject {
                        { u"session_identifier"_s, QString(u"metadata."_s + v.stickyKey) },
                        { u"pinned"_s, valid } });
            } else {
                selected = drawByWeight(candidates);
            }
        }
        out.insert(u"targets"_s, targets);
        out.insert(u"selected"_s, selected);
        if (!unhealthyTargets.isEmpty())
            out.insert(u"unhealthy"_s, unhealthyTargets);
        return out;
    }

    QString metadata(QLatin1StringView key) const
    {
        for (const auto &[k, value] : m_request.metadata)
            if (k == key)
                return value;
        return {};
    }

private:
    static QVariantList toVariants(const QList<qint64> &codes)
    {
        QVariantList out;
        for (qint64 c : codes)
            out << c;
        return out;
    }

    const GatewayHeaders &m_request;
    bool m_stream;
    qint64 m_tokens;
    QRandomGenerator64 m_random;
    RoutingState &m_state;
    qint64 m_now;
    RetryPolicy m_retry;
};

} // namespace

Routing route(const QString &model, const GatewayHeaders &headers, bool stream, qint64 tokens,
    quint64 seed, RoutingState &state, qint64 nowMs)
{
    return Router(headers, stream, tokens, seed, state, nowMs).route(model);
}

QByteArray serverTiming(const Routing &routing, const GatewayHeaders &request)
{
    const double guardrails = !request.inputGuardrails.isEmpty() ? 4.2 : 0.0;
    const double outputGuardrails = !request.outputGuardrails.isEmpty() ? 3.1 : 0.0;
    const double total = 0.3 + 0.2 + 0.1 + guardrails + routing.waitMs + outputGuardrails + 0.4;
    QByteArray out = "authentication;dur=0.3, rate_limiting;dur=0.2, load_balancing;dur=0.1";
    if (guardrails > 0)
        out += ", input_guardrails;dur=" + QByteArray::number(guardrails);
    out += ", model_call;dur=" + QByteArray::number(routing.waitMs) + ";desc=\""
        + routing.resolvedModel.toUtf8() + '"';
    if (outputGuardrails > 0)
        out += ", output_guardrails;dur=" + QByteArray::number(outputGuardrails);
    out += ", logging;dur=0.4, total;dur=" + QByteArray::number(total, 'f', 1);
    return out;
}

} // namespace gs::demo
