#include "requestfile.h"

#include "commands.h"
#include "core/httpfile/httpfile.h"
#include "core/store/collection.h"
#include "core/store/secretstore.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextStream>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

void RequestOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ name, env, var });
}

Result<LoadedRequest> loadRequest(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return fail(Error::Kind::Usage, u"gatescope-cli %1: expected one FILE.http"_s.arg(command));
    return loadRequest(parser, options, command, positional.first());
}

namespace {

//! Reads the file's requests: the one --name names, or with \a all every one of them
//! (else the first, with a note).
Result<QList<LoadedRequest>> readRequests(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, const QString &path, bool all)
{
    const QString prefix = u"gatescope-cli "_s + command + u": "_s;
    const auto failWith = [&prefix](const Error &e) {
        return std::unexpected(Error { e.kind, prefix + e.message, e.detail });
    };
    const auto file = HttpFile::load(path);
    if (!file)
        return failWith(file.error());
    const QList<HttpFileRequest> requests = file->requests();
    if (requests.isEmpty())
        return failWith(Error { Error::Kind::Parse, path + u" has no request in it"_s, {} });
    QList<qsizetype> indexes { 0 };
    QStringList notes;
    if (parser.isSet(options.name)) {
        indexes = { file->indexOf(parser.value(options.name)) };
        if (indexes.first() < 0) {
            QStringList names;
            for (const HttpFileRequest &r : requests)
                names << (r.name.isEmpty() ? u"(unnamed, line %1)"_s.arg(r.line) : r.name);
            return failWith(Error { Error::Kind::Usage,
                u"%1 has no request named \"%2\"; it has: %3"_s.arg(
                    path, parser.value(options.name), names.join(", "_L1)),
                {} });
        }
    } else if (all) {
        indexes.clear();
        for (qsizetype i = 0; i < requests.size(); ++i)
            indexes << i;
    } else if (requests.size() > 1) {
        notes << u"%1 has %2 requests; using the first%3. Choose one with --name."_s.arg(path)
                     .arg(requests.size())
                     .arg(requests[0].name.isEmpty() ? QString()
                                                     : u" (\"%1\")"_s.arg(requests[0].name));
    }

    // "< file" bodies are read next to the .http file; environments may live in a
    // parent folder (a collection's root).
    const QString directory = QFileInfo(path).absolutePath();
    const auto environments
        = HttpEnvironments::loadFromDirectory(HttpEnvironments::directoryFor(path));
    if (!environments)
        return failWith(environments.error());
    const auto envVariables = environments->variables(parser.value(options.env));
    if (!envVariables)
        return failWith(envVariables.error());
    const auto overrides = variableOverrides(parser, options, command);
    if (!overrides)
        return failWith(overrides.error());
    VariableLayers layers;
    layers.environment = *envVariables;
    layers.file = file->fileVariables();
    layers.overrides = *overrides;
    const Variables variables = layers.merged();

    QList<LoadedRequest> out;
    for (const qsizetype index : std::as_const(indexes)) {
        LoadedRequest loaded;
        loaded.warnings += file->warnings();
        loaded.notes = notes;
        loaded.tls = environments->tlsFor(parser.value(options.env));
        loaded.source = requests[index];
        const auto resolved = resolve(loaded.source, variables, directory, &loaded.include);
        if (!resolved)
            return failWith(resolved.error());
        loaded.request = decode(*resolved);
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            if (environments->privateNames.contains(it.key()) || isCredentialName(it.key()))
                loaded.secrets.insert(it.key(), substituteVariables(it.value(), variables));
        }
        out << std::move(loaded);
    }
    return out;
}

} // namespace

Result<LoadedRequest> loadRequest(const QCommandLineParser &parser, const RequestOptions &options,
    const QString &command, const QString &path)
{
    auto loaded = readRequests(parser, options, command, path, false);
    if (!loaded)
        return std::unexpected(loaded.error());
    return std::move(loaded->first());
}

Result<QList<LoadedRequest>> loadRequests(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return fail(Error::Kind::Usage, u"gatescope-cli %1: expected one FILE.http"_s.arg(command));
    return readRequests(parser, options, command, positional.first(), true);
}

Result<QList<LoadedRequest>> loadRequests(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, const QString &path)
{
    return readRequests(parser, options, command, path, true);
}

//! "30s", "500ms", "2m", "1h" or a number of seconds, in milliseconds.
Result<qint64> durationMsOption(const QString &option, const QString &text)
{
    static const QRegularExpression kDuration(uR"(^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|h)?\s*$)"_s);
    const auto m = kDuration.match(text);
    const double value = m.hasMatch() ? m.captured(1).toDouble() : -1;
    const QString unit = m.captured(2);
    const double factor = unit == "ms"_L1 ? 1
        : unit == "m"_L1                  ? 60'000
        : unit == "h"_L1                  ? 3'600'000
                                          : 1000;
    const double ms = value * factor;
    if (!m.hasMatch() || !std::isfinite(ms) || ms < 1 || ms > 86'400'000)
        return fail(Error::Kind::Usage,
            u"%1 takes a duration from 1ms to 24h, such as 30s, 500ms or 2m; got \"%2\""_s.arg(
                option, text.left(40)));
    return qint64(ms);
}

Result<double> secondsOption(
    const QCommandLineParser &parser, const QCommandLineOption &option, bool zeroMeansNever)
{
    const QString name = u"--"_s + option.names().first();
    const QString text = parser.value(option).trimmed();
    bool ok = false;
    const double value = text.toDouble(&ok);
    // toDouble() takes "nan" and "inf"; a deadline must be a real, reachable time.
    if (ok && zeroMeansNever && value == 0)
        return 0.0;
    if (!ok || !std::isfinite(value) || value < seconds::kMin || value > seconds::kMax)
        return fail(Error::Kind::Usage,
            u"%1 takes a number of seconds from %2 to %3%4; got \"%5\""_s.arg(name)
                .arg(seconds::kMin)
                .arg(seconds::kMax)
                .arg(zeroMeansNever ? u" (0: never)"_s : QString())
                .arg(text.left(40)));
    return value;
}

void LoadedRequest::printNotes(QTextStream &err) const
{
    cli::printNotes(err, warnings, "warning: ");
    cli::printNotes(err, notes);
}

Result<std::unique_ptr<QSaveFile>> openReportFile(
    const QCommandLineParser &parser, const QCommandLineOption &option, const QString &command)
{
    if (!parser.isSet(option))
        return nullptr;
    auto file = std::make_unique<QSaveFile>(parser.value(option));
    if (!file->open(QIODevice::WriteOnly))
        return fail(Error::Kind::Io,
            u"gatescope-cli %1: cannot write %2: %3; nothing was sent"_s.arg(
                command, file->fileName(), file->errorString()));
    return file;
}

int exitCodeFor(const Error &error)
{
    return error.kind == Error::Kind::Parse || error.kind == Error::Kind::Validation ? kInvalid
                                                                                     : kFailure;
}

Result<Variables> variableOverrides(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command)
{
    Variables variables;
    for (const QString &assignment : parser.values(options.var)) {
        const qsizetype eq = assignment.indexOf(u'=');
        if (eq <= 0)
            return fail(Error::Kind::Usage,
                u"gatescope-cli %1: --var expects NAME=VALUE, got \"%2\""_s.arg(
                    command, assignment));
        variables.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    return variables;
}

void printIssues(QTextStream &err, const QList<Issue> &issues, IssueFilter filter)
{
    for (const Issue &i : issues) {
        const bool error = i.severity == Issue::Severity::Error;
        if (error || filter == IssueFilter::All)
            err << (error ? "error: " : "warning: ") << i.field << ": " << i.message << '\n';
    }
}

void addKeyringSecrets(VariableLayers &layers, const Collection &collection,
    const QString &environment, SecretVault &vault, QTextStream &err, bool *warned)
{
    bool said = warned && *warned;
    for (const QString &secret : layers.unsetSecrets(collection.settings().secrets)) {
        const SecretReply reply = vault.readNow({ collection.settings().id, environment, secret });
        if (reply.status == SecretReply::Status::Ok) {
            layers.secrets.insert(secret, reply.value);
        } else if (!vault.fallbackReason().isEmpty() && !said) {
            err << "note: " << vault.fallbackReason() << " Pass secrets with --var NAME=VALUE.\n";
            said = true;
        }
    }
    if (warned)
        *warned = said;
}

} // namespace gs::cli
