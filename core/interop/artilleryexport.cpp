#include "core/interop/artilleryexport.h"

#include "core/model/redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

// A YAML double-quoted scalar: JSON's string escapes are YAML's.
QString yamlString(const QString &s)
{
    const QByteArray json = QJsonDocument(QJsonArray { s }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString envReference(const QString &name)
{
    return u"{{ $processEnvironment."_s + name + u" }}"_s;
}

// An environment variable name for a credential: x-api-key -> X_API_KEY.
QString variableFor(const QString &name)
{
    QString out = name.toUpper();
    for (QChar &c : out)
        if (!c.isLetterOrNumber())
            c = u'_';
    return out;
}

// The URL with credentials in its query read from the environment, userinfo masked.
QString urlWithoutSecrets(const QString &url, QStringList &variables)
{
    const QString masked = maskUserinfo(url);
    QString out;
    qsizetype from = 0;
    for (const QueryParameter &p : credentialParameters(masked)) {
        const QString name = QUrl::fromPercentEncoding(p.name.toUtf8());
        variables << variableFor(name);
        out += masked.mid(from, p.valueStart - from) + envReference(variableFor(name));
        from = p.valueStart + p.value.size();
    }
    return out + masked.mid(from);
}

QString seconds(qint64 ms)
{
    return QString::number(std::max<qint64>(1, (ms + 999) / 1000));
}

// Artillery's name for a latency percentile of the whole response, or empty.
QString responseTimeMetric(double percentile)
{
    if (percentile == 100)
        return u"max"_s;
    if (percentile == 0)
        return u"min"_s;
    if (percentile == 50)
        return u"median"_s;
    for (const double p : { 75.0, 90.0, 95.0, 99.0 })
        if (percentile == p)
            return u"p"_s + QString::number(p);
    if (percentile == 99.9)
        return u"p999"_s;
    return {};
}

} // namespace

Result<QString> exportArtillery(const QList<WireRequest> &requests, const QStringList &names,
    const ArtilleryPacing &pacing, const QList<LoadExpectation> &expectations,
    const QStringList &secrets, QStringList *notes)
{
    QStringList ignored;
    QStringList &said = notes ? *notes : ignored;
    if (requests.isEmpty())
        return fail(Error::Kind::Usage, u"there is no request to export"_s);
    for (const WireRequest &w : requests)
        if (!w.bodyFiles.isEmpty())
            return fail(Error::Kind::Usage,
                u"a body with files (an upload) cannot go into an Artillery scenario"_s);
    if ((pacing.count > 0) == (pacing.durationMs > 0))
        return fail(Error::Kind::Usage, u"give either -n COUNT or --duration TIME"_s);
    if (pacing.durationMs > 0 && pacing.ratePerSecond <= 0)
        return fail(Error::Kind::Usage,
            u"Artillery paces a run by arrivals: give --rate with --duration"_s);

    const auto perPass = qint64(requests.size());
    QString yaml;
    QTextStream y(&yaml);
    y << "# Written by gatescope-cli export artillery: the load run's requests and pacing.\n"
         "# Run it with: TFY_API_KEY=... npx artillery run THIS_FILE.yml\n";
    const QUrl first(requests.first().url);
    const QString origin = first
                               .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                                   | QUrl::RemoveUserInfo)
                               .toString();
    QString phases;
    QString loop; // empty: each virtual user sends the requests once
    if (pacing.ratePerSecond > 0) {
        // Open model: users arrive at the rate; each sends the requests in turn.
        const double rate = pacing.ratePerSecond / double(perPass);
        if (pacing.rampMs > 0)
            phases
                += u"    - name: ramp\n      duration: %1\n      arrivalRate: 1\n      rampTo: %2\n"_s
                       .arg(seconds(pacing.rampMs))
                       .arg(rate);
        if (pacing.count > 0) {
            const qint64 users = (pacing.count + perPass - 1) / perPass;
            if (users * perPass != pacing.count)
                said << u"Artillery sends the %1 requests in whole passes: %2 requests"_s
                            .arg(perPass)
                            .arg(users * perPass);
            phases += u"    - name: load\n      duration: %1\n      arrivalCount: %2\n"_s
                          .arg(seconds(qint64(std::ceil(double(users) / rate * 1000))))
                          .arg(users);
        } else {
            phases += u"    - name: load\n      duration: %1\n      arrivalRate: %2\n"_s
                          .arg(seconds(pacing.durationMs))
                          .arg(rate);
        }
        phases += u"      maxVusers: %1\n"_s.arg(pacing.concurrency);
    } else {
        // Closed model: as many users as the concurrency, each looping.
        const qint64 users
            = std::min<qint64>(pacing.concurrency, (pacing.count + perPass - 1) / perPass);
        const qint64 loops = (pacing.count + users * perPass - 1) / (users * perPass);
        if (users * loops * perPass != pacing.count)
            said << u"Artillery's users each loop the same number of times: %1 users x %2 loops x "
                    "%3 requests = %4 requests"_s.arg(users)
                        .arg(loops)
                        .arg(perPass)
                        .arg(users * loops * perPass);
        if (pacing.rampMs > 0)
            said << u"Artillery's users all start at once; the ramp is left out"_s;
        phases += u"    - name: load\n      duration: 1\n      arrivalCount: %1\n"_s.arg(users);
        loop = QString::number(loops);
    }
    y << "config:\n  target: " << yamlString(origin) << "\n  http:\n    timeout: 300\n"
      << "  phases:\n"
      << phases;

    QStringList thresholds;
    QStringList comments;
    for (const LoadExpectation &e : expectations) {
        const QString metric = e.metric == LoadExpectation::Metric::Total
                && (e.op == LoadExpectation::Op::Less || e.op == LoadExpectation::Op::LessOrEqual)
                && e.group.isEmpty()
            ? responseTimeMetric(e.percentile)
            : QString();
        if (metric.isEmpty()) {
            comments << e.text;
            continue;
        }
        thresholds << u"      - http.response_time.%1: %2\n"_s.arg(metric).arg(e.bound / 1000.0);
    }
    if (!thresholds.isEmpty())
        y << "  plugins:\n    ensure: {}\n  ensure:\n    thresholds:\n"
          << thresholds.join(QString());
    for (const QString &c : std::as_const(comments))
        y << "  # not checked by Artillery (gatescope-cli load checks it): " << c << '\n';

    QStringList variables { u"TFY_API_KEY"_s };
    y << "scenarios:\n  - name: " << yamlString(names.join(u", "_s)) << "\n    flow:\n";
    QString indent = u"      "_s;
    if (!loop.isEmpty()) {
        y << "      - loop:\n";
        indent = u"          "_s;
    }
    for (const WireRequest &w : requests) {
        const QUrl url(w.url);
        QString target = urlWithoutSecrets(w.url, variables);
        const QString prefix = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery
                                      | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                                   .toString();
        if (prefix == origin) {
            // Relative to the target: the path and query.
            const qsizetype authority = schemeEnd(target);
            const qsizetype path = authority < 0 ? -1 : target.indexOf(u'/', authority);
            target = path < 0 ? u"/"_s : target.mid(path);
        }
        const QString method = QString::fromLatin1(w.method).toLower();
        const bool known = QStringList { u"get"_s, u"post"_s, u"put"_s, u"patch"_s, u"delete"_s,
            u"head"_s, u"options"_s }
                               .contains(method);
        if (!known)
            return fail(Error::Kind::Usage,
                u"Artillery has no %1 requests"_s.arg(QString::fromLatin1(w.method)));
        y << indent << "- " << method << ":\n";
        const QString in = indent + u"    "_s;
        y << in << "url: " << yamlString(target) << '\n';
        y << in << "headers:\n";
        for (const HttpHeader &h : w.headers) {
            if (headerNameEquals(h.name, "host") || headerNameEquals(h.name, "content-length"))
                continue;
            const QString name = QString::fromLatin1(h.name);
            QString value = QString::fromUtf8(h.value);
            if (headerNameEquals(h.name, "authorization") && h.value.startsWith("Bearer ")) {
                value = u"Bearer "_s + envReference(u"TFY_API_KEY"_s);
            } else if (isSecretHeader(h.name)) {
                variables << variableFor(name);
                value = envReference(variableFor(name));
            }
            y << in << "  " << yamlString(name) << ": " << yamlString(value) << '\n';
        }
        if (!w.body.isEmpty()) {
            if (w.body.contains("{{"))
                said << u"the body of %1 holds \"{{\", which Artillery reads as a template"_s.arg(
                    names.value(requests.indexOf(w)));
            y << in << "body: " << yamlString(QString::fromUtf8(w.body)) << '\n';
        }
    }
    if (!loop.isEmpty())
        y << "        count: " << loop << '\n';
    variables.removeDuplicates();
    y.flush();
    said << u"the scenario reads %1 from the environment"_s.arg(variables.join(u", "_s));
    return Redactor(secrets).text(yaml);
}

} // namespace gs::core
