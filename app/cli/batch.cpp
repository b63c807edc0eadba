#include "commands.h"
#include "core/batch/batchjob.h"
#include "core/httpfile/httpfile.h"
#include "core/model/redaction.h"
#include "core/model/validation.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "requestfile.h"
#include "tls.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSaveFile>
#include <QTextStream>

#include <iostream>
#include <string>

using namespace Qt::StringLiterals;
using namespace gs::core;
using namespace gs::demo;

namespace gs::cli {

namespace {

QString bytesText(qint64 bytes)
{
    if (bytes < 1024)
        return u"%1 B"_s.arg(bytes);
    if (bytes < 1024 * 1024)
        return u"%1 KiB"_s.arg(double(bytes) / 1024, 0, 'f', 1);
    return u"%1 MiB"_s.arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

QString secondsText(qint64 ms)
{
    return QString::number(double(ms) / 1000, 'f', 1) + u" s"_s;
}

QString countsText(const BatchStatusChange &c)
{
    if (c.total == 0)
        return {};
    QString text = u"%1/%2 done"_s.arg(c.completed + c.failed).arg(c.total);
    if (c.failed > 0)
        text += u", %1 failed"_s.arg(c.failed);
    return text;
}

QJsonObject rowJson(const BatchResultRow &r)
{
    return QJsonObject { { u"custom_id"_s, r.customId }, { u"line"_s, qint64(r.line) },
        { u"status_code"_s, r.statusCode > 0 ? QJsonValue(r.statusCode) : QJsonValue() },
        { u"error"_s, r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error) },
        { u"result"_s, r.result.isEmpty() ? QJsonValue() : QJsonValue(r.result) } };
}

struct Totals
{
    qsizetype succeeded = 0;
    qsizetype failed = 0;
    qsizetype missing = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
};

Totals totalsOf(const BatchJob &job)
{
    Totals t;
    for (const BatchResultRow &r : job.results()) {
        if (r.statusCode == 0 && r.error.isEmpty())
            ++t.missing;
        else if (r.succeeded())
            ++t.succeeded;
        else
            ++t.failed;
        t.promptTokens += std::max<qint64>(0, r.promptTokens);
        t.completionTokens += std::max<qint64>(0, r.completionTokens);
    }
    return t;
}

QJsonObject summaryJson(const BatchJob &job)
{
    const Totals t = totalsOf(job);
    QJsonArray history;
    for (const BatchStatusChange &c : job.history())
        history.append(QJsonObject { { u"at_ms"_s, c.atMs }, { u"status"_s, c.status },
            { u"total"_s, c.total }, { u"completed"_s, c.completed }, { u"failed"_s, c.failed } });
    QJsonArray failures;
    for (const BatchResultRow &r : job.results()) {
        if (failures.size() >= 100)
            break;
        if (!r.succeeded() && (r.statusCode > 0 || !r.error.isEmpty()))
            failures.append(
                QJsonObject { { u"custom_id"_s, r.customId }, { u"line"_s, qint64(r.line) },
                    { u"status_code"_s, r.statusCode }, { u"error"_s, r.error } });
    }
    return QJsonObject { { u"outcome"_s, BatchJob::outcomeName(job.outcome()) },
        { u"message"_s, job.message() }, { u"file_id"_s, job.fileId() },
        { u"batch_id"_s, job.batchId() }, { u"status"_s, job.status() },
        { u"elapsed_ms"_s, job.elapsedMs() }, { u"requests"_s, qint64(job.results().size()) },
        { u"succeeded"_s, qint64(t.succeeded) }, { u"failed"_s, qint64(t.failed) },
        { u"without_result"_s, qint64(t.missing) }, { u"prompt_tokens"_s, t.promptTokens },
        { u"completion_tokens"_s, t.completionTokens }, { u"history"_s, history },
        { u"failures"_s, failures }, { u"lint_problems"_s, batchLintProblemsJson(job.lint()) } };
}

void printSummary(QTextStream &out, const BatchJob &job)
{
    const Totals t = totalsOf(job);
    out << job.batchId() << ' ' << job.status() << " in " << secondsText(job.elapsedMs()) << ": "
        << job.results().size() << " requests, " << t.succeeded << " succeeded, " << t.failed
        << " failed";
    if (t.missing > 0)
        out << ", " << t.missing << " without a result";
    out << '\n';
    if (t.promptTokens + t.completionTokens > 0)
        out << "  tokens: " << t.promptTokens << " prompt, " << t.completionTokens
            << " completion\n";
    int shown = 0;
    for (const BatchResultRow &r : job.results()) {
        if (r.succeeded() || (r.statusCode == 0 && r.error.isEmpty()))
            continue;
        if (shown == 0)
            out << "  failed:\n";
        if (++shown > 20) {
            out << "    and " << (t.failed - 20) << " more (--out FILE has them all)\n";
            break;
        }
        out << "    line " << r.line << "  " << r.customId << "  " << r.statusCode << "  "
            << quotedForMessage(r.error, 200) << '\n';
    }
    for (const QString &e : job.orphanErrors())
        out << "  gateway error: " << quotedForMessage(e, 300) << '\n';
}

int exitCodeOf(const BatchJob &job, bool interrupted)
{
    if (interrupted)
        return kInterrupted;
    switch (job.outcome()) {
    case BatchJob::Outcome::Created:
        return kOk;
    case BatchJob::Outcome::Completed:
        return totalsOf(job).failed + totalsOf(job).missing == 0 ? kOk : kTestsFailed;
    case BatchJob::Outcome::BatchFailed:
    case BatchJob::Outcome::Cancelled:
    case BatchJob::Outcome::Expired:
        return kTestsFailed;
    case BatchJob::Outcome::LintFailed:
        return kInvalid;
    case BatchJob::Outcome::Refused:
    case BatchJob::Outcome::TransportFailed:
        return kTransport;
    case BatchJob::Outcome::Aborted:
    case BatchJob::Outcome::None:
        break;
    }
    return kInterrupted;
}

} // namespace

int runBatch(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs a batch end to end: checks FILE.jsonl (as lint-batch does), uploads it "
        "(POST /files), creates the batch (POST /batches) and, with --wait, polls it "
        "(waiting longer while nothing changes), downloads the output and error files and "
        "joins them with the input by custom_id. The gateway is the environment's baseUrl "
        "and token (http-client.env.json in the file's folder or above), or --demo. "
        "Ctrl+C asks whether to cancel the batch on the gateway (on a terminal; "
        "otherwise --cancel-on-interrupt decides)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE.jsonl"_s, u"The batch input file."_s);
    RequestOptions requestOptions;
    parser.addOptions({ requestOptions.env, requestOptions.var });
    const QCommandLineOption demoOption(
        u"demo"_s, u"Run it on the embedded demo gateway (its URL and token)."_s);
    const QCommandLineOption seedOption(
        u"seed"_s, u"With --demo: the demo gateway's seed."_s, u"S"_s, u"1"_s);
    const QCommandLineOption providerOption(u"provider"_s,
        u"x-tfy-provider-name: the provider account that runs the batch (required by the "
        "gateway; the environment's providerName otherwise)."_s,
        u"NAME"_s);
    const QCommandLineOption headerOption(u"header"_s,
        u"Another header for every call, e.g. x-tfy-vertex-region: us-central1 "
        "(repeatable)."_s,
        u"NAME: VALUE"_s);
    const QCommandLineOption endpointOption(u"endpoint"_s,
        u"The endpoint every line calls (default /v1/chat/completions)."_s, u"PATH"_s,
        u"/v1/chat/completions"_s);
    const QCommandLineOption minLinesOption(u"min-lines"_s,
        u"The fewest requests the provider takes (default 100 for a Bedrock account, else 1)."_s,
        u"N"_s);
    const QCommandLineOption waitOption(
        u"wait"_s, u"Wait for the batch to end and fetch its results."_s);
    const QCommandLineOption outOption(u"out"_s,
        u"With --wait: write each request's result, joined by custom_id, as JSONL."_s, u"FILE"_s);
    const QCommandLineOption pollMaxOption(u"poll-max"_s,
        u"The longest wait between polls, in seconds (default 30)."_s, u"SECONDS"_s, u"30"_s);
    const QCommandLineOption cancelOption(u"cancel-on-interrupt"_s,
        u"When not on a terminal: Ctrl+C or SIGTERM cancels the batch on the gateway "
        "(otherwise it runs on)."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print a JSON summary for scripts."_s);
    parser.addOptions({ demoOption, seedOption, providerOption, headerOption, endpointOption,
        minLinesOption, waitOption, outOption, pollMaxOption, cancelOption, jsonOption });
    TlsOptions tlsOptions;
    tlsOptions.addTo(parser);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli batch: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"batch"_s);
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli batch: expected one FILE.jsonl\n";
        return kFailure;
    }
    const QString path = parser.positionalArguments().first();
    if (!QFileInfo(path).isFile()) {
        err << "gatescope-cli batch: " << path << " is not a file\n";
        return kFailure;
    }
    if (parser.isSet(outOption) && !parser.isSet(waitOption)) {
        err << "gatescope-cli batch: --out needs --wait (results exist once the batch ends)\n";
        return kFailure;
    }
    bool ok = false;
    const double pollMax = parser.value(pollMaxOption).toDouble(&ok);
    if (!ok || pollMax < 1 || pollMax > 3600) {
        err << "gatescope-cli batch: --poll-max takes 1 to 3600 seconds\n";
        return kFailure;
    }

    // The gateway: the environment's baseUrl, token and providerName, --var over them.
    const QString directory = HttpEnvironments::directoryFor(path);
    const auto environments = HttpEnvironments::loadFromDirectory(directory);
    if (!environments) {
        err << "gatescope-cli batch: " << environments.error().message << '\n';
        return kFailure;
    }
    Variables variables;
    if (parser.isSet(requestOptions.env)) {
        const auto env = environments->variables(parser.value(requestOptions.env));
        if (!env) {
            err << "gatescope-cli batch: " << env.error().message << '\n';
            return kFailure;
        }
        variables = *env;
    }
    const auto overrides = variableOverrides(parser, requestOptions, u"batch"_s);
    if (!overrides) {
        err << overrides.error().message << '\n';
        return kFailure;
    }
    variables.insert(*overrides);
    const auto valueOf = [&](const QString &name) {
        return substituteVariables(variables.value(name), variables);
    };
    QString baseUrl = valueOf(u"baseUrl"_s);
    QString token = valueOf(u"token"_s);
    QString provider
        = parser.isSet(providerOption) ? parser.value(providerOption) : valueOf(u"providerName"_s);

    std::unique_ptr<DemoGateway> demo;
    if (parser.isSet(demoOption)) {
        demo = std::make_unique<DemoGateway>(parser.value(seedOption).toULongLong());
        const auto url = demo->listen();
        if (!url) {
            err << "gatescope-cli batch: " << url.error().message << '\n';
            return kFailure;
        }
        baseUrl = *url;
        token = QString::fromLatin1(kDemoToken);
        if (provider.isEmpty())
            provider = u"openai-main"_s;
    }
    if (baseUrl.isEmpty()) {
        err << "gatescope-cli batch: no gateway: name an environment with baseUrl and token "
               "(--env NAME), pass --var baseUrl=URL --var token=TOKEN, or use --demo\n";
        return kFailure;
    }

    // Every call's headers, read and checked as the gateway model types them.
    HttpHeaders extra;
    for (const QString &header : parser.values(headerOption)) {
        const qsizetype colon = header.indexOf(u':');
        if (colon <= 0) {
            err << "gatescope-cli batch: --header expects \"Name: value\", got \"" << header
                << "\"\n";
            return kFailure;
        }
        extra.append(HttpHeader {
            header.left(colon).trimmed().toUtf8(), header.mid(colon + 1).trimmed().toUtf8() });
    }
    const BatchGateway gateway = batchGateway(baseUrl, token, provider, extra);
    const Redactor redactor(QStringList { token });
    for (const Issue &i : gateway.issues)
        err << (i.severity == Issue::Severity::Error ? "error: " : "warning: ") << i.field << ": "
            << redactor.message(i.message) << '\n';
    if (hasErrors(gateway.issues)) {
        err << "gatescope-cli batch: nothing was sent.\n";
        return kInvalid;
    }
    BatchJobSettings settings;
    settings.gateway = gateway.request;
    settings.inputPath = path;
    settings.endpoint = parser.value(endpointOption);
    settings.wait = parser.isSet(waitOption);
    settings.maxPollMs = qint64(pollMax * 1000);
    settings.minLines = minBatchLines(provider);
    if (parser.isSet(minLinesOption)) {
        settings.minLines = parser.value(minLinesOption).toLongLong(&ok);
        if (!ok || settings.minLines < 1) {
            err << "gatescope-cli batch: --min-lines takes a whole number above 0\n";
            return kFailure;
        }
    }
    const auto tlsFiles = tlsOptions.read(parser);
    if (!tlsFiles) {
        err << "gatescope-cli batch: " << tlsFiles.error().message << '\n';
        return kFailure;
    }
    const QString envName = parser.value(requestOptions.env);
    const TlsFiles environmentTls = environments->tlsFor(envName);
    if (const auto tls = applyTls(environmentTls.overriddenBy(*tlsFiles), settings.exchange);
        !tls) {
        err << "gatescope-cli batch: " << tls.error().message << '\n';
        return kFailure;
    }
    settings.exchange.idleTimeoutMs = 300'000;

    auto opened = openReportFile(parser, outOption, u"batch"_s);
    if (!opened) {
        err << opened.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> outFile = std::move(*opened);

    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    BatchJob job(&network, settings);
    const bool json = parser.isSet(jsonOption);
    const bool liveProgress = !json && isTerminal(stderr);
    QTextStream &log = err; // progress goes to stderr, the summary to stdout
    QObject::connect(&job, &BatchJob::stageChanged, &job, [&](BatchJob::Stage stage) {
        if (json)
            return;
        if (stage == BatchJob::Stage::Uploading) {
            const BatchLint &l = job.lint();
            log << "Checked " << QFileInfo(path).fileName() << ": " << l.requests
                << (l.requests == 1 ? " request" : " requests") << " to " << l.endpoint
                << (l.warnings > 0 ? u", %1 warnings"_s.arg(l.warnings) : QString()) << '\n';
        } else if (stage == BatchJob::Stage::Creating) {
            if (liveProgress)
                log << '\n';
            log << "Uploaded as " << job.fileId() << '\n';
        }
        log.flush();
    });
    QObject::connect(&job, &BatchJob::uploadProgress, &job, [&](qint64 sent, qint64 total) {
        if (!liveProgress)
            return;
        const int percent = total > 0 ? int(sent * 100 / total) : 100;
        log << "\rUploading: " << percent << "% (" << bytesText(sent) << " of " << bytesText(total)
            << ")   ";
        log.flush();
    });
    QObject::connect(&job, &BatchJob::statusChanged, &job, [&] {
        if (json)
            return;
        const BatchStatusChange &c = job.history().last();
        if (job.history().size() == 1)
            log << "Created " << job.batchId() << '\n';
        log << "  " << secondsText(c.atMs).rightJustified(8) << "  " << c.status;
        if (const QString counts = countsText(c); !counts.isEmpty())
            log << "  " << counts;
        log << '\n';
        log.flush();
    });

    QEventLoop loop;
    QObject::connect(&job, &BatchJob::finished, &loop, &QEventLoop::quit);
    Interrupts interrupts;
    bool interrupted = false;
    QObject::connect(&interrupts, &Interrupts::interrupted, &job, [&] {
        const bool running = !job.batchId().isEmpty() && job.stage() == BatchJob::Stage::Polling;
        bool cancel = parser.isSet(cancelOption);
        if (running && isTerminal(stdin)) {
            log << "\nCancel " << job.batchId() << " on the gateway? [y/N] ";
            log.flush();
            std::string answer;
            std::getline(std::cin, answer);
            cancel = !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
        }
        if (running && cancel) {
            log << "Cancelling " << job.batchId()
                << " on the gateway (Ctrl+C again leaves at once)\n";
            log.flush();
            job.cancelOnGateway();
            return;
        }
        interrupted = true;
        job.abort();
    });
    job.start();
    if (!job.isFinished())
        loop.exec();

    if (job.outcome() == BatchJob::Outcome::LintFailed)
        printBatchLint(err, QFileInfo(path).fileName(), job.lint());
    if (outFile && job.outcome() != BatchJob::Outcome::LintFailed) {
        for (const BatchResultRow &r : job.results())
            outFile->write(QJsonDocument(rowJson(r)).toJson(QJsonDocument::Compact) + '\n');
        if (!outFile->commit())
            err << "gatescope-cli batch: cannot write " << parser.value(outOption) << ": "
                << outFile->errorString() << '\n';
    }
    if (json) {
        out << QJsonDocument(summaryJson(job)).toJson(QJsonDocument::Indented);
    } else if (job.outcome() == BatchJob::Outcome::Created) {
        out << job.batchId() << " created (" << job.status() << "); --wait follows it to the end\n";
    } else if (!job.history().isEmpty() && job.stage() == BatchJob::Stage::Done
        && job.outcome() != BatchJob::Outcome::Aborted) {
        printSummary(out, job);
    }
    if (!job.message().isEmpty() && !json)
        err << "gatescope-cli batch: " << redactor.message(job.message()) << '\n';
    return exitCodeOf(job, interrupted);
}

} // namespace gs::cli
