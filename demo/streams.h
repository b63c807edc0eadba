#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QRandomGenerator>

#include <array>
#include <memory>

namespace gs::demo {

using namespace Qt::StringLiterals;

// Text the simulated models "generate": a passage about what a gateway does, read
// word by word from a sentence the seed picks, round and round for a long answer, so
// that a streamed demo answer reads as prose while it arrives.
inline constexpr QLatin1StringView kPassage {
    "A gateway sits between your application and the model providers. It routes each "
    "request to a model, retries when an upstream fails, and falls back to another "
    "target when it must. It records what it did in the response headers, so that you "
    "can see which model answered and why. Rate limits, budgets and guardrails apply on "
    "the way in; usage and latency are logged on the way out. Tokens stream back as they "
    "arrive, and the time to the first one is measured. One endpoint speaks the OpenAI "
    "API for every provider behind it."
};

class Words
{
public:
    explicit Words(quint64 seed)
    {
        for (const QLatin1StringView word : QLatin1StringView(kPassage).tokenize(u' '))
            m_words.append(word);
        // Start at a sentence: after a word that ends one.
        QList<qsizetype> starts { 0 };
        for (qsizetype i = 0; i + 1 < m_words.size(); ++i) {
            if (m_words[i].endsWith(u'.'))
                starts << i + 1;
        }
        m_next = starts[qsizetype(seed % quint64(starts.size()))];
    }
    QByteArray next()
    {
        QByteArray word;
        appendTo(word);
        return word;
    }
    // Appends the next word and the space after it.
    void appendTo(QByteArray &out)
    {
        const QLatin1StringView word = m_words[m_next];
        m_next = (m_next + 1) % m_words.size();
        out.append(word.data(), word.size());
        out.append(' ');
    }

private:
    QList<QLatin1StringView> m_words;
    qsizetype m_next = 0;
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
