#include "demo/batches.h"

#include "demo/catalog.h"
#include "demo/files.h"
#include "demo/replies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::demo {

namespace {

//! "/v1/chat/completions" and "/chat/completions" name the same endpoint.
QString endpointPath(QString url)
{
    if (const qsizetype q = url.indexOf(u'?'); q >= 0)
        url.truncate(q);
    if (url.startsWith("/v1/"_L1))
        url.remove(0, 3);
    return url;
}

//! One problem validation found, as the batch's "errors" list shows it.
QJsonObject lineError(const QString &code, const QString &message, qsizetype line,
    const QJsonValue &param = QJsonValue::Null)
{
    return QJsonObject { { u"code"_s, code }, { u"message"_s, message }, { u"param"_s, param },
        { u"line"_s, line > 0 ? QJsonValue(qint64(line)) : QJsonValue::Null } };
}

QJsonValue seconds(qint64 ms)
{
    return ms < 0 ? QJsonValue::Null : QJsonValue(ms / 1000);
}

} // namespace

DemoBatches::DemoBatches(DemoFiles &files, Runner run, DemoClock clock, quint64 seed)
    : m_files(files)
    , m_run(std::move(run))
    , m_clock(std::move(clock))
    , m_seed(seed)
{ }

qint64 DemoBatches::inProgressMs(qsizetype lines, qint64 jitter)
{
    return std::min<qint64>(1000 + 20 * qint64(lines), 5000) + jitter;
}

std::optional<DemoResponse> DemoBatches::handle(
    const DemoRequest &request, QByteArrayView path, const GatewayHeaders &headers)
{
    // ".../batches", ".../batches/ID", ".../batches/ID/cancel".
    const qsizetype at = path.lastIndexOf("/batches");
    if (at < 0)
        return std::nullopt;
    const QByteArrayView rest = path.sliced(at + 8);
    if (!rest.isEmpty() && !rest.startsWith('/'))
        return std::nullopt;
    const QList<QByteArray> segments = rest.toByteArray().split('/').mid(1);
    if (segments.size() > 2 || (segments.size() == 2 && segments[1] != "cancel"))
        return std::nullopt;
    if (segments.isEmpty() || segments[0].isEmpty()) {
        if (request.method == "POST")
            return create(request, headers);
        if (request.method != "GET")
            return errorReply(405, u"Use GET or POST for /batches."_s);
        const qsizetype q = request.target.indexOf('?');
        const QUrlQuery query(q < 0 ? QString() : QString::fromUtf8(request.target.mid(q + 1)));
        const int limit = std::clamp(query.queryItemValue(u"limit"_s).toInt(), 0, 100);
        QJsonArray data; // newest first, as OpenAI lists them
        for (auto b = m_batches.rbegin(); b != m_batches.rend(); ++b) {
            if (data.size() == (limit > 0 ? limit : 20))
                break;
            data.append(object(*b));
        }
        return jsonReply(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, data },
            { u"first_id"_s, data.isEmpty() ? QJsonValue::Null : data.first()[u"id"_s] },
            { u"last_id"_s, data.isEmpty() ? QJsonValue::Null : data.last()[u"id"_s] },
            { u"has_more"_s, data.size() < m_batches.size() } });
    }
    const QString id = QString::fromUtf8(segments[0]);
    const auto batch = std::ranges::find(m_batches, id, &Batch::id);
    if (batch == m_batches.end())
        return errorReply(404, u"No such batch: %1."_s.arg(id), u"not_found_error"_s);
    if (segments.size() == 1) {
        if (request.method != "GET")
            return errorReply(405, u"Use GET for /batches/%1."_s.arg(id));
        return jsonReply(object(*batch));
    }
    if (request.method != "POST")
        return errorReply(405, u"Use POST for /batches/%1/cancel."_s.arg(id));
    const QString status = object(*batch).value("status"_L1).toString();
    if (status != "validating"_L1 && status != "in_progress"_L1 && status != "finalizing"_L1)
        return errorReply(409, u"Batch %1 is %2 and can no longer be cancelled."_s.arg(id, status));
    batch->cancelledAtMs = m_clock();
    return jsonReply(object(*batch));
}

std::optional<DemoResponse> DemoBatches::create(
    const DemoRequest &request, const GatewayHeaders &headers)
{
    if (headers.providerName.trimmed().isEmpty())
        return errorReply(400, u"x-tfy-provider-name is required to create a batch."_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject())
        return errorReply(
            400, u"The body is not a JSON object: %1."_s.arg(parseError.errorString()));
    const QJsonObject body = doc.object();
    const QString inputFileId = body.value("input_file_id"_L1).toString();
    if (inputFileId.isEmpty())
        return errorReply(
            400, u"\"input_file_id\" is required: the id of an uploaded .jsonl file."_s);
    const DemoFiles::StoredFile *input = m_files.find(inputFileId);
    if (!input)
        return errorReply(404, u"No such file: %1."_s.arg(inputFileId), u"not_found_error"_s);
    if (input->purpose != "batch"_L1)
        return errorReply(400,
            u"File %1 was uploaded with purpose \"%2\"; a batch input needs purpose \"batch\"."_s
                .arg(inputFileId, input->purpose));
    const QString endpoint = endpointPath(body.value("endpoint"_L1).toString());
    if (endpoint != "/chat/completions"_L1 && endpoint != "/embeddings"_L1)
        return errorReply(400,
            u"\"endpoint\" must be /v1/chat/completions or /v1/embeddings on the demo gateway."_s);
    if (body.value("completion_window"_L1).toString() != "24h"_L1)
        return errorReply(400, u"\"completion_window\" must be \"24h\"."_s);
    if (const QJsonValue metadata = body.value("metadata"_L1);
        !metadata.isUndefined() && !metadata.isNull() && !metadata.isObject())
        return errorReply(400, u"\"metadata\" must be an object."_s);

    Batch batch;
    batch.id = u"batch_demo_%1"_s.arg(m_nextId++);
    batch.endpoint = u"/v1"_s + endpoint;
    batch.inputFileId = inputFileId;
    batch.providerName = headers.providerName.trimmed();
    batch.metadata = body.value("metadata"_L1).toObject();
    batch.createdMs = m_clock();
    validateAndRun(batch, input->content(), headers);
    const qint64 jitter = qint64(QRandomGenerator64(m_seed ^ qHash(batch.id)).bounded(500));
    batch.inProgressMs = inProgressMs(batch.total, jitter);
    m_batches.append(std::move(batch));
    return jsonReply(object(m_batches.last()));
}

void DemoBatches::validateAndRun(
    Batch &batch, const QByteArray &input, const GatewayHeaders &headers)
{
    QList<QByteArray> lines = input.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the newline that ends the last line
    QList<QJsonObject> requests;
    QSet<QString> ids;
    for (qsizetype i = 0; i < lines.size() && batch.errors.size() < 100; ++i) {
        const qsizetype number = i + 1;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(lines[i], &parseError);
        if (!doc.isObject()) {
            batch.errors.append(lineError(
                u"invalid_json_line"_s, u"Line %1 is not a JSON object."_s.arg(number), number));
            continue;
        }
        const QJsonObject line = doc.object();
        const QString customId = line.value("custom_id"_L1).toString();
        if (customId.isEmpty())
            batch.errors.append(lineError(u"missing_required_parameter"_s,
                u"Line %1 has no custom_id."_s.arg(number), number, u"custom_id"_s));
        else if (ids.contains(customId))
            batch.errors.append(lineError(u"duplicate_custom_id"_s,
                u"Line %1 repeats custom_id %2."_s.arg(number).arg(customId), number,
                u"custom_id"_s));
        ids.insert(customId);
        if (line.value("method"_L1).toString() != "POST"_L1)
            batch.errors.append(lineError(u"invalid_method"_s,
                u"Line %1: method must be POST."_s.arg(number), number, u"method"_s));
        if (endpointPath(line.value("url"_L1).toString()) != endpointPath(batch.endpoint))
            batch.errors.append(lineError(u"mismatched_url"_s,
                u"Line %1: url must be the batch's endpoint, %2."_s.arg(number).arg(batch.endpoint),
                number, u"url"_s));
        if (!line.value("body"_L1).isObject())
            batch.errors.append(lineError(u"missing_required_parameter"_s,
                u"Line %1 has no body object."_s.arg(number), number, u"body"_s));
        requests.append(line);
    }
    if (lines.isEmpty())
        batch.errors.append(lineError(u"empty_file"_s, u"The input file has no lines."_s, 0));
    if (batch.providerName.contains("bedrock"_L1, Qt::CaseInsensitive)
        && lines.size() < kBedrockMinimumLines)
        batch.errors.append(lineError(u"too_few_lines"_s,
            u"A Bedrock batch needs at least %1 lines; this one has %2."_s.arg(kBedrockMinimumLines)
                .arg(lines.size()),
            0));
    if (!batch.errors.isEmpty())
        return;

    // Each line as a request to the endpoint, with the batch's token and provider.
    HttpHeaders lineHeaders { { "authorization", "Bearer " + headers.token },
        { "content-type", "application/json" },
        { "x-tfy-provider-name", batch.providerName.toUtf8() } };
    const QByteArray path = "/api/llm" + endpointPath(batch.endpoint).toUtf8();
    const QString batchNumber = batch.id.section(u'_', -1);
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const QJsonObject line = requests[i];
        QJsonObject body = line.value("body"_L1).toObject();
        QString model = body.value("model"_L1).toString();
        if (!model.isEmpty() && !model.contains(u'/'))
            model = batch.providerName + u'/' + model; // the provider's own name for it
        int status = 0;
        QJsonObject answer;
        if (body.value("stream"_L1).toBool()) {
            status = 400;
            answer
                = errorObject(u"A batch line cannot stream."_s, u"invalid_request_error"_s, status);
        } else if (findVirtual(model)) {
            status = 400;
            answer
                = errorObject(u"Batches do not go through virtual models; %1 is one."_s.arg(model),
                    u"invalid_request_error"_s, status);
        } else if (!model.isEmpty() && model.section(u'/', 0, 0) != batch.providerName) {
            status = 400;
            answer = errorObject(
                u"Model %1 is not on provider account %2."_s.arg(model, batch.providerName),
                u"invalid_request_error"_s, status);
        } else {
            if (!model.isEmpty())
                body.insert(u"model"_s, model);
            const DemoResponse r = m_run(
                { "POST", path, lineHeaders, QJsonDocument(body).toJson(QJsonDocument::Compact) });
            status = r.status;
            answer = QJsonDocument::fromJson(r.body).object();
        }
        const QJsonObject result { { u"id"_s, u"batch_req_%1_%2"_s.arg(batchNumber).arg(i + 1) },
            { u"custom_id"_s, line.value("custom_id"_L1) },
            { u"response"_s,
                QJsonObject { { u"status_code"_s, status },
                    { u"request_id"_s, u"req_demo_%1_%2"_s.arg(batchNumber).arg(i + 1) },
                    { u"body"_s, answer } } },
            { u"error"_s, QJsonValue::Null } };
        batch.results.append(
            { QJsonDocument(result).toJson(QJsonDocument::Compact) + '\n', status >= 400 });
    }
    batch.total = batch.results.size();
}

qsizetype DemoBatches::linesDoneBy(const Batch &batch, qint64 atMs) const
{
    const qint64 started = batch.createdMs + kValidatingMs;
    if (atMs <= started)
        return 0;
    if (atMs >= started + batch.inProgressMs)
        return batch.total;
    return qsizetype(batch.total * (atMs - started) / batch.inProgressMs);
}

QJsonObject DemoBatches::object(Batch &batch)
{
    const qint64 now = m_clock();
    const qint64 inProgressAt = batch.createdMs + kValidatingMs;
    const qint64 finalizingAt = inProgressAt + batch.inProgressMs;
    const qint64 completedAt = finalizingAt + kFinalizingMs;
    const bool failed = !batch.errors.isEmpty();
    const qint64 endsAt = failed ? inProgressAt : completedAt;
    const bool cancelled = batch.cancelledAtMs >= 0 && batch.cancelledAtMs < endsAt;

    qint64 at[5] = { -1, -1, -1, -1, -1 }; // in progress, finalizing, completed, failed, cancelled
    QString status;
    qsizetype done = 0;
    if (cancelled) {
        const qint64 cancelledAt = batch.cancelledAtMs + kCancellingMs;
        status = now < cancelledAt ? u"cancelling"_s : u"cancelled"_s;
        at[0] = !failed && batch.cancelledAtMs > inProgressAt ? inProgressAt : -1;
        at[4] = now < cancelledAt ? -1 : cancelledAt;
        done = linesDoneBy(batch, batch.cancelledAtMs);
    } else if (now < inProgressAt) {
        status = u"validating"_s;
    } else if (failed) {
        status = u"failed"_s;
        at[3] = inProgressAt;
    } else {
        at[0] = inProgressAt;
        status = u"in_progress"_s;
        if (now >= finalizingAt) {
            at[1] = finalizingAt;
            status = u"finalizing"_s;
        }
        if (now >= completedAt) {
            at[2] = completedAt;
            status = u"completed"_s;
        }
        done = linesDoneBy(batch, now);
    }

    qsizetype failedLines = 0;
    for (qsizetype i = 0; i < done; ++i)
        failedLines += batch.results[i].failed ? 1 : 0;
    const bool ended = status == "completed"_L1 || status == "cancelled"_L1;
    if (ended && batch.outputFileId.isEmpty() && batch.errorFileId.isEmpty()) {
        // The files appear once, when the batch is first seen ended.
        QByteArray output;
        QByteArray errors;
        for (qsizetype i = 0; i < done; ++i)
            (batch.results[i].failed ? errors : output) += batch.results[i].line;
        const QString base = batch.id + u'_';
        if (!output.isEmpty())
            batch.outputFileId = m_files.add(
                base + u"output.jsonl"_s, u"batch_output"_s, output, batch.providerName);
        if (!errors.isEmpty())
            batch.errorFileId = m_files.add(
                base + u"error.jsonl"_s, u"batch_output"_s, errors, batch.providerName);
    }
    const auto fileId = [](const QString &id) {
        return id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(id);
    };
    const QJsonValue errors = failed
        ? QJsonValue(QJsonObject { { u"object"_s, u"list"_s }, { u"data"_s, batch.errors } })
        : QJsonValue(QJsonValue::Null);
    const QJsonValue metadata
        = batch.metadata.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(batch.metadata);
    return QJsonObject { { u"id"_s, batch.id }, { u"object"_s, u"batch"_s },
        { u"endpoint"_s, batch.endpoint }, { u"errors"_s, errors },
        { u"input_file_id"_s, batch.inputFileId }, { u"completion_window"_s, u"24h"_s },
        { u"status"_s, status }, { u"output_file_id"_s, fileId(batch.outputFileId) },
        { u"error_file_id"_s, fileId(batch.errorFileId) },
        { u"created_at"_s, batch.createdMs / 1000 }, { u"in_progress_at"_s, seconds(at[0]) },
        { u"expires_at"_s, batch.createdMs / 1000 + 24 * 3600 },
        { u"finalizing_at"_s, seconds(at[1]) }, { u"completed_at"_s, seconds(at[2]) },
        { u"failed_at"_s, seconds(at[3]) }, { u"expired_at"_s, QJsonValue::Null },
        { u"cancelling_at"_s, cancelled ? seconds(batch.cancelledAtMs) : QJsonValue::Null },
        { u"cancelled_at"_s, seconds(at[4]) },
        { u"request_counts"_s,
            QJsonObject { { u"total"_s, status == "validating"_L1 ? 0 : qint64(batch.total) },
                { u"completed"_s, qint64(done - failedLines) },
                { u"failed"_s, qint64(failedLines) } } },
        { u"metadata"_s, metadata } };
}

} // namespace gs::demo
