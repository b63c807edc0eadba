#include "commands.h"
#include "core/batch/batchlint.h"
#include "core/model/error.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

QJsonObject lintJson(const BatchLint &lint)
{
    const QJsonArray problems = batchLintProblemsJson(lint);
    QJsonObject models;
    for (auto it = lint.models.cbegin(); it != lint.models.cend(); ++it)
        models.insert(it.key(), qint64(it.value()));
    return QJsonObject { { u"ok"_s, lint.ok() }, { u"requests"_s, qint64(lint.requests) },
        { u"bytes"_s, lint.bytes }, { u"endpoint"_s, lint.endpoint }, { u"models"_s, models },
        { u"errors"_s, qint64(lint.errors) }, { u"warnings"_s, qint64(lint.warnings) },
        { u"problems"_s, problems }, { u"problemsLeftOut"_s, qint64(lint.problemsLeftOut) } };
}

} // namespace

QJsonArray batchLintProblemsJson(const BatchLint &lint)
{
    QJsonArray problems;
    for (const BatchLintProblem &p : lint.problems)
        problems.append(QJsonObject { { u"line"_s, qint64(p.line) },
            { u"severity"_s,
                p.severity == BatchLintProblem::Severity::Error ? u"error"_s : u"warning"_s },
            { u"message"_s, p.message } });
    return problems;
}

void printBatchLint(QTextStream &out, const QString &name, const BatchLint &lint)
{
    for (const BatchLintProblem &p : lint.problems) {
        out << name;
        if (p.line > 0)
            out << ':' << p.line;
        out << (p.severity == BatchLintProblem::Severity::Error ? ": error: " : ": warning: ")
            << quotedForMessage(p.message, 300) << '\n';
    }
    if (lint.problemsLeftOut > 0)
        out << "and " << lint.problemsLeftOut << " more problems\n";
}

int runLintBatch(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Checks a batch input file (JSONL, one request per line) before it is uploaded: "
        "every line a JSON object with a unique custom_id, method POST, one url for all, a "
        "body naming a model and not streamed; the gateway's 200 MB limit; the line and "
        "reason of each problem."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(
        u"FILE.jsonl"_s, u"The batch input file, or - for standard input."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON for scripts."_s);
    const QCommandLineOption endpointOption(u"endpoint"_s,
        u"The endpoint every request must name, as /v1/chat/completions."_s, u"PATH"_s);
    const QCommandLineOption minLinesOption(
        u"min-lines"_s, u"The fewest requests the provider takes (Bedrock: 100)."_s, u"N"_s);
    parser.addOptions({ jsonOption, endpointOption, minLinesOption });
    if (!parser.parse(arguments)) {
        err << "gatescope-cli lint-batch: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"lint-batch"_s);
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli lint-batch: expected one FILE.jsonl (or - for standard input)\n";
        return kFailure;
    }
    BatchLinter::Options options;
    options.endpoint = parser.value(endpointOption);
    if (parser.isSet(minLinesOption)) {
        bool ok = false;
        options.minLines = parser.value(minLinesOption).toLongLong(&ok);
        if (!ok || options.minLines < 1) {
            err << "gatescope-cli lint-batch: --min-lines takes a whole number above 0\n";
            return kFailure;
        }
    }
    const QString path = parser.positionalArguments().first();
    QFile file;
    const bool opened = path == "-"_L1 ? file.open(stdin, QIODevice::ReadOnly)
                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err << "gatescope-cli lint-batch: cannot read " << path << ": " << file.errorString()
            << '\n';
        return kFailure;
    }
    // Read in pieces: a 200 MB file is never held whole.
    BatchLinter linter(options);
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0) {
            err << "gatescope-cli lint-batch: cannot read " << path << ": " << file.errorString()
                << '\n';
            return kFailure;
        }
        if (n == 0)
            break;
        linter.feed(QByteArrayView(buffer).first(n));
    }
    const BatchLint lint = linter.finish();
    if (parser.isSet(jsonOption)) {
        out << QJsonDocument(lintJson(lint)).toJson(QJsonDocument::Indented);
        return lint.ok() ? kOk : kInvalid;
    }
    const QString name = path == "-"_L1 ? u"<stdin>"_s : path;
    printBatchLint(out, name, lint);
    QStringList models;
    for (auto it = lint.models.cbegin(); it != lint.models.cend(); ++it)
        models << u"%1 (%2)"_s.arg(it.key()).arg(it.value());
    out << lint.requests << (lint.requests == 1 ? " request" : " requests");
    if (!lint.endpoint.isEmpty())
        out << " to " << lint.endpoint;
    if (!models.isEmpty())
        out << "; models: " << models.join(u", "_s);
    out << "; " << lint.errors << (lint.errors == 1 ? " error, " : " errors, ") << lint.warnings
        << (lint.warnings == 1 ? " warning" : " warnings") << '\n';
    return lint.ok() ? kOk : kInvalid;
}

} // namespace gs::cli
