#include "core/compare/exchangecompare.h"

#include "core/httpfile/httpfile.h"
#include "core/store/history.h"
#include "core/stream/gatewayresponse.h"
#include "core/stream/responsebody.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QJsonValue parsedJson(const QByteArray &bytes)
{
    QJsonParseError error {};
    const QJsonDocument d = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return d.isObject() ? QJsonValue(d.object()) : QJsonValue(d.array());
}

QJsonValue toolCallsJson(const QList<ToolCall> &calls)
{
    if (calls.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonArray out;
    for (const ToolCall &t : calls) {
        // Arguments are JSON text: compared as JSON when they are.
        const QJsonValue arguments = parsedJson(t.arguments.toUtf8());
        out.append(QJsonObject { { u"type"_s, t.type }, { u"name"_s, t.name },
            { u"arguments"_s, arguments.isUndefined() ? QJsonValue(t.arguments) : arguments } });
    }
    return out;
}

//! Headers by lower-case name, values joined.
QMap<QString, QString> headerMap(const HttpHeaders &headers)
{
    QMap<QString, QString> out;
    for (const HttpHeader &h : headers) {
        const QString name = QString::fromUtf8(h.name).toLower();
        QString &value = out[name];
        value += (value.isEmpty() ? QString() : u", "_s) + QString::fromUtf8(h.value);
    }
    return out;
}

QList<HeaderComparison> compareHeaders(const HttpHeaders &a, const HttpHeaders &b,
    const QStringList &ignored, const JsonDiffOptions &json)
{
    const QMap<QString, QString> ma = headerMap(a);
    const QMap<QString, QString> mb = headerMap(b);
    QStringList names = ma.keys() + mb.keys();
    names.sort();
    names.removeDuplicates();
    QList<HeaderComparison> out;
    for (const QString &name : std::as_const(names)) {
        if (ignored.contains(name))
            continue;
        HeaderComparison c;
        c.name = name;
        c.inA = ma.contains(name);
        c.inB = mb.contains(name);
        c.a = ma.value(name);
        c.b = mb.value(name);
        if (c.inA && c.inB) {
            const QJsonValue ja = parsedJson(c.a.toUtf8());
            const QJsonValue jb = parsedJson(c.b.toUtf8());
            if (!ja.isUndefined() && !jb.isUndefined()) {
                c.typedBoth = true;
                c.typed = diffJson(ja, jb, json);
            }
        }
        if (!c.equal())
            out << c;
    }
    return out;
}

QList<JsonChange> compareJson(const QJsonValue &a, const QJsonValue &b, const JsonDiffOptions &o)
{
    if (a.isUndefined() && b.isUndefined())
        return {};
    return diffJson(a, b, o);
}

QList<TextSegment> compareText(const QString &a, const QString &b, const std::atomic<bool> *cancel)
{
    return a == b ? QList<TextSegment>() : diffWords(a, b, cancel);
}

qint64 span(qint64 from, qint64 to)
{
    return from >= 0 && to >= from ? to - from : -1;
}

PhaseComparison phase(const QString &name, qint64 a, qint64 b)
{
    PhaseComparison p;
    p.name = name;
    p.a = a;
    p.b = b;
    return p;
}

//! The server's stages by name on each side, inside the wait.
QList<PhaseComparison::Stage> stages(
    const QList<ServerTimingMetric> &a, const QList<ServerTimingMetric> &b)
{
    QList<PhaseComparison::Stage> out;
    const auto add = [&out](const QList<ServerTimingMetric> &metrics, bool sideA) {
        const QList<PlacedMetric> placed = inferPlacement(metrics);
        for (const PlacedMetric &p : placed) {
            auto it = std::ranges::find(out, p.metric.name, &PhaseComparison::Stage::name);
            if (it == out.end()) {
                out.append({ p.metric.name, -1, -1, p.envelope });
                it = std::prev(out.end());
            }
            qint64 &at = sideA ? it->a : it->b;
            if (at < 0) // the first of a repeated name counts
                at = qint64(std::llround(p.metric.duration * 1000.0));
            it->envelope = it->envelope || p.envelope;
        }
    };
    add(a, true);
    add(b, false);
    return out;
}

QList<PhaseComparison> phases(const ComparedExchange &x, const ComparedExchange &y)
{
    const Timeline &a = x.timeline;
    const Timeline &b = y.timeline;
    const auto connect = [](const Timeline &t) {
        return span(t.connecting, t.requestSent >= 0 ? t.requestSent : t.encrypted);
    };
    PhaseComparison waiting
        = phase(u"waiting"_s, span(a.requestSent, a.firstByte), span(b.requestSent, b.firstByte));
    waiting.stages = stages(x.serverTiming, y.serverTiming);
    return {
        phase(u"connect"_s, connect(a), connect(b)),
        waiting,
        phase(
            u"first token"_s, span(a.requestSent, a.firstToken), span(b.requestSent, b.firstToken)),
        phase(u"streaming"_s, span(a.firstToken, a.finished), span(b.firstToken, b.finished)),
        phase(u"total"_s, a.finished, b.finished),
    };
}

QString shortened(const QString &text, qsizetype most = 120)
{
    return text.size() <= most ? text : text.first(most) + u"…"_s;
}

QString changeLine(const JsonChange &c)
{
    switch (c.kind) {
    case JsonChange::Kind::Added:
        return u"added `%1`: `%2`"_s.arg(c.path, jsonValueText(c.after, 120));
    case JsonChange::Kind::Removed:
        return u"removed `%1`: `%2`"_s.arg(c.path, jsonValueText(c.before, 120));
    case JsonChange::Kind::Moved:
        return u"moved `%1` to `%2`"_s.arg(c.path, c.toPath);
    case JsonChange::Kind::Changed:
        break;
    }
    return u"`%1`: `%2` → `%3`"_s.arg(
        c.path, jsonValueText(c.before, 120), jsonValueText(c.after, 120));
}

QString kindName(JsonChange::Kind kind)
{
    switch (kind) {
    case JsonChange::Kind::Added:
        return u"added"_s;
    case JsonChange::Kind::Removed:
        return u"removed"_s;
    case JsonChange::Kind::Moved:
        return u"moved"_s;
    case JsonChange::Kind::Changed:
        break;
    }
    return u"changed"_s;
}

QJsonArray changesJson(const QList<JsonChange> &changes)
{
    QJsonArray out;
    for (const JsonChange &c : changes) {
        QJsonObject o { { u"kind"_s, kindName(c.kind) }, { u"path"_s, c.path } };
        if (!c.toPath.isEmpty())
            o.insert(u"toPath"_s, c.toPath);
        if (!c.before.isUndefined())
            o.insert(u"before"_s, c.before);
        if (!c.after.isUndefined())
            o.insert(u"after"_s, c.after);
        out.append(o);
    }
    return out;
}

QJsonArray headersJson(const QList<HeaderComparison> &headers)
{
    QJsonArray out;
    for (const HeaderComparison &h : headers) {
        QJsonObject o { { u"name"_s, h.name },
            { u"a"_s, h.inA ? QJsonValue(h.a) : QJsonValue(QJsonValue::Null) },
            { u"b"_s, h.inB ? QJsonValue(h.b) : QJsonValue(QJsonValue::Null) } };
        if (h.typedBoth)
            o.insert(u"changes"_s, changesJson(h.typed));
        out.append(o);
    }
    return out;
}

QJsonArray textJson(const QList<TextSegment> &segments)
{
    QJsonArray out;
    for (const TextSegment &s : segments) {
        const QString kind = s.kind == TextSegment::Kind::Equal ? u"equal"_s
            : s.kind == TextSegment::Kind::Removed              ? u"removed"_s
                                                                : u"added"_s;
        out.append(QJsonObject { { u"kind"_s, kind }, { u"text"_s, s.text } });
    }
    return out;
}

QString markdownText(const QList<TextSegment> &segments)
{
    QString out;
    for (const TextSegment &s : segments) {
        QString t = s.text;
        // Markdown's own characters in the answer stay text.
        for (const QChar c : u"\\*_~`"_s)
            t.replace(c, u'\\' + QString(c));
        if (s.kind == TextSegment::Kind::Equal || t.trimmed().isEmpty()) {
            out += t;
            continue;
        }
        // The marks go around the words: Markdown ignores "** word**".
        qsizetype start = 0;
        while (t.at(start).isSpace())
            ++start;
        qsizetype end = t.size();
        while (t.at(end - 1).isSpace())
            --end;
        const QString mark = s.kind == TextSegment::Kind::Removed ? u"~~"_s : u"**"_s;
        out += t.first(start) + mark + t.sliced(start, end - start) + mark + t.sliced(end);
    }
    return out;
}

QString msText(qint64 us)
{
    return us < 0 ? u"–"_s : QString::number(double(us) / 1000.0, 'f', 1) + u" ms"_s;
}

} // namespace

std::optional<WireRequest> recordedRequest(const HistoryEntry &entry)
{
    const auto file = HttpFile::parse(entry.requestText);
    if (!file || file->requests().isEmpty())
        return std::nullopt;
    auto wire = resolve(file->requests().first(), {});
    if (!wire)
        return std::nullopt;
    return *wire;
}

ComparedExchange comparedExchange(const HistoryEntry &e)
{
    ComparedExchange c;
    c.label = e.id > 0 ? u"history %1"_s.arg(e.id) : e.at.toString(Qt::ISODate);
    if (const std::optional<WireRequest> wire = recordedRequest(e)) {
        c.method = QString::fromUtf8(wire->method);
        c.url = wire->url;
        c.requestHeaders = wire->headers;
        c.requestBody = wire->body;
        c.hasRequest = true;
    }
    c.status = e.status;
    c.requestedModel = e.requestedModel;
    c.resolvedModel = e.resolvedModel;
    c.applied = e.appliedConfigurations.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                                  : parsedJson(e.appliedConfigurations.toUtf8());
    const BodyFraming framing = framingFor({}, e.body);
    const DecodedBody decoded = decodeBody({}, e.body, framing);
    if (framing == BodyFraming::Json && !e.bodyTruncated())
        c.json = parsedJson(e.body);
    c.text = decoded.assembled.text();
    c.reasoning = decoded.assembled.reasoning();
    c.toolCalls = toolCallsJson(decoded.assembled.toolCalls());
    c.usage = e.usage.isEmpty() ? decoded.assembled.usage : parsedJson(e.usage.toUtf8());
    c.finishReason = decoded.assembled.finishReason();
    c.error = e.error;
    c.timeline = timelineFromJson(e.timeline);
    c.responseHeaders = responseHeadersFromText(e.responseHeaders);
    c.hasResponseHeaders = !c.responseHeaders.isEmpty();
    c.serverTiming = GatewayResponseInfo::fromHeaders(c.responseHeaders).serverTiming;
    return c;
}

Result<ComparedExchange> comparedExchange(const QJsonObject &r, const QString &label)
{
    if (!r.contains("status"_L1) || !r.contains("headers"_L1))
        return fail(Error::Kind::Parse,
            u"%1 is not a report gatescope-cli send --json wrote (no status or headers)"_s.arg(
                label));
    ComparedExchange c;
    c.label = label;
    c.status = r.value("status"_L1).toInt();
    c.requestedModel = r.value("requestedModel"_L1).toString();
    c.resolvedModel = r.value("resolvedModel"_L1).toString();
    c.applied = r.value("appliedConfigurations"_L1);
    if (c.applied.isNull())
        c.applied = QJsonValue(QJsonValue::Undefined);
    for (const QJsonValue h : r.value("headers"_L1).toArray()) {
        const QJsonArray pair = h.toArray();
        c.responseHeaders.append(
            { pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8() });
    }
    c.hasResponseHeaders = true;
    const QJsonValue json = r.value("json"_L1);
    c.json = json.isNull() ? QJsonValue(QJsonValue::Undefined) : json;
    c.text = r.value("text"_L1).toString();
    c.reasoning = r.value("reasoning"_L1).toString();
    const QJsonArray calls = r.value("toolCalls"_L1).toArray();
    if (!calls.isEmpty()) {
        QJsonArray out;
        for (const QJsonValue v : calls) {
            QJsonObject o = v.toObject();
            o.remove(u"index"_s);
            o.remove(u"id"_s);
            const QJsonValue args = parsedJson(o.value("arguments"_L1).toString().toUtf8());
            if (!args.isUndefined())
                o.insert(u"arguments"_s, args);
            out.append(o);
        }
        c.toolCalls = out;
    }
    c.usage
        = r.value("usage"_L1).isNull() ? QJsonValue(QJsonValue::Undefined) : r.value("usage"_L1);
    c.finishReason = r.value("finishReason"_L1).toString();
    c.error = r.value("transportError"_L1).toObject().value("message"_L1).toString();
    c.timeline = timelineFromJson(r.value("timeline"_L1).toObject());
    c.serverTiming = GatewayResponseInfo::fromHeaders(c.responseHeaders).serverTiming;
    return c;
}

Result<ComparedExchange> comparedHarEntry(const QJsonObject &entry, const QString &label)
{
    const QJsonObject request = entry.value("request"_L1).toObject();
    const QJsonObject response = entry.value("response"_L1).toObject();
    if (request.isEmpty() || response.isEmpty())
        return fail(
            Error::Kind::Parse, u"%1 is not a HAR entry (no request or response)"_s.arg(label));
    const auto headersOf = [](const QJsonObject &o) {
        HttpHeaders out;
        for (const QJsonValue h : o.value("headers"_L1).toArray())
            out.append({ h.toObject().value("name"_L1).toString().toUtf8(),
                h.toObject().value("value"_L1).toString().toUtf8() });
        return out;
    };
    ComparedExchange c;
    c.label = label;
    c.method = request.value("method"_L1).toString();
    c.url = request.value("url"_L1).toString();
    c.requestHeaders = headersOf(request);
    c.requestBody = request.value("postData"_L1).toObject().value("text"_L1).toString().toUtf8();
    c.hasRequest = true;
    c.requestedModel = parsedJson(c.requestBody).toObject().value("model"_L1).toString();
    c.status = response.value("status"_L1).toInt();
    c.responseHeaders = headersOf(response);
    c.hasResponseHeaders = true;
    c.resolvedModel = QString::fromUtf8(headerValue(c.responseHeaders, "x-tfy-resolved-model"));
    const QByteArray applied = headerValue(c.responseHeaders, "x-tfy-applied-configurations");
    c.applied = applied.isEmpty() ? QJsonValue(QJsonValue::Undefined) : parsedJson(applied);
    const QJsonObject content = response.value("content"_L1).toObject();
    const QString text = content.value("text"_L1).toString();
    const QByteArray body = content.value("encoding"_L1).toString() == "base64"_L1
        ? QByteArray::fromBase64(text.toLatin1())
        : text.toUtf8();
    const BodyFraming framing = framingFor(headerValue(c.responseHeaders, "content-type"), body);
    const DecodedBody decoded = decodeBody(c.responseHeaders, body, framing);
    if (framing == BodyFraming::Json)
        c.json = parsedJson(body);
    c.text = decoded.assembled.text();
    c.reasoning = decoded.assembled.reasoning();
    c.toolCalls = toolCallsJson(decoded.assembled.toolCalls());
    c.usage = decoded.assembled.usage;
    c.finishReason = decoded.assembled.finishReason();
    c.error = c.status == 0 ? entry.value("comment"_L1).toString() : QString();
    // HAR's phases in milliseconds, -1 for what did not happen, laid end to end.
    const QJsonObject t = entry.value("timings"_L1).toObject();
    const auto us = [&t](const char *name) {
        const double v = t.value(QLatin1StringView(name)).toDouble(-1);
        return v < 0 ? qint64(-1) : qint64(v * 1000.0);
    };
    qint64 at = std::max<qint64>(0, us("blocked")) + std::max<qint64>(0, us("dns"));
    if (us("connect") >= 0) {
        c.timeline.connecting = at;
        at += us("connect");
    }
    at += std::max<qint64>(0, us("send"));
    c.timeline.requestSent = at;
    at += std::max<qint64>(0, us("wait"));
    c.timeline.headers = at;
    c.timeline.firstByte = at;
    at += std::max<qint64>(0, us("receive"));
    c.timeline.finished = at;
    c.serverTiming = GatewayResponseInfo::fromHeaders(c.responseHeaders).serverTiming;
    return c;
}

Result<ComparedExchange> comparedFile(const QString &spec)
{
    // FILE.har or FILE.har#N (the N-th entry, from 1).
    QString path = spec;
    qsizetype entry = 0;
    if (const qsizetype hash = spec.lastIndexOf(u'#');
        hash > 0 && spec.first(hash).endsWith(".har"_L1, Qt::CaseInsensitive)) {
        bool ok = false;
        entry = spec.sliced(hash + 1).toLongLong(&ok);
        if (!ok || entry < 1)
            return fail(Error::Kind::Parse,
                u"%1: an entry of a HAR file is named FILE.har#N, N from 1"_s.arg(spec));
        path = spec.first(hash);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, u"cannot read %1: %2"_s.arg(path, file.errorString()));
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(Error::Kind::Parse,
            u"%1 is neither a HAR file nor a report of gatescope-cli send --json: %2"_s.arg(
                spec, error.errorString()));
    if (doc.object().contains("log"_L1)) {
        const QJsonArray entries
            = doc.object().value("log"_L1).toObject().value("entries"_L1).toArray();
        if (entry == 0 && entries.size() != 1)
            return fail(Error::Kind::Parse,
                u"%1 holds %2 entries: name one as %1#N"_s.arg(path).arg(entries.size()));
        const qsizetype index = entry == 0 ? 0 : entry - 1;
        if (index >= entries.size())
            return fail(Error::Kind::Parse,
                u"%1 holds %2 entries, not %3"_s.arg(path).arg(entries.size()).arg(entry));
        return comparedHarEntry(entries.at(index).toObject(), spec);
    }
    return comparedExchange(doc.object(), spec);
}

bool ExchangeComparison::equal() const
{
    return std::ranges::all_of(fields, &FieldComparison::equal) && requestHeaders.isEmpty()
        && requestBody.isEmpty() && applied.isEmpty() && responseHeaders.isEmpty()
        && responseJson.isEmpty() && text.isEmpty() && reasoning.isEmpty() && toolCalls.isEmpty()
        && usage.isEmpty();
}

ExchangeComparison compareExchanges(
    const ComparedExchange &a, const ComparedExchange &b, const CompareOptions &options)
{
    ExchangeComparison r;
    r.labelA = a.label;
    r.labelB = b.label;
    JsonDiffOptions json = options.json;
    json.cancel = options.cancel;
    // The parts in order, each told to progress; a cancel ends the walk.
    constexpr int kParts = 8;
    int done = 0;
    const auto step = [&]() {
        if (options.progress)
            options.progress(++done, kParts);
        return !(options.cancel && options.cancel->load());
    };
    const auto field = [&r](const QString &name, const QString &x, const QString &y) {
        r.fields.append({ name, x, y });
    };
    if (a.hasRequest && b.hasRequest) {
        field(u"method"_s, a.method, b.method);
        field(u"URL"_s, a.url, b.url);
    }
    field(u"status"_s, QString::number(a.status), QString::number(b.status));
    field(u"requested model"_s, a.requestedModel, b.requestedModel);
    field(u"resolved model"_s, a.resolvedModel, b.resolvedModel);
    field(u"finish reason"_s, a.finishReason, b.finishReason);
    field(u"transport error"_s, a.error, b.error);
    r.phases = phases(a, b);
    if (a.hasRequest && b.hasRequest) {
        QStringList ignored { u"authorization"_s, u"content-length"_s };
        r.requestHeaders = compareHeaders(a.requestHeaders, b.requestHeaders, ignored, json);
        if (!step())
            return r;
        const QJsonValue ja = parsedJson(a.requestBody);
        const QJsonValue jb = parsedJson(b.requestBody);
        if (!ja.isUndefined() && !jb.isUndefined()) {
            // A request's own fields are what the user wrote: nothing is volatile.
            JsonDiffOptions exact = json;
            exact.ignore.clear();
            r.requestBody = diffJson(ja, jb, exact);
        } else if (a.requestBody != b.requestBody) {
            r.requestBody.append({ JsonChange::Kind::Changed, u"$"_s, {},
                QString::fromUtf8(a.requestBody), QString::fromUtf8(b.requestBody) });
        }
    } else {
        step();
    }
    if (!step())
        return r;
    JsonDiffOptions appliedOptions = json;
    appliedOptions.ignore += options.appliedIgnored;
    r.applied = compareJson(a.applied, b.applied, appliedOptions);
    if (a.hasResponseHeaders && b.hasResponseHeaders) {
        // The gateway's applied configurations and model are compared above.
        QStringList ignored = options.ignoredHeaders;
        ignored << u"x-tfy-applied-configurations"_s << u"x-tfy-resolved-model"_s;
        r.responseHeaders = compareHeaders(a.responseHeaders, b.responseHeaders, ignored, json);
    }
    if (!step())
        return r;
    r.responseJson = compareJson(a.json, b.json, json);
    if (!step())
        return r;
    r.text = compareText(a.text, b.text, options.cancel);
    if (!step())
        return r;
    r.reasoning = compareText(a.reasoning, b.reasoning, options.cancel);
    if (!step())
        return r;
    r.toolCalls = compareJson(a.toolCalls, b.toolCalls, json);
    if (!step())
        return r;
    r.usage = compareJson(a.usage, b.usage, json);
    step();
    return r;
}

QString comparisonMarkdown(const ExchangeComparison &c)
{
    QString md = u"## %1 compared with %2\n\n"_s.arg(c.labelA, c.labelB);
    md += c.equal() ? u"Equal in everything compared (timing aside).\n\n"_s : u"They differ.\n\n"_s;
    md += u"| | %1 | %2 |\n|---|---|---|\n"_s.arg(c.labelA, c.labelB);
    for (const FieldComparison &f : c.fields) {
        if (f.a.isEmpty() && f.b.isEmpty())
            continue;
        const QString mark = f.equal() ? QString() : u" **≠**"_s;
        md += u"| %1%2 | %3 | %4 |\n"_s.arg(f.name, mark, f.a, f.b);
    }
    const auto section = [&md](const QString &title, const QStringList &lines) {
        if (lines.isEmpty())
            return;
        md += u"\n### "_s + title + u"\n\n"_s;
        for (const QString &l : lines)
            md += u"- "_s + l + u'\n';
    };
    const auto headerLines = [](const QList<HeaderComparison> &headers) {
        QStringList lines;
        for (const HeaderComparison &h : headers) {
            if (!h.inA)
                lines << u"added `%1: %2`"_s.arg(h.name, shortened(h.b));
            else if (!h.inB)
                lines << u"removed `%1: %2`"_s.arg(h.name, shortened(h.a));
            else if (h.typedBoth)
                for (const JsonChange &j : h.typed)
                    lines << u"`%1` "_s.arg(h.name) + changeLine(j);
            else
                lines << u"`%1`: `%2` → `%3`"_s.arg(h.name, shortened(h.a), shortened(h.b));
        }
        return lines;
    };
    const auto changeLines = [](const QList<JsonChange> &changes) {
        QStringList lines;
        for (const JsonChange &j : changes)
            lines << changeLine(j);
        return lines;
    };
    section(u"Request headers"_s, headerLines(c.requestHeaders));
    section(u"Request body"_s, changeLines(c.requestBody));
    section(u"Applied configurations"_s, changeLines(c.applied));
    section(u"Response headers"_s, headerLines(c.responseHeaders));
    section(u"Response body"_s, changeLines(c.responseJson));
    if (!c.text.isEmpty())
        md += u"\n### Answer\n\n"_s + markdownText(c.text) + u'\n';
    if (!c.reasoning.isEmpty())
        md += u"\n### Reasoning\n\n"_s + markdownText(c.reasoning) + u'\n';
    section(u"Tool calls"_s, changeLines(c.toolCalls));
    section(u"Usage"_s, changeLines(c.usage));
    md += u"\n### Timing\n\n| phase | %1 | %2 | change |\n|---|---|---|---|\n"_s.arg(
        c.labelA, c.labelB);
    for (const PhaseComparison &p : c.phases) {
        if (p.a < 0 && p.b < 0)
            continue;
        const QString change = p.a >= 0 && p.b >= 0
            ? (p.b >= p.a ? u"+"_s : u"−"_s) + msText(std::abs(p.b - p.a))
            : QString();
        md += u"| %1 | %2 | %3 | %4 |\n"_s.arg(p.name, msText(p.a), msText(p.b), change);
        for (const PhaseComparison::Stage &s : p.stages) {
            const QString stageChange = s.a >= 0 && s.b >= 0 ? timeChange(s.b - s.a) : QString();
            md += u"| ↳ server `%1` | %2 | %3 | %4 |\n"_s.arg(
                s.name, msText(s.a), msText(s.b), stageChange);
        }
    }
    if (const QString summary = timingSummary(c); !summary.isEmpty())
        md += u"\n"_s + summary + u"\n"_s;
    return md;
}

QString timeChange(qint64 us)
{
    const QString sign = us < 0 ? u"−"_s : u"+"_s;
    const double ms = double(std::abs(us)) / 1000.0;
    if (ms >= 10'000)
        return sign + QString::number(ms / 1000.0, 'f', 1) + u" s"_s;
    return sign + QString::number(ms, 'f', ms < 10 ? 1 : 0) + u" ms"_s;
}

QString timingSummary(const ExchangeComparison &c)
{
    QStringList parts;
    for (const PhaseComparison &p : c.phases) {
        if (!p.measured() || p.name == "streaming"_L1)
            continue;
        QString part = p.name + u' ' + timeChange(p.change());
        // The stage that moved most the way the wait moved explains it.
        const PhaseComparison::Stage *most = nullptr;
        for (const PhaseComparison::Stage &s : p.stages) {
            if (s.envelope || s.a < 0 || s.b < 0 || (s.b - s.a) * p.change() <= 0)
                continue;
            if (!most || std::abs(s.b - s.a) > std::abs(most->b - most->a))
                most = &s;
        }
        if (most)
            part += u", of which "_s + most->name + u' ' + timeChange(most->b - most->a);
        parts << part;
    }
    return parts.join(u"; "_s);
}

QJsonObject comparisonJson(const ExchangeComparison &c)
{
    QJsonArray fields;
    for (const FieldComparison &f : c.fields)
        fields.append(QJsonObject {
            { u"name"_s, f.name }, { u"a"_s, f.a }, { u"b"_s, f.b }, { u"equal"_s, f.equal() } });
    QJsonArray timing;
    const auto ms = [](qint64 us) {
        return us < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(us) / 1000);
    };
    for (const PhaseComparison &p : c.phases) {
        QJsonObject o { { u"phase"_s, p.name }, { u"aMs"_s, ms(p.a) }, { u"bMs"_s, ms(p.b) } };
        QJsonArray server;
        for (const PhaseComparison::Stage &s : p.stages)
            server.append(QJsonObject {
                { u"name"_s, s.name }, { u"aMs"_s, ms(s.a) }, { u"bMs"_s, ms(s.b) } });
        if (!server.isEmpty())
            o.insert(u"server"_s, server);
        timing.append(o);
    }
    return QJsonObject {
        { u"a"_s, c.labelA },
        { u"b"_s, c.labelB },
        { u"equal"_s, c.equal() },
        { u"fields"_s, fields },
        { u"requestHeaders"_s, headersJson(c.requestHeaders) },
        { u"requestBody"_s, changesJson(c.requestBody) },
        { u"appliedConfigurations"_s, changesJson(c.applied) },
        { u"responseHeaders"_s, headersJson(c.responseHeaders) },
        { u"responseBody"_s, changesJson(c.responseJson) },
        { u"text"_s, textJson(c.text) },
        { u"reasoning"_s, textJson(c.reasoning) },
        { u"toolCalls"_s, changesJson(c.toolCalls) },
        { u"usage"_s, changesJson(c.usage) },
        { u"timing"_s, timing },
        { u"timingSummary"_s, timingSummary(c) },
    };
}

} // namespace gs::core
