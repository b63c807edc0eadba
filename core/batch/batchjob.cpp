#include "core/batch/batchjob.h"

#include "core/model/validation.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

//! How much of the input is linted before the event loop runs again.
constexpr qint64 kLintChunk = 1024 * 1024;

QString shortError(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value("error"_L1).toObject();
    const QString message = error.value("message"_L1).toString();
    if (!message.isEmpty())
        return message;
    return QString::fromUtf8(body.left(300)).simplified();
}

//! "errors.data" of a failed batch, one sentence each.
QString batchErrors(const QJsonObject &batch)
{
    QStringList lines;
    for (const QJsonValue &e : batch.value("errors"_L1).toObject().value("data"_L1).toArray()) {
        const QJsonObject o = e.toObject();
        const QString where = o.value("line"_L1).isDouble()
            ? u"line %1: "_s.arg(o.value("line"_L1).toInteger())
            : QString();
        lines << where + o.value("message"_L1).toString(o.value("code"_L1).toString());
    }
    return lines.join(u"; "_s);
}

} // namespace

BatchGateway batchGateway(const QString &baseUrl, const QString &token, const QString &providerName,
    const HttpHeaders &extra)
{
    WireRequest wire { "POST", baseUrl + u"/batches"_s, {}, {} };
    wire.headers.append(HttpHeader { "Authorization", "Bearer " + token.toUtf8() });
    if (!providerName.trimmed().isEmpty())
        wire.headers.append(HttpHeader { "x-tfy-provider-name", providerName.trimmed().toUtf8() });
    wire.headers += extra;
    BatchGateway out { decode(wire), {} };
    // Checked as the POST /batches it stands for (a JSON body); the job sets each call's.
    out.request.body = "{}";
    out.issues = validate(out.request);
    out.request.body.clear();
    return out;
}

BatchJob::BatchJob(QNetworkAccessManager *network, BatchJobSettings settings, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_settings(std::move(settings))
    , m_linter(BatchLinter::Options { m_settings.endpoint, m_settings.minLines })
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &BatchJob::poll);
}

BatchJob::~BatchJob()
{
    if (m_exchange)
        m_exchange->disconnect(this);
}

QString BatchJob::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Idle:
        return u"idle"_s;
    case Stage::Linting:
        return u"checking the file"_s;
    case Stage::Uploading:
        return u"uploading"_s;
    case Stage::Creating:
        return u"creating the batch"_s;
    case Stage::Polling:
        return u"waiting for the batch"_s;
    case Stage::Downloading:
        return u"downloading the results"_s;
    case Stage::Done:
        break;
    }
    return u"done"_s;
}

QString BatchJob::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::None:
        return u"running"_s;
    case Outcome::Created:
        return u"created"_s;
    case Outcome::Completed:
        return u"completed"_s;
    case Outcome::BatchFailed:
        return u"failed"_s;
    case Outcome::Cancelled:
        return u"cancelled"_s;
    case Outcome::Expired:
        return u"expired"_s;
    case Outcome::LintFailed:
        return u"not sent: the file has errors"_s;
    case Outcome::Refused:
        return u"refused by the gateway"_s;
    case Outcome::TransportFailed:
        return u"network error"_s;
    case Outcome::Aborted:
        break;
    }
    return u"stopped"_s;
}

void BatchJob::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged(stage);
}

void BatchJob::start()
{
    m_clock.start();
    m_input.setFileName(m_settings.inputPath);
    if (!m_input.open(QIODevice::ReadOnly)) {
        finish(Outcome::LintFailed,
            u"Cannot read %1: %2"_s.arg(m_settings.inputPath, m_input.errorString()));
        return;
    }
    setStage(Stage::Linting);
    QMetaObject::invokeMethod(this, &BatchJob::lintSome, Qt::QueuedConnection);
}

// The file in pieces, so that a 200 MB input leaves the event loop free: the linter
// judges it, and each line's custom_id gets its row for the results.
void BatchJob::lintSome()
{
    if (m_stage != Stage::Linting)
        return;
    const QByteArray chunk = m_input.read(kLintChunk);
    m_linter.feed(chunk);
    m_pendingLine += chunk;
    qsizetype start = 0;
    const auto takeLine = [this](QByteArrayView line) {
        ++m_lineNumber;
        if (line.trimmed().isEmpty())
            return;
        const QString id
            = QJsonDocument::fromJson(line.toByteArray()).object().value("custom_id"_L1).toString();
        if (id.isEmpty() || m_rowOf.contains(id))
            return;
        m_rowOf.insert(id, m_results.size());
        BatchResultRow row;
        row.customId = id;
        row.line = m_lineNumber;
        m_results.append(row);
    };
    qsizetype nl = m_pendingLine.indexOf('\n');
    while (nl >= 0) {
        takeLine(QByteArrayView(m_pendingLine).sliced(start, nl - start));
        start = nl + 1;
        nl = m_pendingLine.indexOf('\n', start);
    }
    m_pendingLine.remove(0, start);
    if (!chunk.isEmpty() && !m_input.atEnd()) {
        QMetaObject::invokeMethod(this, &BatchJob::lintSome, Qt::QueuedConnection);
        return;
    }
    if (m_input.error() != QFileDevice::NoError) {
        finish(Outcome::LintFailed,
            u"Cannot read %1: %2"_s.arg(m_settings.inputPath, m_input.errorString()));
        return;
    }
    if (!m_pendingLine.isEmpty())
        takeLine(m_pendingLine);
    m_pendingLine.clear();
    m_lint = m_linter.finish();
    m_uploadTotal = m_input.size();
    m_input.close();
    if (!m_lint.ok()) {
        finish(Outcome::LintFailed,
            u"%1 has %2 %3; nothing was sent."_s.arg(QFileInfo(m_settings.inputPath).fileName())
                .arg(m_lint.errors)
                .arg(m_lint.errors == 1 ? u"error"_s : u"errors"_s));
        return;
    }
    upload();
}

void BatchJob::send(GatewayRequest request, std::function<void(Exchange &)> done)
{
    auto *exchange = new Exchange(m_network, m_settings.exchange, this);
    m_exchange = exchange;
    connect(exchange, &Exchange::finished, this, [this, exchange, done = std::move(done)] {
        exchange->deleteLater();
        Q_EMIT exchangeFinished(exchange->snapshot());
        if (m_stage == Stage::Done)
            return;
        done(*exchange);
    });
    connect(exchange, &Exchange::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (m_stage != Stage::Uploading)
            return;
        // The file's share of the multipart body.
        m_uploaded = std::min(m_uploadTotal, std::max<qint64>(0, sent - (total - m_uploadTotal)));
        Q_EMIT uploadProgress(m_uploaded, m_uploadTotal);
    });
    exchange->start(compose(request));
}

QString BatchJob::failureOf(const Exchange &exchange, const QString &what)
{
    if (exchange.error().kind != ExchangeError::Kind::None)
        return u"%1: %2"_s.arg(what, exchange.error().message);
    if (exchange.status() < 200 || exchange.status() >= 300)
        return u"%1: the gateway answered %2: %3"_s.arg(what)
            .arg(exchange.status())
            .arg(shortError(exchange.body()));
    return {};
}

// POST /files: multipart/form-data, the purpose field and the file from disk.
void BatchJob::upload()
{
    if (m_cancelAsked) {
        finish(Outcome::Aborted, u"Stopped before the upload."_s);
        return;
    }
    setStage(Stage::Uploading);
    const QByteArray boundary
        = "gatescope-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    const QString name = QFileInfo(m_settings.inputPath).fileName();
    QByteArray filename = name.toUtf8();
    filename.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    GatewayRequest request = m_settings.gateway;
    request.endpoint = Endpoint::Files;
    request.method = u"POST"_s;
    request.extraHeaders.append(
        HttpHeader { "Content-Type", QByteArray("multipart/form-data; boundary=" + boundary) });
    request.body = "--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: application/jsonl\r\n\r\n";
    request.bodyFiles = { BodyFile {
        request.body.size(), QFileInfo(m_settings.inputPath).absoluteFilePath(), m_uploadTotal } };
    request.body += "\r\n--" + boundary + "--\r\n";
    Q_EMIT uploadProgress(0, m_uploadTotal);
    send(request, [this](Exchange &exchange) {
        if (exchange.error().kind == ExchangeError::Kind::Canceled) {
            finish(Outcome::Aborted, u"Upload stopped; the gateway keeps no file from it."_s);
            return;
        }
        if (const QString why = failureOf(exchange, u"Upload"_s); !why.isEmpty()) {
            finish(exchange.status() > 0 ? Outcome::Refused : Outcome::TransportFailed, why);
            return;
        }
        m_fileId = QJsonDocument::fromJson(exchange.body()).object().value("id"_L1).toString();
        if (m_fileId.isEmpty()) {
            finish(Outcome::Refused, u"The upload's answer names no file id."_s);
            return;
        }
        m_uploaded = m_uploadTotal;
        create();
    });
}

void BatchJob::create()
{
    setStage(Stage::Creating);
    GatewayRequest request = m_settings.gateway;
    request.endpoint = Endpoint::Batches;
    request.method = u"POST"_s;
    request.extraHeaders.append(HttpHeader { "Content-Type", "application/json" });
    QJsonObject body { { u"input_file_id"_s, m_fileId }, { u"endpoint"_s, m_settings.endpoint },
        { u"completion_window"_s, m_settings.completionWindow } };
    if (!m_settings.metadata.isEmpty())
        body.insert(u"metadata"_s, m_settings.metadata);
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    send(request, [this](Exchange &exchange) {
        if (const QString why = failureOf(exchange, u"Creating the batch"_s); !why.isEmpty()) {
            finish(exchange.status() > 0 ? Outcome::Refused : Outcome::TransportFailed, why);
            return;
        }
        const QJsonObject batch = QJsonDocument::fromJson(exchange.body()).object();
        m_batchId = batch.value("id"_L1).toString();
        if (m_batchId.isEmpty()) {
            finish(Outcome::Refused, u"The answer to POST /batches names no batch id."_s);
            return;
        }
        readBatch(batch);
        if (m_cancelAsked) {
            setStage(Stage::Polling);
            sendCancel();
            return;
        }
        if (!m_settings.wait) {
            finish(Outcome::Created);
            return;
        }
        setStage(Stage::Polling);
        m_pollDelayMs = m_settings.firstPollMs;
        schedulePoll(true);
    });
}

// The batch as polled: a change of status or counts joins the history.
void BatchJob::readBatch(const QJsonObject &batch)
{
    m_batch = batch;
    const QJsonObject counts = batch.value("request_counts"_L1).toObject();
    BatchStatusChange change { m_clock.elapsed(), batch.value("status"_L1).toString(),
        counts.value("total"_L1).toInteger(), counts.value("completed"_L1).toInteger(),
        counts.value("failed"_L1).toInteger() };
    const bool changed = m_history.isEmpty() || m_history.last().status != change.status
        || m_history.last().total != change.total || m_history.last().completed != change.completed
        || m_history.last().failed != change.failed;
    if (changed) {
        m_history.append(change);
        Q_EMIT statusChanged();
    }
}

void BatchJob::schedulePoll(bool changed)
{
    // Waits longer while nothing changes, from the first wait up to the longest.
    m_pollDelayMs
        = changed ? m_settings.firstPollMs : std::min(m_settings.maxPollMs, m_pollDelayMs * 3 / 2);
    m_pollTimer.start(std::chrono::milliseconds(m_pollDelayMs));
}

void BatchJob::poll()
{
    if (m_stage != Stage::Polling)
        return;
    GatewayRequest request = m_settings.gateway;
    request.endpoint = Endpoint::Custom;
    request.customPath = u"/batches/"_s + m_batchId;
    request.method = u"GET"_s;
    send(request, [this](Exchange &exchange) {
        if (const QString why = failureOf(exchange, u"Polling the batch"_s); !why.isEmpty()) {
            // A poll may fail now and then (a 503, a dropped connection): try again later.
            if (++m_pollFailures >= m_settings.maxPollFailures) {
                finish(exchange.status() > 0 ? Outcome::Refused : Outcome::TransportFailed,
                    why + u" (%1 polls in a row failed; the batch runs on)"_s.arg(m_pollFailures));
                return;
            }
            schedulePoll(false);
            return;
        }
        m_pollFailures = 0;
        const qsizetype before = m_history.size();
        readBatch(QJsonDocument::fromJson(exchange.body()).object());
        const QString status = this->status();
        if (status == "completed"_L1 || status == "cancelled"_L1 || status == "expired"_L1
            || status == "failed"_L1) {
            download();
            return;
        }
        if (m_cancelAsked && !m_cancelSent) {
            sendCancel();
            return;
        }
        schedulePoll(m_history.size() != before);
    });
}

void BatchJob::sendCancel()
{
    m_cancelSent = true;
    GatewayRequest request = m_settings.gateway;
    request.endpoint = Endpoint::Custom;
    request.customPath = u"/batches/"_s + m_batchId + u"/cancel"_s;
    request.method = u"POST"_s;
    send(request, [this](Exchange &exchange) {
        if (exchange.status() >= 200 && exchange.status() < 300)
            readBatch(QJsonDocument::fromJson(exchange.body()).object());
        // Refused (it had ended) or not: polling says where it stands.
        m_pollDelayMs = m_settings.firstPollMs;
        schedulePoll(true);
    });
}

void BatchJob::download()
{
    setStage(Stage::Downloading);
    m_downloads.clear();
    for (const char *key : { "output_file_id", "error_file_id" }) {
        const QString id = m_batch.value(QLatin1StringView(key)).toString();
        if (!id.isEmpty())
            m_downloads << id;
    }
    downloadNext();
}

void BatchJob::downloadNext()
{
    if (m_downloads.isEmpty()) {
        const QString status = this->status();
        if (status == "completed"_L1)
            finish(Outcome::Completed);
        else if (status == "cancelled"_L1)
            finish(Outcome::Cancelled, u"The batch was cancelled on the gateway."_s);
        else if (status == "expired"_L1)
            finish(Outcome::Expired, u"The batch expired before it completed."_s);
        else
            finish(Outcome::BatchFailed,
                u"The gateway failed the batch: %1"_s.arg(batchErrors(m_batch)));
        return;
    }
    const QString id = m_downloads.takeFirst();
    const bool errorFile = id == m_batch.value("error_file_id"_L1).toString();
    GatewayRequest request = m_settings.gateway;
    request.endpoint = Endpoint::Custom;
    request.customPath = u"/files/"_s + id + u"/content"_s;
    request.method = u"GET"_s;
    send(request, [this, errorFile, id](Exchange &exchange) {
        if (const QString why = failureOf(exchange, u"Downloading %1"_s.arg(id)); !why.isEmpty()) {
            finish(exchange.status() > 0 ? Outcome::Refused : Outcome::TransportFailed, why);
            return;
        }
        joinLines(exchange.body(), errorFile);
        downloadNext();
    });
}

// Each output or error line joins its request's row by custom_id.
void BatchJob::joinLines(const QByteArray &content, bool errorFile)
{
    for (const QByteArray &text : content.split('\n')) {
        if (text.trimmed().isEmpty())
            continue;
        const QJsonObject line = QJsonDocument::fromJson(text).object();
        const auto row = m_rowOf.constFind(line.value("custom_id"_L1).toString());
        if (row == m_rowOf.cend()) {
            m_orphanErrors << QString::fromUtf8(text.left(500));
            continue;
        }
        BatchResultRow &r = m_results[*row];
        r.result = line;
        const QJsonObject response = line.value("response"_L1).toObject();
        const QJsonObject body = response.value("body"_L1).toObject();
        r.statusCode = response.value("status_code"_L1).toInt();
        r.model = body.value("model"_L1).toString();
        const QJsonObject usage = body.value("usage"_L1).toObject();
        r.promptTokens = usage.value("prompt_tokens"_L1).toInteger(-1);
        r.completionTokens = usage.value("completion_tokens"_L1).toInteger(-1);
        const QJsonObject choice = body.value("choices"_L1).toArray().first().toObject();
        r.finishReason = choice.value("finish_reason"_L1).toString();
        r.answer = choice.value("message"_L1).toObject().value("content"_L1).toString();
        if (const QJsonArray data = body.value("data"_L1).toArray();
            r.answer.isEmpty() && !data.isEmpty())
            r.answer = u"%1 embedding(s) of %2 dimensions"_s.arg(data.size())
                           .arg(data.first().toObject().value("embedding"_L1).toArray().size());
        const QJsonObject error = line.value("error"_L1).toObject();
        if (!error.isEmpty())
            r.error = error.value("message"_L1).toString(error.value("code"_L1).toString());
        else if (const QJsonObject e = body.value("error"_L1).toObject(); !e.isEmpty())
            r.error = e.value("message"_L1).toString();
        else if (errorFile || r.statusCode >= 400)
            r.error = u"status %1"_s.arg(r.statusCode);
    }
}

void BatchJob::abort()
{
    if (m_stage == Stage::Done)
        return;
    m_pollTimer.stop();
    if (m_exchange && !m_exchange->isFinished()) {
        m_exchange->disconnect(this);
        m_exchange->cancel();
    }
    const QString message = m_batchId.isEmpty()
        ? u"Stopped; nothing was created on the gateway."_s
        : u"Stopped here; batch %1 keeps running on the gateway (GET /batches/%1 follows it)."_s
              .arg(m_batchId);
    finish(Outcome::Aborted, message);
}

void BatchJob::cancelOnGateway()
{
    if (m_stage == Stage::Done || m_cancelAsked)
        return;
    m_cancelAsked = true;
    switch (m_stage) {
    case Stage::Idle:
    case Stage::Linting:
    case Stage::Uploading:
        abort();
        return;
    case Stage::Creating: // sent once the batch exists
        return;
    case Stage::Polling:
        if (m_exchange && !m_exchange->isFinished())
            return; // the poll in flight sends it
        m_pollTimer.stop();
        sendCancel();
        return;
    case Stage::Downloading: // it has ended already
    case Stage::Done:
        return;
    }
}

void BatchJob::finish(Outcome outcome, const QString &message)
{
    if (m_stage == Stage::Done)
        return;
    m_pollTimer.stop();
    m_outcome = outcome;
    m_message = message;
    if (m_input.isOpen())
        m_input.close();
    setStage(Stage::Done);
    Q_EMIT finished();
}

} // namespace gs::core
