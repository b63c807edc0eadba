#include "commands.h"
#include "core/interop/curlimport.h"
#include "core/interop/postmanimport.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

int importPostmanTo(
    const QByteArray &json, const QString &directory, QTextStream &out, QTextStream &err)
{
    const auto imported = importPostman(json);
    if (!imported) {
        err << "gatescope-cli import: " << imported.error().message << '\n';
        return kInvalid;
    }
    // Never overwrite: a file that is there already may be someone's work.
    QStringList existing;
    for (const QString &relative : imported->files.keys()
            + QStringList { u"http-client.env.json"_s, u"http-client.private.env.json"_s }) {
        if (QFileInfo::exists(QDir(directory).filePath(relative)))
            existing << relative;
    }
    if (!existing.isEmpty()) {
        err << "gatescope-cli import: " << directory << " already has " << existing.join(u", "_s)
            << "; nothing was written\n";
        return kFailure;
    }
    const auto written = imported->writeTo(directory);
    if (!written) {
        err << "gatescope-cli import: " << written.error().message << '\n';
        return kFailure;
    }
    out << "Imported \"" << imported->name << "\": " << imported->requests << " requests\n";
    for (const QString &f : *written)
        out << "  " << f << '\n';
    printNotes(err, imported->notes);
    return kOk;
}

} // namespace

int runImport(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reads a request written for another tool and prints it as a .http request. "
        "FORMAT: curl (a command as browsers' \"Copy as cURL\", API docs or other clients "
        "write it; printed to standard output, credentials as {{variables}} unless "
        "--keep-secrets), or postman (a Postman Collection v2.1 file, written as a "
        "collection folder into OUTDIR)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FORMAT"_s, u"curl or postman"_s);
    parser.addPositionalArgument(
        u"FILE"_s, u"The command or collection, or - for standard input."_s);
    parser.addPositionalArgument(
        u"OUTDIR"_s, u"postman: the folder to write (it must not hold those files yet)."_s);
    const QCommandLineOption keepSecrets(
        u"keep-secrets"_s, u"Print tokens and passwords as they are in the command."_s);
    parser.addOption(keepSecrets);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli import: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"import"_s);
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    const bool postman = positional.value(0) == "postman"_L1;
    if (!(positional.size() == 2 && positional.first() == "curl"_L1)
        && !(positional.size() == 3 && postman)) {
        err << "gatescope-cli import: expected \"curl FILE\" or \"postman FILE OUTDIR\" (FILE may "
               "be - for standard input)\n";
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
    if (postman)
        return importPostmanTo(file.readAll(), positional[2], out, err);
    const auto imported = importCurl(QString::fromUtf8(file.readAll()));
    if (!imported) {
        err << "gatescope-cli import: " << imported.error().message << '\n';
        return kInvalid;
    }
    const bool keep = parser.isSet(keepSecrets);
    Variables secrets;
    const auto text = toHttpText(*imported, keep, &secrets);
    if (!text) {
        err << "gatescope-cli import: " << text.error().message << '\n';
        return kInvalid;
    }
    out << *text;
    printNotes(err, imported->notes);
    if (!secrets.isEmpty())
        err << "note: credentials were written as variables (" << secrets.keys().join(u", "_s)
            << "); keep their values in http-client.private.env.json or the keyring, out of "
               "version control.\n";
    return kOk;
}

} // namespace gs::cli
