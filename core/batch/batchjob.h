#pragma once

#include "core/batch/batchlint.h"
#include "core/model/gatewayrequest.h"
#include "core/model/issue.h"
#include "core/net/exchange.h"
#include "core/net/exchangesnapshot.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;

namespace gs::core {

//! What a batch job needs: the gateway, the input file and how to run it.
struct BatchJobSettings
{
    //! The gateway every call goes to: base URL, token, x-tfy-provider-name and any
    //! other headers every call carries (metadata, the Vertex headers). Its endpoint,
    //! method and body are the job's.
    GatewayRequest gateway;
    QString inputPath; //!< the JSONL file
    QString endpoint = QStringLiteral("/v1/chat/completions");
    QString completionWindow = QStringLiteral("24h");
    QJsonObject metadata; //!< the batch's metadata; empty: none
    bool wait = true; //!< poll until the batch ends and fetch its results
    qsizetype minLines = 1; //!< the fewest lines the provider takes (Bedrock: 100)
    ExchangeOptions exchange;
    qint64 firstPollMs = 1000; //!< the first wait between polls; each unchanged poll waits longer
    qint64 maxPollMs = 30'000; //!< the longest wait between polls
    int maxPollFailures = 5; //!< polls in a row that may fail before the job gives up
};

//! The gateway every call of a batch goes to: the address, the token, the provider
//! account and \a extra headers read into the typed fields, and what validation says
//! of them (x-tfy-provider-name is required for batches).
struct BatchGateway
{
    GatewayRequest request;
    QList<Issue> issues;
};
BatchGateway batchGateway(const QString &baseUrl, const QString &token, const QString &providerName,
    const HttpHeaders &extra = {});

//! One status the batch was seen in, with its counts.
struct BatchStatusChange
{
    qint64 atMs = 0; //!< since the job started
    QString status;
    qint64 total = 0;
    qint64 completed = 0;
    qint64 failed = 0;
};

//! One request of the batch joined with its result by custom_id.
struct BatchResultRow
{
    QString customId;
    qsizetype line = 0; //!< in the input file
    int statusCode = 0; //!< the response's status; 0: no result (cancelled, expired, lost)
    QString model;
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    QString finishReason;
    QString error; //!< why it failed, from the error file or the response
    QString answer; //!< the first choice's text, or what an embedding is
    QJsonObject result; //!< the output or error file's line as the gateway wrote it

    bool succeeded() const { return statusCode >= 200 && statusCode < 300 && error.isEmpty(); }
};

//! The batch flow against a gateway, each call a normal exchange: lint the JSONL file
//! (BatchLinter, in pieces), upload it (POST /files, multipart, from disk), create
//! the batch (POST /batches), poll it (GET /batches/ID, waiting longer while nothing
//! changes), download the output and error files and join them with the input by
//! custom_id. Never blocks; abort() and cancelOnGateway() at any time.
class BatchJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchJob)

public:
    enum class Stage {
        Idle,
        Linting,
        Uploading,
        Creating,
        Polling,
        Downloading,
        Done
    };
    enum class Outcome {
        None, //!< still running
        Created, //!< created and not waited for
        Completed, //!< the batch completed (lines may still have failed)
        BatchFailed, //!< the gateway's validation failed the batch
        Cancelled, //!< cancelled on the gateway
        Expired,
        LintFailed, //!< the file has errors: nothing was sent
        Refused, //!< the gateway answered an error status
        TransportFailed, //!< the network failed
        Aborted, //!< stopped here; a batch already created runs on
    };

    BatchJob(QNetworkAccessManager *network, BatchJobSettings settings, QObject *parent = nullptr);
    ~BatchJob() override;

    void start();
    //! Stops here at once: an upload in flight is cut (the gateway keeps no file from
    //! it), a batch already created keeps running on the gateway.
    void abort();
    //! Asks the gateway to cancel the batch and polls until it has: at once when it
    //! exists, as soon as it does when it is being created; an upload is aborted.
    void cancelOnGateway();

    Stage stage() const { return m_stage; }
    //! Whether cancelOnGateway() was asked for.
    bool cancelAsked() const { return m_cancelAsked; }
    Outcome outcome() const { return m_outcome; }
    bool isFinished() const { return m_stage == Stage::Done; }
    //! Why it ended as it did, for the user; empty while running or when completed.
    QString message() const { return m_message; }
    const BatchLint &lint() const { return m_lint; }
    QString fileId() const { return m_fileId; }
    QString batchId() const { return m_batchId; }
    //! The batch object as last polled.
    QJsonObject batch() const { return m_batch; }
    QString status() const { return m_batch.value(QLatin1String("status")).toString(); }
    const QList<BatchStatusChange> &history() const { return m_history; }
    //! Every request of the input, in its order, with its result (once downloaded).
    const QList<BatchResultRow> &results() const { return m_results; }
    qint64 uploadedBytes() const { return m_uploaded; }
    qint64 uploadTotal() const { return m_uploadTotal; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    //! The error file's lines that name no input request (a gateway-level error).
    const QStringList &orphanErrors() const { return m_orphanErrors; }

    static QString stageName(Stage stage);
    static QString outcomeName(Outcome outcome);

Q_SIGNALS:
    void stageChanged(gs::core::BatchJob::Stage stage);
    void uploadProgress(qint64 sent, qint64 total);
    //! A new status or new counts (history() has it).
    void statusChanged();
    //! Each call, once it has finished: for history.
    void exchangeFinished(const gs::core::ExchangeSnapshot &snapshot);
    void finished();

private:
    void setStage(Stage stage);
    void lintSome();
    void upload();
    void create();
    void poll();
    void schedulePoll(bool changed);
    void sendCancel();
    void download();
    void downloadNext();
    void finish(Outcome outcome, const QString &message = {});
    //! Sends \a request through the gateway template; \a done gets the finished exchange.
    void send(GatewayRequest request, std::function<void(Exchange &)> done);
    //! The request's failure as a sentence, or empty when it answered 2xx.
    static QString failureOf(const Exchange &exchange, const QString &what);
    void readBatch(const QJsonObject &batch);
    void joinLines(const QByteArray &content, bool errorFile);

    QNetworkAccessManager *m_network;
    BatchJobSettings m_settings;
    Stage m_stage = Stage::Idle;
    Outcome m_outcome = Outcome::None;
    QString m_message;
    QElapsedTimer m_clock;

    QFile m_input;
    BatchLinter m_linter;
    BatchLint m_lint;
    QList<BatchResultRow> m_results;
    QHash<QString, qsizetype> m_rowOf; //!< custom_id → index in m_results
    QByteArray m_pendingLine; //!< the input's line not yet ended, while linting
    qsizetype m_lineNumber = 0;

    QPointer<Exchange> m_exchange; //!< the call in flight
    qint64 m_uploaded = 0;
    qint64 m_uploadTotal = 0;
    QString m_fileId;
    QString m_batchId;
    QJsonObject m_batch;
    QList<BatchStatusChange> m_history;
    QTimer m_pollTimer;
    qint64 m_pollDelayMs = 0;
    int m_pollFailures = 0;
    bool m_cancelAsked = false;
    bool m_cancelSent = false;
    QStringList m_downloads; //!< file ids still to fetch: output, then errors
    QStringList m_orphanErrors;
};

} // namespace gs::core
