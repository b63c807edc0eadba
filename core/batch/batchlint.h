#pragma once

#include "core/model/gatewayrequest.h"
#include "core/model/issue.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

namespace gs::core {

//! The largest batch input file the gateway takes (docs.truefoundry.com/gateway/file-endpoints).
inline constexpr qint64 kMaxBatchInputBytes = 200LL * 1024 * 1024;
//! The most requests OpenAI's Batch API takes in one file (platform.openai.com/docs/guides/batch).
inline constexpr qsizetype kMaxBatchRequests = 50000;
//! The fewest lines a Bedrock batch takes, per the gateway's documentation.
inline constexpr qsizetype kBedrockMinBatchLines = 100;
//! The fewest lines a batch for provider account \a providerName takes: 100 for an
//! account whose name says Bedrock, else 1.
qsizetype minBatchLines(const QString &providerName);

//! One problem of a batch input file.
struct BatchLintProblem
{
    enum class Severity {
        Error, //!< the gateway or the provider refuses the file
        Warning, //!< accepted, but probably not what was meant
    };
    qsizetype line = 0; //!< 1-based; 0 for the file as a whole
    Severity severity = Severity::Error;
    QString message;

    friend bool operator==(const BatchLintProblem &, const BatchLintProblem &) = default;
};

//! What a batch input file holds and what is wrong with it.
struct BatchLint
{
    qsizetype requests = 0; //!< lines that are requests (parsed or not)
    qint64 bytes = 0;
    QString endpoint; //!< the first line's url
    QMap<QString, qsizetype> models; //!< body.model → lines
    QList<BatchLintProblem> problems; //!< in line order, at most kMaxListed
    qsizetype problemsLeftOut = 0; //!< beyond kMaxListed
    qsizetype errors = 0; //!< all of them, listed or not
    qsizetype warnings = 0;

    static constexpr qsizetype kMaxListed = 200;
    bool ok() const { return errors == 0; }
    friend bool operator==(const BatchLint &, const BatchLint &) = default;
};

//! Checks a batch input file (JSONL: one {"custom_id","method","url","body"} request
//! per line) as the gateway and the Batch API read it, fed in pieces of any size, so
//! that a 200 MB file is never held whole: each line parses as a JSON object;
//! custom_id is a non-empty string, unique; method is POST; url is a path, the same
//! on every line (and \a endpoint's, when given); body is an object naming a model,
//! not streamed; the file is within the size and request limits, with at least
//! \a minLines requests (a Bedrock batch needs 100).
class BatchLinter
{
public:
    struct Options
    {
        QString endpoint; //!< expected url ("/chat/completions"; "/v1" prefixes match)
        qsizetype minLines = 1;
        qint64 maxBytes = kMaxBatchInputBytes;
    };

    BatchLinter() = default;
    explicit BatchLinter(Options options);
    void feed(QByteArrayView bytes);
    //! The result; the linter is spent.
    BatchLint finish();

private:
    //! The pending line is whole: checks it (or says it is too long) and starts the next.
    void endLine();
    void line(QByteArrayView text);
    void tooLong();
    void problem(qsizetype line, BatchLintProblem::Severity severity, const QString &message);

    Options m_options;
    BatchLint m_result;
    QByteArray m_pending; //!< a line not yet ended
    qsizetype m_line = 0;
    bool m_tooLong = false; //!< the pending line passed the line limit
    QHash<QString, qsizetype> m_ids; //!< custom_id → its first line
};

//! For an upload to /files with purpose "batch": the batch linter's problems with
//! the file being uploaded (read in pieces from disk), each an issue on "body" naming
//! the file and line; empty for any other request.
QList<Issue> lintBatchUpload(const WireRequest &wire);

} // namespace gs::core
