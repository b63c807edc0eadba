#include "commands.h"
#include "core/interop/artilleryexport.h"
#include "core/interop/postmanimport.h"
#include "core/interop/requestexport.h"
#include "requestfile.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

int runExport(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints a request of a .http file as code for another tool. FORMAT: curl, python "
        "(the openai SDK with extra_headers), javascript (the openai npm package) or http; "
        "or, with \"postman DIR\", a collection folder as a Postman Collection v2.1. "
        "Credentials are read from the environment (TFY_API_KEY) unless --show-secrets. "
        "With \"artillery FILE.http\" and a load run's -n/--duration, -c, --rate, --ramp and "
        "--expect: an Artillery scenario (YAML) sending every request of the file, in turn."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FORMAT"_s, u"curl, python, javascript or http"_s);
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const RequestOptions options;
    options.addTo(parser);
    const QCommandLineOption showSecrets(
        u"show-secrets"_s, u"Write the token and other credentials into the code as they are."_s);
    parser.addOption(showSecrets);
    // "export artillery FILE.http": a load run's pacing and checks, as load takes them.
    const QCommandLineOption count(
        { u"n"_s, u"count"_s }, u"artillery: requests in all."_s, u"COUNT"_s);
    const QCommandLineOption duration(
        u"duration"_s, u"artillery: how long requests arrive (with --rate)."_s, u"TIME"_s);
    const QCommandLineOption concurrency({ u"c"_s, u"concurrency"_s },
        u"artillery: virtual users at once (default 8)."_s, u"C"_s, u"8"_s);
    const QCommandLineOption rate(u"rate"_s, u"artillery: arrivals per second."_s, u"R"_s);
    const QCommandLineOption ramp(
        u"ramp"_s, u"artillery: grow the rate over this long."_s, u"TIME"_s);
    const QCommandLineOption expect(u"expect"_s,
        u"artillery: a check as load takes it; latency thresholds become ensure thresholds."_s,
        u"CHECK"_s);
    parser.addOptions({ count, duration, concurrency, rate, ramp, expect });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli export: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"export"_s);
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() == 2 && positional.first() == "postman"_L1) {
        // A whole collection folder.
        QStringList notes;
        const QString name = QFileInfo(positional[1]).absoluteFilePath().section(u'/', -1);
        const auto json = exportPostman(positional[1], name, &notes);
        if (!json) {
            err << "gatescope-cli export: " << json.error().message << '\n';
            return kFailure;
        }
        out << *json;
        printNotes(err, notes);
        return kOk;
    }
    if (positional.size() == 2 && positional.first() == "artillery"_L1) {
        ArtilleryPacing pacing;
        bool ok = true;
        const auto refuse = [&err](const QString &why) {
            err << "gatescope-cli export: " << why << '\n';
            return kFailure;
        };
        if (parser.isSet(count)) {
            pacing.count = parser.value(count).toLongLong(&ok);
            if (!ok || pacing.count < 1)
                return refuse(u"-n takes a number of requests from 1"_s);
        }
        if (parser.isSet(duration)) {
            const auto ms = durationMsOption(u"--duration"_s, parser.value(duration));
            if (!ms)
                return refuse(ms.error().message);
            pacing.durationMs = *ms;
        }
        if (parser.isSet(ramp)) {
            const auto ms = durationMsOption(u"--ramp"_s, parser.value(ramp));
            if (!ms)
                return refuse(ms.error().message);
            pacing.rampMs = *ms;
        }
        pacing.concurrency = parser.value(concurrency).toInt(&ok);
        if (!ok || pacing.concurrency < 1)
            return refuse(u"-c takes a number of users from 1"_s);
        if (parser.isSet(rate)) {
            pacing.ratePerSecond = parser.value(rate).toDouble(&ok);
            if (!ok || !(pacing.ratePerSecond > 0) || pacing.ratePerSecond > 1e6)
                return refuse(u"--rate takes a number of requests per second above 0"_s);
        }
        QList<LoadExpectation> expectations;
        for (const QString &text : parser.values(expect)) {
            const auto e = LoadExpectation::parse(text);
            if (!e)
                return refuse(e.error().message);
            expectations << *e;
        }
        const auto loaded = loadRequests(parser, options, u"export"_s, positional[1]);
        if (!loaded) {
            err << loaded.error().message << '\n';
            return exitCodeFor(loaded.error());
        }
        loaded->first().printNotes(err);
        QList<WireRequest> requests;
        QStringList names;
        QStringList secrets;
        for (const LoadedRequest &l : *loaded) {
            requests << compose(l.request);
            names << (l.source.name.isEmpty() ? u"line %1"_s.arg(l.source.line) : l.source.name);
            secrets += l.secrets.values();
        }
        QStringList notes;
        const auto yaml = exportArtillery(requests, names, pacing, expectations,
            parser.isSet(showSecrets) ? QStringList() : secrets, &notes);
        if (!yaml)
            return refuse(yaml.error().message);
        out << *yaml;
        printNotes(err, notes);
        return kOk;
    }
    const auto format
        = positional.isEmpty() ? std::nullopt : exportFormatFromName(positional.first());
    if (positional.size() != 2 || !format) {
        err << "gatescope-cli export: expected FORMAT (curl, python, javascript, http) and "
               "FILE.http\n";
        return kFailure;
    }
    const auto loaded = loadRequest(parser, options, u"export"_s, positional[1]);
    if (!loaded) {
        err << loaded.error().message << '\n';
        return exitCodeFor(loaded.error());
    }
    loaded->printNotes(err);
    const auto code = exportRequest(
        loaded->request, *format, parser.isSet(showSecrets), loaded->secrets, &loaded->source);
    if (!code) {
        err << "gatescope-cli export: " << code.error().message << '\n';
        return kInvalid;
    }
    out << *code;
    return kOk;
}

} // namespace gs::cli
