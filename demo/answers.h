#pragma once

#include "demo/streams.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

namespace gs::demo {

// Whole (non-streamed) answers of the simulated models, as the OpenAI-compatible APIs
// shape them. The streamed ones are in streams.h; both follow a StreamPlan.

//! A chat completion: every choice the same message, with \a reasoning (empty: none)
//! and a tool call when the plan has a tool.
QByteArray chatCompletionBody(const StreamPlan &plan, const QString &reasoning);
//! A Responses API response with one output message.
QByteArray responseBody(const StreamPlan &plan);
//! An embeddings list: one short vector per item of \a inputs, seeded by \a plan.
QByteArray embeddingsBody(const StreamPlan &plan, const QJsonArray &inputs);

} // namespace gs::demo
