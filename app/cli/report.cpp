#include "report.h"

#include "core/json/jsontree.h"
#include "core/stream/bodymedia.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

// The applied configurations as written: members in the gateway's order.
void printTree(QTextStream &out, const JsonNode &node, int depth)
{
    const QString indent(qsizetype(depth) * 2, u' ');
    if (!node.isContainer()) {
        out << indent << node.toJson() << '\n';
        return;
    }
    for (qsizetype i = 0; i < node.children.size(); ++i) {
        const JsonNode &child = node.children[i];
        const QString label = node.type == JsonNode::Type::Object ? child.key : u"[%1]"_s.arg(i);
        if (child.isContainer() && !child.children.isEmpty()) {
            out << indent << label << ":\n";
            printTree(out, child, depth + 1);
        } else if (child.isContainer()) {
            out << indent << label << (child.type == JsonNode::Type::Object ? ": {}\n" : ": []\n");
        } else {
            out << indent << label << ": " << child.toJson() << '\n';
        }
    }
}

QString formatMs(double ms)
{
    return ms >= 1000 ? u"%1 s"_s.arg(ms / 1000, 0, 'f', 2)
                      : u"%1 ms"_s.arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

void printWaterfall(QTextStream &out, const QList<ServerTimingMetric> &metrics)
{
    const QList<PlacedMetric> placed = inferPlacement(metrics);
    double end = 0;
    qsizetype nameWidth = 4;
    for (const PlacedMetric &p : placed) {
        end = std::max(end, p.start + std::max(0.0, p.metric.duration));
        nameWidth = std::max(nameWidth, p.metric.name.size());
    }
    constexpr int kWidth = 40;
    for (const PlacedMetric &p : placed) {
        QString bar(kWidth, u' ');
        if (end > 0) {
            const int from = int(p.start / end * kWidth);
            const int to = std::max(from + (p.metric.duration > 0 ? 1 : 0),
                int(std::lround((p.start + p.metric.duration) / end * kWidth)));
            for (int i = from; i < std::min(to, kWidth); ++i)
                bar[i] = p.envelope ? u'=' : u'#';
        }
        out << "  " << p.metric.name.leftJustified(nameWidth) << ' '
            << formatMs(p.metric.duration).rightJustified(10) << " |" << bar << '|';
        if (!p.metric.description.isEmpty())
            out << ' ' << p.metric.description;
        out << '\n';
    }
    out << "  (bars placed one after another in header order, \"=\" spans the others: inferred, "
           "the header has no start times)\n";
}

QJsonArray headersJson(const HttpHeaders &headers)
{
    QJsonArray out;
    for (const HttpHeader &h : headers)
        out.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
    return out;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// The error to report: one the assembler found (body or stream), else any error-shaped body.
QJsonValue errorJson(const ResponseReport &r)
{
    if (!r.body.assembled.errors.isEmpty())
        return r.body.assembled.errors.first().raw;
    if (const auto error = errorFromBody(r.response.body))
        return error->raw;
    return QJsonValue::Null;
}

QString framingName(BodyFraming framing)
{
    switch (framing) {
    case BodyFraming::Sse:
        return u"sse"_s;
    case BodyFraming::Ndjson:
        return u"ndjson"_s;
    case BodyFraming::Json:
        return u"json"_s;
    case BodyFraming::Other:
        break;
    }
    return u"other"_s;
}

//! What the body is (kind, type, format, size), so that a report says it rather than
//! dumping a picture or a sound; --output saves the bytes.
QJsonObject mediaJson(const ResponseReport &r)
{
    const BodyMedia media = sniffBody(headerValue(r.response.headers, "content-type"),
        QByteArrayView(r.response.body).first(std::min<qsizetype>(r.response.body.size(), 1024)));
    static constexpr std::array kKinds { "text", "image", "audio", "binary" };
    return QJsonObject { { u"kind"_s, QLatin1StringView(kKinds[std::size_t(media.kind)]) },
        { u"mimeType"_s, QString::fromLatin1(media.mimeType) },
        { u"format"_s, media.format.isEmpty() ? QJsonValue() : QJsonValue(media.format) },
        { u"bytes"_s, r.bodyBytes } };
}

void printIndented(QTextStream &out, const QString &text)
{
    for (const QString &line : text.split(u'\n'))
        out << "  " << line << '\n';
}

} // namespace

ResponseReport ResponseReport::from(
    RawResponse response, std::optional<BodyFraming> framing, const EventSink &sink)
{
    ResponseReport r;
    r.info = GatewayResponseInfo::fromHeaders(response.allFields());
    r.body = decodeBody(response.headers, response.body, framing, sink);
    r.bodyBytes = response.body.size();
    r.eventCount = r.body.eventCount;
    r.problems = response.problems;
    if (r.body.framing == BodyFraming::Json && r.body.assembled.unreadableEvents > 0) {
        QJsonParseError error;
        (void)QJsonDocument::fromJson(response.body, &error);
        r.problems << (error.error == QJsonParseError::NoError
                ? u"The body is announced as JSON but is not a JSON object."_s
                : u"The body is announced as JSON but cannot be read: %1 at byte %2."_s
                      .arg(error.error == QJsonParseError::DeepNesting
                              ? u"it nests deeper than a JSON reader goes"_s
                              : error.errorString())
                      .arg(error.offset));
        if (response.body.startsWith("data:"))
            r.problems.last()
                += u" It reads like an event stream sent as JSON: try --force-stream."_s;
    }
    // W3C Server-Timing takes any number; a duration of more than a day, or below zero,
    // is not one a gateway measured.
    for (const ServerTimingMetric &m : std::as_const(r.info.serverTiming)) {
        if (m.duration < 0 || m.duration > 86'400'000.0)
            r.problems << u"server-timing %1 has dur=%2 ms, which is not a plausible duration."_s
                              .arg(quotedForMessage(m.name))
                              .arg(m.duration);
    }
    r.response = std::move(response);
    return r;
}

QString terminalSafe(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\t')
            c = QChar(0xFFFD);
    }
    return out;
}

QJsonObject eventJson(const SseEvent &e)
{
    return QJsonObject { { u"event"_s, QString::fromUtf8(e.type) },
        { u"data"_s, QString::fromUtf8(e.data) }, { u"id"_s, QString::fromUtf8(e.lastEventId) } };
}

JsonEventsWriter::JsonEventsWriter(QTextStream &out, bool indented, Redactor redactor)
    : m_out(out)
    , m_indented(indented)
    , m_redactor(std::move(redactor))
{
    m_out << (m_indented ? "{\n    \"events\": [" : "{\"events\":[");
}

void JsonEventsWriter::add(const SseEvent &event)
{
    if (m_count++ > 0)
        m_out << ',';
    if (m_indented)
        m_out << "\n        ";
    m_out << m_redactor.text(
        QString::fromUtf8(QJsonDocument(eventJson(event)).toJson(QJsonDocument::Compact)));
}

void JsonEventsWriter::finish(QJsonObject rest)
{
    rest.remove(u"events"_s);
    const QString text = m_redactor.text(QString::fromUtf8(
        QJsonDocument(rest).toJson(m_indented ? QJsonDocument::Indented : QJsonDocument::Compact)));
    // The rest without its opening brace, after the events.
    m_out << (m_indented && m_count > 0 ? "\n    ]," : "],") << QStringView(text).sliced(1);
    if (!m_indented)
        m_out << '\n';
    m_out.flush();
}

QString incompleteOf(const ResponseReport &r)
{
    const int status = r.response.status;
    return status >= 200 && status < 300
        ? incompleteReason(r.body.framing, r.body.assembled, r.body.unterminatedEvent)
        : QString();
}

QJsonValue cacheJson(const GatewayResponseInfo &info)
{
    if (info.cacheStatus.isEmpty())
        return QJsonValue::Null;
    QJsonObject cache { { u"status"_s, info.cacheStatus },
        { u"cachedTraceId"_s, orNull(info.cachedTraceId) } };
    cache.insert(u"similarityScore"_s,
        info.cacheSimilarity ? QJsonValue(*info.cacheSimilarity) : QJsonValue(QJsonValue::Null));
    return cache;
}

namespace {

//! A JSON body (a file object, an embeddings list, an error) as JSON, or null.
QJsonValue bodyJson(const ResponseReport &r)
{
    if (r.body.framing != BodyFraming::Json)
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(r.response.body);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue::Null;
}

} // namespace

QJsonObject reportJson(const ResponseReport &r)
{
    const GatewayResponseInfo &info = r.info;
    const AssembledResponse &a = r.body.assembled;
    QJsonArray timing;
    for (const ServerTimingMetric &m : info.serverTiming)
        timing.append(QJsonObject {
            { u"name"_s, m.name }, { u"dur"_s, m.duration }, { u"desc"_s, m.description } });
    QJsonValue feedback = QJsonValue::Null;
    if (info.feedbackTarget) {
        QJsonObject f { { u"spanId"_s, info.feedbackTarget->spanId },
            { u"traceId"_s, info.feedbackTarget->traceId },
            { u"raw"_s, info.feedbackTarget->raw } };
        if (!info.feedbackTarget->error.isEmpty())
            f.insert(u"error"_s, info.feedbackTarget->error);
        feedback = f;
    }
    QJsonArray events;
    for (const SseEvent &e : r.body.events)
        events.append(eventJson(e));
    QJsonArray toolCalls;
    for (const ToolCall &t : a.toolCalls()) {
        toolCalls.append(QJsonObject { { u"index"_s, t.index }, { u"id"_s, t.id },
            { u"type"_s, t.type }, { u"name"_s, t.name }, { u"arguments"_s, t.arguments } });
    }
    return QJsonObject {
        { u"httpVersion"_s, QString::fromUtf8(r.response.httpVersion) },
        { u"status"_s, r.response.status },
        { u"reason"_s, QString::fromUtf8(r.response.reason) },
        { u"headers"_s, headersJson(r.response.headers) },
        { u"trailers"_s, headersJson(r.response.trailers) },
        { u"resolvedModel"_s, orNull(info.resolvedModel) },
        { u"appliedConfigurations"_s, info.appliedConfigurations },
        { u"appliedConfigurationsError"_s, orNull(info.appliedConfigurationsError) },
        { u"serverTiming"_s, timing },
        { u"feedbackTarget"_s, feedback },
        { u"gatewayHeaders"_s, headersJson(info.gatewayHeaders) },
        { u"framing"_s, framingName(r.body.framing) },
        { u"body"_s, mediaJson(r) },
        { u"events"_s, events },
        { u"text"_s, a.text() },
        { u"json"_s, bodyJson(r) },
        { u"reasoning"_s, a.reasoning() },
        { u"toolCalls"_s, toolCalls },
        { u"usage"_s, a.usage.isUndefined() ? QJsonValue(QJsonValue::Null) : a.usage },
        { u"finishReason"_s, orNull(a.finishReason()) },
        { u"incomplete"_s, orNull(incompleteOf(r)) },
        { u"cache"_s, cacheJson(info) },
        { u"error"_s, errorJson(r) },
        { u"problems"_s, QJsonArray::fromStringList(r.problems) },
    };
}

void printReport(QTextStream &out, const ResponseReport &r, PrintOptions options)
{
    const RawResponse &response = r.response;
    const GatewayResponseInfo &info = r.info;
    const AssembledResponse &a = r.body.assembled;
    out << "Status:          " << response.status << (response.reason.isEmpty() ? "" : " ")
        << QString::fromUtf8(response.reason) << " (" << QString::fromUtf8(response.httpVersion)
        << ")\n";
    if (const QString meaning = statusMeaning(response.status); !meaning.isEmpty())
        out << "Meaning:         " << meaning << '\n';
    for (const QString &problem : r.problems)
        out << "Problem:         " << problem << '\n';
    out << "Resolved model:  "
        << (info.resolvedModel.isEmpty() ? u"(not reported)"_s : info.resolvedModel) << '\n';
    if (const QString cache = info.cacheText(); !cache.isEmpty())
        out << "Cache:           " << cache << '\n';
    out << "Body:            " << r.bodyBytes << " bytes";
    const QByteArray contentType = headerValue(response.headers, "content-type");
    if (!contentType.isEmpty())
        out << ", " << QString::fromUtf8(contentType);
    if (const BodyMedia media = sniffBody(contentType,
            QByteArrayView(response.body).first(std::min<qsizetype>(response.body.size(), 1024)));
        !media.isText())
        out << " (" << media.description() << "; --output FILE saves it)";
    if (r.body.framing == BodyFraming::Sse || r.body.framing == BodyFraming::Ndjson) {
        out << ", " << r.eventCount << " events";
        if (a.done)
            out << ", complete";
        else
            out << ", no end marker";
        if (r.body.unterminatedEvent)
            out << ", last event cut off";
    }
    out << '\n';
    if (const QString why = incompleteOf(r); !why.isEmpty())
        out << "Incomplete:      " << why << " (the answer is not whole)\n";
    const QJsonValue error = errorJson(r);
    if (!error.isNull()) {
        const QJsonObject e = error.toObject();
        QString message = error.isString() ? error.toString() : e.value("message"_L1).toString();
        QStringList details;
        if (const QString type = e.value("type"_L1).toString(); !type.isEmpty())
            details << u"type "_s + type;
        if (const QJsonValue code = e.value("code"_L1); !code.isNull() && !code.isUndefined())
            details << u"code "_s
                    + (code.isDouble() ? QString::number(code.toDouble()) : code.toString());
        out << "Error:           " << (message.isEmpty() ? u"(no message)"_s : message);
        if (!details.isEmpty())
            out << " (" << details.join(", "_L1) << ')';
        out << '\n';
    }
    if (!a.finishReason().isEmpty())
        out << "Finish reason:   " << a.finishReason() << '\n';
    if (a.usage.isObject()) {
        QStringList parts;
        const QJsonObject usage = a.usage.toObject();
        for (auto it = usage.begin(); it != usage.end(); ++it) {
            if (it.value().isDouble())
                parts << it.key() + u' ' + QString::number(it.value().toDouble());
        }
        out << "Usage:           " << parts.join(", "_L1) << '\n';
    }
    if (options.answer && !a.reasoning().isEmpty()) {
        out << "\nReasoning:\n";
        printIndented(out, a.reasoning());
    }
    if (options.answer && !a.text().isEmpty()) {
        out << "\nAnswer:\n";
        printIndented(out, a.text());
    }
    if (options.answer && !a.refusal().isEmpty()) {
        out << "\nRefusal:\n";
        printIndented(out, a.refusal());
    }
    if (options.answer && !a.toolCalls().isEmpty()) {
        out << "\nTool calls:\n";
        for (const ToolCall &t : a.toolCalls())
            out << "  " << t.name << '(' << t.arguments << ")  " << t.id << '\n';
    }
    out << "\nApplied configurations:\n";
    if (!info.appliedConfigurationsError.isEmpty())
        out << "  ! " << info.appliedConfigurationsError
            << "\n  raw: " << info.appliedConfigurationsRaw << '\n';
    else if (info.appliedConfigurations.isNull() && info.appliedConfigurationsRaw.isEmpty())
        out << "  (no x-tfy-applied-configurations header)\n";
    else if (const auto tree = parseJsonTree(info.appliedConfigurationsRaw.toUtf8()))
        printTree(out, *tree, 1);
    else
        out << "  ! " << tree.error().message << '\n';
    out << "\nServer timing:\n";
    if (info.serverTiming.isEmpty())
        out << "  (no server-timing metrics; the gateway sends them on non-streaming responses)\n";
    else
        printWaterfall(out, info.serverTiming);
    out << "\nFeedback target:\n";
    if (!info.feedbackTarget)
        out << "  (no x-tfy-feedback-target-id header)\n";
    else if (!info.feedbackTarget->error.isEmpty())
        out << "  ! " << info.feedbackTarget->error << ": " << info.feedbackTarget->raw << '\n';
    else
        out << "  traceId " << info.feedbackTarget->traceId << "\n  spanId  "
            << info.feedbackTarget->spanId << '\n';
    out << "\nGateway headers (x-tfy-*):\n";
    if (info.gatewayHeaders.isEmpty())
        out << "  (none)\n";
    for (const HttpHeader &h : info.gatewayHeaders)
        out << "  " << QString::fromUtf8(h.name) << ": " << QString::fromUtf8(h.value) << '\n';
}

} // namespace gs::cli
