#include "commands.h"
#include "report.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

// The text report counts a stream's events but does not list them: none is kept.
void forgetEvent(const SseEvent &event)
{
    Q_UNUSED(event);
}

} // namespace

int runInspect(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reports what a gateway said in a captured raw HTTP/1.1 response: status, "
        "resolved model, applied configurations, server timing, feedback target."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE"_s, u"The captured response, or - for standard input."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON for scripts."_s);
    const QCommandLineOption forceStreamOption(u"force-stream"_s,
        u"Decode the body as server-sent events whatever its Content-Type says."_s);
    const QCommandLineOption outputOption(
        u"output"_s, u"Also save the captured body's bytes to FILE."_s, u"FILE"_s);
    parser.addOptions({ jsonOption, forceStreamOption, outputOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli inspect: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"inspect"_s);
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli inspect: expected one FILE (or - for standard input)\n";
        return kFailure;
    }
    const QString path = parser.positionalArguments().first();
    QFile file;
    const bool opened = path == "-"_L1 ? file.open(stdin, QIODevice::ReadOnly)
                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err << "gatescope-cli inspect: cannot read " << path << ": " << file.errorString() << '\n';
        return kFailure;
    }
    // A file is mapped rather than read: the capture is not held twice.
    QByteArray input;
    QByteArrayView bytes;
    if (const uchar *mapped = path == "-"_L1 ? nullptr : file.map(0, file.size())) {
        bytes = QByteArrayView(mapped, file.size());
    } else {
        input = file.readAll();
        bytes = input;
    }
    auto response = parseRawResponse(bytes, true); // the body stays in the mapped file
    if (!response) {
        err << "gatescope-cli inspect: " << path << ": " << response.error().message << '\n';
        return kFailure;
    }
    if (parser.isSet(outputOption)) {
        QSaveFile saved(parser.value(outputOption));
        if (!saved.open(QIODevice::WriteOnly)
            || saved.write(response->body) != response->body.size() || !saved.commit()) {
            err << "gatescope-cli inspect: cannot write " << parser.value(outputOption) << ": "
                << saved.errorString() << '\n';
            return kFailure;
        }
    }
    const std::optional<BodyFraming> framing
        = parser.isSet(forceStreamOption) ? std::optional(BodyFraming::Sse) : std::nullopt;
    ResponseReport report;
    if (parser.isSet(jsonOption)) {
        // The events go out as they are decoded, then the rest of the report.
        JsonEventsWriter writer(out, true);
        report = ResponseReport::from(
            std::move(*response), framing, [&writer](const SseEvent &e) { writer.add(e); });
        writer.finish(reportJson(report));
    } else {
        report = ResponseReport::from(std::move(*response), framing, forgetEvent);
        QString text;
        QTextStream stream(&text);
        printReport(stream, report);
        stream.flush();
        out << terminalSafe(text);
    }
    // A capture that was cut short or does not add up is reported, and said in the
    // exit status: 2, as for other input that is not what it should be.
    if (!report.problems.isEmpty()) {
        err << "gatescope-cli inspect: " << path << ": the capture has problems (see the report)\n";
        return kInvalid;
    }
    return kOk;
}

} // namespace gs::cli
