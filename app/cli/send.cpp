#include "commands.h"
#include "core/interop/har.h"
#include "core/model/validation.h"
#include "core/net/exchange.h"
#include "core/net/waterfall.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "report.h"
#include "requestfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSaveFile>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace gs::core;
using namespace gs::demo;

namespace gs::cli {

namespace {

QStringList redactedUrls(const QStringList &urls, const Redactor &redactor)
{
    QStringList out;
    for (const QString &url : urls)
        out << redactor.url(url);
    return out;
}

QString ms(qint64 micros)
{
    return QString::number(double(micros) / 1000.0, 'f', 1) + u" ms"_s;
}

// Prints the answer as it grows: reasoning set apart, then the answer.
class LivePrinter
{
public:
    LivePrinter(QTextStream &out, bool colour)
        : m_out(out)
        , m_colour(colour)
    { }

    void update(const AssembledResponse &a)
    {
        if (a.choices.isEmpty())
            return;
        const AssembledChoice &c = a.choices.first();
        if (c.reasoning.size() > m_reasoning) {
            if (m_reasoning == 0)
                m_out << (m_colour ? "\x1b[2m[reasoning] " : "[reasoning] ");
            else if (m_colour && m_inAnswer)
                m_out << "\x1b[2m";
            m_out << terminalSafe(c.reasoning.sliced(m_reasoning));
            m_reasoning = c.reasoning.size();
            m_inAnswer = false;
        }
        if (c.text.size() > m_text) {
            if (m_text == 0 || !m_inAnswer) {
                if (m_colour && m_reasoning > 0)
                    m_out << "\x1b[0m";
                if (m_reasoning > 0)
                    m_out << "\n\n";
            }
            m_out << terminalSafe(c.text.sliced(m_text));
            m_text = c.text.size();
            m_inAnswer = true;
        }
        m_out.flush();
    }

    void finish(const AssembledResponse &a)
    {
        update(a);
        if (m_colour && m_reasoning > 0 && !m_inAnswer)
            m_out << "\x1b[0m";
        for (const ToolCall &t : a.toolCalls())
            m_out << "\n[tool call] " << t.name << '(' << t.arguments << ')';
        if (!a.refusal().isEmpty())
            m_out << "\n[refusal] " << a.refusal();
        if (m_text > 0 || m_reasoning > 0 || !a.toolCalls().isEmpty() || !a.refusal().isEmpty())
            m_out << '\n';
        m_out.flush();
    }

private:
    QTextStream &m_out;
    bool m_colour;
    qsizetype m_reasoning = 0;
    qsizetype m_text = 0;
    bool m_inAnswer = false;
};

QJsonObject timelineJson(const Timeline &t)
{
    const auto at = [](qint64 micros) {
        return micros < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(micros) / 1000.0);
    };
    QJsonArray gaps;
    for (qsizetype i = 1; i < t.tokenTimes.size() && i <= 100'000; ++i)
        gaps.append(double(t.tokenTimes[i] - t.tokenTimes[i - 1]) / 1000.0);
    return QJsonObject {
        { u"connectingMs"_s, at(t.connecting) },
        { u"encryptedMs"_s, at(t.encrypted) },
        { u"requestSentMs"_s, at(t.requestSent) },
        { u"headersMs"_s, at(t.headers) },
        { u"firstByteMs"_s, at(t.firstByte) },
        { u"firstEventMs"_s, at(t.firstEvent) },
        { u"ttftMs"_s, at(t.firstToken) },
        { u"finishedMs"_s, at(t.finished) },
        { u"connectionReused"_s, t.connectionReused },
        { u"tokens"_s, qint64(t.tokenTimes.size()) },
        { u"interTokenGapsMs"_s, gaps },
        { u"bytes"_s, t.bytes },
        { u"events"_s, t.events },
    };
}

// The client's phases as a text waterfall, with the server's own stages placed (by
// inference) inside the wait for the status line.
void printTimeline(
    QTextStream &out, const Timeline &t, const QList<ServerTimingMetric> &serverTiming)
{
    const Waterfall w = Waterfall::build(t, serverTiming);
    const double end = std::max(w.endMs, 0.001);
    constexpr int kWidth = 40;
    for (const WaterfallBar &bar : w.bars) {
        QString cells(kWidth, u' ');
        if (bar.measured) {
            const int a = int(bar.startMs / end * kWidth);
            const int b
                = std::max(a + 1, int(std::lround((bar.startMs + bar.durationMs) / end * kWidth)));
            for (int i = std::clamp(a, 0, kWidth); i < std::min(b, kWidth); ++i)
                cells[i] = bar.kind == WaterfallBar::Kind::ServerStage ? u'=' : u'#';
        }
        const bool server = bar.kind == WaterfallBar::Kind::ServerStage;
        QString note = bar.description;
        if (server)
            note = (bar.envelope ? u"envelope, inferred"_s : u"inferred"_s)
                + (note.isEmpty() ? QString() : u"; "_s + note);
        const QString label = (server ? u"  server:"_s : QString()) + bar.label;
        out << "  " << label.leftJustified(24) << ' '
            << (bar.measured ? QString::number(bar.durationMs, 'f', 1) + u" ms"_s : u"-"_s)
                   .rightJustified(10)
            << " |" << cells << "| " << note << '\n';
    }
    if (!serverTiming.isEmpty())
        out << "  (server stages: placed one after another from the moment the request was sent; "
               "the header carries no start times)\n";
    if (w.serverExceedsWait)
        out << "  (the server reports more time than the client waited for the status line: the "
               "placement cannot be right)\n";
}

// The report after the answer: status, models, the inspect report, the timeline.
void printSendReport(QTextStream &out, const Exchange &exchange, const ResponseReport &report,
    const GatewayRequest &request, const Redactor &redactor)
{
    const Timeline &t = exchange.timeline();
    const ExchangeError &error = exchange.error();
    const qint64 tokens = t.tokenTimes.size();
    const double streamSeconds = t.firstToken >= 0 && t.finished > t.firstToken
        ? double(t.finished - t.firstToken) / 1e6
        : 0;
    if (error.kind != ExchangeError::Kind::None)
        out << "Transport error: " << redactor.message(error.message) << " ("
            << redactor.message(error.detail) << ")\n";
    if (report.response.status > 0) {
        out << "Requested model: " << (request.model.isEmpty() ? u"(none)"_s : request.model)
            << '\n';
        if (!report.info.resolvedModel.isEmpty() && report.info.resolvedModel != request.model)
            out << "                 rerouted to " << report.info.resolvedModel << '\n';
        printReport(out, report, PrintOptions { false });
    }
    out << "\nTiming (client, monotonic clock):\n";
    printTimeline(out, t, report.info.serverTiming);
    if (t.firstToken >= 0)
        out << "  TTFT " << ms(t.firstToken - (t.requestSent >= 0 ? t.requestSent : 0))
            << " after the request was sent";
    if (tokens > 1 && streamSeconds > 0)
        out << ", " << QString::number(double(tokens - 1) / streamSeconds, 'f', 1)
            << " token events/s";
    if (t.firstToken >= 0)
        out << '\n';
    printNotes(out, exchange.notes());
    for (const QString &redirect : exchange.redirects())
        out << "redirected to " << redactor.url(redirect) << '\n';
    for (const QString &problem : exchange.tlsProblems())
        out << "TLS: " << problem << '\n';
}

} // namespace

int runSend(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sends the request a .http file describes, prints the answer as it streams, "
        "then what the gateway did: status, resolved model, applied configurations, timing."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const RequestOptions options;
    options.addTo(parser);
    const QCommandLineOption demoOption(u"demo"_s,
        u"Send to the embedded demo gateway (its URL and token replace the request's)."_s);
    const QCommandLineOption maxTimeOption(
        u"max-time"_s, u"Client-side deadline for the whole exchange."_s, u"SECONDS"_s);
    const QCommandLineOption jsonOption(
        u"json"_s, u"Print one JSON report at the end, and nothing else on stdout."_s);
    const QCommandLineOption rawOption(
        u"raw"_s, u"Print the body's bytes as they arrive instead of the assembled answer."_s);
    const QCommandLineOption insecureOption(u"insecure"_s,
        u"Accept certificate problems (self-hosted gateways); they are still reported."_s);
    const QCommandLineOption idleOption(u"idle-timeout"_s,
        u"Give up when nothing arrives for this long (default 300)."_s, u"SECONDS"_s, u"300"_s);
    const QCommandLineOption forceStreamOption(u"force-stream"_s,
        u"Decode the body as server-sent events whatever its Content-Type says."_s);
    const QCommandLineOption harOption(u"har"_s,
        u"Also write the exchange as an HTTP Archive (HAR 1.2) to FILE (credentials masked)."_s,
        u"FILE"_s);
    const QCommandLineOption seedOption(
        u"seed"_s, u"With --demo: the demo gateway's seed."_s, u"S"_s, u"1"_s);
    parser.addOptions({ demoOption, maxTimeOption, idleOption, jsonOption, rawOption,
        insecureOption, forceStreamOption, harOption, seedOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli send: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"send"_s);
        return kOk;
    }
    const bool json = parser.isSet(jsonOption);
    if (json && parser.isSet(rawOption)) {
        err << "gatescope-cli send: --json and --raw both decide what goes to standard output; "
               "choose one\n";
        return kFailure;
    }
    bool seedOk = false;
    const quint64 seed = parser.value(seedOption).toULongLong(&seedOk);
    if (!seedOk) {
        err << "gatescope-cli send: --seed takes a non-negative integer; got \""
            << quotedForMessage(parser.value(seedOption)) << "\"\n";
        return kFailure;
    }
    double maxTime = 0;
    if (parser.isSet(maxTimeOption)) {
        const auto value = secondsOption(parser, maxTimeOption);
        if (!value) {
            err << "gatescope-cli send: " << value.error().message << '\n';
            return kFailure;
        }
        maxTime = *value;
    }
    const auto idle = secondsOption(parser, idleOption, true);
    if (!idle) {
        err << "gatescope-cli send: " << idle.error().message << '\n';
        return kFailure;
    }
    auto loaded = loadRequest(parser, options, u"send"_s);
    if (!loaded) {
        err << loaded.error().message << '\n';
        return exitCodeFor(loaded.error());
    }
    loaded->printNotes(err);
    GatewayRequest *request = &loaded->request;
    const Redactor redactor = loaded->redactor();

    std::unique_ptr<DemoGateway> demo;
    if (parser.isSet(demoOption)) {
        demo = std::make_unique<DemoGateway>(seed);
        const auto url = demo->listen();
        if (!url) {
            err << "gatescope-cli send: " << url.error().message << '\n';
            return kFailure;
        }
        request->baseUrl = *url;
        request->bearerToken = QString::fromLatin1(kDemoToken);
    }

    const QList<Issue> issues = validate(*request);
    printIssues(err, issues, json ? IssueFilter::ErrorsOnly : IssueFilter::All);
    if (hasErrors(issues)) {
        err << "gatescope-cli send: nothing was sent.\n";
        return kInvalid;
    }
    const WireRequest wire = compose(*request);
    auto opened = openReportFile(parser, harOption, u"send"_s);
    if (!opened) {
        err << opened.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> har = std::move(*opened);

    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    ExchangeOptions exchangeOptions;
    exchangeOptions.deadlineMs = qint64(maxTime * 1000);
    exchangeOptions.idleTimeoutMs = qint64(*idle * 1000);
    exchangeOptions.allowInsecureTls = parser.isSet(insecureOption);
    // The report uses a stream's events and answer, never its raw bytes (--raw prints
    // them as they arrive): keeping a copy would only cost time, unless a HAR wants it.
    exchangeOptions.keepStreamBody = parser.isSet(harOption);
    exchangeOptions.forceStream = parser.isSet(forceStreamOption);
    Exchange exchange(&network, exchangeOptions);

#ifdef Q_OS_WIN
    const bool terminal = ::_isatty(::_fileno(stdout)) != 0;
#else
    const bool terminal = ::isatty(STDOUT_FILENO) != 0;
#endif
    const bool colour = !json && terminal && qEnvironmentVariableIsEmpty("NO_COLOR");
    LivePrinter live(out, colour);
    // A closed standard output (| head) stops the exchange at once, with one line.
    bool brokenPipe = false;
    const auto checkOutput = [&] {
        if (!brokenPipe && out.status() != QTextStream::Ok) {
            brokenPipe = true;
            exchange.cancel();
        }
    };
    // --json: the events are written as they arrive (never all held), then the rest.
    std::optional<JsonEventsWriter> jsonWriter;
    if (json) {
        jsonWriter.emplace(out, false, redactor);
        QObject::connect(
            &exchange, &Exchange::eventsArrived, &exchange, [&](const QList<SseEvent> &batch) {
                for (const SseEvent &e : batch)
                    jsonWriter->add(e);
                checkOutput();
            });
    } else if (parser.isSet(rawOption)) {
        QObject::connect(&exchange, &Exchange::dataArrived, &exchange,
            [&out, &checkOutput](const QByteArray &chunk) {
                out << QString::fromUtf8(chunk);
                out.flush();
                checkOutput();
            });
    } else {
        err << "> " << QString::fromUtf8(wire.method) << ' ' << redactor.url(wire.url) << '\n';
        err.flush();
        QObject::connect(&exchange, &Exchange::progress, &exchange, [&] {
            live.update(exchange.assembled());
            checkOutput();
        });
    }
    // Ctrl+C or SIGTERM: stop, and report what arrived.
    Interrupts interrupts;
    QObject::connect(
        &interrupts, &Interrupts::interrupted, &exchange, [&exchange] { exchange.cancel(); });
    QObject::connect(&exchange, &Exchange::finished, &exchange, [] { QCoreApplication::quit(); });
    exchange.start(wire);
    if (!exchange.isFinished())
        QCoreApplication::exec();
    if (brokenPipe) {
        err << "gatescope-cli send: standard output was closed; the exchange was stopped.\n";
        return kBrokenPipe;
    }

    ResponseReport report;
    report.response.httpVersion = exchange.httpVersion();
    report.response.status = exchange.status();
    report.response.reason = exchange.reason();
    report.response.headers = exchange.responseHeaders();
    report.info = GatewayResponseInfo::fromHeaders(exchange.responseHeaders());
    report.body.framing = exchange.framing();
    report.body.assembled = exchange.assembled();
    report.body.unterminatedEvent = exchange.unterminatedEvent();
    report.bodyBytes = exchange.timeline().bytes;
    report.eventCount = exchange.timeline().events;
    if (report.body.framing == BodyFraming::Json || report.body.framing == BodyFraming::Other)
        report.response.body = exchange.body();
    const Timeline &t = exchange.timeline();
    const ExchangeError &error = exchange.error();

    if (json) {
        QJsonObject doc = reportJson(report);
        doc.insert(u"interrupted"_s, interrupts.happened());
        doc.insert(u"requestedModel"_s, request->model);
        doc.insert(u"timeline"_s, timelineJson(t));
        if (error.kind != ExchangeError::Kind::None) {
            doc.insert(u"transportError"_s,
                QJsonObject { { u"message"_s, redactor.message(error.message) },
                    { u"detail"_s, redactor.message(error.detail) } });
        }
        if (!exchange.redirects().isEmpty())
            doc.insert(u"redirects"_s,
                QJsonArray::fromStringList(redactedUrls(exchange.redirects(), redactor)));
        if (!exchange.tlsProblems().isEmpty())
            doc.insert(u"tlsProblems"_s, QJsonArray::fromStringList(exchange.tlsProblems()));
        jsonWriter->finish(doc);
    } else {
        if (!parser.isSet(rawOption))
            live.finish(exchange.assembled());
        out << '\n';
        // The report names what the gateway echoed (metadata, headers): it is written
        // whole, then masked, so that no secret the request used comes back out.
        QString reportText;
        QTextStream reportStream(&reportText);
        printSendReport(reportStream, exchange, report, *request, redactor);
        reportStream.flush();
        out << terminalSafe(redactor.text(reportText));
    }
    out.flush();
    if (har) {
        const auto written
            = writeHar(*har, { harEntry(exchange.snapshot()) }, false, loaded->secrets.values());
        if (!written || !har->commit()) {
            err << "gatescope-cli send: cannot write " << har->fileName() << ": "
                << (written ? har->errorString() : written.error().message) << '\n';
            return kFailure;
        }
    }
    if (interrupts.happened()) {
        err << "gatescope-cli send: interrupted; the report above has what arrived.\n";
        return kInterrupted;
    }
    return error.kind == ExchangeError::Kind::None ? kOk : kTransport;
}

} // namespace gs::cli
