#include "core/load/loadarchive.h"

#include "core/load/loadreport.h"
#include "core/model/redaction.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr QByteArrayView kMagic = "GSLOAD1\n";
constexpr auto kStreamVersion = QDataStream::Qt_6_4;

QJsonArray stringsJson(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList stringsOf(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue item : v.toArray())
        out << item.toString();
    return out;
}

QJsonObject requestJson(const WireRequest &r)
{
    QJsonArray headers;
    for (const HttpHeader &h : r.headers)
        headers.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
    return QJsonObject { { u"method"_s, QString::fromUtf8(r.method) }, { u"url"_s, r.url },
        { u"headers"_s, headers }, { u"body"_s, QString::fromLatin1(r.body.toBase64()) } };
}

WireRequest requestOf(const QJsonObject &o)
{
    WireRequest r;
    r.method = o.value("method"_L1).toString().toUtf8();
    r.url = o.value("url"_L1).toString();
    for (const QJsonValue h : o.value("headers"_L1).toArray())
        r.headers.append(
            { h.toArray().at(0).toString().toUtf8(), h.toArray().at(1).toString().toUtf8() });
    r.body = QByteArray::fromBase64(o.value("body"_L1).toString().toLatin1());
    return r;
}

QByteArray recordBytes(const std::vector<LoadRecord> &records)
{
    QByteArray out;
    out.reserve(qsizetype(records.size()) * 64);
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(kStreamVersion);
    for (const LoadRecord &r : records) {
        s << r.startUs << r.totalUs << r.ttftUs << r.maxGapUs << r.bytes << r.tokens << r.group
          << r.resolvedModel << r.request << r.status << r.sentUs << r.attempts << quint8(r.outcome)
          << r.fallback;
    }
    return out;
}

std::vector<LoadRecord> recordsOf(const QByteArray &bytes, qint64 count)
{
    std::vector<LoadRecord> out;
    out.reserve(size_t(std::max<qint64>(0, count)));
    QDataStream s(bytes);
    s.setVersion(kStreamVersion);
    for (qint64 i = 0; i < count && s.status() == QDataStream::Ok; ++i) {
        LoadRecord r;
        quint8 outcome = 0;
        s >> r.startUs >> r.totalUs >> r.ttftUs >> r.maxGapUs >> r.bytes >> r.tokens >> r.group
            >> r.resolvedModel >> r.request >> r.status >> r.sentUs >> r.attempts >> outcome
            >> r.fallback;
        r.outcome = LoadOutcome(std::min<quint8>(outcome, quint8(LoadOutcome::Other)));
        if (s.status() == QDataStream::Ok)
            out.push_back(r);
    }
    return out;
}

Error corrupt(const QString &why)
{
    return Error { Error::Kind::Parse, u"This load run cannot be read: %1."_s.arg(why), {} };
}

} // namespace

LoadStats LoadArchive::stats() const
{
    LoadStats s;
    for (const QString &name : groups) {
        LoadGroupStats g;
        g.name = name;
        s.groups.push_back(std::move(g));
    }
    for (const LoadRecord &r : records)
        s.add(r);
    s.started = s.finished;
    return s;
}

LoadArchive archiveOf(
    const LoadRun &run, const QList<LoadCheckResult> &checks, const QStringList &secrets)
{
    LoadArchive a;
    const Redactor redactor(secrets);
    a.report = loadRunJson(run, checks);
    const std::vector<LoadRecord> &records = run.records();
    a.keptEvery = std::max<qint64>(
        1, (qint64(records.size()) + LoadArchive::kMaxRecords - 1) / LoadArchive::kMaxRecords);
    if (a.keptEvery == 1) {
        a.records = records;
    } else {
        for (size_t i = 0; i < records.size(); i += size_t(a.keptEvery))
            a.records.push_back(records[i]);
    }
    for (size_t i = 0; i < run.stats().groups.size(); ++i)
        a.groups << run.groupName(quint32(i));
    a.names = run.names();
    for (const WireRequest &r : run.plan().requests)
        a.requests << redactor.request(r);
    a.requestNames = run.plan().names;
    a.requestedModels = run.plan().requestedModels;
    a.elapsedUs = run.elapsedUs();
    // The report's own texts (a group named after a header that echoes a secret).
    a.report = QJsonDocument::fromJson(
        redactor.bytes(QJsonDocument(a.report).toJson(QJsonDocument::Compact)))
                   .object();
    for (QString &g : a.groups)
        g = redactor.text(g);
    return a;
}

QByteArray writeLoadArchive(const LoadArchive &a)
{
    QJsonArray requests;
    for (const WireRequest &r : a.requests)
        requests.append(requestJson(r));
    const QJsonObject meta { { u"report"_s, a.report }, { u"groups"_s, stringsJson(a.groups) },
        { u"names"_s, stringsJson(a.names) }, { u"requests"_s, requests },
        { u"requestNames"_s, stringsJson(a.requestNames) },
        { u"requestedModels"_s, stringsJson(a.requestedModels) }, { u"elapsedUs"_s, a.elapsedUs },
        { u"keptEvery"_s, a.keptEvery }, { u"records"_s, qint64(a.records.size()) } };
    QByteArray out(kMagic.data(), kMagic.size());
    QDataStream s(&out, QIODevice::Append);
    s.setVersion(kStreamVersion);
    s << QJsonDocument(meta).toJson(QJsonDocument::Compact) << qCompress(recordBytes(a.records));
    return out;
}

Result<LoadArchive> readLoadArchive(const QByteArray &bytes)
{
    if (!bytes.startsWith(kMagic))
        return std::unexpected(corrupt(u"it is not a load run Gatescope wrote"_s));
    QDataStream s(bytes.sliced(kMagic.size()));
    s.setVersion(kStreamVersion);
    QByteArray json;
    QByteArray packed;
    s >> json >> packed;
    if (s.status() != QDataStream::Ok)
        return std::unexpected(corrupt(u"it was cut short"_s));
    QJsonParseError error {};
    const QJsonObject meta = QJsonDocument::fromJson(json, &error).object();
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(corrupt(error.errorString()));
    LoadArchive a;
    a.report = meta.value("report"_L1).toObject();
    a.groups = stringsOf(meta.value("groups"_L1));
    a.names = stringsOf(meta.value("names"_L1));
    for (const QJsonValue r : meta.value("requests"_L1).toArray())
        a.requests << requestOf(r.toObject());
    a.requestNames = stringsOf(meta.value("requestNames"_L1));
    a.requestedModels = stringsOf(meta.value("requestedModels"_L1));
    a.elapsedUs = meta.value("elapsedUs"_L1).toInteger();
    a.keptEvery = std::max<qint64>(1, meta.value("keptEvery"_L1).toInteger());
    const qint64 count = meta.value("records"_L1).toInteger();
    a.records = recordsOf(qUncompress(packed), count);
    if (qint64(a.records.size()) != count)
        return std::unexpected(
            corrupt(u"%1 of its %2 records are there"_s.arg(a.records.size()).arg(count)));
    for (const LoadRecord &r : a.records) {
        if (r.group >= quint32(std::max<qsizetype>(1, a.groups.size()))
            || r.request >= a.requests.size())
            return std::unexpected(corrupt(u"a record points past its lists"_s));
    }
    return a;
}

HistoryEntry loadRunHistoryEntry(const LoadArchive &a, const QDateTime &startedAt)
{
    HistoryEntry e;
    e.at = startedAt.isValid() ? startedAt : QDateTime::currentDateTimeUtc();
    e.method = kLoadRunMethod;
    const WireRequest first = a.requests.value(0);
    e.url = first.url;
    QString text;
    for (const WireRequest &r : a.requests)
        text += QString::fromUtf8(r.toText(false)) + u"\n\n"_s;
    e.requestText = text.trimmed();
    e.requestedModel = a.requestedModels.value(0);
    const LoadStats stats = a.stats();
    QStringList split;
    for (const LoadGroupStats &g : stats.groups) {
        if (g.count > 0 && stats.all.count > 0)
            split << u"%1 %2%"_s.arg(g.name).arg(
                100.0 * double(g.count) / double(stats.all.count), 0, 'f', 0);
    }
    e.resolvedModel = split.join(u", "_s);
    const QLocale c = QLocale::c();
    const qint64 total = a.report.value("finished"_L1).toInteger(qint64(a.records.size()));
    e.error = u"%1 requests, %2 failed"_s.arg(c.toString(total), c.toString(stats.all.failures));
    e.durationMs = a.elapsedUs / 1000;
    e.body = writeLoadArchive(a);
    e.bodyBytes = e.body.size();
    return e;
}

HistoryEntry loadRecordEntry(const LoadArchive &a, qsizetype index, const QDateTime &runStartedAt)
{
    HistoryEntry e;
    if (index < 0 || index >= qsizetype(a.records.size()))
        return e;
    const LoadRecord &r = a.records[size_t(index)];
    const WireRequest request = a.requests.value(r.request);
    e.at = runStartedAt.addMSecs(r.startUs / 1000);
    e.method = QString::fromUtf8(request.method);
    e.url = request.url;
    e.requestText = QString::fromUtf8(request.toText(false));
    e.status = r.status;
    e.requestedModel = a.requestedModels.value(r.request);
    e.resolvedModel = a.names.value(qsizetype(r.resolvedModel));
    Timeline timeline;
    timeline.requestSent = r.sentUs;
    timeline.firstToken = r.ttftUs >= 0 ? r.ttftUs + std::max<qint32>(r.sentUs, 0) : -1;
    timeline.finished = r.totalUs;
    timeline.bytes = r.bytes;
    e.timeline = timelineJson(timeline);
    e.durationMs = std::max<qint64>(0, r.totalUs / 1000);
    e.bodyBytes = 0;
    if (r.outcome != LoadOutcome::Ok && r.outcome != LoadOutcome::HttpError)
        e.error = u"Load run: %1."_s.arg(loadOutcomeName(r.outcome));
    return e;
}

} // namespace gs::core
