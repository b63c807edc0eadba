#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QRandomGenerator>

#include <array>
#include <memory>

namespace gs::demo {

using namespace Qt::StringLiterals;

// Text the simulated models "generate": words drawn from a fixed vocabulary.
inline constexpr std::array kWords { "gateway"_L1, "routes"_L1, "each"_L1, "request"_L1, "to"_L1,
    "a"_L1, "model"_L1, "provider"_L1, "and"_L1, "records"_L1, "what"_L1, "it"_L1, "did"_L1,
    "the"_L1, "latency"_L1, "budget"_L1, "fallback"_L1, "keeps"_L1, "answers"_L1, "flowing"_L1,
    "when"_L1, "one"_L1, "upstream"_L1, "fails"_L1, "tokens"_L1, "stream"_L1, "back"_L1, "as"_L1,
    "they"_L1, "arrive"_L1, "metadata"_L1, "drives"_L1 };

class Words
{
public:
    explicit Words(quint64 seed)
        : m_random(seed)
    { }
    QByteArray next()
    {
        QByteArray word;
        appendTo(word);
        return word;
    }
    // Appends the next word and what follows it (a space, sometimes a full stop).
    void appendTo(QByteArray &out)
    {
        const QLatin1StringView pick = kWords[m_random.bounded(quint32(kWords.size()))];
        const qsizetype start = out.size();
        out.append(pick.data(), pick.size());
        if (m_count++ == 0)
            out[start] = char(std::toupper(static_cast<unsigned char>(out[start])));
        out.append(m_random.bounded(9U) == 0 ? ". " : " ");
    }

private:
    QRandomGenerator64 m_random;
    qint64 m_count = 0;
};

//! What a streamed answer contains.
struct StreamPlan
{
    QByteArray id;
    QByteArray model; // as reported in chunks
    qint64 created = 0;
    qint64 tokens = 0; // content tokens to emit
    qint64 reasoningTokens = 0;
    QByteArray toolName; // a tool call when the request offered tools
    bool includeUsage = false;
    qint64 promptTokens = 0;
    int choices = 1;
    quint64 seed = 0;
    DemoFault fault = DemoFault::None;
};

//! Chat completion chunks in the order OpenAI sends them, ending in [DONE].
std::shared_ptr<DemoEventSource> chatStream(StreamPlan plan);
//! The Responses API's typed events, ending in response.completed.
std::shared_ptr<DemoEventSource> responsesStream(StreamPlan plan);
//! Good events among broken ones (the "malformed-sse" fault).
std::shared_ptr<DemoEventSource> malformedStream(QByteArray model);

} // namespace gs::demo
