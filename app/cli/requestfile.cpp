#include "requestfile.h"

#include "core/httpfile.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

void RequestOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ name, env, var });
}

std::optional<GatewayRequest> loadRequest(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        err << "gatescope-cli " << command << ": expected one FILE.http\n";
        return std::nullopt;
    }
    return loadRequest(parser, options, command, err, positional.first());
}

std::optional<GatewayRequest> loadRequest(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err, const QString &path)
{
    const QString prefix = u"gatescope-cli "_s + command + u": "_s;
    const auto file = HttpFile::load(path);
    if (!file) {
        err << prefix << file.error().message << '\n';
        return std::nullopt;
    }
    const QList<HttpFileRequest> requests = file->requests();
    if (requests.isEmpty()) {
        err << prefix << path << " has no request in it\n";
        return std::nullopt;
    }
    qsizetype index = 0;
    if (parser.isSet(options.name)) {
        index = file->indexOf(parser.value(options.name));
        if (index < 0) {
            QStringList names;
            for (const HttpFileRequest &r : requests)
                names << (r.name.isEmpty() ? u"(unnamed, line %1)"_s.arg(r.line) : r.name);
            err << prefix << path << " has no request named \"" << parser.value(options.name)
                << "\"; it has: " << names.join(", "_L1) << '\n';
            return std::nullopt;
        }
    } else if (requests.size() > 1) {
        err << "note: " << path << " has " << requests.size() << " requests; using the first"
            << (requests[0].name.isEmpty() ? QString() : u" (\"%1\")"_s.arg(requests[0].name))
            << ". Choose one with --name.\n";
    }

    // "< file" bodies are read next to the .http file; environments may live in a
    // parent folder (a collection's root).
    const QString directory = QFileInfo(path).absolutePath();
    const auto environments
        = HttpEnvironments::loadFromDirectory(HttpEnvironments::directoryFor(path));
    if (!environments) {
        err << prefix << environments.error().message << '\n';
        return std::nullopt;
    }
    const auto envVariables = environments->variables(parser.value(options.env));
    if (!envVariables) {
        err << prefix << envVariables.error().message << '\n';
        return std::nullopt;
    }
    // Precedence: --var, then the file's own @variables, then the environment.
    Variables variables = *envVariables;
    const Variables fileVariables = file->fileVariables();
    for (auto it = fileVariables.begin(); it != fileVariables.end(); ++it)
        variables.insert(it.key(), it.value());
    const auto overrides = variableOverrides(parser, options, command, err);
    if (!overrides)
        return std::nullopt;
    for (auto it = overrides->begin(); it != overrides->end(); ++it)
        variables.insert(it.key(), it.value());

    const auto resolved = resolve(requests[index], variables, directory);
    if (!resolved) {
        err << prefix << resolved.error().message << '\n';
        return std::nullopt;
    }
    return decode(*resolved);
}

std::optional<Variables> variableOverrides(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err)
{
    Variables variables;
    for (const QString &assignment : parser.values(options.var)) {
        const qsizetype eq = assignment.indexOf(u'=');
        if (eq <= 0) {
            err << "gatescope-cli " << command << ": --var expects NAME=VALUE, got \"" << assignment
                << "\"\n";
            return std::nullopt;
        }
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

} // namespace gs::cli
