#include "core/compare/replay.h"

#include "commands.h"
#include "core/model/redaction.h"
#include "core/model/validation.h"
#include "core/store/collection.h"
#include "core/store/secretstore.h"
#include "demo/demogateway.h"
#include "interrupts.h"
#include "requestfile.h"
#include "tls.h"

#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

struct Options
{
    RequestOptions request; //!< --name, --env (the target's environment), --var
    //! The environment a .http collection is sent in first, to have something to compare.
    QCommandLineOption fromEnv { u"from-env"_s,
        u"With a .http PATH: the environment its requests are first sent in (default: the "
        "collection's default), to compare the replay with."_s,
        u"NAME"_s };
    QCommandLineOption history { u"history"_s,
        u"What to replay: a search of the window's history (text in the URL, request, answer "
        "or models, as the sidebar's search; \"\" for the newest), history:ID[,ID...], or the "
        "path of a .http file or collection folder."_s,
        u"QUERY|PATH"_s };
    QCommandLineOption historyFile { u"history-file"_s,
        u"The history to search (default: the window's)."_s, u"FILE"_s };
    QCommandLineOption limit { u"limit"_s,
        u"At most this many history entries, newest first (default 20)."_s, u"N"_s, u"20"_s };
    QCommandLineOption collection { u"collection"_s,
        u"The collection folder whose --env names the target (its baseUrl and token "
        "variables; the token from the keyring when the collection keeps it there). Default: "
        "the .http PATH's collection, or the working folder."_s,
        u"DIR"_s };
    QCommandLineOption demo { u"demo"_s,
        u"Replay against the embedded demo gateway (its URL and token)."_s };
    QCommandLineOption mapModel { u"map-model"_s,
        u"Send model FROM as TO (* for any model); repeatable, the first match counts."_s,
        u"FROM=TO"_s };
    QCommandLineOption dropHeader { u"drop-header"_s,
        u"Leave this header out of the replayed requests; repeatable."_s, u"NAME"_s };
    QCommandLineOption setHeader { u"set-header"_s,
        u"Set this header on the replayed requests (replacing one of the name); repeatable."_s,
        u"'NAME: VALUE'"_s };
    QCommandLineOption dryRun { u"dry-run"_s,
        u"List the requests as they would be sent (credentials masked) and send nothing."_s };
    QCommandLineOption concurrency { u"concurrency"_s,
        u"Requests on the wire at once (default 1: one after the other)."_s, u"N"_s, u"1"_s };
    QCommandLineOption json { u"json"_s,
        u"Print the pairs as JSON, each with its comparison, and nothing else on stdout."_s };
    QCommandLineOption junit { u"junit"_s,
        u"Also write the pairs as JUnit XML to FILE (a pair fails when the status or the "
        "answer's shape changed)."_s,
        u"FILE"_s };
    QCommandLineOption maxTime { u"max-time"_s,
        u"Client-side deadline for each request (default 120)."_s, u"SECONDS"_s, u"120"_s };
    TlsOptions tls;

    void addTo(QCommandLineParser &parser) const
    {
        request.addTo(parser);
        parser.addOptions({ fromEnv, history, historyFile, limit, collection, demo, mapModel,
            dropHeader, setHeader, dryRun, concurrency, json, junit, maxTime });
        tls.addTo(parser);
    }
};

//! Runs the event loop until \a run finishes (or Ctrl+C cancels it).
void wait(ReplayRun &run)
{
    if (run.isFinished())
        return;
    QEventLoop loop;
    Interrupts interrupts;
    QObject::connect(&interrupts, &Interrupts::interrupted, &run, [&run] { run.cancel(); });
    QObject::connect(&run, &ReplayRun::finished, &loop, &QEventLoop::quit);
    loop.exec();
}

//! The entries --history names in the history file.
Result<QList<HistoryEntry>> historyEntries(const QString &query, const QString &path, int limit)
{
    if (!QFileInfo::exists(path))
        return fail(Error::Kind::Io, u"there is no history at %1"_s.arg(path));
    auto history = History::open(path);
    if (!history)
        return std::unexpected(history.error());
    static const QRegularExpression ids(uR"(^(history:)?\d+(,(history:)?\d+)*$)"_s);
    if (ids.match(query).hasMatch()) {
        QList<HistoryEntry> out;
        for (QString id : query.split(u',')) {
            id.remove(u"history:"_s);
            const auto entry = (*history)->entry(id.toLongLong());
            if (!entry)
                return fail(Error::Kind::Io, u"history:%1: no such entry in %2"_s.arg(id, path));
            out << *entry;
        }
        return out;
    }
    History::Query q;
    q.text = query;
    q.limit = limit;
    QList<HistoryEntry> found = (*history)->search(q);
    found.removeIf([](const HistoryEntry &e) { return e.method == kLoadRunMethod; });
    // Replayed in the order they were first sent.
    std::ranges::reverse(found);
    return found;
}

void printPair(QTextStream &out, const ReplayPair &p)
{
    out << (p.matches() ? "SAME " : "DIFF ") << p.label << ": status " << p.before.status
        << (p.statusEqual ? " = " : " → ") << p.after.status << ", "
        << (p.schemaEqual ? "same shape" : "shape changed") << ", model " << p.modelText()
        << ", latency " << p.latencyText() << ", TTFT " << p.ttftText() << ", tokens "
        << p.tokensText() << ", answer " << qRound(p.similarity * 100) << "% alike\n";
}

} // namespace

int runReplay(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sends recorded requests again, to another gateway, environment or model, and "
        "compares each answer with the recorded one: status, the answer's shape, resolved "
        "model, latency and TTFT, usage, how alike the answers are. What to replay is a "
        "search of the window's history, entries by id, or a .http file or collection (sent "
        "first in --from-env). The target: --env of a collection (its baseUrl and token; "
        "secrets from the keyring), or --demo; models mapped with --map-model, headers "
        "dropped or set. --dry-run lists the requests and sends nothing. Nothing written "
        "holds a token.\n\n"
        "Exit codes: 0 every replay answered as its recording, 4 one did not (or could not "
        "be replayed), 1 trouble."_s);
    parser.addHelpOption();
    const Options options;
    options.addTo(parser);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli replay: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"replay"_s);
        return kOk;
    }
    const auto trouble = [&err](const QString &message) {
        err << "gatescope-cli replay: " << message << '\n';
        return int(kFailure);
    };
    if (!parser.isSet(options.history))
        return trouble(u"say what to replay with --history QUERY|PATH (see --help)"_s);
    if (!parser.isSet(options.request.env) && !parser.isSet(options.demo)
        && !parser.isSet(options.mapModel))
        return trouble(u"say where to replay: --env NAME, --demo or --map-model FROM=TO"_s);
    bool ok = false;
    const int concurrency = parser.value(options.concurrency).toInt(&ok);
    if (!ok || concurrency < 1 || concurrency > 256)
        return trouble(u"--concurrency takes a number from 1 to 256"_s);
    const int limit = parser.value(options.limit).toInt(&ok);
    if (!ok || limit < 1)
        return trouble(u"--limit takes a number from 1"_s);
    const auto maxTime = secondsOption(parser, options.maxTime);
    if (!maxTime)
        return trouble(maxTime.error().message);
    const auto overrides = variableOverrides(parser, options.request, u"replay"_s);
    if (!overrides)
        return trouble(overrides.error().message);

    // The target: the demo gateway, or an environment's baseUrl and token.
    ReplayTarget target;
    QStringList secrets;
    ExchangeOptions exchangeOptions;
    exchangeOptions.deadlineMs = qint64(*maxTime * 1000);
    std::unique_ptr<demo::DemoGateway> demo;
    const QString what = parser.value(options.history);
    const bool collectionSource = QFileInfo::exists(what);
    TlsFiles tls;
    if (parser.isSet(options.demo)) {
        demo = std::make_unique<demo::DemoGateway>();
        const auto url = demo->listen();
        if (!url)
            return trouble(url.error().message);
        target.baseUrl = *url;
        target.token = QString::fromLatin1(demo::kDemoToken);
    } else if (parser.isSet(options.request.env)) {
        const QString environment = parser.value(options.request.env);
        const QString dir = parser.isSet(options.collection) ? parser.value(options.collection)
            : collectionSource
            ? (QFileInfo(what).isDir() ? what : HttpEnvironments::directoryFor(what))
            : QDir::currentPath();
        auto collection = Collection::open(dir);
        if (!collection)
            return trouble(collection.error().message);
        const auto base = collection->variables(environment);
        if (!base)
            return trouble(base.error().message);
        VariableLayers layers;
        layers.environment = *base;
        layers.overrides = *overrides;
        SecretVault vault(std::make_unique<KeychainSecretStore>());
        addKeyringSecrets(layers, *collection, environment, vault, err);
        const Variables variables = layers.merged();
        target.baseUrl = substituteVariables(variables.value(u"baseUrl"_s), variables);
        target.token = substituteVariables(variables.value(u"token"_s), variables);
        if (target.baseUrl.isEmpty())
            return trouble(u"environment \"%1\" of %2 has no baseUrl"_s.arg(environment, dir));
        secrets = secretValues(variables, collection->settings().secrets);
        tls = collection->environments().tlsFor(environment);
    }
    if (!target.token.isEmpty())
        secrets << target.token;
    for (const QString &map : parser.values(options.mapModel)) {
        const qsizetype eq = map.indexOf(u'=');
        if (eq <= 0 || eq == map.size() - 1)
            return trouble(u"--map-model takes FROM=TO, not \"%1\""_s.arg(map));
        target.modelMap.append({ map.first(eq), map.sliced(eq + 1) });
    }
    target.dropHeaders = parser.values(options.dropHeader);
    for (const QString &set : parser.values(options.setHeader)) {
        const qsizetype colon = set.indexOf(u':');
        if (colon <= 0)
            return trouble(u"--set-header takes 'NAME: VALUE', not \"%1\""_s.arg(set));
        target.setHeaders.append(
            { set.first(colon).trimmed().toUtf8(), set.sliced(colon + 1).trimmed().toUtf8() });
        if (isSecretHeader(target.setHeaders.last().name)) // a key set by hand
            secrets << set.sliced(colon + 1).trimmed();
    }
    const auto tlsFiles = options.tls.read(parser);
    if (!tlsFiles)
        return trouble(tlsFiles.error().message);
    if (const auto applied = applyTls(tls.overriddenBy(*tlsFiles), exchangeOptions); !applied)
        return trouble(applied.error().message);
    auto opened = openReportFile(parser, options.junit, u"replay"_s);
    if (!opened)
        return trouble(opened.error().message);
    const std::unique_ptr<QSaveFile> junit = std::move(*opened);

    QNetworkProxyFactory::setUseSystemConfiguration(true);
    QNetworkAccessManager network;
    // What to replay: history entries, or a collection's requests sent first as they are.
    QList<ReplayItem> plan;
    if (collectionSource) {
        RequestOptions from = options.request;
        from.env = options.fromEnv;
        const auto loaded = loadRequests(parser, from, u"replay"_s, what);
        if (!loaded)
            return trouble(loaded.error().message.sliced(u"gatescope-cli replay: "_s.size()));
        QList<std::pair<QString, WireRequest>> requests;
        for (const LoadedRequest &l : *loaded) {
            const QString name
                = l.source.name.isEmpty() ? u"line %1"_s.arg(l.source.line) : l.source.name;
            // A request that cannot go out as it is (an environment not named, so that
            // {{baseUrl}} is still there) is said before anything is sent.
            if (const QList<Issue> issues = validate(l.request); hasErrors(issues)) {
                err << name << ":\n";
                printIssues(err, issues, IssueFilter::ErrorsOnly);
                return trouble(u"%1 cannot be sent as it is: name the environment its "
                               "requests are first sent in with --from-env"_s.arg(name));
            }
            requests.append({ name, compose(l.request) });
            secrets += l.secrets.values();
            secrets << l.request.bearerToken; // it may go along to the target
        }
        QList<HistoryEntry> recorded;
        if (!parser.isSet(options.dryRun)) {
            ReplayRun run(asRecorded(requests), &network, exchangeOptions, concurrency);
            run.start();
            wait(run);
            recorded = run.sentInOrder();
            if (recorded.size() != requests.size())
                return trouble(u"interrupted before every request had its first answer"_s);
        }
        plan = planRequestsReplay(requests, recorded, target);
    } else {
        const QString path = parser.isSet(options.historyFile) ? parser.value(options.historyFile)
                                                               : windowHistoryPath();
        const auto found = historyEntries(what, path, limit);
        if (!found)
            return trouble(found.error().message);
        if (found->isEmpty())
            return trouble(u"nothing in the history matches \"%1\""_s.arg(what));
        plan = planReplay(*found, target);
    }
    const Redactor redactor(secrets);
    if (parser.isSet(options.dryRun)) {
        out << redactor.text(replayPlanText(plan, secrets));
        return std::ranges::any_of(plan, [](const ReplayItem &i) { return !i.request; })
            ? int(kTestsFailed)
            : int(kOk);
    }
    qsizetype skipped = 0;
    for (const ReplayItem &item : std::as_const(plan)) {
        if (!item.request) {
            ++skipped;
            err << "not replayed: " << item.label << ": " << item.problem << '\n';
        }
    }
    ReplayRun run(plan, &network, exchangeOptions, concurrency);
    const bool json = parser.isSet(options.json);
    if (!json)
        QObject::connect(&run, &ReplayRun::pairReady, &run,
            [&out, &redactor](qsizetype, const ReplayPair &pair) {
                QString line;
                QTextStream s(&line);
                printPair(s, pair);
                s.flush();
                out << redactor.text(line);
                out.flush();
            });
    run.start();
    wait(run);
    QList<ReplayPair> pairs;
    for (const auto &[index, pair] : run.pairs())
        pairs << pair;
    const qsizetype matched = std::ranges::count_if(pairs, &ReplayPair::matches);
    if (json)
        out << redactor.text(QString::fromUtf8(QJsonDocument(replayJson(pairs)).toJson()));
    else
        out << '\n'
            << pairs.size() << " replayed: " << matched << " answered as recorded, "
            << pairs.size() - matched << " differ"
            << (skipped ? u", %1 not replayed"_s.arg(skipped) : QString()) << '\n';
    if (junit) {
        const QByteArray xml = redactor.bytes(replayJUnit(pairs, u"replay"_s));
        if (junit->write(xml) != xml.size() || !junit->commit())
            return trouble(u"cannot write %1: %2"_s.arg(junit->fileName(), junit->errorString()));
    }
    return matched == pairs.size() && skipped == 0 && run.pairs().size() == plan.size() - skipped
        ? int(kOk)
        : int(kTestsFailed);
}

} // namespace gs::cli
