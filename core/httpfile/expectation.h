#pragma once

#include "core/model/error.h"
#include "core/stream/openaiassembler.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace gs::core {

//! A check on an exchange's outcome, written as a directive before a request in a
//! .http file (the collection runner evaluates them):
//!
//!     # @expect status 200            (or 2xx)
//!     # @expect model openai-main/gpt-4o
//!     # @expect json $.choices[0].message.role == "assistant"
//!     # @expect json $.usage.total_tokens exists
//!     # @expect ttft < 800ms           (or 2s; time to first token)
struct Expectation
{
    enum class Kind {
        Status,
        Model,
        JsonEquals,
        JsonExists,
        TtftBelow
    };
    Kind kind = Kind::Status;
    QString text; //!< as written, without "expect "
    int status = 0; //!< an exact status, or a class (2 for "2xx") with statusClass
    bool statusClass = false;
    QString model;
    QString path; //!< JSON path: $, .key, ['key'], [index]
    QJsonValue value; //!< for JsonEquals
    double ttftMs = 0;

    //! Parses the directive's text after "expect".
    static Result<Expectation> parse(const QString &text);
};

//! What an exchange produced, as the expectations see it.
struct ExchangeFacts
{
    int status = 0; //!< 0 when no response came
    QString resolvedModel; //!< x-tfy-resolved-model, else the body's model
    QJsonValue json = QJsonValue::Undefined; //!< the body, or a stream assembled into one
    double ttftMs = -1; //!< from sending the request to the first token; -1 when none came
};

struct ExpectationResult
{
    bool passed = false;
    QString actual; //!< what was found, for the report
};

ExpectationResult check(const Expectation &expectation, const ExchangeFacts &facts);

//! The value at \a path in \a root ("$.choices[0].message.content"); nullopt when
//! there is nothing there. A malformed path sets \a error.
std::optional<QJsonValue> jsonAtPath(
    const QJsonValue &root, const QString &path, QString *error = nullptr);

//! A streamed answer (of any API) in the shape of a non-streaming chat.completion,
//! so that one JSON path reads a streamed and a non-streamed answer alike.
QJsonValue assembledAsJson(const AssembledResponse &response);

} // namespace gs::core
