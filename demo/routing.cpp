#include "demo/routing.h"

#include "demo/catalog.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QVariantList>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

struct RetryPolicy
{
    int retries = kDefaultRetries;
    QList<qint64> codes = kDefaultRetryCodes;
    bool useRetryAfter = false;
};

class Router
{
public:
    Router(const GatewayHeaders &request, bool stream, qint64 tokens, quint64 seed)
        : m_request(request)
        , m_stream(stream)
        , m_tokens(tokens)
        , m_random(seed)
    {
        if (request.hasRetryConfig) {
            if (request.retryAttempts)
                m_retry.retries = int(std::min<qint64>(*request.retryAttempts, 10));
            if (request.retryOnStatusCodes)
                m_retry.codes = *request.retryOnStatusCodes;
            m_retry.useRetryAfter = request.useRetryAfterHeader;
        }
    }

    // One call to one model, without retries.
    Attempt call(const SimulatedModel &m, int attemptNumber) const
    {
        Attempt a;
        a.model = QString(m.id);
        if (m.failStatus && (!m.failsFirstAttemptOnly || attemptNumber == 0)) {
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

    // Calls a model with the retry policy; returns the last attempt.
    Attempt callWithRetries(const SimulatedModel &m, Routing &routing) const
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
            // Weight-based load balancing, then the fallback chain.
            int total = 0;
            for (const Target &t : v->targets)
                total += t.weight;
            int pick = int(m_random.bounded(quint32(std::max(total, 1))));
            QJsonArray targets;
            QString selected;
            for (const Target &t : v->targets) {
                if (t.weight == 0)
                    continue;
                targets.append(
                    QJsonObject { { u"target"_s, QString(t.model) }, { u"weight"_s, t.weight } });
                if (selected.isEmpty() && pick < t.weight)
                    selected = QString(t.model);
                pick -= t.weight;
            }
            chain << selected;
            for (QLatin1StringView f : v->fallbacks) {
                if (!f.isEmpty())
                    chain << QString(f);
            }
            applied.insert(u"load_balancing"_s,
                QJsonObject { { u"rule_id"_s, QString(v->ruleId) },
                    { u"type"_s, u"weight-based-routing"_s }, { u"targets"_s, targets },
                    { u"selected"_s, selected } });
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
    RetryPolicy m_retry;
};

} // namespace

Routing route(
    const QString &model, const GatewayHeaders &headers, bool stream, qint64 tokens, quint64 seed)
{
    return Router(headers, stream, tokens, seed).route(model);
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
