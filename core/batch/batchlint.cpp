#include "core/batch/batchlint.h"

#include "core/model/formfields.h"
#include "core/model/issue.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

//! A line longer than this is not parsed (OpenAI's own limit on one request is far
//! below it); the file's size limit still applies.
constexpr qsizetype kMaxLineBytes = 16 * 1024 * 1024;

QString quoted(const QString &text)
{
    QString shown = text.left(60);
    if (text.size() > 60)
        shown += u'…';
    return u'"' + shown + u'"';
}

//! "/v1/chat/completions" and "/chat/completions" name the same endpoint.
QString withoutVersion(const QString &url)
{
    return url.startsWith("/v1/"_L1) ? url.mid(3) : url;
}

QString megabytes(qint64 bytes)
{
    if (bytes < 1024 * 1024)
        return u"%1 bytes"_s.arg(bytes);
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MB"_s;
}

} // namespace

BatchLinter::BatchLinter(Options options)
    : m_options(std::move(options))
{ }

void BatchLinter::problem(
    qsizetype line, BatchLintProblem::Severity severity, const QString &message)
{
    if (severity == BatchLintProblem::Severity::Error)
        ++m_result.errors;
    else
        ++m_result.warnings;
    if (m_result.problems.size() < BatchLint::kMaxListed)
        m_result.problems.append({ line, severity, message });
    else
        ++m_result.problemsLeftOut;
}

void BatchLinter::feed(QByteArrayView bytes)
{
    m_result.bytes += bytes.size();
    while (!bytes.isEmpty()) {
        const qsizetype end = bytes.indexOf('\n');
        const QByteArrayView piece = end < 0 ? bytes : bytes.first(end);
        if (!m_tooLong) {
            if (m_pending.size() + piece.size() > kMaxLineBytes) {
                m_tooLong = true;
                m_pending.clear();
            } else {
                m_pending.append(piece);
            }
        }
        if (end < 0)
            return;
        bytes = bytes.sliced(end + 1);
        endLine();
    }
}

void BatchLinter::endLine()
{
    ++m_line;
    if (m_tooLong)
        tooLong();
    else
        line(m_pending);
    m_pending.clear();
    m_tooLong = false;
}

void BatchLinter::tooLong()
{
    ++m_result.requests;
    problem(m_line, BatchLintProblem::Severity::Error,
        u"The line is longer than %1; no request is that large."_s.arg(megabytes(kMaxLineBytes)));
}

void BatchLinter::line(QByteArrayView text)
{
    using enum BatchLintProblem::Severity;
    const qsizetype n = m_line;
    if (n == 1 && text.startsWith("\xEF\xBB\xBF")) {
        problem(
            n, Error, u"The file starts with a byte order mark; save it as UTF-8 without one."_s);
        text = text.sliced(3);
    }
    if (text.endsWith('\r'))
        text.chop(1);
    if (text.trimmed().isEmpty()) {
        problem(n, Warning, u"An empty line; each line should be one request."_s);
        return;
    }
    ++m_result.requests;
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8.decode(text);
    if (utf8.hasError()) {
        problem(n, Error, u"The line is not valid UTF-8."_s);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The column in characters, from the byte offset Qt gives.
        const qsizetype offset = std::min<qsizetype>(parseError.offset, text.size());
        const qsizetype column = QString::fromUtf8(text.first(offset)).size() + 1;
        problem(n, Error,
            u"Not valid JSON: %1 at column %2."_s.arg(parseError.errorString()).arg(column));
        return;
    }
    if (!doc.isObject()) {
        problem(n, Error, u"A request is a JSON object, not an array."_s);
        return;
    }
    const QJsonObject request = doc.object();

    const QJsonValue id = request.value("custom_id"_L1);
    if (id.isUndefined())
        problem(n, Error, u"No custom_id: each request needs one to match its result."_s);
    else if (!id.isString() || id.toString().isEmpty())
        problem(n, Error, u"custom_id must be a non-empty string."_s);
    else if (const auto first = m_ids.constFind(id.toString()); first != m_ids.constEnd())
        problem(n, Error,
            u"custom_id %1 is already on line %2; each must be unique."_s.arg(quoted(id.toString()))
                .arg(*first));
    else
        m_ids.insert(id.toString(), n);

    const QJsonValue method = request.value("method"_L1);
    if (method.isUndefined())
        problem(n, Error, u"No method: the Batch API takes \"method\": \"POST\"."_s);
    else if (method.toString() != "POST"_L1)
        problem(n, Error,
            u"method must be \"POST\", not %1."_s.arg(quoted(method.toVariant().toString())));

    const QJsonValue url = request.value("url"_L1);
    if (url.isUndefined()) {
        problem(
            n, Error, u"No url: the endpoint each request goes to, as \"/v1/chat/completions\"."_s);
    } else if (!url.isString() || !url.toString().startsWith(u'/')) {
        problem(n, Error,
            u"url must be a path such as \"/v1/chat/completions\", not %1."_s.arg(
                quoted(url.toVariant().toString())));
    } else if (m_result.endpoint.isEmpty()) {
        m_result.endpoint = url.toString();
        if (!m_options.endpoint.isEmpty()
            && withoutVersion(m_result.endpoint) != withoutVersion(m_options.endpoint))
            problem(n, Error,
                u"url %1 is not the batch's endpoint %2."_s.arg(
                    quoted(m_result.endpoint), quoted(m_options.endpoint)));
    } else if (withoutVersion(url.toString()) != withoutVersion(m_result.endpoint)) {
        problem(n, Error,
            u"url %1 differs from the first request's %2: a batch goes to one endpoint."_s.arg(
                quoted(url.toString()), quoted(m_result.endpoint)));
    }

    const QJsonValue body = request.value("body"_L1);
    if (body.isUndefined()) {
        problem(n, Error, u"No body: the request's JSON body goes under \"body\"."_s);
    } else if (!body.isObject()) {
        problem(n, Error, u"body must be a JSON object."_s);
    } else {
        const QJsonObject b = body.toObject();
        const QJsonValue model = b.value("model"_L1);
        if (!model.isString() || model.toString().isEmpty())
            problem(n, Error, u"body has no model."_s);
        else
            ++m_result.models[model.toString()];
        if (b.value("stream"_L1).toBool())
            problem(n, Error, u"body asks to stream; batch requests cannot."_s);
    }

    for (auto it = request.begin(); it != request.end(); ++it) {
        static const QStringList known { u"custom_id"_s, u"method"_s, u"url"_s, u"body"_s };
        if (!known.contains(it.key()))
            problem(n, Warning,
                u"%1 is not a key of a batch request; it is ignored."_s.arg(quoted(it.key())));
    }
}

BatchLint BatchLinter::finish()
{
    using enum BatchLintProblem::Severity;
    // A last line without its newline is a line too.
    if (!m_pending.isEmpty() || m_tooLong)
        endLine();
    if (m_result.bytes > m_options.maxBytes)
        problem(0, Error,
            u"The file is %1; the gateway takes batch input files up to %2."_s.arg(
                megabytes(m_result.bytes), megabytes(m_options.maxBytes)));
    if (m_result.requests == 0)
        problem(0, Error, u"The file holds no request."_s);
    else if (m_result.requests < m_options.minLines)
        problem(0, Error,
            u"%1 requests; this provider takes a batch of at least %2 (Bedrock: 100)."_s
                .arg(m_result.requests)
                .arg(m_options.minLines));
    if (m_result.requests > kMaxBatchRequests)
        problem(0, Warning,
            u"%1 requests; OpenAI's Batch API takes at most %2 in one file."_s
                .arg(m_result.requests)
                .arg(kMaxBatchRequests));
    return std::move(m_result);
}

qsizetype minBatchLines(const QString &providerName)
{
    return providerName.contains("bedrock"_L1, Qt::CaseInsensitive) ? kBedrockMinBatchLines : 1;
}

QList<Issue> lintBatchUpload(const WireRequest &wire)
{
    QList<Issue> issues;
    const auto fields = formFields(wire);
    if (!fields || !QUrl(wire.url).path().endsWith("/files"_L1))
        return issues;
    const auto purpose = std::ranges::find(*fields, u"purpose"_s, &FormField::name);
    const auto file = std::ranges::find(*fields, u"file"_s, &FormField::name);
    if (purpose == fields->end() || purpose->value.trimmed() != "batch" || file == fields->end()
        || !file->isFile())
        return issues;
    QFile f(file->path);
    if (!f.open(QIODevice::ReadOnly))
        return issues; // resolve() names a file it cannot read
    BatchLinter linter;
    for (QByteArray piece = f.read(1024 * 1024); !piece.isEmpty(); piece = f.read(1024 * 1024))
        linter.feed(piece);
    const BatchLint lint = linter.finish();
    const QString name = QFileInfo(file->path).fileName();
    for (const BatchLintProblem &p : lint.problems) {
        const QString where = p.line > 0 ? u"%1:%2"_s.arg(name).arg(p.line) : name;
        const QString text = u"%1: %2"_s.arg(where, p.message);
        issues << (p.severity == BatchLintProblem::Severity::Error
                ? Issue { Issue::Severity::Error, u"body"_s, text }
                : Issue { Issue::Severity::Warning, u"body"_s, text });
    }
    if (lint.problemsLeftOut > 0)
        issues << Issue { Issue::Severity::Error, u"body"_s,
            u"%1: and %2 more problems (gatescope-cli lint-batch lists them)"_s.arg(name).arg(
                lint.problemsLeftOut) };
    return issues;
}

} // namespace gs::core
