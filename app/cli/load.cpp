#include "commands.h"
#include "core/load/loadcheck.h"
#include "core/load/loadreport.h"
#include "core/load/loadrun.h"
#include "core/model/validation.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "report.h"
#include "requestfile.h"
#include "tls.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>
#include <QXmlStreamWriter>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;
using namespace gs::demo;

namespace gs::cli {

namespace {

//! The options of load beyond those of the request file.
struct LoadOptions
{
    QCommandLineOption demo { u"demo"_s,
        u"Send to the embedded demo gateway (its URL and token replace the request's)."_s };
    QCommandLineOption seed { u"seed"_s, u"With --demo: the demo gateway's seed."_s, u"S"_s,
        u"1"_s };
    QCommandLineOption count { { u"n"_s, u"count"_s }, u"Send COUNT requests in all."_s,
        u"COUNT"_s };
    QCommandLineOption duration { u"duration"_s,
        u"Start requests for this long instead (30s, 2m); those in flight then finish."_s,
        u"TIME"_s };
    QCommandLineOption concurrency { { u"c"_s, u"concurrency"_s },
        u"Requests in flight at once (default 8)."_s, u"C"_s, u"8"_s };
    QCommandLineOption rate { u"rate"_s, u"Start at most R requests per second."_s, u"R"_s };
    QCommandLineOption ramp { u"ramp"_s,
        u"Grow concurrency and rate from nothing to theirs over this long (10s)."_s, u"TIME"_s };
    QCommandLineOption groupBy { u"group-by"_s,
        u"Group answers by header:NAME or json:$.path (default header:x-tfy-resolved-model)."_s,
        u"SPEC"_s, u"header:x-tfy-resolved-model"_s };
    QCommandLineOption expectSplit { u"expect-split"_s,
        u"Check the groups' shares: a=70,b=30 (chi-square goodness of fit, or --tolerance)."_s,
        u"SPLIT"_s };
    QCommandLineOption tolerance { u"tolerance"_s,
        u"With --expect-split: pass when every share is within this many percentage points."_s,
        u"POINTS"_s };
    QCommandLineOption expect { u"expect"_s,
        u"A threshold, such as 'p99(ttft) < 800ms', 'error_rate < 1%' or 'rps >= 50' "
        "(repeatable)."_s,
        u"CHECK"_s };
    QCommandLineOption json { u"json"_s,
        u"Print one JSON report at the end, and nothing else on stdout."_s };
    QCommandLineOption junit { u"junit"_s, u"Also write the checks as JUnit XML to FILE."_s,
        u"FILE"_s };
    QCommandLineOption csv { u"csv"_s,
        u"Also write one line per exchange to FILE (CSV), for your own analysis."_s, u"FILE"_s };
    QCommandLineOption maxTime { u"max-time"_s,
        u"Client-side deadline for each exchange (default: none)."_s, u"SECONDS"_s };
    QCommandLineOption idle { u"idle-timeout"_s,
        u"Give an exchange up when nothing arrives for this long (default 60)."_s, u"SECONDS"_s,
        u"60"_s };
    TlsOptions tls;

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({ demo, seed, count, duration, concurrency, rate, ramp, groupBy,
            expectSplit, tolerance, expect, json, junit, csv, maxTime, idle });
        tls.addTo(parser);
    }
};

//! What load was asked to do, its options read and checked together.
struct LoadSettings
{
    bool demo = false;
    quint64 seed = 1;
    bool json = false;
    LoadPlan plan;
    QList<std::pair<QString, double>> split;
    double tolerance = -1;
    QList<LoadExpectation> expectations;
    TlsFiles tls;
};

Result<LoadSettings> readSettings(const QCommandLineParser &parser, const LoadOptions &o)
{
    const auto refuse
        = [](const QString &why) -> Result<LoadSettings> { return fail(Error::Kind::Usage, why); };
    LoadSettings s;
    s.demo = parser.isSet(o.demo);
    s.json = parser.isSet(o.json);
    bool ok = false;
    s.seed = parser.value(o.seed).toULongLong(&ok);
    if (!ok)
        return refuse(u"--seed takes a non-negative integer"_s);
    if (parser.isSet(o.count) == parser.isSet(o.duration))
        return refuse(u"give either -n COUNT or --duration TIME"_s);
    if (parser.isSet(o.count)) {
        s.plan.count = parser.value(o.count).toLongLong(&ok);
        if (!ok || s.plan.count < 1 || s.plan.count > 10'000'000)
            return refuse(u"-n takes a number of requests from 1 to 10,000,000"_s);
    } else {
        const auto d = durationMsOption(u"--duration"_s, parser.value(o.duration));
        if (!d)
            return std::unexpected(d.error());
        s.plan.durationMs = *d;
    }
    s.plan.concurrency = parser.value(o.concurrency).toInt(&ok);
    if (!ok || s.plan.concurrency < 1 || s.plan.concurrency > 10'000)
        return refuse(u"-c takes a number of requests in flight from 1 to 10,000"_s);
    if (parser.isSet(o.rate)) {
        s.plan.ratePerSecond = parser.value(o.rate).toDouble(&ok);
        if (!ok || !std::isfinite(s.plan.ratePerSecond) || s.plan.ratePerSecond <= 0
            || s.plan.ratePerSecond > 1e6)
            return refuse(u"--rate takes a number of requests per second above 0"_s);
    }
    if (parser.isSet(o.ramp)) {
        const auto d = durationMsOption(u"--ramp"_s, parser.value(o.ramp));
        if (!d)
            return std::unexpected(d.error());
        s.plan.rampMs = *d;
    }
    const auto group = GroupBy::parse(parser.value(o.groupBy));
    if (!group)
        return std::unexpected(group.error());
    s.plan.groupBy = *group;
    if (parser.isSet(o.expectSplit)) {
        const auto split = parseSplit(parser.value(o.expectSplit));
        if (!split)
            return std::unexpected(split.error());
        s.split = *split;
    }
    if (parser.isSet(o.tolerance)) {
        if (!parser.isSet(o.expectSplit))
            return refuse(u"--tolerance applies to --expect-split, which is not given"_s);
        s.tolerance = parser.value(o.tolerance).toDouble(&ok);
        if (!ok || !std::isfinite(s.tolerance) || s.tolerance < 0 || s.tolerance > 100)
            return refuse(u"--tolerance takes percentage points from 0 to 100"_s);
    }
    for (const QString &text : parser.values(o.expect)) {
        const auto e = LoadExpectation::parse(text);
        if (!e)
            return std::unexpected(e.error());
        s.expectations << *e;
    }
    if (parser.isSet(o.maxTime)) {
        const auto value = secondsOption(parser, o.maxTime);
        if (!value)
            return std::unexpected(value.error());
        s.plan.exchange.deadlineMs = qint64(*value * 1000);
    }
    const auto idleSeconds = secondsOption(parser, o.idle, true);
    if (!idleSeconds)
        return std::unexpected(idleSeconds.error());
    s.plan.exchange.idleTimeoutMs = qint64(*idleSeconds * 1000);
    const auto files = o.tls.read(parser);
    if (!files)
        return std::unexpected(files.error());
    s.tls = *files;
    return s;
}

QString percentCell(double share)
{
    return QString::number(share * 100, 'f', 1) + u'%';
}

QString msCell(const LatencyHistogram &h, double percentile)
{
    if (h.count() == 0)
        return u"-"_s;
    return QString::number(double(h.valueAt(percentile)) / 1000.0, 'f', 1);
}

//! The line a terminal shows while the run goes: done/total, rate, errors, TTFT, split.
QString liveLine(const LoadRun &run)
{
    const LoadStats &s = run.stats();
    const double seconds = double(run.elapsedUs()) / 1e6;
    QString line = run.plan().count > 0 ? u"%1/%2"_s.arg(s.finished).arg(run.plan().count)
                                        : u"%1 done, %2 s of %3"_s.arg(s.finished)
                                              .arg(seconds, 0, 'f', 0)
                                              .arg(double(run.plan().durationMs) / 1000.0);
    line += u"  %1/s  errors %2"_s.arg(seconds > 0 ? double(s.finished) / seconds : 0, 0, 'f', 1)
                .arg(s.failures());
    const LatencyHistogram &ttft = s.all.ttft.count() ? s.all.ttft : s.all.total;
    if (ttft.count())
        line += u"  %1 p50 %2 p99 %3 ms"_s.arg(
            s.all.ttft.count() ? u"ttft"_s : u"total"_s, msCell(ttft, 50), msCell(ttft, 99));
    QStringList split;
    for (const LoadGroupStats &g : s.groups)
        if (g.ok > 0 && split.size() < 4)
            split << g.name.section(u'/', -1) + u' ' + percentCell(double(g.ok) / double(s.all.ok));
    if (!split.isEmpty())
        line += u"  "_s + split.join(u' ');
    return line;
}

void printTable(QTextStream &out, const LoadRun &run)
{
    const LoadStats &s = run.stats();
    const double seconds = double(run.elapsedUs()) / 1e6;
    out << "Load run: " << s.all.count << " requests"
        << (s.canceled ? u" (%1 canceled)"_s.arg(s.canceled) : QString()) << " in "
        << QString::number(seconds, 'f', 2) << " s, concurrency " << run.plan().concurrency << ", "
        << QString::number(seconds > 0 ? double(s.all.count) / seconds : 0, 'f', 1) << " requests/s"
        << (run.wasCanceled() ? u", interrupted"_s : QString()) << '\n';
    QStringList statuses;
    for (const auto &[status, n] : s.statuses)
        statuses << (status ? QString::number(status) : u"none"_s) + u" x"_s + QString::number(n);
    QStringList outcomes;
    for (const auto &[outcome, n] : s.outcomes)
        outcomes << loadOutcomeName(outcome) + u" x"_s + QString::number(n);
    out << "Statuses: " << (statuses.isEmpty() ? u"-"_s : statuses.join(u", "_s)) << '\n';
    out << "Outcomes: " << (outcomes.isEmpty() ? u"-"_s : outcomes.join(u", "_s)) << '\n';
    out << "Grouped by " << run.plan().groupBy.text()
        << " (latencies in ms, of successful answers)\n\n";

    QList<const LoadGroupStats *> rows;
    for (const LoadGroupStats &g : s.groups)
        if (g.count > 0)
            rows << &g;
    rows << &s.all;
    qsizetype width = 5;
    for (const LoadGroupStats *g : rows)
        width = std::max(width, std::min<qsizetype>(g->name.size(), 48));
    const auto cell = [](const QString &text, int w) { return text.rightJustified(w); };
    out << u"group"_s.leftJustified(width) << cell(u"n"_s, 8) << cell(u"share"_s, 8)
        << cell(u"errors"_s, 8) << cell(u"fallbk"_s, 8) << cell(u"retries"_s, 8)
        << cell(u"ttft50"_s, 9) << cell(u"ttft90"_s, 9) << cell(u"ttft99"_s, 9)
        << cell(u"ttft99.9"_s, 9) << cell(u"ttftmax"_s, 9) << cell(u"total50"_s, 9)
        << cell(u"total99"_s, 9) << cell(u"gapmax"_s, 9) << cell(u"tok/s"_s, 8) << '\n';
    for (const LoadGroupStats *g : std::as_const(rows)) {
        const QString name = g->name.size() > 48 ? g->name.left(47) + u"…"_s : g->name;
        out << terminalSafe(name).leftJustified(width) << cell(QString::number(g->count), 8)
            << cell(s.all.ok ? percentCell(double(g->ok) / double(s.all.ok)) : u"-"_s, 8)
            << cell(QString::number(g->failures), 8) << cell(QString::number(g->fallbacks), 8)
            << cell(QString::number(g->retries), 8) << cell(msCell(g->ttft, 50), 9)
            << cell(msCell(g->ttft, 90), 9) << cell(msCell(g->ttft, 99), 9)
            << cell(msCell(g->ttft, 99.9), 9) << cell(msCell(g->ttft, 100), 9)
            << cell(msCell(g->total, 50), 9) << cell(msCell(g->total, 99), 9)
            << cell(msCell(g->gap, 100), 9)
            << cell(g->tokenSeconds > 0 ? QString::number(g->tokensPerSecond(), 'f', 0) : u"-"_s, 8)
            << '\n';
    }
}

void writeJUnit(QIODevice *device, const QString &name, const LoadRun &run,
    const QList<LoadCheckResult> &checks)
{
    QXmlStreamWriter xml(device);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(u"testsuites"_s);
    xml.writeStartElement(u"testsuite"_s);
    xml.writeAttribute(u"name"_s, u"load "_s + name);
    xml.writeAttribute(u"tests"_s, QString::number(checks.size()));
    xml.writeAttribute(u"failures"_s,
        QString::number(std::ranges::count(checks, false, &LoadCheckResult::passed)));
    xml.writeAttribute(u"errors"_s, u"0"_s);
    xml.writeAttribute(u"time"_s, QString::number(double(run.elapsedUs()) / 1e6, 'f', 3));
    for (const LoadCheckResult &c : checks) {
        xml.writeStartElement(u"testcase"_s);
        xml.writeAttribute(u"classname"_s, u"load "_s + name);
        xml.writeAttribute(u"name"_s, c.text);
        if (!c.passed) {
            xml.writeStartElement(u"failure"_s);
            xml.writeAttribute(u"message"_s, u"expected %1, got %2"_s.arg(c.text, c.actual));
            xml.writeCharacters((QStringList { c.actual } + c.warnings).join(u'\n'));
            xml.writeEndElement();
        } else {
            xml.writeTextElement(
                u"system-out"_s, (QStringList { c.actual } + c.warnings).join(u'\n'));
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
}

} // namespace

int runLoad(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sends a request (or every request of a .http file, in turn) many times, at a "
        "concurrency and rate, and reports per group (the resolved model by default) the "
        "counts, shares, errors and latency percentiles, with checks that pass or fail."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const RequestOptions requestOptions;
    requestOptions.addTo(parser);
    const LoadOptions options;
    options.addTo(parser);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli load: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"load"_s);
        return kOk;
    }
    auto settings = readSettings(parser, options);
    if (!settings) {
        err << "gatescope-cli load: " << settings.error().message << '\n';
        return kFailure;
    }
    auto loaded = loadRequests(parser, requestOptions, u"load"_s);
    if (!loaded) {
        err << loaded.error().message << '\n';
        return exitCodeFor(loaded.error());
    }
    if (loaded->size() > 1000) {
        err << "gatescope-cli load: the file has " << loaded->size()
            << " requests; a load run sends at most 1,000 different ones\n";
        return kFailure;
    }
    loaded->first().printNotes(err);

    std::unique_ptr<DemoGateway> demo;
    if (settings->demo) {
        demo = std::make_unique<DemoGateway>(settings->seed);
        const auto url = demo->listen();
        if (!url) {
            err << "gatescope-cli load: " << url.error().message << '\n';
            return kFailure;
        }
        for (LoadedRequest &l : *loaded) {
            l.request.baseUrl = *url;
            l.request.bearerToken = QString::fromLatin1(kDemoToken);
        }
    }
    LoadPlan &plan = settings->plan;
    bool invalid = false;
    QStringList secrets;
    for (const LoadedRequest &l : std::as_const(*loaded)) {
        const QString name
            = l.source.name.isEmpty() ? u"line %1"_s.arg(l.source.line) : l.source.name;
        const QList<Issue> issues = validate(l.request);
        if (hasErrors(issues))
            err << "request " << name << ":\n";
        printIssues(err, issues, IssueFilter::ErrorsOnly);
        invalid = invalid || hasErrors(issues);
        plan.requests << compose(l.request);
        plan.names << name;
        plan.requestedModels << l.request.model;
        secrets += l.secrets.values();
    }
    if (invalid) {
        err << "gatescope-cli load: nothing was sent.\n";
        return kInvalid;
    }
    if (const auto tls = applyTls(loaded->first().tls.overriddenBy(settings->tls), plan.exchange);
        !tls) {
        err << "gatescope-cli load: " << tls.error().message << '\n';
        return kFailure;
    }
    auto openedJunit = openReportFile(parser, options.junit, u"load"_s);
    if (!openedJunit) {
        err << openedJunit.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> junit = std::move(*openedJunit);
    auto openedCsv = openReportFile(parser, options.csv, u"load"_s);
    if (!openedCsv) {
        err << openedCsv.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> csv = std::move(*openedCsv);

    if (!demo)
        err << "cost: " << plan.costStatement() << ".\n";
    err.flush();

    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    LoadRun run(&network, plan);
    const bool live = !settings->json && isTerminal(stderr);
    if (live) {
        QObject::connect(&run, &LoadRun::progress, &run, [&err, &run] {
            err << '\r' << liveLine(run).leftJustified(100).left(140) << "\x1b[K";
            err.flush();
        });
    }
    Interrupts interrupts;
    QObject::connect(&interrupts, &Interrupts::interrupted, &run, [&run] { run.cancel(); });
    QObject::connect(&run, &LoadRun::finished, &run, [] { QCoreApplication::quit(); });
    run.start();
    if (!run.isFinished())
        QCoreApplication::exec();
    if (live)
        err << '\r' << "\x1b[K";

    QList<LoadCheckResult> checks;
    if (!settings->split.isEmpty())
        checks << evaluateSplit(settings->split, run.stats(), settings->tolerance);
    for (const LoadExpectation &e : std::as_const(settings->expectations))
        checks << evaluate(e, run.stats(), run.elapsedUs());
    const bool nothingSucceeded = run.stats().all.ok == 0;
    const bool passed = !nothingSucceeded && std::ranges::all_of(checks, &LoadCheckResult::passed);
    const Redactor redactor(secrets);

    if (settings->json) {
        QJsonObject doc = loadRunJson(run, checks);
        doc.insert(u"passed"_s, passed);
        out << redactor.text(QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)));
    } else {
        QString text;
        QTextStream stream(&text);
        printTable(stream, run);
        if (!checks.isEmpty())
            stream << '\n';
        for (const LoadCheckResult &c : std::as_const(checks)) {
            stream << (c.passed ? "PASS  " : "FAIL  ") << c.text << "  (" << c.actual << ")\n";
            for (const QString &w : c.warnings)
                stream << "      warning: " << w << '\n';
        }
        const QStringList warnings = runWarnings(run.stats());
        if (!warnings.isEmpty())
            stream << '\n';
        for (const QString &w : warnings)
            stream << "warning: " << w << '\n';
        stream << '\n';
        if (nothingSucceeded)
            stream << "FAIL: no request got a successful answer\n";
        else if (checks.isEmpty())
            stream << "Done: no check was asked for (--expect-split, --expect)\n";
        else if (passed)
            stream << "PASS: " << checks.size() << " of " << checks.size() << " checks passed\n";
        else
            stream << "FAIL: " << std::ranges::count(checks, false, &LoadCheckResult::passed)
                   << " of " << checks.size() << " checks failed\n";
        stream.flush();
        out << terminalSafe(redactor.text(text));
    }
    out.flush();
    // A group may be a header the gateway echoed (metadata): the files are masked like
    // the report.
    const auto writeMasked = [&redactor](QSaveFile &file, const QByteArray &bytes) {
        const QByteArray masked = redactor.text(QString::fromUtf8(bytes)).toUtf8();
        return file.write(masked) == masked.size() && file.commit();
    };
    if (csv) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        if (!writeLoadCsv(buffer, run) || !writeMasked(*csv, buffer.data())) {
            err << "gatescope-cli load: cannot write " << csv->fileName() << ": "
                << csv->errorString() << '\n';
            return kFailure;
        }
    }
    if (junit) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        writeJUnit(&buffer, plan.names.join(u", "_s), run, checks);
        if (!writeMasked(*junit, buffer.data())) {
            err << "gatescope-cli load: cannot write " << junit->fileName() << ": "
                << junit->errorString() << '\n';
            return kFailure;
        }
    }
    if (interrupts.happened()) {
        err << "gatescope-cli load: interrupted; the report above has what finished.\n";
        return kInterrupted;
    }
    return passed ? kOk : kTestsFailed;
}

} // namespace gs::cli
