#include "commands.h"
#include "core/batch/batchlint.h"
#include "core/httpfile/httpfile.h"
#include "core/model/formfields.h"
#include "core/model/gatewayrequest.h"
#include "core/model/validation.h"
#include "requestfile.h"

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

//! Where each file of an upload goes: its path, size and offset in the body.
QJsonArray filesJson(const WireRequest &wire)
{
    QJsonArray files;
    for (const BodyFile &f : wire.bodyFiles)
        files.append(QJsonObject {
            { u"path"_s, f.path }, { u"size"_s, f.size }, { u"offset"_s, qint64(f.offset) } });
    return files;
}

qint64 fileSize(const WireRequest &wire, const QString &path)
{
    for (const BodyFile &f : wire.bodyFiles)
        if (f.path == path)
            return f.size;
    return -1;
}

//! "purpose = batch", "file: in.jsonl (application/jsonl), 272 bytes from /x/in.jsonl".
QString partLine(const FormField &f, const WireRequest &wire)
{
    if (!f.isFile() && f.filename.isEmpty())
        return u"%1 = %2"_s.arg(f.name, quotedForMessage(QString::fromUtf8(f.value), 200));
    QString line = f.name + u": "_s + (f.filename.isEmpty() ? u"(no file name)"_s : f.filename);
    if (!f.contentType.isEmpty())
        line += u" ("_s + QString::fromUtf8(f.contentType) + u')';
    if (f.isFile())
        return line + u", %1 bytes from %2"_s.arg(fileSize(wire, f.path)).arg(f.path);
    return line + u", %1 bytes written in the file"_s.arg(f.value.size());
}

//! Each part of a form: a field's value, a file's name, type, path and size.
QJsonArray partsJson(const WireRequest &wire)
{
    QJsonArray parts;
    const auto fields = formFields(wire);
    if (!fields)
        return parts;
    for (const FormField &f : *fields) {
        QJsonObject part { { u"name"_s, f.name } };
        if (!f.filename.isEmpty())
            part.insert(u"filename"_s, f.filename);
        if (!f.contentType.isEmpty())
            part.insert(u"contentType"_s, QString::fromUtf8(f.contentType));
        if (f.isFile()) {
            part.insert(u"path"_s, f.path);
            part.insert(u"size"_s, fileSize(wire, f.path));
        } else {
            part.insert(u"value"_s, QString::fromUtf8(f.value));
        }
        parts.append(part);
    }
    return parts;
}

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
    const RequestOptions options;
    options.addTo(parser);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON for scripts."_s);
    const QCommandLineOption secretsOption(
        u"show-secrets"_s, u"Print the bearer token and other credentials unmasked."_s);
    const QCommandLineOption rawBodyOption(u"raw-body"_s,
        u"Print a multipart body as it goes out (each file as <file PATH, N bytes>) instead "
        "of a summary of its parts."_s);
    parser.addOptions({ jsonOption, secretsOption, rawBodyOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli compose: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"compose"_s);
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        err << "gatescope-cli compose: expected one FILE.http\n"
            << commandHelp(parser, u"compose"_s);
        return kFailure;
    }
    const bool json = parser.isSet(jsonOption);

    const auto loaded = loadRequest(parser, options, u"compose"_s);
    if (!loaded) {
        if (json)
            out << QJsonDocument(QJsonObject { { u"ok"_s, false },
                                     { u"errors"_s,
                                         QJsonArray { QJsonObject { { u"field"_s, u"file"_s },
                                             { u"message"_s, loaded.error().message } } } },
                                     { u"warnings"_s, QJsonArray() } })
                       .toJson(QJsonDocument::Compact)
                << '\n';
        else
            err << loaded.error().message << '\n';
        return exitCodeFor(loaded.error());
    }
    loaded->printNotes(err);
    const GatewayRequest *request = &loaded->request;
    QList<Issue> issues = validate(*request);
    issues += lintBatchUpload(compose(*request));
    const bool showSecrets = parser.isSet(secretsOption);
    // A body read from a file is named, so that nobody sends a file unawares.
    QJsonArray includes;
    if (loaded->include) {
        includes.append(QJsonObject {
            { u"path"_s, loaded->include->path }, { u"bytes"_s, loaded->include->size } });
        if (!json)
            err << "note: the body is the file " << loaded->include->path << " ("
                << loaded->include->size << " bytes)\n";
    }

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
            printIssues(err, issues);
        }
        return kInvalid;
    }
    if (!json)
        printIssues(err, issues);

    const WireRequest composed = compose(*request);
    const WireRequest wire = showSecrets ? composed : loaded->redactor().request(composed);
    if (json) {
        QJsonArray headers;
        for (const HttpHeader &h : wire.headers)
            headers.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        out << QJsonDocument(QJsonObject {
                                 { u"ok"_s, true },
                                 { u"request"_s,
                                     QJsonObject {
                                         { u"method"_s, QString::fromUtf8(wire.method) },
                                         { u"url"_s, wire.url },
                                         { u"headers"_s, headers },
                                         { u"body"_s, QString::fromUtf8(wire.bodyText()) },
                                         { u"files"_s, filesJson(wire) },
                                         { u"parts"_s, partsJson(wire) },
                                     } },
                                 { u"warnings"_s, issuesJson(issues, Issue::Severity::Warning) },
                                 { u"includes"_s, includes },
                             })
                   .toJson(QJsonDocument::Compact)
            << '\n';
    } else if (const auto fields = formFields(wire); fields && !parser.isSet(rawBodyOption)) {
        // The request line and headers, then each part in a line: a file by its name,
        // type, size and path.
        WireRequest head = wire;
        head.body.clear();
        head.bodyFiles.clear();
        out << QString::fromUtf8(head.toText(true));
        out << "[multipart/form-data, " << fields->size()
            << (fields->size() == 1 ? " part" : " parts") << ", " << wire.bodySize()
            << " bytes; --raw-body prints it as it goes out]\n";
        for (const FormField &f : *fields)
            out << "  " << partLine(f, wire) << '\n';
    } else {
        out << QString::fromUtf8(wire.toText(true));
        if (!wire.body.isEmpty() && !wire.body.endsWith('\n'))
            out << '\n';
    }
    return kOk;
}

} // namespace gs::cli
