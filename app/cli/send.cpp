#include "commands.h"
#include "core/batch/batchlint.h"
#include "core/interop/har.h"
#include "core/model/validation.h"
#include "core/net/exchange.h"
#include "core/net/trust.h"
#include "core/net/waterfall.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "report.h"
#include "requestfile.h"
#include "tls.h"

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
void printTimeline(QTextStream &out, const Timeline &t,
    const QList<ServerTimingMetric> &serverTiming, const QList<GatewayAttempt> &attempts)
{
    const Waterfall w = Waterfall::build(t, serverTiming, attempts);
    const double end = std::max(w.endMs, 0.001);
    constexpr int kWidth = 40;
    for (const WaterfallBar &bar : w.bars) {
        QString cells(kWidth, u' ');
        if (bar.measured) {
            const int a = int(bar.startMs / end * kWidth);
            const int b
                = std::max(a + 1, int(std::lround((bar.startMs + bar.durationMs) / end * kWidth)));
            for (int i = std::clamp(a, 0, kWidth); i < std::min(b, kWidth); ++i)
                cells[i] = bar.inferred ? u'=' : u'#';
        }
        const bool server = Waterfall::isGatewaySide(bar.kind);
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
    if (attempts.size() > 1)
        out << "  (attempts: the gateway's retries and fallback from x-tfy-applied-configurations, "
               "placed one after another; it reports no start times)\n";
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
    printTimeline(out, t, report.info.serverTiming, report.info.attempts);
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
    // The chain the gateway presented, as a user checks it.
    for (const QSslCertificate &c : exchange.peerCertificates()) {
        const CertificateSummary s = summarize(c);
        out << "TLS certificate: " << s.title() << ", issued by " << s.issuer << ", valid "
            << s.notBefore.toUTC().toString(Qt::ISODate) << " to "
            << s.notAfter.toUTC().toString(Qt::ISODate);
        if (!s.names.isEmpty())
            out << ", for " << s.names.join(u", "_s);
        out << "\n                 SHA-256 " << s.sha256 << '\n';
        if (const QString soon = expiryWarning(c, QDateTime::currentDateTimeUtc()); !soon.isEmpty())
            out << "TLS warning: the certificate " << soon << '\n';
    }
}

//! What send was asked to do, its options read and checked together.
struct SendSettings
{
    bool demo = false;
    quint64 seed = 1;
    bool json = false;
    bool raw = false;
    ExchangeOptions exchange;
    TlsFiles tls; //!< the command line's; over the environment's
};

//! The options of send beyond those of the request file.
struct SendOptions
{
    QCommandLineOption demo { u"demo"_s,
        u"Send to the embedded demo gateway (its URL and token replace the request's)."_s };
    QCommandLineOption maxTime { u"max-time"_s, u"Client-side deadline for the whole exchange."_s,
        u"SECONDS"_s };
    QCommandLineOption idle { u"idle-timeout"_s,
        u"Give up when nothing arrives for this long (default 300)."_s, u"SECONDS"_s, u"300"_s };
    QCommandLineOption json { u"json"_s,
        u"Print one JSON report at the end, and nothing else on stdout."_s };
    QCommandLineOption raw { u"raw"_s,
        u"Print the body's bytes as they arrive instead of the assembled answer."_s };
    QCommandLineOption forceStream { u"force-stream"_s,
        u"Decode the body as server-sent events whatever its Content-Type says."_s };
    QCommandLineOption har { u"har"_s,
        u"Also write the exchange as an HTTP Archive (HAR 1.2) to FILE (credentials masked)."_s,
        u"FILE"_s };
    QCommandLineOption seed { u"seed"_s, u"With --demo: the demo gateway's seed."_s, u"S"_s,
        u"1"_s };
    QCommandLineOption output { u"output"_s,
        u"Also save the response body's bytes to FILE (a picture, a sound, any body)."_s,
        u"FILE"_s };
    TlsOptions tls;

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({ demo, maxTime, idle, json, raw, forceStream, har, seed, output });
        tls.addTo(parser);
    }

    //! The settings, or what is wrong with the options.
    Result<SendSettings> read(const QCommandLineParser &parser) const
    {
        const auto refuse = [](const QString &why) -> Result<SendSettings> {
            return std::unexpected(Error { Error::Kind::Usage, why, {} });
        };
        SendSettings s;
        s.demo = parser.isSet(demo);
        s.json = parser.isSet(json);
        s.raw = parser.isSet(raw);
        if (s.json && s.raw)
            return refuse(u"--json and --raw both decide what goes to standard output; choose "
                          "one"_s);
        bool seedOk = false;
        s.seed = parser.value(seed).toULongLong(&seedOk);
        if (!seedOk)
            return refuse(u"--seed takes a non-negative integer; got \"%1\""_s.arg(
                quotedForMessage(parser.value(seed))));
        if (parser.isSet(maxTime)) {
            const auto value = secondsOption(parser, maxTime);
            if (!value)
                return refuse(value.error().message);
            s.exchange.deadlineMs = qint64(*value * 1000);
        }
        const auto idleSeconds = secondsOption(parser, idle, true);
        if (!idleSeconds)
            return refuse(idleSeconds.error().message);
        s.exchange.idleTimeoutMs = qint64(*idleSeconds * 1000);
        const auto files = tls.read(parser);
        if (!files)
            return refuse(files.error().message);
        s.tls = *files;
        // The report uses a stream's events and answer, never its raw bytes (--raw
        // prints them as they arrive): keeping a copy would only cost time, unless a HAR
        // wants it.
        s.exchange.keepStreamBody = parser.isSet(har) || parser.isSet(output);
        s.exchange.forceStream = parser.isSet(forceStream);
        return s;
    }
};

//! What the exchange came to, for the report.
ResponseReport reportOf(const Exchange &exchange)
{
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
    return report;
}

//! What send writes to standard output while the exchange runs and after it: the
//! answer as it grows (or the raw bytes, or JSON events), then the report.
class SendOutput
{
public:
    SendOutput(
        QTextStream &out, QTextStream &err, const SendSettings &settings, const Redactor &redactor)
        : m_out(out)
        , m_err(err)
        , m_settings(settings)
        , m_redactor(redactor)
        , m_live(
              out, !settings.json && isTerminal(stdout) && qEnvironmentVariableIsEmpty("NO_COLOR"))
    { }

    //! Prints what \a exchange receives as it arrives.
    void follow(Exchange &exchange, const WireRequest &wire)
    {
        // A closed standard output (| head) stops the exchange at once, with one line.
        const auto checkOutput = [this, &exchange] {
            if (!m_brokenPipe && m_out.status() != QTextStream::Ok) {
                m_brokenPipe = true;
                exchange.cancel();
            }
        };
        if (m_settings.json) {
            // The events are written as they arrive (never all held), then the rest.
            m_jsonWriter.emplace(m_out, false, m_redactor);
            QObject::connect(&exchange, &Exchange::eventsArrived, &exchange,
                [this, checkOutput](const QList<SseEvent> &batch) {
                    for (const SseEvent &e : batch)
                        m_jsonWriter->add(e);
                    checkOutput();
                });
        } else if (m_settings.raw) {
            QObject::connect(&exchange, &Exchange::dataArrived, &exchange,
                [this, checkOutput](const QByteArray &chunk) {
                    m_out << QString::fromUtf8(chunk);
                    m_out.flush();
                    checkOutput();
                });
        } else {
            m_err << "> " << QString::fromUtf8(wire.method) << ' ' << m_redactor.url(wire.url)
                  << '\n';
            m_err.flush();
            QObject::connect(
                &exchange, &Exchange::progress, &exchange, [this, &exchange, checkOutput] {
                    m_live.update(exchange.assembled());
                    checkOutput();
                });
        }
    }

    bool brokenPipe() const { return m_brokenPipe; }

    //! The report of \a exchange, which \a request started.
    void finish(const Exchange &exchange, const GatewayRequest &request, bool interrupted)
    {
        const ResponseReport report = reportOf(exchange);
        if (m_settings.json) {
            m_jsonWriter->finish(json(exchange, report, request, interrupted));
        } else {
            if (!m_settings.raw)
                m_live.finish(exchange.assembled());
            m_out << '\n';
            // The report names what the gateway echoed (metadata, headers): it is
            // written whole, then masked, so that no secret the request used comes back.
            QString text;
            QTextStream stream(&text);
            printSendReport(stream, exchange, report, request, m_redactor);
            stream.flush();
            m_out << terminalSafe(m_redactor.text(text));
        }
        m_out.flush();
    }

private:
    QJsonObject json(const Exchange &exchange, const ResponseReport &report,
        const GatewayRequest &request, bool interrupted) const
    {
        QJsonObject doc = reportJson(report);
        doc.insert(u"interrupted"_s, interrupted);
        doc.insert(u"requestedModel"_s, request.model);
        doc.insert(u"timeline"_s, timelineJson(exchange.timeline()));
        if (const ExchangeError &error = exchange.error();
            error.kind != ExchangeError::Kind::None) {
            doc.insert(u"transportError"_s,
                QJsonObject { { u"message"_s, m_redactor.message(error.message) },
                    { u"detail"_s, m_redactor.message(error.detail) } });
        }
        if (!exchange.redirects().isEmpty())
            doc.insert(u"redirects"_s,
                QJsonArray::fromStringList(redactedUrls(exchange.redirects(), m_redactor)));
        if (!exchange.tlsProblems().isEmpty())
            doc.insert(u"tlsProblems"_s, QJsonArray::fromStringList(exchange.tlsProblems()));
        if (!exchange.peerCertificates().isEmpty()) {
            QJsonArray chain;
            for (const QSslCertificate &c : exchange.peerCertificates()) {
                const CertificateSummary s = summarize(c);
                const QString soon = expiryWarning(c, QDateTime::currentDateTimeUtc());
                chain.append(QJsonObject { { u"subject"_s, s.subject }, { u"issuer"_s, s.issuer },
                    { u"names"_s, QJsonArray::fromStringList(s.names) },
                    { u"notBefore"_s, s.notBefore.toUTC().toString(Qt::ISODate) },
                    { u"notAfter"_s, s.notAfter.toUTC().toString(Qt::ISODate) },
                    { u"sha256"_s, s.sha256 },
                    { u"expiryWarning"_s,
                        soon.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(soon) } });
            }
            doc.insert(u"tlsCertificates"_s, chain);
        }
        return doc;
    }

    QTextStream &m_out;
    QTextStream &m_err;
    const SendSettings &m_settings;
    const Redactor &m_redactor;
    LivePrinter m_live;
    std::optional<JsonEventsWriter> m_jsonWriter;
    bool m_brokenPipe = false;
};

} // namespace

int runSend(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sends the request a .http file describes, prints the answer as it streams, "
        "then what the gateway did: status, resolved model, applied configurations, timing."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const RequestOptions requestOptions;
    requestOptions.addTo(parser);
    const SendOptions options;
    options.addTo(parser);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli send: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"send"_s);
        return kOk;
    }
    const auto settings = options.read(parser);
    if (!settings) {
        err << "gatescope-cli send: " << settings.error().message << '\n';
        return kFailure;
    }
    auto loaded = loadRequest(parser, requestOptions, u"send"_s);
    if (!loaded) {
        err << loaded.error().message << '\n';
        return exitCodeFor(loaded.error());
    }
    loaded->printNotes(err);
    ExchangeOptions exchangeOptions = settings->exchange;
    if (const auto tls = applyTls(loaded->tls.overriddenBy(settings->tls), exchangeOptions); !tls) {
        err << "gatescope-cli send: " << tls.error().message << '\n';
        return kFailure;
    }
    GatewayRequest *request = &loaded->request;
    const Redactor redactor = loaded->redactor();

    std::unique_ptr<DemoGateway> demo;
    if (settings->demo) {
        demo = std::make_unique<DemoGateway>(settings->seed);
        const auto url = demo->listen();
        if (!url) {
            err << "gatescope-cli send: " << url.error().message << '\n';
            return kFailure;
        }
        request->baseUrl = *url;
        request->bearerToken = QString::fromLatin1(kDemoToken);
    }

    QList<Issue> issues = validate(*request);
    issues += lintBatchUpload(compose(*request));
    printIssues(err, issues, settings->json ? IssueFilter::ErrorsOnly : IssueFilter::All);
    if (hasErrors(issues)) {
        err << "gatescope-cli send: nothing was sent.\n";
        return kInvalid;
    }
    const WireRequest wire = compose(*request);
    auto opened = openReportFile(parser, options.har, u"send"_s);
    if (!opened) {
        err << opened.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> har = std::move(*opened);
    auto openedOutput = openReportFile(parser, options.output, u"send"_s);
    if (!openedOutput) {
        err << openedOutput.error().message << '\n';
        return kFailure;
    }
    const std::unique_ptr<QSaveFile> bodyFile = std::move(*openedOutput);

    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    Exchange exchange(&network, exchangeOptions);
    SendOutput output(out, err, *settings, redactor);
    output.follow(exchange, wire);
    // Ctrl+C or SIGTERM: stop, and report what arrived.
    Interrupts interrupts;
    QObject::connect(
        &interrupts, &Interrupts::interrupted, &exchange, [&exchange] { exchange.cancel(); });
    QObject::connect(&exchange, &Exchange::finished, &exchange, [] { QCoreApplication::quit(); });
    exchange.start(wire);
    if (!exchange.isFinished())
        QCoreApplication::exec();
    if (output.brokenPipe()) {
        err << "gatescope-cli send: standard output was closed; the exchange was stopped.\n";
        return kBrokenPipe;
    }
    output.finish(exchange, *request, interrupts.happened());
    if (har) {
        const auto written
            = writeHar(*har, { harEntry(exchange.snapshot()) }, false, loaded->secrets.values());
        if (!written || !har->commit()) {
            err << "gatescope-cli send: cannot write " << har->fileName() << ": "
                << (written ? har->errorString() : written.error().message) << '\n';
            return kFailure;
        }
    }
    if (bodyFile && exchange.status() > 0) {
        const QByteArray body = exchange.body();
        if (bodyFile->write(body) != body.size() || !bodyFile->commit()) {
            err << "gatescope-cli send: cannot write " << bodyFile->fileName() << ": "
                << bodyFile->errorString() << '\n';
            return kFailure;
        }
    }
    if (interrupts.happened()) {
        err << "gatescope-cli send: interrupted; the report above has what arrived.\n";
        return kInterrupted;
    }
    if (exchange.error().kind != ExchangeError::Kind::None)
        return kTransport;
    // A stream that ended before its end marker did not arrive whole, whatever the
    // transport said (a reset ends a close-delimited body as a clean close does).
    if (const QString why = exchange.incomplete(); !why.isEmpty()) {
        err << "gatescope-cli send: the answer is incomplete: " << why << ".\n";
        return kTransport;
    }
    return kOk;
}

} // namespace gs::cli
