#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/gatewayrequest.h"
#include "core/model/redaction.h"
#include "core/model/validation.h"

#include <QCommandLineOption>

#include <memory>
#include <optional>

class QCommandLineParser;
class QSaveFile;
class QTextStream;

namespace gs::core {
class Collection;
class SecretVault;
struct VariableLayers;
} // namespace gs::core

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

//! A request as a command read it from its file.
struct LoadedRequest
{
    core::GatewayRequest request; //!< decoded, variables substituted
    core::HttpFileRequest source; //!< as the file wrote it
    //! The variables whose values are secrets (private environment file, names of
    //! credentials): masked in every output unless the user asks to see them.
    core::Variables secrets;
    std::optional<core::BodyInclude> include; //!< the file a "< path" body was read from
    //! The environment's "SSLConfiguration": CA, client certificate, key.
    core::TlsFiles tls;
    QStringList notes; //!< for the user, each a line after "note: "
    QStringList warnings; //!< for the user, each a line after "warning: "

    //! The notes and warnings, one line each.
    void printNotes(QTextStream &err) const;

    core::Redactor redactor() const { return core::Redactor(secrets.values()); }
};

//! Reads the request the command line names: the file, the request in it, the
//! environment, the variables (--var over the file's @variables over the
//! environment), decoded into the gateway model. The error's message is for the
//! user as it is (it starts with "gatescope-cli COMMAND: "); exitCodeFor() maps it.
core::Result<LoadedRequest> loadRequest(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command);
//! The same for a file named otherwise than by the only positional argument.
core::Result<LoadedRequest> loadRequest(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, const QString &path);

//! The request --name names, or every request of the file, in order (a load run
//! sends them in turn).
core::Result<QList<LoadedRequest>> loadRequests(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command);
//! The same for a file named otherwise than by the only positional argument.
core::Result<QList<LoadedRequest>> loadRequests(const QCommandLineParser &parser,
    const RequestOptions &options, const QString &command, const QString &path);

//! kInvalid for input that is not a valid request (a syntax error, a variable cycle),
//! kFailure for the rest (unreadable files, usage).
int exitCodeFor(const core::Error &error);

//! The --var NAME=VALUE assignments; a malformed one fails, saying why.
core::Result<core::Variables> variableOverrides(
    const QCommandLineParser &parser, const RequestOptions &options, const QString &command);

namespace seconds {
inline constexpr double kMin = 0.001; //!< one millisecond
inline constexpr double kMax = 86400; //!< one day
} // namespace seconds

//! The value of a duration option (--max-time, --idle-timeout): a finite number of
//! seconds from seconds::kMin to seconds::kMax, or 0 where \a zeroMeansNever. Fails
//! with a message naming the option and the range.
core::Result<double> secondsOption(const QCommandLineParser &parser,
    const QCommandLineOption &option, bool zeroMeansNever = false);

//! A duration as "30s", "500ms", "2m", "1h" or a number of seconds, from 1 ms to 24 h,
//! in milliseconds; the error names \a option.
core::Result<qint64> durationMsOption(const QString &option, const QString &text);

//! The report file \a option names (--junit, --har), opened before anything is sent, so
//! that a path that cannot be written stops the command at once; null when the option
//! is not given. Committed by the caller when the report is whole.
core::Result<std::unique_ptr<QSaveFile>> openReportFile(
    const QCommandLineParser &parser, const QCommandLineOption &option, const QString &command);

//! The collection's secrets that no layer of \a layers sets, read from \a vault (the
//! keyring) for \a environment. When the vault has no keyring, says so on \a err once
//! (\a warned) and suggests --var.
void addKeyringSecrets(core::VariableLayers &layers, const core::Collection &collection,
    const QString &environment, core::SecretVault &vault, QTextStream &err, bool *warned = nullptr);

enum class IssueFilter {
    All,
    ErrorsOnly
};

//! One line per problem on \a err: "error: field: message" or "warning: ...".
void printIssues(
    QTextStream &err, const QList<core::Issue> &issues, IssueFilter filter = IssueFilter::All);

} // namespace gs::cli
