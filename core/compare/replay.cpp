#include "core/compare/replay.h"

#include "core/model/redaction.h"

#include <QBuffer>
#include <QJsonArray>
#include <QSet>
#include <QXmlStreamWriter>

#include <numeric>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return QLatin1StringView(a).compare(QLatin1StringView(b), Qt::CaseInsensitive) == 0;
}

std::optional<qint64> totalTokens(const QJsonValue &usage)
{
    const QJsonValue v = usage.toObject().value("total_tokens"_L1);
    return v.isDouble() ? std::optional(v.toInteger()) : std::nullopt;
}

//! The share of the longer answer's characters that the word diff kept equal.
double similarity(
    const ComparedExchange &a, const ComparedExchange &b, const QList<TextSegment> &segments)
{
    if (segments.isEmpty())
        return a.text == b.text ? 1.0 : 0.0;
    qsizetype equal = 0;
    for (const TextSegment &s : segments)
        if (s.kind == TextSegment::Kind::Equal)
            equal += s.text.size();
    const qsizetype longer = std::max(a.text.size(), b.text.size());
    return longer == 0 ? 1.0 : double(equal) / double(longer);
}

bool sameParts(const ComparedExchange &a, const ComparedExchange &b)
{
    return a.text.isEmpty() == b.text.isEmpty() && a.reasoning.isEmpty() == b.reasoning.isEmpty()
        && a.toolCalls.isUndefined() == b.toolCalls.isUndefined();
}

} // namespace

QList<ReplayItem> asRecorded(const QList<std::pair<QString, WireRequest>> &requests)
{
    QList<ReplayItem> out;
    for (const auto &[label, request] : requests) {
        ReplayItem item;
        item.label = label;
        item.request = request;
        item.model = decode(request).model;
        out << item;
    }
    return out;
}

QList<ReplayItem> planReplay(const QList<HistoryEntry> &entries, const ReplayTarget &target)
{
    QList<ReplayItem> out;
    for (const HistoryEntry &entry : entries) {
        ReplayItem item;
        item.original = entry;
        item.label = u"history %1"_s.arg(entry.id);
        const std::optional<WireRequest> wire
            = entry.method == kLoadRunMethod ? std::nullopt : recordedRequest(entry);
        if (entry.method == kLoadRunMethod) {
            item.problem = u"a load run, which keeps no requests of its own to send"_s;
        } else if (!wire) {
            item.problem = u"the history kept no request to send"_s;
        } else if (headerValue(wire->headers, "content-type").startsWith("multipart/")) {
            item.problem
                = u"a file upload: the history keeps its files' names, not their content"_s;
        }
        if (!item.problem.isEmpty()) {
            out << item;
            continue;
        }
        GatewayRequest g = decode(*wire);
        if (!target.baseUrl.isEmpty() && g.baseUrl != target.baseUrl) {
            item.changes << u"base URL %1 → %2"_s.arg(g.baseUrl, target.baseUrl);
            g.baseUrl = target.baseUrl;
        }
        if (!target.token.isEmpty()) {
            g.bearerToken = target.token;
            item.changes << u"the target's token"_s;
        }
        for (const auto &[from, to] : target.modelMap) {
            if (from != "*"_L1 && from != g.model)
                continue;
            if (to != g.model) {
                item.changes << u"model %1 → %2"_s.arg(g.model, to);
                g.model = to;
            }
            break;
        }
        item.model = g.model;
        WireRequest request = compose(g);
        for (const QString &name : target.dropHeaders) {
            const qsizetype before = request.headers.size();
            request.headers.removeIf(
                [&name](const HttpHeader &h) { return sameName(h.name, name.toUtf8()); });
            if (request.headers.size() != before)
                item.changes << u"dropped %1"_s.arg(name);
        }
        for (const HttpHeader &set : target.setHeaders) {
            const auto it = std::ranges::find_if(request.headers,
                [&set](const HttpHeader &h) { return sameName(h.name, set.name); });
            if (it != request.headers.end())
                it->value = set.value;
            else
                request.headers.append(set);
            item.changes << u"set %1"_s.arg(QString::fromUtf8(set.name));
        }
        // What the history masked cannot go out as the mask.
        for (const HttpHeader &h : std::as_const(request.headers)) {
            if (!QLatin1StringView(h.value).contains(kMask))
                continue;
            const QString name = QString::fromUtf8(h.name);
            item.problem = sameName(h.name, "authorization")
                ? u"no token for the target (the history keeps it masked)"_s
                : name + u" was masked in the history: set it for the replay"_s;
            break;
        }
        if (item.problem.isEmpty() && request.url.contains(kMask))
            item.problem = u"its URL held a credential the history masked"_s;
        if (item.problem.isEmpty())
            item.request = std::move(request);
        out << item;
    }
    return out;
}

QList<ReplayItem> planRequestsReplay(const QList<std::pair<QString, WireRequest>> &requests,
    const QList<HistoryEntry> &recorded, ReplayTarget target)
{
    QList<HistoryEntry> originals = recorded;
    if (originals.isEmpty()) {
        for (const auto &[name, request] : requests) {
            HistoryEntry e;
            e.method = QString::fromUtf8(request.method);
            e.requestText = QString::fromUtf8(request.toText(false));
            originals << e;
        }
    }
    for (qsizetype i = 0; target.token.isEmpty() && i < requests.size(); ++i)
        target.token = decode(requests[i].second).bearerToken;
    QList<ReplayItem> plan = planReplay(originals, target);
    for (qsizetype i = 0; i < plan.size() && i < requests.size(); ++i)
        plan[i].label = requests[i].first;
    return plan;
}

QString replayPlanText(const QList<ReplayItem> &items, const QStringList &secrets)
{
    const Redactor redactor(secrets);
    QString out;
    for (const ReplayItem &item : items) {
        out += u"### "_s + item.label + u'\n';
        if (!item.request) {
            out += u"# not replayed: "_s + item.problem + u"\n\n"_s;
            continue;
        }
        for (const QString &change : item.changes)
            out += u"# "_s + change + u'\n';
        // For reading: plain line ends.
        out += QString::fromUtf8(redactor.bytes(item.request->toText(false)))
                   .replace(u"\r\n"_s, u"\n"_s)
                   .trimmed()
            + u"\n\n"_s;
    }
    return out;
}

QString jsonShape(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        QStringList parts;
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << it.key() + u':' + jsonShape(it.value());
        return u'{' + parts.join(u',') + u'}';
    }
    case QJsonValue::Array: {
        QStringList shapes;
        for (const QJsonValue e : v.toArray())
            shapes << jsonShape(e);
        shapes.sort();
        shapes.removeDuplicates();
        return u'[' + shapes.join(u'|') + u']';
    }
    case QJsonValue::String:
        return u"s"_s;
    case QJsonValue::Double:
        return u"n"_s;
    case QJsonValue::Bool:
        return u"b"_s;
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString ReplayPair::latencyText() const
{
    return before.timeline.finished >= 0 && after.timeline.finished >= 0
        ? timeChange(latencyChangeUs)
        : u"–"_s;
}

QString ReplayPair::ttftText() const
{
    return ttftChangeUs ? timeChange(*ttftChangeUs) : u"–"_s;
}

QString ReplayPair::tokensText() const
{
    if (!tokensChange)
        return u"–"_s;
    return *tokensChange >= 0 ? u"+%1"_s.arg(*tokensChange) : u"−%1"_s.arg(-*tokensChange);
}

QString ReplayPair::modelText() const
{
    const auto shown = [](const QString &m) { return m.isEmpty() ? u"–"_s : m; };
    return before.resolvedModel == after.resolvedModel
        ? shown(after.resolvedModel)
        : shown(before.resolvedModel) + u" → "_s + shown(after.resolvedModel);
}

ReplayPair replayPair(
    const QString &label, const ComparedExchange &before, const ComparedExchange &after)
{
    ReplayPair p;
    p.label = label;
    p.before = before;
    p.after = after;
    p.comparison = compareExchanges(before, after);
    p.statusEqual = before.status == after.status;
    if (!before.json.isUndefined() && !after.json.isUndefined())
        p.schemaEqual = jsonShape(before.json) == jsonShape(after.json);
    else
        p.schemaEqual
            = before.json.isUndefined() && after.json.isUndefined() && sameParts(before, after);
    if (before.timeline.finished >= 0 && after.timeline.finished >= 0)
        p.latencyChangeUs = after.timeline.finished - before.timeline.finished;
    if (before.timeline.firstToken >= 0 && after.timeline.firstToken >= 0)
        p.ttftChangeUs = after.timeline.firstToken - before.timeline.firstToken;
    const auto tokensBefore = totalTokens(before.usage);
    const auto tokensAfter = totalTokens(after.usage);
    if (tokensBefore && tokensAfter)
        p.tokensChange = *tokensAfter - *tokensBefore;
    p.similarity = similarity(before, after, p.comparison.text);
    return p;
}

QJsonObject replayJson(const QList<ReplayPair> &pairs)
{
    QJsonArray list;
    qsizetype matched = 0;
    for (const ReplayPair &p : pairs) {
        matched += p.matches();
        const auto ms = [](std::optional<qint64> us) {
            return us ? QJsonValue(double(*us) / 1000.0) : QJsonValue(QJsonValue::Null);
        };
        list.append(QJsonObject {
            { u"label"_s, p.label },
            { u"matches"_s, p.matches() },
            { u"statusBefore"_s, p.before.status },
            { u"statusAfter"_s, p.after.status },
            { u"statusEqual"_s, p.statusEqual },
            { u"schemaEqual"_s, p.schemaEqual },
            { u"resolvedModelBefore"_s, p.before.resolvedModel },
            { u"resolvedModelAfter"_s, p.after.resolvedModel },
            { u"latencyChangeMs"_s, double(p.latencyChangeUs) / 1000.0 },
            { u"ttftChangeMs"_s, ms(p.ttftChangeUs) },
            { u"tokensChange"_s,
                p.tokensChange ? QJsonValue(*p.tokensChange) : QJsonValue(QJsonValue::Null) },
            { u"similarity"_s, p.similarity },
            { u"comparison"_s, comparisonJson(p.comparison) },
        });
    }
    return QJsonObject { { u"pairs"_s, list }, { u"total"_s, qint64(pairs.size()) },
        { u"matched"_s, matched } };
}

QByteArray replayJUnit(const QList<ReplayPair> &pairs, const QString &suite)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QXmlStreamWriter xml(&buffer);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    const qsizetype failures
        = std::ranges::count_if(pairs, [](const ReplayPair &p) { return !p.matches(); });
    xml.writeStartElement(u"testsuites"_s);
    xml.writeStartElement(u"testsuite"_s);
    xml.writeAttribute(u"name"_s, suite);
    xml.writeAttribute(u"tests"_s, QString::number(pairs.size()));
    xml.writeAttribute(u"failures"_s, QString::number(failures));
    for (const ReplayPair &p : pairs) {
        xml.writeStartElement(u"testcase"_s);
        xml.writeAttribute(u"classname"_s, u"replay"_s);
        xml.writeAttribute(u"name"_s, p.label);
        xml.writeAttribute(u"time"_s,
            QString::number(double(std::max<qint64>(0, p.after.timeline.finished)) / 1e6, 'f', 3));
        if (!p.matches()) {
            QStringList why;
            if (!p.statusEqual)
                why << u"status %1 → %2"_s.arg(p.before.status).arg(p.after.status);
            if (!p.schemaEqual)
                why << u"the answer's shape changed"_s;
            xml.writeStartElement(u"failure"_s);
            xml.writeAttribute(u"message"_s, why.join(u"; "_s));
            xml.writeCharacters(comparisonMarkdown(p.comparison));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    return buffer.data();
}

ReplayRun::ReplayRun(QList<ReplayItem> items, QNetworkAccessManager *network,
    ExchangeOptions options, int concurrency, QObject *parent)
    : QObject(parent)
    , m_items(std::move(items))
    , m_network(network)
    , m_options(std::move(options))
    , m_concurrency(std::max(1, concurrency))
{ }

ReplayRun::~ReplayRun()
{
    // Exchanges still on the wire go with the run, without a word.
    for (Exchange *e : std::as_const(m_exchanges))
        e->disconnect(this);
}

QList<HistoryEntry> ReplayRun::sentInOrder() const
{
    QList<qsizetype> order(m_sent.size());
    std::iota(order.begin(), order.end(), 0);
    std::ranges::sort(order, {}, [this](qsizetype k) { return m_pairs[k].first; });
    QList<HistoryEntry> out;
    for (const qsizetype k : std::as_const(order))
        out << m_sent[k];
    return out;
}

void ReplayRun::start()
{
    next();
}

void ReplayRun::cancel()
{
    m_canceled = true;
    const QList<Exchange *> running = m_exchanges;
    for (Exchange *e : running)
        e->cancel();
    next();
}

void ReplayRun::next()
{
    while (!m_canceled && m_running < m_concurrency && m_next < m_items.size()) {
        const qsizetype index = m_next++;
        const ReplayItem &item = m_items[index];
        if (!item.request)
            continue;
        auto *exchange = new Exchange(m_network, m_options, this);
        m_exchanges << exchange;
        ++m_running;
        connect(exchange, &Exchange::finished, this, [this, exchange, index] {
            m_exchanges.removeOne(exchange);
            --m_running;
            exchange->deleteLater();
            if (exchange->error().kind != ExchangeError::Kind::Canceled) {
                const ReplayItem &done = m_items[index];
                const HistoryEntry entry = historyEntry(exchange->snapshot(), done.model);
                ComparedExchange after = comparedExchange(entry);
                after.label = u"replay of "_s + done.label;
                ComparedExchange before = comparedExchange(done.original);
                before.label = done.label;
                m_sent << entry;
                m_pairs.append({ index, replayPair(done.label, before, after) });
                Q_EMIT pairReady(index, m_pairs.last().second);
            }
            next();
        });
        exchange->start(*item.request);
    }
    if (!m_finished && m_running == 0 && (m_canceled || m_next >= m_items.size())) {
        m_finished = true;
        Q_EMIT finished();
    }
}

} // namespace gs::core
