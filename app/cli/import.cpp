#include "commands.h"
#include "core/curlimport.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

int runImport(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reads a request written for another tool and prints it as a .http request. "
        "FORMAT: curl (a command as browsers' \"Copy as cURL\", API docs or other clients "
        "write it). Credentials become {{variables}} unless --keep-secrets."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FORMAT"_s, u"curl"_s);
    parser.addPositionalArgument(u"FILE"_s, u"The command, or - for standard input."_s);
    const QCommandLineOption keepSecrets(
        u"keep-secrets"_s, u"Print tokens and passwords as they are in the command."_s);
    parser.addOption(keepSecrets);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli import: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.first() != "curl"_L1) {
        err << "gatescope-cli import: expected \"curl FILE\" (or \"curl -\" for standard input)\n";
        return kFailure;
    }
    QFile file;
    const QString path = positional[1];
    const bool opened = path == "-"_L1 ? file.open(stdin, QIODevice::ReadOnly)
                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err << "gatescope-cli import: cannot read " << path << ": " << file.errorString() << '\n';
        return kFailure;
    }
    const auto imported = importCurl(QString::fromUtf8(file.readAll()));
    if (!imported) {
        err << "gatescope-cli import: " << imported.error().message << '\n';
        return kInvalid;
    }
    const bool keep = parser.isSet(keepSecrets);
    out << toHttpText(*imported, keep);
    for (const QString &note : imported->notes)
        err << "note: " << note << '\n';
    const bool secrets = std::ranges::any_of(
        imported->request.headers, [](const HttpHeader &h) { return isSecretHeader(h.name); });
    if (secrets && !keep)
        err << "note: credentials were written as {{variables}}; keep their values in "
               "http-client.private.env.json, out of version control.\n";
    return kOk;
}

} // namespace gs::cli
