#include "core/load/loadrun.h"

#include "core/httpfile/expectation.h"
#include "core/stream/gatewayresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr std::chrono::milliseconds kProgressEvery { 100 };
//! While concurrency ramps up, how often it is looked at again.
constexpr std::chrono::milliseconds kRampStep { 20 };

LoadOutcome outcomeOf(const Exchange &exchange)
{
    switch (exchange.error().kind) {
    case ExchangeError::Kind::None:
        break;
    case ExchangeError::Kind::Canceled:
        return LoadOutcome::Canceled;
    case ExchangeError::Kind::ConnectionRefused:
    case ExchangeError::Kind::HostNotFound:
        return LoadOutcome::Refused;
    case ExchangeError::Kind::ConnectionReset:
        return LoadOutcome::Reset;
    case ExchangeError::Kind::Deadline:
    case ExchangeError::Kind::Timeout:
        return LoadOutcome::Timeout;
    case ExchangeError::Kind::Tls:
        return LoadOutcome::Tls;
    case ExchangeError::Kind::Protocol:
    case ExchangeError::Kind::TooManyRedirects:
        return LoadOutcome::Protocol;
    case ExchangeError::Kind::Other:
        return LoadOutcome::Other;
    }
    if (exchange.status() <= 0)
        return LoadOutcome::Other;
    if (exchange.status() >= 400)
        return LoadOutcome::HttpError;
    if (!exchange.incomplete().isEmpty())
        return LoadOutcome::Incomplete;
    return LoadOutcome::Ok;
}

qint32 outputTokens(const Exchange &exchange)
{
    const QJsonObject usage = exchange.assembled().usage.toObject();
    for (const auto key : { "completion_tokens"_L1, "output_tokens"_L1 }) {
        const QJsonValue v = usage.value(key);
        if (v.isDouble())
            return qint32(std::clamp<double>(v.toDouble(), 0, 1e9));
    }
    return qint32(std::min<qsizetype>(exchange.timeline().tokenTimes.size(), 1'000'000'000));
}

QString groupValue(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    // A number or a boolean, as JSON writes it.
    const QByteArray text = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

LoadGroupStats namedGroup(const QString &name)
{
    LoadGroupStats g;
    g.name = name;
    return g;
}

} // namespace

QString GroupBy::text() const
{
    if (source == Source::Header)
        return u"header:"_s + QString::fromLatin1(header);
    return u"json:"_s + path;
}

Result<GroupBy> GroupBy::parse(const QString &spec)
{
    GroupBy g;
    const QString s = spec.trimmed();
    if (s.startsWith("json:"_L1)) {
        g.source = Source::Json;
        g.path = s.mid(5).trimmed();
        QString error;
        jsonAtPath(QJsonObject {}, g.path, &error);
        if (g.path.isEmpty() || !error.isEmpty())
            return fail(Error::Kind::Usage,
                u"--group-by json: needs a JSON path such as $.model%1"_s.arg(
                    error.isEmpty() ? QString() : u" ("_s + error + u')'));
        return g;
    }
    const QString name = s.startsWith("header:"_L1) ? s.mid(7).trimmed() : s;
    const bool token = !name.isEmpty() && std::ranges::all_of(name, [](QChar c) {
        return c.unicode() < 128
            && (c.isLetterOrNumber() || QStringView(u"!#$%&'*+-.^_`|~").contains(c));
    });
    if (!token)
        return fail(Error::Kind::Usage,
            u"--group-by takes header:NAME or json:$.path; got \"%1\""_s.arg(spec.left(80)));
    g.header = name.toLatin1().toLower();
    return g;
}

QString loadOutcomeName(LoadOutcome outcome)
{
    switch (outcome) {
    case LoadOutcome::Ok:
        return u"ok"_s;
    case LoadOutcome::HttpError:
        return u"http"_s;
    case LoadOutcome::Incomplete:
        return u"incomplete"_s;
    case LoadOutcome::Refused:
        return u"refused"_s;
    case LoadOutcome::Reset:
        return u"reset"_s;
    case LoadOutcome::Timeout:
        return u"timeout"_s;
    case LoadOutcome::Tls:
        return u"tls"_s;
    case LoadOutcome::Protocol:
        return u"protocol"_s;
    case LoadOutcome::Canceled:
        return u"canceled"_s;
    case LoadOutcome::Other:
        return u"other"_s;
    }
    return u"other"_s;
}

void LoadGroupStats::add(const LoadRecord &r)
{
    ++count;
    if (r.outcome != LoadOutcome::Ok) {
        ++failures;
        return;
    }
    ++ok;
    fallbacks += r.fallback;
    retries += r.attempts > 1 ? r.attempts - 1 : 0;
    total.record(r.totalUs);
    if (r.ttftUs >= 0) {
        ttft.record(r.ttftUs);
        tokens += r.tokens;
        if (r.totalUs > r.ttftUs)
            tokenSeconds += double(r.totalUs - r.ttftUs) / 1e6;
    }
    if (r.maxGapUs >= 0)
        gap.record(r.maxGapUs);
}

std::optional<qint64> maxOutputTokens(const WireRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    for (const auto key : { "max_tokens"_L1, "max_completion_tokens"_L1, "max_output_tokens"_L1 }) {
        if (body.value(key).isDouble())
            return body.value(key).toInteger();
    }
    return std::nullopt;
}

qint64 LoadPlan::plannedRequests() const
{
    if (count > 0)
        return count;
    if (ratePerSecond > 0)
        return qint64(std::ceil(ratePerSecond * double(durationMs) / 1000.0));
    return -1;
}

QString LoadPlan::costStatement() const
{
    const QLocale c = QLocale::c();
    const qint64 planned = plannedRequests();
    QString text = u"this run sends "_s;
    if (count > 0)
        text += c.toString(count) + u" requests"_s;
    else if (planned >= 0)
        text += u"up to %1 requests (%2/s for %3 s)"_s.arg(c.toString(planned))
                    .arg(ratePerSecond)
                    .arg(double(durationMs) / 1000.0);
    else
        text += u"as many requests as the gateway answers in %1 s at concurrency %2"_s
                    .arg(double(durationMs) / 1000.0)
                    .arg(concurrency);
    qint64 tokensEach = 0;
    QStringList unbounded;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        if (const auto m = maxOutputTokens(requests[i]))
            tokensEach = std::max(tokensEach, *m);
        else
            unbounded << names.value(i);
    }
    if (tokensEach > 0 && planned > 0)
        text += u"; at max_tokens %1 that is up to %2 output tokens"_s.arg(c.toString(tokensEach))
                    .arg(c.toString(planned * tokensEach));
    else if (tokensEach > 0)
        text += u", each up to %1 output tokens"_s.arg(c.toString(tokensEach));
    if (!unbounded.isEmpty())
        text += u"; %1 set%2 no max_tokens, so %3 answers are bounded only by the model"_s.arg(
            unbounded.join(u", "_s), unbounded.size() == 1 ? u"s"_s : QString(),
            unbounded.size() == 1 ? u"its"_s : u"their"_s);
    return text;
}

void LoadStats::add(const LoadRecord &record)
{
    ++finished;
    ++outcomes[record.outcome];
    if (record.outcome == LoadOutcome::Canceled) {
        ++canceled;
        return;
    }
    ++statuses[record.status];
    all.add(record);
    if (record.group < groups.size())
        groups[record.group].add(record);
}

QString LoadPlan::problem() const
{
    if (requests.isEmpty())
        return u"there is no request to send"_s;
    if (requests.size() > 65535)
        return u"a load run sends at most 65,535 different requests"_s;
    if ((count > 0) == (durationMs > 0))
        return u"give either a number of requests or a duration"_s;
    if (concurrency < 1 || concurrency > 10'000)
        return u"the concurrency must be from 1 to 10,000"_s;
    if (ratePerSecond < 0 || !std::isfinite(ratePerSecond))
        return u"the rate must be a positive number of requests per second"_s;
    if (rampMs < 0)
        return u"the ramp cannot be negative"_s;
    return {};
}

LoadRun::LoadRun(QNetworkAccessManager *network, LoadPlan plan, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_plan(std::move(plan))
    , m_wake(new QTimer(this))
    , m_progress(new QTimer(this))
    , m_stop(new QTimer(this))
{
    // As many connections as exchanges in flight: Qt's default of six per host would
    // quietly cap the concurrency over HTTP/1.1.
    m_plan.exchange.connectionsPerHost
        = std::max(m_plan.exchange.connectionsPerHost, m_plan.concurrency);
    // The run keeps no body: a stream's raw bytes would only cost time.
    m_plan.exchange.keepStreamBody = false;
    m_wake->setSingleShot(true);
    connect(m_wake, &QTimer::timeout, this, &LoadRun::pump);
    m_stop->setSingleShot(true);
    connect(m_stop, &QTimer::timeout, this, [this] {
        m_stopping = true;
        m_wake->stop();
        finishIfDone();
    });
    m_progress->setInterval(kProgressEvery);
    connect(m_progress, &QTimer::timeout, this, [this] {
        if (std::exchange(m_progressDue, false))
            Q_EMIT progress();
    });
    m_stats.groups.push_back(namedGroup(kNoGroup));
    m_groupIndex.insert(kNoGroup, 0);
    m_stats.all.name = u"all"_s;
    if (m_plan.count > 0)
        m_records.reserve(std::size_t(std::min<qint64>(m_plan.count, 1'000'000)));
}

LoadRun::~LoadRun()
{
    for (auto it = m_inFlight.keyBegin(); it != m_inFlight.keyEnd(); ++it) {
        (*it)->disconnect(this);
        delete *it;
    }
}

qint64 LoadRun::elapsedUs() const
{
    if (m_endUs >= 0)
        return m_endUs;
    return m_clock.isValid() ? m_clock.nsecsElapsed() / 1000 : 0;
}

void LoadRun::start()
{
    if (m_running || m_finished)
        return;
    m_running = true;
    m_clock.start();
    if (const QString why = m_plan.problem(); !why.isEmpty()) {
        qWarning("LoadRun: %s", qPrintable(why));
        m_stopping = true;
        QMetaObject::invokeMethod(this, &LoadRun::finishIfDone, Qt::QueuedConnection);
        return;
    }
    if (m_plan.durationMs > 0)
        m_stop->start(std::chrono::milliseconds(m_plan.durationMs));
    m_progress->start();
    pump();
}

void LoadRun::cancel()
{
    if (m_finished)
        return;
    m_canceled = true;
    m_stopping = true;
    m_wake->stop();
    m_stop->stop();
    // Canceling finishes an exchange (at once or soon); each is recorded as canceled.
    const QList<Exchange *> flying = m_inFlight.keys();
    for (Exchange *e : flying)
        e->cancel();
    if (m_running)
        finishIfDone();
}

bool LoadRun::moreToStart() const
{
    if (m_stopping)
        return false;
    return m_plan.count > 0 ? m_stats.started < m_plan.count : true;
}

int LoadRun::allowedConcurrency(qint64 nowUs) const
{
    const qint64 rampUs = m_plan.rampMs * 1000;
    if (rampUs <= 0 || nowUs >= rampUs)
        return m_plan.concurrency;
    return std::max(1, int(std::ceil(double(m_plan.concurrency) * double(nowUs) / double(rampUs))));
}

qint64 LoadRun::dueUs(qint64 n) const
{
    if (m_plan.ratePerSecond <= 0)
        return 0;
    const double rate = m_plan.ratePerSecond / 1e6; // starts per microsecond
    const double ramp = double(m_plan.rampMs) * 1000;
    // Over a ramp the rate grows linearly from 0, so that by time t (< ramp)
    // rate * t^2 / (2 ramp) starts are due; after it, one every 1/rate.
    const double duringRamp = rate * ramp / 2;
    if (ramp > 0 && double(n) < duringRamp)
        return qint64(std::sqrt(2 * ramp * double(n) / rate));
    return qint64(ramp + (double(n) - (ramp > 0 ? duringRamp : 0)) / rate);
}

void LoadRun::pump()
{
    while (moreToStart()) {
        const qint64 now = elapsedUs();
        if (inFlight() >= allowedConcurrency(now)) {
            // Full; a finish pumps again. While ramping, more room comes with time.
            if (m_plan.rampMs * 1000 > now && !m_wake->isActive())
                m_wake->start(kRampStep);
            return;
        }
        const qint64 due = dueUs(m_stats.started);
        if (due > now) {
            m_wake->start(std::chrono::milliseconds((due - now + 999) / 1000));
            return;
        }
        launch();
    }
}

void LoadRun::launch()
{
    const qint64 n = m_stats.started++;
    const auto index = quint16(n % m_plan.requests.size());
    auto *exchange = new Exchange(m_network, m_plan.exchange);
    m_inFlight.insert(exchange, InFlight { elapsedUs(), index });
    connect(
        exchange, &Exchange::finished, this, [this, exchange] { onExchangeFinished(exchange); });
    exchange->start(m_plan.requests[index]);
}

void LoadRun::onExchangeFinished(Exchange *exchange)
{
    const auto it = m_inFlight.constFind(exchange);
    if (it == m_inFlight.cend())
        return;
    const InFlight flight = *it;
    m_inFlight.erase(it);
    exchange->disconnect(this);
    exchange->deleteLater();

    const LoadRecord record = recordOf(*exchange, flight);
    m_records.push_back(record);
    m_stats.add(record);
    m_progressDue = true;
    pump();
    finishIfDone();
}

LoadRecord LoadRun::recordOf(const Exchange &exchange, const InFlight &flight)
{
    LoadRecord r;
    const Timeline &t = exchange.timeline();
    r.startUs = flight.startUs;
    r.request = flight.request;
    r.totalUs = t.finished >= 0 ? t.finished : exchange.elapsedUs();
    if (t.requestSent >= 0)
        r.sentUs = qint32(std::min<qint64>(t.requestSent, std::numeric_limits<qint32>::max()));
    if (t.firstToken >= 0)
        r.ttftUs = t.firstToken - std::max<qint64>(t.requestSent, 0);
    for (qsizetype i = 1; i < t.tokenTimes.size(); ++i)
        r.maxGapUs = std::max(r.maxGapUs, t.tokenTimes[i] - t.tokenTimes[i - 1]);
    r.bytes = t.bytes;
    r.status = qint16(std::clamp(exchange.status(), 0, 999));
    r.outcome = outcomeOf(exchange);
    r.tokens = outputTokens(exchange);
    if (r.status == 0)
        return r;

    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(exchange.responseHeaders());
    r.resolvedModel = info.resolvedModel.isEmpty() ? 0 : nameIndex(info.resolvedModel);
    r.attempts = quint8(std::min<qsizetype>(info.attempts.size(), 255));
    const QJsonObject applied = info.appliedConfigurations.toObject();
    r.fallback = applied.contains("fallback"_L1)
        || (info.attempts.size() > 1
            && info.attempts.first().target != info.attempts.last().target);
    const QJsonObject balancing = applied.value("load_balancing"_L1).toObject();
    if (balancing.value("type"_L1).toString() == "latency-based-routing"_L1)
        ++m_stats.latencyRouted;
    if (balancing.contains("sticky"_L1))
        ++m_stats.stickyRouted;
    for (const QJsonValue v : balancing.value("unhealthy"_L1).toArray()) {
        const QString target = v.toString();
        if (!target.isEmpty() && !m_unhealthy.contains(target)) {
            m_unhealthy.insert(target);
            m_stats.unhealthyTargets << target;
        }
    }

    QString group;
    if (m_plan.groupBy.source == GroupBy::Source::Header) {
        group = QString::fromUtf8(headerValue(exchange.responseHeaders(), m_plan.groupBy.header));
    } else {
        const QJsonValue root = exchange.framing() == BodyFraming::Json
            ? QJsonDocument::fromJson(exchange.body()).object()
            : assembledAsJson(exchange.assembled());
        group = groupValue(jsonAtPath(root, m_plan.groupBy.path).value_or(QJsonValue()));
    }
    r.group = groupIndex(group);
    return r;
}

quint32 LoadRun::groupIndex(const QString &name)
{
    if (name.isEmpty())
        return 0;
    if (const auto it = m_groupIndex.constFind(name); it != m_groupIndex.cend())
        return *it;
    if (qsizetype(m_stats.groups.size()) >= kMaxGroups) {
        if (const auto other = m_groupIndex.constFind(kOtherGroup); other != m_groupIndex.cend())
            return *other;
        const auto index = quint32(m_stats.groups.size());
        m_stats.groups.push_back(namedGroup(kOtherGroup));
        m_groupIndex.insert(kOtherGroup, index);
        return index;
    }
    const auto index = quint32(m_stats.groups.size());
    m_stats.groups.push_back(namedGroup(name));
    m_groupIndex.insert(name, index);
    return index;
}

quint32 LoadRun::nameIndex(const QString &name)
{
    if (const auto it = m_nameIndex.constFind(name); it != m_nameIndex.cend())
        return *it;
    // Resolved models are few; a gateway that names a new one per request (it should
    // not) stops growing the table.
    if (m_names.size() > kMaxGroups)
        return 0;
    const auto index = quint32(m_names.size());
    m_names << name;
    m_nameIndex.insert(name, index);
    return index;
}

void LoadRun::finishIfDone()
{
    if (m_finished || !m_running || moreToStart() || !m_inFlight.isEmpty())
        return;
    m_endUs = elapsedUs();
    m_finished = true;
    m_running = false;
    m_wake->stop();
    m_stop->stop();
    m_progress->stop();
    Q_EMIT progress();
    Q_EMIT finished();
}

} // namespace gs::core
