#include "commands.h"
#include "core/compare/exchangecompare.h"
#include "core/store/history.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

//! diff's own exit codes, as diff(1) has them.
constexpr int kSame = 0;
constexpr int kDifferent = 1;
constexpr int kTrouble = 2;

//! One side: "history:ID" from the history file, a HAR file's entry, or a report
//! send --json wrote.
Result<ComparedExchange> side(const QString &spec, const QString &historyPath)
{
    if (spec.startsWith("history:"_L1)) {
        bool ok = false;
        const qint64 id = spec.sliced(8).toLongLong(&ok);
        if (!ok || id < 1)
            return fail(Error::Kind::Parse,
                u"%1: a history entry is named history:ID, ID a number"_s.arg(spec));
        if (!QFile::exists(historyPath))
            return fail(Error::Kind::Io, u"%1: there is no history at %2"_s.arg(spec, historyPath));
        auto history = History::open(historyPath);
        if (!history)
            return std::unexpected(history.error());
        const auto entry = (*history)->entry(id);
        if (!entry)
            return fail(Error::Kind::Io, u"%1: no such entry in %2"_s.arg(spec, historyPath));
        if (entry->method == kLoadRunMethod)
            return fail(Error::Kind::Parse,
                u"%1 is a load run, not one exchange; the Load Run view opens its members"_s.arg(
                    spec));
        return comparedExchange(*entry);
    }
    return comparedFile(spec);
}

} // namespace

QString windowHistoryPath()
{
    const QString cli = QCoreApplication::applicationName();
    const QString organization = QCoreApplication::organizationName();
    QCoreApplication::setOrganizationName(u"Gatescope"_s);
    QCoreApplication::setApplicationName(u"gatescope"_s);
    const QString path
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
    QCoreApplication::setApplicationName(cli);
    QCoreApplication::setOrganizationName(organization);
    return path;
}

int runDiff(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Compares two exchanges: the request's headers (gateway headers as typed values) "
        "and body, the status, the models, the applied configurations, the response's "
        "headers and JSON body (structurally, volatile fields left out), the answer word "
        "by word, usage and timing. A and B are reports gatescope-cli send --json wrote, "
        "HAR files (FILE.har#N for the N-th entry of several), or history:ID for an entry "
        "of the window's history.\n\n"
        "Exit codes: 0 the same, 1 they differ, 2 trouble (unreadable input, bad usage)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"A"_s, u"report.json, FILE.har[#N] or history:ID"_s);
    parser.addPositionalArgument(u"B"_s, u"report.json, FILE.har[#N] or history:ID"_s);
    const QCommandLineOption json(u"json"_s, u"Print the comparison as JSON."_s);
    const QCommandLineOption ignore(u"ignore"_s,
        u"Leave this field out of the JSON comparisons too: a name (trace_id) at any depth, "
        "or a path ($.choices[*].logprobs). Repeatable; id, created, system_fingerprint, "
        "trace_id and request_id are always left out."_s,
        u"PATH"_s);
    const QCommandLineOption historyFile(
        u"history"_s, u"The history file for history:ID (default: the window's)."_s, u"FILE"_s);
    parser.addOptions({ json, ignore, historyFile });
    if (!parser.parse(args)) {
        err << "gatescope-cli diff: " << parser.errorText() << '\n';
        return kTrouble;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"diff"_s);
        return kSame;
    }
    const QStringList sides = parser.positionalArguments();
    if (sides.size() != 2) {
        err << "gatescope-cli diff: give two exchanges, A and B (see --help)\n";
        return kTrouble;
    }
    const QString historyPath
        = parser.isSet(historyFile) ? parser.value(historyFile) : windowHistoryPath();
    const auto a = side(sides[0], historyPath);
    const auto b = a ? side(sides[1], historyPath) : Result<ComparedExchange>();
    if (!a || !b) {
        err << "gatescope-cli diff: " << (a ? b.error() : a.error()).message << '\n';
        return kTrouble;
    }
    CompareOptions options;
    options.json.ignore += parser.values(ignore);
    const ExchangeComparison comparison = compareExchanges(*a, *b, options);
    if (parser.isSet(json))
        out << QString::fromUtf8(QJsonDocument(comparisonJson(comparison)).toJson());
    else
        out << comparisonMarkdown(comparison);
    return comparison.equal() ? kSame : kDifferent;
}

} // namespace gs::cli
