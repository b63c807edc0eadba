#include "commands.h"
#include "core/batch/batchlint.h"
#include "core/httpfile/expectation.h"
#include "core/httpfile/namedresponses.h"
#include "core/model/redaction.h"
#include "core/model/validation.h"
#include "core/net/exchange.h"
#include "core/net/trust.h"
#include "core/store/collection.h"
#include "core/store/secretstore.h"
#include "core/stream/gatewayresponse.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "requestfile.h"
#include "tls.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSaveFile>
#include <QTextStream>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;
using namespace gs::core;
using namespace gs::demo;

namespace gs::cli {

namespace {

struct Check
{
    QString text;
    bool passed = false;
    QString actual;
};

struct RunResult
{
    enum class Outcome {
        Passed,
        Failed, //!< an expectation did not hold
        Error, //!< not sent (invalid, unresolved, bad directive) or the transport failed
    };
    QString file; //!< relative to the collection
    QString name;
    int line = 0;
    Outcome outcome = Outcome::Passed;
    int status = 0;
    double ms = 0;
    QList<Check> checks;
    QStringList problems;
    QStringList notes; //!< what the user should know that does not fail the request

    QString title() const
    {
        return file + u" › "_s + (name.isEmpty() ? u"line %1"_s.arg(line) : name);
    }
};

QString outcomeWord(RunResult::Outcome o)
{
    switch (o) {
    case RunResult::Outcome::Passed:
        return u"PASS"_s;
    case RunResult::Outcome::Failed:
        return u"FAIL"_s;
    case RunResult::Outcome::Error:
        break;
    }
    return u"ERROR"_s;
}

// What the exchange produced, as the expectations see it.
ExchangeFacts factsOf(const Exchange &exchange)
{
    ExchangeFacts facts;
    facts.status = exchange.status();
    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(exchange.responseHeaders());
    facts.resolvedModel
        = info.resolvedModel.isEmpty() ? exchange.assembled().model : info.resolvedModel;
    if (exchange.framing() == BodyFraming::Sse || exchange.framing() == BodyFraming::Ndjson) {
        facts.json = assembledAsJson(exchange.assembled());
    } else {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(exchange.body(), &error);
        if (error.error == QJsonParseError::NoError)
            facts.json = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    const Timeline &t = exchange.timeline();
    if (t.firstToken >= 0)
        facts.ttftMs = double(t.firstToken - std::max<qint64>(t.requestSent, 0)) / 1000.0;
    return facts;
}

void writeJUnit(QIODevice *device, const QString &suiteName, const QList<RunResult> &results,
    const QList<Error> &problems)
{
    QXmlStreamWriter xml(device);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(u"testsuites"_s);
    xml.writeAttribute(u"name"_s, suiteName);
    // One suite per file, in the order they ran.
    QStringList files;
    for (const RunResult &r : results)
        if (!files.contains(r.file))
            files << r.file;
    for (const QString &file : std::as_const(files)) {
        int failures = 0;
        int errors = 0;
        int tests = 0;
        double seconds = 0;
        for (const RunResult &r : results) {
            if (r.file != file)
                continue;
            ++tests;
            failures += r.outcome == RunResult::Outcome::Failed;
            errors += r.outcome == RunResult::Outcome::Error;
            seconds += r.ms / 1000.0;
        }
        xml.writeStartElement(u"testsuite"_s);
        xml.writeAttribute(u"name"_s, file);
        xml.writeAttribute(u"tests"_s, QString::number(tests));
        xml.writeAttribute(u"failures"_s, QString::number(failures));
        xml.writeAttribute(u"errors"_s, QString::number(errors));
        xml.writeAttribute(u"time"_s, QString::number(seconds, 'f', 3));
        for (const RunResult &r : results) {
            if (r.file != file)
                continue;
            xml.writeStartElement(u"testcase"_s);
            xml.writeAttribute(u"classname"_s, file);
            xml.writeAttribute(u"name"_s, r.name.isEmpty() ? u"line %1"_s.arg(r.line) : r.name);
            xml.writeAttribute(u"time"_s, QString::number(r.ms / 1000.0, 'f', 3));
            QStringList lines = r.problems;
            for (const Check &c : r.checks)
                if (!c.passed)
                    lines << u"expected %1, got %2"_s.arg(c.text, c.actual);
            if (r.outcome != RunResult::Outcome::Passed) {
                xml.writeStartElement(
                    r.outcome == RunResult::Outcome::Failed ? u"failure"_s : u"error"_s);
                xml.writeAttribute(u"message"_s, lines.value(0));
                xml.writeCharacters(lines.join(u'\n'));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    // Files that did not parse are errors of their own.
    if (!problems.isEmpty()) {
        xml.writeStartElement(u"testsuite"_s);
        xml.writeAttribute(u"name"_s, u"unreadable files"_s);
        xml.writeAttribute(u"tests"_s, QString::number(problems.size()));
        xml.writeAttribute(u"failures"_s, u"0"_s);
        xml.writeAttribute(u"errors"_s, QString::number(problems.size()));
        for (const Error &e : problems) {
            xml.writeStartElement(u"testcase"_s);
            xml.writeAttribute(u"classname"_s, u"collection"_s);
            xml.writeAttribute(u"name"_s, e.message.section(u':', 0, 0));
            xml.writeStartElement(u"error"_s);
            xml.writeAttribute(u"message"_s, e.message);
            xml.writeEndElement();
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
}

QJsonObject resultJson(const RunResult &r)
{
    QJsonArray checks;
    for (const Check &c : r.checks)
        checks.append(QJsonObject {
            { u"expect"_s, c.text }, { u"passed"_s, c.passed }, { u"actual"_s, c.actual } });
    return QJsonObject {
        { u"file"_s, r.file },
        { u"name"_s, r.name },
        { u"line"_s, r.line },
        { u"outcome"_s, outcomeWord(r.outcome).toLower() },
        { u"status"_s, r.status },
        { u"ms"_s, r.ms },
        { u"checks"_s, checks },
        { u"problems"_s, QJsonArray::fromStringList(r.problems) },
        { u"notes"_s, QJsonArray::fromStringList(r.notes) },
    };
}

// The collection to run and, for a single file, which of its files.
struct Target
{
    Collection collection;
    QString onlyFile; //!< relative path; empty for every file
};

std::optional<Target> openTarget(const QString &path, QTextStream &err)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        err << "gatescope-cli run: " << path << " does not exist\n";
        return std::nullopt;
    }
    // A file runs inside the collection whose environments it uses, and is the only
    // file of it that is read.
    const QString root
        = info.isDir() ? info.absoluteFilePath() : HttpEnvironments::directoryFor(path);
    const QString onlyFile = info.isDir()
        ? QString()
        : QDir(QFileInfo(root).canonicalFilePath()).relativeFilePath(info.canonicalFilePath());
    auto collection = Collection::open(root, onlyFile);
    if (!collection) {
        err << "gatescope-cli run: " << collection.error().message << '\n';
        return std::nullopt;
    }
    Target target { std::move(*collection), onlyFile };
    return target;
}

// Everything one request of the run needs besides the request itself.
struct RunContext
{
    const Collection &collection;
    QString environment;
    Variables baseVariables; //!< the collection's: defaults, $shared, environment
    Variables overrides; //!< --var
    QString demoUrl; //!< set with --demo
    SecretVault &vault;
    bool vaultWarned = false;
    Variables lastVariables; //!< what the last request was resolved with
    NamedResponses named; //!< the responses of named requests run so far, in this file
    Interrupts &interrupts;
    QNetworkAccessManager &network;
    ExchangeOptions exchangeOptions;
    QTextStream &err;
};

// The collection's variables (defaults, $shared, environment), then the file's, then
// --var; secrets from the credential store for the names still missing.
Variables variablesFor(RunContext &ctx, const CollectionFile &file)
{
    VariableLayers layers;
    layers.environment = ctx.baseVariables;
    layers.file = file.fileVariables;
    layers.overrides = ctx.overrides;
    addKeyringSecrets(
        layers, ctx.collection, ctx.environment, ctx.vault, ctx.err, &ctx.vaultWarned);
    return layers.merged();
}

RunResult runRequest(RunContext &ctx, const CollectionFile &file, const HttpFileRequest &request)
{
    RunResult result;
    result.file = file.relativePath;
    result.name = request.name;
    result.line = request.line;

    QList<Expectation> expectations;
    bool statusExpected = false;
    for (const QString &directive : request.directives) {
        if (!directive.startsWith("expect "_L1))
            continue;
        const auto e = Expectation::parse(directive.mid(7));
        if (!e) {
            result.problems << e.error().message;
            continue;
        }
        statusExpected = statusExpected || e->kind == Expectation::Kind::Status;
        expectations << *e;
    }
    if (!statusExpected)
        expectations.prepend(*Expectation::parse(u"status 2xx"_s));

    for (const auto &[line, handler] : request.responseHandlers)
        result.notes << u"line %1: the response handler \"%2\" is kept in the file but not run "
                        "(Gatescope runs no scripts; # @expect checks a response)"_s.arg(line)
                            .arg(handler.left(40));

    std::optional<GatewayRequest> gateway;
    if (result.problems.isEmpty()) {
        const QString directory = QFileInfo(file.path).absolutePath();
        ctx.lastVariables = variablesFor(ctx, file);
        // {{upload.id}}: values from the responses of named requests before this one.
        QStringList texts { request.target, request.body };
        for (const auto &[name, value] : request.headers)
            texts << value;
        texts += ctx.lastVariables.values();
        const ResponseReferences references = responseReferences(texts, ctx.named);
        for (const auto &[reference, value] : references.values.asKeyValueRange())
            if (!ctx.lastVariables.contains(reference))
                ctx.lastVariables.insert(reference, value);
        result.problems += references.problems;
    }
    if (result.problems.isEmpty()) {
        const QString directory = QFileInfo(file.path).absolutePath();
        const auto resolved = resolve(request, ctx.lastVariables, directory);
        if (!resolved)
            result.problems << resolved.error().message;
        else
            gateway = decode(*resolved);
    }
    if (gateway && !ctx.demoUrl.isEmpty()) {
        gateway->baseUrl = ctx.demoUrl;
        gateway->bearerToken = QString::fromLatin1(kDemoToken);
    }
    if (gateway) {
        for (const Issue &i : validate(*gateway) + lintBatchUpload(compose(*gateway)))
            if (i.severity == Issue::Severity::Error)
                result.problems << i.field + u": "_s + i.message;
    }
    if (!result.problems.isEmpty()) {
        result.outcome = RunResult::Outcome::Error;
        result.problems << u"not sent"_s;
    } else {
        Exchange exchange(&ctx.network, ctx.exchangeOptions);
        QEventLoop loop;
        QObject::connect(&exchange, &Exchange::finished, &loop, &QEventLoop::quit);
        QObject::connect(&ctx.interrupts, &Interrupts::interrupted, &exchange,
            [&exchange] { exchange.cancel(); });
        exchange.start(compose(*gateway));
        if (!exchange.isFinished())
            loop.exec();
        result.status = exchange.status();
        result.ms = double(exchange.timeline().finished) / 1000.0;
        const ExchangeFacts facts = factsOf(exchange);
        if (!request.name.isEmpty() && exchange.status() > 0)
            ctx.named.insert(request.name,
                NamedResponse { exchange.status(), exchange.responseHeaders(), facts.json,
                    QString::fromUtf8(exchange.body()) });
        bool allPassed = true;
        for (const Expectation &e : std::as_const(expectations)) {
            const ExpectationResult r = check(e, facts);
            result.checks << Check { e.text, r.passed, r.actual };
            allPassed = allPassed && r.passed;
        }
        if (exchange.error().kind != ExchangeError::Kind::None) {
            result.outcome = RunResult::Outcome::Error;
            result.problems << exchange.error().message;
        } else if (const QString why = exchange.incomplete(); !why.isEmpty()) {
            // Broken on the wire, though the transport did not say so.
            result.outcome = RunResult::Outcome::Error;
            result.problems << u"incomplete: "_s + why;
        } else if (!allPassed) {
            result.outcome = RunResult::Outcome::Failed;
        }
    }
    return result;
}

// What a report may say of a result: the secrets the request used are masked (the
// URL of a transport error, a header echoed in an expectation's actual value).
RunResult redacted(RunResult result, const RunContext &ctx)
{
    QStringList names = ctx.collection.settings().secrets;
    names += ctx.collection.environments().privateNames;
    const Redactor redactor(secretValues(ctx.lastVariables, names));
    for (QString &p : result.problems)
        p = redactor.message(p);
    for (Check &c : result.checks)
        c.actual = redactor.text(c.actual);
    return result;
}

void printResult(QTextStream &out, const RunResult &result)
{
    out << outcomeWord(result.outcome).leftJustified(6) << result.title();
    if (result.status > 0)
        out << "  (" << result.status << ", " << QString::number(result.ms, 'f', 0) << " ms)";
    out << '\n';
    for (const Check &c : result.checks) {
        if (c.passed && result.outcome == RunResult::Outcome::Passed)
            continue;
        if (c.passed)
            out << "      ok    expect " << c.text << " (" << c.actual << ")\n";
        else
            out << "      FAIL  expect " << c.text << ": got " << c.actual << '\n';
    }
    for (const QString &p : result.problems)
        out << "      " << p << '\n';
    for (const QString &n : result.notes)
        out << "      note: " << n << '\n';
    out.flush();
}

//! Runs the requests of \a target (only those called \a onlyName, when given) in
//! order until an interrupt, printing each result to \a out when there is one. Files
//! that cannot be read join \a problems.
QList<RunResult> runFiles(RunContext &ctx, const Target &target,
    const std::optional<QString> &onlyName, QTextStream *out, QList<Error> &problems)
{
    QList<RunResult> results;
    for (const CollectionFile &file : ctx.collection.files()) {
        if (ctx.interrupts.happened())
            break;
        if (file.isBroken() || (!target.onlyFile.isEmpty() && file.relativePath != target.onlyFile))
            continue;
        // The whole file now (the collection keeps only what lists it).
        const auto parsed = ctx.collection.load(file.relativePath);
        ctx.named.clear(); // a name refers to a response of the same file, as in httpyac
        if (!parsed) {
            ctx.err << "error: " << parsed.error().message << '\n';
            problems << parsed.error();
            continue;
        }
        for (const HttpFileRequest &request : parsed->requests()) {
            if (ctx.interrupts.happened())
                break;
            if (onlyName && request.name != *onlyName)
                continue;
            results << redacted(runRequest(ctx, file, request), ctx);
            if (out)
                printResult(*out, results.last());
        }
    }
    return results;
}

//! What a run's summary names besides the results.
struct RunSummary
{
    QString collection;
    QString environment;
    bool interrupted = false;
};

//! Prints the counts (or the JSON report); returns how many requests passed.
qsizetype printSummary(QTextStream &out, bool json, const RunSummary &run,
    const QList<RunResult> &results, const QList<Error> &problems)
{
    qsizetype passed = 0;
    qsizetype failed = 0;
    qsizetype errors = 0;
    for (const RunResult &r : results) {
        passed += r.outcome == RunResult::Outcome::Passed;
        failed += r.outcome == RunResult::Outcome::Failed;
        errors += r.outcome == RunResult::Outcome::Error;
    }
    if (json) {
        QJsonArray list;
        for (const RunResult &r : results)
            list.append(resultJson(r));
        QJsonArray unreadable;
        for (const Error &e : problems)
            unreadable.append(e.message);
        const QJsonObject doc { { u"collection"_s, run.collection },
            { u"environment"_s, run.environment }, { u"passed"_s, passed }, { u"failed"_s, failed },
            { u"errors"_s, errors }, { u"results"_s, list }, { u"unreadableFiles"_s, unreadable },
            { u"interrupted"_s, run.interrupted } };
        out << QJsonDocument(doc).toJson(QJsonDocument::Compact) << '\n';
        return passed;
    }
    out << '\n'
        << results.size() << (results.size() == 1 ? " request: " : " requests: ") << passed
        << " passed, " << failed << " failed, " << errors << " not sent or broken on the wire";
    if (!problems.isEmpty())
        out << "; " << problems.size()
            << (problems.size() == 1 ? " file does not parse" : " files do not parse");
    out << '\n';
    return passed;
}

} // namespace

int runRun(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs a collection's requests in order (every .http file below PATH, or one file) "
        "and checks the expectations written before each request:\n"
        "  # @expect status 200          (or 2xx; without one, 2xx is expected)\n"
        "  # @expect model NAME          (x-tfy-resolved-model, else the body's model)\n"
        "  # @expect json $.a.b[0] == VALUE   /   # @expect json $.a exists\n"
        "  # @expect ttft < 800ms        (or 2s)\n"
        "Exit status: 0 when every request passed, 4 when one did not."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"PATH"_s, u"A collection folder or one .http file."_s);
    const RequestOptions options;
    options.addTo(parser);
    const QCommandLineOption demoOption(u"demo"_s,
        u"Run against the embedded demo gateway (its URL and token replace each request's)."_s);
    const QCommandLineOption junitOption(
        u"junit"_s, u"Also write the results as JUnit XML to FILE."_s, u"FILE"_s);
    const QCommandLineOption jsonOption(
        u"json"_s, u"Print one JSON report at the end, and nothing else on stdout."_s);
    const QCommandLineOption maxTimeOption(u"max-time"_s,
        u"Client-side deadline for each request (default 120)."_s, u"SECONDS"_s, u"120"_s);
    const TlsOptions tlsOptions;
    tlsOptions.addTo(parser);
    parser.addOptions({ demoOption, junitOption, jsonOption, maxTimeOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli run: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"run"_s);
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli run: expected one PATH (a collection folder or a .http file)\n";
        return kFailure;
    }
    const auto maxTime = secondsOption(parser, maxTimeOption);
    if (!maxTime) {
        err << "gatescope-cli run: " << maxTime.error().message << '\n';
        return kFailure;
    }
    const auto overrides = variableOverrides(parser, options, u"run"_s);
    if (!overrides) {
        err << overrides.error().message << '\n';
        return kFailure;
    }
    auto opened = openReportFile(parser, junitOption, u"run"_s);
    if (!opened) {
        err << opened.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> junit = std::move(*opened);
    auto target = openTarget(parser.positionalArguments().first(), err);
    if (!target)
        return kFailure;
    const Collection &collection = target->collection;
    const QString environment = parser.isSet(options.env)
        ? parser.value(options.env)
        : collection.settings().defaultEnvironment;
    const auto baseVariables = collection.variables(environment);
    if (!baseVariables) {
        err << "gatescope-cli run: " << baseVariables.error().message << '\n';
        return kFailure;
    }

    QList<Error> problems;
    for (const Error &e : collection.problems())
        if (target->onlyFile.isEmpty() || e.message.startsWith(target->onlyFile + u':'))
            problems << e;
    for (const Error &e : std::as_const(problems))
        err << "error: " << e.message << '\n';

    std::unique_ptr<DemoGateway> demo;
    QString demoUrl;
    if (parser.isSet(demoOption)) {
        demo = std::make_unique<DemoGateway>();
        const auto url = demo->listen();
        if (!url) {
            err << "gatescope-cli run: " << url.error().message << '\n';
            return kFailure;
        }
        demoUrl = *url;
    }

    SecretVault vault(std::make_unique<KeychainSecretStore>());
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    Interrupts interrupts;
    RunContext ctx { collection, environment, *baseVariables, *overrides, demoUrl, vault, false, {},
        {}, interrupts, network, {}, err };
    ctx.exchangeOptions.deadlineMs = qint64(*maxTime * 1000);
    const auto tlsFiles = tlsOptions.read(parser);
    Result<void> tls;
    if (!tlsFiles)
        tls = std::unexpected(tlsFiles.error());
    else
        tls = applyTls(collection.environments().tlsFor(environment).overriddenBy(*tlsFiles),
            ctx.exchangeOptions);
    if (!tls) {
        err << "gatescope-cli run: " << tls.error().message << '\n';
        return kFailure;
    }
    const bool json = parser.isSet(jsonOption);
    const std::optional<QString> onlyName
        = parser.isSet(options.name) ? std::optional(parser.value(options.name)) : std::nullopt;
    const QList<RunResult> results
        = runFiles(ctx, *target, onlyName, json ? nullptr : &out, problems);

    const qsizetype passed = printSummary(
        out, json, { collection.name(), environment, interrupts.happened() }, results, problems);
    out.flush();
    if (results.isEmpty() && problems.isEmpty() && !interrupts.happened()) {
        err << "gatescope-cli run: no request to run"
            << (parser.isSet(options.name) ? u" named \"%1\""_s.arg(parser.value(options.name))
                                           : QString())
            << '\n';
        return kFailure;
    }
    if (junit) {
        writeJUnit(junit.get(), collection.name(), results, problems);
        if (!junit->commit()) {
            err << "gatescope-cli run: cannot write " << junit->fileName() << ": "
                << junit->errorString() << '\n';
            return kFailure;
        }
    }
    if (interrupts.happened()) {
        err << "gatescope-cli run: interrupted; the requests after it were not run.\n";
        return kInterrupted;
    }
    return passed == results.size() && problems.isEmpty() ? kOk : kTestsFailed;
}

} // namespace gs::cli
