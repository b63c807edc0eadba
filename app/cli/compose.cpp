#include "commands.h"
#include "core/gatewayrequest.h"
#include "core/httpfile.h"
#include "core/validation.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

QJsonArray issuesJson(const QList<Issue> &issues, Issue::Severity severity)
{
    QJsonArray out;
    for (const Issue &i : issues) {
        if (i.severity == severity)
            out.append(QJsonObject { { u"field"_s, i.field }, { u"message"_s, i.message } });
    }
    return out;
}

} // namespace

int runCompose(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints the exact wire request that a .http file describes, "
        "after substituting variables and checking it as the gateway would."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const QCommandLineOption nameOption(
        u"name"_s, u"Which request of the file (its # @name)."_s, u"NAME"_s);
    const QCommandLineOption envOption(
        u"env"_s, u"Environment from http-client.env.json next to the file."_s, u"NAME"_s);
    const QCommandLineOption varOption(
        u"var"_s, u"Set a variable, overriding the file and environment (repeatable)."_s, u"k=v"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON for scripts."_s);
    const QCommandLineOption secretsOption(
        u"show-secrets"_s, u"Print the bearer token and other credentials unmasked."_s);
    parser.addOptions({ nameOption, envOption, varOption, jsonOption, secretsOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli compose: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        err << "gatescope-cli compose: expected one FILE.http\n" << parser.helpText();
        return kFailure;
    }
    const bool json = parser.isSet(jsonOption);
    const QString &path = positional[0];

    auto file = HttpFile::load(path);
    if (!file) {
        err << "gatescope-cli compose: " << file.error().message << '\n';
        return kFailure;
    }
    const QList<HttpFileRequest> requests = file->requests();
    if (requests.isEmpty()) {
        err << "gatescope-cli compose: " << path << " has no request in it\n";
        return kFailure;
    }
    qsizetype index = 0;
    if (parser.isSet(nameOption)) {
        index = file->indexOf(parser.value(nameOption));
        if (index < 0) {
            QStringList names;
            for (const HttpFileRequest &r : requests)
                names << (r.name.isEmpty() ? u"(unnamed, line %1)"_s.arg(r.line) : r.name);
            err << "gatescope-cli compose: " << path << " has no request named \""
                << parser.value(nameOption) << "\"; it has: " << names.join(", "_L1) << '\n';
            return kFailure;
        }
    } else if (requests.size() > 1) {
        err << "note: " << path << " has " << requests.size() << " requests; composing the first"
            << (requests[0].name.isEmpty() ? QString() : u" (\"%1\")"_s.arg(requests[0].name))
            << ". Choose one with --name.\n";
    }

    const QString directory = QFileInfo(path).absolutePath();
    auto environments = HttpEnvironments::loadFromDirectory(directory);
    if (!environments) {
        err << "gatescope-cli compose: " << environments.error().message << '\n';
        return kFailure;
    }
    auto envVariables = environments->variables(parser.value(envOption));
    if (!envVariables) {
        err << "gatescope-cli compose: " << envVariables.error().message << '\n';
        return kFailure;
    }
    // Precedence: --var, then the file's own @variables, then the environment.
    Variables variables = *envVariables;
    const Variables fileVariables = file->fileVariables();
    for (auto it = fileVariables.begin(); it != fileVariables.end(); ++it)
        variables.insert(it.key(), it.value());
    for (const QString &assignment : parser.values(varOption)) {
        const qsizetype eq = assignment.indexOf(u'=');
        if (eq <= 0) {
            err << "gatescope-cli compose: --var expects NAME=VALUE, got \"" << assignment
                << "\"\n";
            return kFailure;
        }
        variables.insert(assignment.left(eq), assignment.mid(eq + 1));
    }

    auto resolved = resolve(requests[index], variables, directory);
    if (!resolved) {
        err << "gatescope-cli compose: " << resolved.error().message << '\n';
        return kFailure;
    }
    const GatewayRequest request = decode(
        WireRequest { resolved->method, resolved->url, resolved->headers, resolved->body });
    const QList<Issue> issues = validate(request);
    const bool showSecrets = parser.isSet(secretsOption);

    if (hasErrors(issues)) {
        if (json) {
            out << QJsonDocument(
                QJsonObject {
                    { u"ok"_s, false },
                    { u"errors"_s, issuesJson(issues, Issue::Severity::Error) },
                    { u"warnings"_s, issuesJson(issues, Issue::Severity::Warning) },
                })
                       .toJson(QJsonDocument::Compact)
                << '\n';
        } else {
            for (const Issue &i : issues)
                err << (i.severity == Issue::Severity::Error ? "error: " : "warning: ") << i.field
                    << ": " << i.message << '\n';
        }
        return kInvalid;
    }
    if (!json) {
        for (const Issue &i : issues)
            err << "warning: " << i.field << ": " << i.message << '\n';
    }

    const WireRequest wire = compose(request);
    if (json) {
        QJsonArray headers;
        for (const HttpHeader &h : wire.headers) {
            const QByteArray value = showSecrets ? h.value : maskSecret(h.name, h.value);
            headers.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(value) });
        }
        out << QJsonDocument(QJsonObject {
                                 { u"ok"_s, true },
                                 { u"request"_s,
                                     QJsonObject {
                                         { u"method"_s, QString::fromUtf8(wire.method) },
                                         { u"url"_s, wire.url },
                                         { u"headers"_s, headers },
                                         { u"body"_s, QString::fromUtf8(wire.body) },
                                     } },
                                 { u"warnings"_s, issuesJson(issues, Issue::Severity::Warning) },
                             })
                   .toJson(QJsonDocument::Compact)
            << '\n';
    } else {
        out << QString::fromUtf8(wire.toText(showSecrets));
        if (!wire.body.isEmpty() && !wire.body.endsWith('\n'))
            out << '\n';
    }
    return kOk;
}

} // namespace gs::cli
