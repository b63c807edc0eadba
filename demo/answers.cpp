#include "demo/answers.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

//! The plan's text: its tokens as words (at most 100,000).
QString wholeText(const StreamPlan &plan)
{
    Words words(plan.seed);
    QString text;
    for (qint64 i = 0; i < std::min<qint64>(plan.tokens, 100'000); ++i)
        text += QString::fromUtf8(words.next());
    return text.trimmed();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray chatCompletionBody(const StreamPlan &plan, const QString &reasoning)
{
    QJsonObject message { { u"role"_s, u"assistant"_s }, { u"content"_s, wholeText(plan) } };
    if (!reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, reasoning);
    if (!plan.toolName.isEmpty()) {
        const QJsonObject function { { u"name"_s, QString::fromUtf8(plan.toolName) },
            { u"arguments"_s, uR"({"query":"gateway"})"_s } };
        message.insert(u"tool_calls"_s,
            QJsonArray { QJsonObject { { u"id"_s, u"call_demo_1"_s }, { u"type"_s, u"function"_s },
                { u"function"_s, function } } });
    }
    const QString finish = plan.toolName.isEmpty() ? u"stop"_s : u"tool_calls"_s;
    QJsonArray choices;
    for (int i = 0; i < plan.choices; ++i) {
        choices.append(QJsonObject {
            { u"index"_s, i }, { u"message"_s, message }, { u"finish_reason"_s, finish } });
    }
    const QJsonObject usage { { u"prompt_tokens"_s, plan.promptTokens },
        { u"completion_tokens"_s, plan.tokens },
        { u"total_tokens"_s, plan.promptTokens + plan.tokens } };
    return compact({ { u"id"_s, QString::fromUtf8(plan.id) }, { u"object"_s, u"chat.completion"_s },
        { u"created"_s, plan.created }, { u"model"_s, QString::fromUtf8(plan.model) },
        { u"choices"_s, choices }, { u"usage"_s, usage } });
}

QByteArray responseBody(const StreamPlan &plan)
{
    const QJsonArray content { QJsonObject {
        { u"type"_s, u"output_text"_s }, { u"text"_s, wholeText(plan) } } };
    const QJsonArray output { QJsonObject {
        { u"type"_s, u"message"_s }, { u"role"_s, u"assistant"_s }, { u"content"_s, content } } };
    const QJsonObject usage { { u"input_tokens"_s, plan.promptTokens },
        { u"output_tokens"_s, plan.tokens },
        { u"total_tokens"_s, plan.promptTokens + plan.tokens } };
    return compact({ { u"id"_s, QString::fromUtf8(plan.id) }, { u"object"_s, u"response"_s },
        { u"model"_s, QString::fromUtf8(plan.model) }, { u"status"_s, u"completed"_s },
        { u"output"_s, output }, { u"usage"_s, usage } });
}

QByteArray embeddingsBody(const StreamPlan &plan, const QJsonArray &inputs)
{
    QJsonArray data;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        QJsonArray vector;
        QRandomGenerator64 v(plan.seed + quint64(i));
        for (int d = 0; d < 8; ++d)
            vector.append(std::round((v.generateDouble() * 2 - 1) * 1e6) / 1e6);
        data.append(QJsonObject {
            { u"object"_s, u"embedding"_s }, { u"index"_s, i }, { u"embedding"_s, vector } });
    }
    const QJsonObject usage { { u"prompt_tokens"_s, plan.promptTokens },
        { u"total_tokens"_s, plan.promptTokens } };
    return compact({ { u"object"_s, u"list"_s }, { u"data"_s, data },
        { u"model"_s, QString::fromUtf8(plan.model) }, { u"usage"_s, usage } });
}

} // namespace gs::demo
