#pragma once

#include "core/gatewayrequest.h"
#include "core/httpfile.h"
#include "core/validation.h"

#include <QCommandLineOption>

#include <optional>

class QCommandLineParser;
class QTextStream;

namespace gs::cli {

//! The options every command that reads a .http file takes: --name, --env, --var.
struct RequestOptions
{
    QCommandLineOption name { QStringLiteral("name"),
        QStringLiteral("Which request of the file (its # @name)."), QStringLiteral("NAME") };
    QCommandLineOption env { QStringLiteral("env"),
        QStringLiteral("Environment from http-client.env.json next to the file."),
        QStringLiteral("NAME") };
    QCommandLineOption var { QStringLiteral("var"),
        QStringLiteral("Set a variable, overriding the file and environment (repeatable)."),
        QStringLiteral("k=v") };

    void addTo(QCommandLineParser &parser) const;
};

//! Reads the request the command line names: the file, the request in it, the
//! environment, the variables (--var over the file's @variables over the
//! environment), decoded into the gateway model. On failure says why on \a err.
std::optional<core::GatewayRequest> loadRequest(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err);
//! The same for a file named otherwise than by the only positional argument.
std::optional<core::GatewayRequest> loadRequest(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err, const QString &path);

//! The --var NAME=VALUE assignments; on a malformed one says why on \a err.
std::optional<core::Variables> variableOverrides(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, QTextStream &err);

enum class IssueFilter {
    All,
    ErrorsOnly
};

//! One line per problem on \a err: "error: field: message" or "warning: ...".
void printIssues(
    QTextStream &err, const QList<core::Issue> &issues, IssueFilter filter = IssueFilter::All);

} // namespace gs::cli
