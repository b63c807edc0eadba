#include "commands.h"
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
        "Credentials are read from the environment (TFY_API_KEY) unless --show-secrets."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FORMAT"_s, u"curl, python, javascript or http"_s);
    parser.addPositionalArgument(u"FILE.http"_s, u"The request file."_s);
    const RequestOptions options;
    options.addTo(parser);
    const QCommandLineOption showSecrets(
        u"show-secrets"_s, u"Write the token and other credentials into the code as they are."_s);
    parser.addOption(showSecrets);
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
