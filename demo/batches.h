#pragma once

#include "demo/demorouter.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace gs::demo {

class DemoFiles;

//! The gateway's Batch API on the demo: POST /batches (input_file_id, endpoint,
//! completion_window; x-tfy-provider-name required), GET /batches, GET /batches/ID,
//! POST /batches/ID/cancel. A batch moves through validating, in_progress, finalizing
//! and completed (or failed, cancelling and cancelled) on the demo's clock, for
//! seconds that depend on its size and on the seed. Each line runs through the demo's
//! own chat and embeddings behaviour when the batch is created; its output and error
//! files appear when it completes (or, with the lines done so far, when it is
//! cancelled). Lines are checked by the demo's own rules, never by the client's linter.
class DemoBatches
{
public:
    using Runner = std::function<DemoResponse(const DemoRequest &)>;

    //! \a files holds the input and receives the output; \a run answers one line
    //! (the router's own handle()); \a clock gives milliseconds since the epoch.
    DemoBatches(DemoFiles &files, Runner run, DemoClock clock, quint64 seed);

    //! The fewest lines a Bedrock batch takes, per the gateway's documentation.
    static constexpr int kBedrockMinimumLines = 100;

    //! How long each phase lasts, in milliseconds, for a batch of \a lines lines
    //! (\a jitter, 0 to 499, comes from the seed and the batch id).
    static constexpr qint64 kValidatingMs = 1000;
    static constexpr qint64 kFinalizingMs = 500;
    static constexpr qint64 kCancellingMs = 1000;
    static qint64 inProgressMs(qsizetype lines, qint64 jitter);

    //! The response when \a path is a Batch API path; nullopt otherwise.
    std::optional<DemoResponse> handle(
        const DemoRequest &request, QByteArrayView path, const GatewayHeaders &headers);

private:
    struct LineResult
    {
        QByteArray line; //!< for the output or the error file
        bool failed = false;
    };
    struct Batch
    {
        QString id;
        QString endpoint;
        QString inputFileId;
        QString providerName;
        QJsonObject metadata;
        qint64 createdMs = 0;
        qint64 inProgressMs = 0; //!< how long the lines take, once validated
        qint64 cancelledAtMs = -1; //!< when cancel was asked; -1: not asked
        QJsonArray errors; //!< why validation failed; empty when it passed
        qsizetype total = 0;
        QList<LineResult> results;
        QString outputFileId;
        QString errorFileId;
    };

    std::optional<DemoResponse> create(const DemoRequest &request, const GatewayHeaders &headers);
    //! Reads \a batch's input as the gateway would: errors found, or the lines run.
    void validateAndRun(Batch &batch, const QByteArray &input, const GatewayHeaders &headers);
    //! The batch as the API shows it now, files written once it has ended.
    QJsonObject object(Batch &batch);
    //! Lines done by \a atMs (in_progress counts them as the time passes).
    qsizetype linesDoneBy(const Batch &batch, qint64 atMs) const;

    DemoFiles &m_files;
    Runner m_run;
    DemoClock m_clock;
    quint64 m_seed;
    QList<Batch> m_batches;
    int m_nextId = 1;
};

} // namespace gs::demo
