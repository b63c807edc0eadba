#include "commands.h"
#include "core/gatewayresponse.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

namespace {

QString formatScalar(const QJsonValue &v)
{
    if (v.isString())
        return QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    return u"null"_s;
}

void printTree(QTextStream &out, const QJsonValue &v, int depth)
{
    const QString indent(qsizetype(depth) * 2, u' ');
    const auto printEntry = [&](const QString &label, const QJsonValue &child) {
        if ((child.isObject() && !child.toObject().isEmpty())
            || (child.isArray() && !child.toArray().isEmpty())) {
            out << indent << label << ":\n";
            printTree(out, child, depth + 1);
        } else if (child.isObject()) {
            out << indent << label << ": {}\n";
        } else if (child.isArray()) {
            out << indent << label << ": []\n";
        } else {
            out << indent << label << ": " << formatScalar(child) << '\n';
        }
    };
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            printEntry(it.key(), it.value());
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            printEntry(u"[%1]"_s.arg(i), a[i]);
    } else {
        out << indent << formatScalar(v) << '\n';
    }
}

QString formatMs(double ms)
{
    return ms >= 1000 ? u"%1 s"_s.arg(ms / 1000, 0, 'f', 2)
                      : u"%1 ms"_s.arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

void printWaterfall(QTextStream &out, const QList<ServerTimingMetric> &metrics)
{
    const QList<PlacedMetric> placed = inferPlacement(metrics);
    double end = 0;
    qsizetype nameWidth = 4;
    for (const PlacedMetric &p : placed) {
        end = std::max(end, p.start + std::max(0.0, p.metric.duration));
        nameWidth = std::max(nameWidth, p.metric.name.size());
    }
    constexpr int kWidth = 40;
    for (const PlacedMetric &p : placed) {
        QString bar(kWidth, u' ');
        if (end > 0) {
            const int from = int(p.start / end * kWidth);
            const int to = std::max(from + (p.metric.duration > 0 ? 1 : 0),
                int(std::lround((p.start + p.metric.duration) / end * kWidth)));
            for (int i = from; i < std::min(to, kWidth); ++i)
                bar[i] = p.envelope ? u'=' : u'#';
        }
        out << "  " << p.metric.name.leftJustified(nameWidth) << ' '
            << formatMs(p.metric.duration).rightJustified(10) << " |" << bar << '|';
        if (!p.metric.description.isEmpty())
            out << ' ' << p.metric.description;
        out << '\n';
    }
    out << "  (bars placed one after another in header order, \"=\" spans the others: inferred, "
           "the header has no start times)\n";
}

} // namespace

int runInspect(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Reports what a gateway said in a captured raw HTTP/1.1 response: status, "
        "resolved model, applied configurations, server timing, feedback target."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE"_s, u"The captured response, or - for standard input."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print JSON for scripts."_s);
    parser.addOption(jsonOption);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli inspect: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli inspect: expected one FILE (or - for standard input)\n";
        return kFailure;
    }
    const QString path = parser.positionalArguments().first();
    QFile file;
    const bool opened = path == "-"_L1 ? file.open(stdin, QIODevice::ReadOnly)
                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err << "gatescope-cli inspect: cannot read " << path << ": " << file.errorString() << '\n';
        return kFailure;
    }
    const auto response = parseRawResponse(file.readAll());
    if (!response) {
        err << "gatescope-cli inspect: " << path << ": " << response.error().message << '\n';
        return kFailure;
    }
    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(response->allFields());

    if (parser.isSet(jsonOption)) {
        QJsonArray headers;
        for (const HttpHeader &h : response->headers)
            headers.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        const auto bodyError = errorFromBody(response->body);
        QJsonArray trailers;
        for (const HttpHeader &h : response->trailers)
            trailers.append(QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        QJsonArray timing;
        for (const ServerTimingMetric &m : info.serverTiming)
            timing.append(QJsonObject {
                { u"name"_s, m.name }, { u"dur"_s, m.duration }, { u"desc"_s, m.description } });
        QJsonValue feedback = QJsonValue::Null;
        if (info.feedbackTarget) {
            QJsonObject f { { u"spanId"_s, info.feedbackTarget->spanId },
                { u"traceId"_s, info.feedbackTarget->traceId },
                { u"raw"_s, info.feedbackTarget->raw } };
            if (!info.feedbackTarget->error.isEmpty())
                f.insert(u"error"_s, info.feedbackTarget->error);
            feedback = f;
        }
        QJsonArray gatewayHeaders;
        for (const HttpHeader &h : info.gatewayHeaders)
            gatewayHeaders.append(
                QJsonArray { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        const QJsonObject report {
            { u"status"_s, response->status },
            { u"reason"_s, QString::fromUtf8(response->reason) },
            { u"headers"_s, headers },
            { u"trailers"_s, trailers },
            { u"resolvedModel"_s,
                info.resolvedModel.isEmpty() ? QJsonValue::Null : QJsonValue(info.resolvedModel) },
            { u"appliedConfigurations"_s, info.appliedConfigurations },
            { u"appliedConfigurationsError"_s,
                info.appliedConfigurationsError.isEmpty()
                    ? QJsonValue::Null
                    : QJsonValue(info.appliedConfigurationsError) },
            { u"serverTiming"_s, timing },
            { u"feedbackTarget"_s, feedback },
            { u"gatewayHeaders"_s, gatewayHeaders },
            { u"error"_s, bodyError ? bodyError->raw : QJsonValue::Null },
        };
        out << QJsonDocument(report).toJson(QJsonDocument::Indented);
        return kOk;
    }

    out << "Status:          " << response->status << (response->reason.isEmpty() ? "" : " ")
        << QString::fromUtf8(response->reason) << " (" << QString::fromUtf8(response->httpVersion)
        << ")\n";
    out << "Resolved model:  "
        << (info.resolvedModel.isEmpty() ? u"(not reported)"_s : info.resolvedModel) << '\n';
    out << "Body:            " << response->body.size() << " bytes";
    if (const QByteArray type = headerValue(response->headers, "content-type"); !type.isEmpty())
        out << ", " << QString::fromUtf8(type);
    out << '\n';
    if (const auto error = errorFromBody(response->body)) {
        QStringList details;
        if (!error->type.isEmpty())
            details << u"type "_s + error->type;
        if (!error->code.isEmpty())
            details << u"code "_s + error->code;
        out << "Error:           "
            << (error->message.isEmpty() ? u"(no message)"_s : error->message);
        if (!details.isEmpty())
            out << " (" << details.join(", "_L1) << ')';
        out << '\n';
    }
    out << "\nApplied configurations:\n";
    if (!info.appliedConfigurationsError.isEmpty())
        out << "  ! " << info.appliedConfigurationsError
            << "\n  raw: " << info.appliedConfigurationsRaw << '\n';
    else if (info.appliedConfigurations.isNull() && info.appliedConfigurationsRaw.isEmpty())
        out << "  (no x-tfy-applied-configurations header)\n";
    else
        printTree(out, info.appliedConfigurations, 1);
    out << "\nServer timing:\n";
    if (info.serverTiming.isEmpty())
        out << "  (no server-timing metrics; the gateway sends them on non-streaming responses)\n";
    else
        printWaterfall(out, info.serverTiming);
    out << "\nFeedback target:\n";
    if (!info.feedbackTarget)
        out << "  (no x-tfy-feedback-target-id header)\n";
    else if (!info.feedbackTarget->error.isEmpty())
        out << "  ! " << info.feedbackTarget->error << ": " << info.feedbackTarget->raw << '\n';
    else
        out << "  traceId " << info.feedbackTarget->traceId << "\n  spanId  "
            << info.feedbackTarget->spanId << '\n';
    out << "\nGateway headers (x-tfy-*):\n";
    if (info.gatewayHeaders.isEmpty())
        out << "  (none)\n";
    for (const HttpHeader &h : info.gatewayHeaders)
        out << "  " << QString::fromUtf8(h.name) << ": " << QString::fromUtf8(h.value) << '\n';
    return kOk;
}

} // namespace gs::cli
