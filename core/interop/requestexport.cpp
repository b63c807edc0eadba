#include "core/interop/requestexport.h"

#include "core/httpfile/httpwriter.h"
#include "core/json/jsontree.h"
#include "core/model/formfields.h"
#include "core/model/redaction.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

constexpr auto kTokenVariable = "TFY_API_KEY"_L1;

QString shellQuoted(const QString &s)
{
    QString out = s;
    out.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + out + u'\'';
}

// An environment variable name for a credential header: x-api-key -> X_API_KEY.
QString variableFor(QByteArrayView header)
{
    return QString::fromLatin1(header).toUpper().replace(u'-', u'_');
}

// Whether a JSON body asks for a stream ("stream": true).
bool isStreaming(const JsonNode &body)
{
    return std::ranges::any_of(body.children, [](const JsonNode &m) {
        return m.key == "stream"_L1 && m.type == JsonNode::Type::Bool && m.scalar == "true"_L1;
    });
}

// JSON text, indented; for Python with its literals for true, false and null.
void writeValue(const JsonNode &node, bool python, int indent, int depth, QString &out)
{
    const QString pad(qsizetype(indent) * (depth + 1), u' ');
    const QString closePad(qsizetype(indent) * depth, u' ');
    switch (node.type) {
    case JsonNode::Type::Null:
        out += python ? u"None"_s : u"null"_s;
        return;
    case JsonNode::Type::Bool:
        out += python ? (node.scalar == "true"_L1 ? u"True"_s : u"False"_s) : node.scalar;
        return;
    case JsonNode::Type::Number:
    case JsonNode::Type::String:
        out += node.toJson();
        return;
    case JsonNode::Type::Array:
    case JsonNode::Type::Object: {
        const bool object = node.type == JsonNode::Type::Object;
        if (node.children.isEmpty()) {
            out += object ? u"{}"_s : u"[]"_s;
            return;
        }
        out += object ? u"{\n"_s : u"[\n"_s;
        for (const JsonNode &child : node.children) {
            out += pad;
            if (object) {
                JsonNode key;
                key.type = JsonNode::Type::String;
                key.scalar = child.key;
                out += key.toJson() + u": "_s;
            }
            writeValue(child, python, indent, depth + 1, out);
            out += u",\n"_s;
        }
        out += closePad + (object ? u'}' : u']');
        return;
    }
    }
}

QString quotedString(const QString &s)
{
    JsonNode n;
    n.type = JsonNode::Type::String;
    n.scalar = s;
    return n.toJson();
}

// A query string as a dictionary literal (the same text in Python and JavaScript);
// unless \a showSecrets, credentials are read from the environment.
QString queryLiteral(const QString &query, bool python, bool showSecrets)
{
    QStringList items;
    for (const auto &[key, value] : QUrlQuery(query).queryItems(QUrl::FullyDecoded)) {
        const QString shown = showSecrets || !isCredentialName(key)
            ? quotedString(value)
            : (python ? u"os.environ[\"%1\"]"_s : u"process.env.%1"_s)
                  .arg(variableFor(key.toUtf8()));
        items << quotedString(key) + u": "_s + shown;
    }
    return u'{' + items.join(u", "_s) + u'}';
}

struct SdkCall
{
    QString method; //!< after "client.", the same in Python and JavaScript
    bool hasBody = true;
};

std::optional<SdkCall> sdkCallFor(const GatewayRequest &r)
{
    switch (r.endpoint) {
    case Endpoint::ChatCompletions:
        return SdkCall { u"chat.completions.create"_s };
    case Endpoint::Completions:
        return SdkCall { u"completions.create"_s };
    case Endpoint::Embeddings:
        return SdkCall { u"embeddings.create"_s };
    case Endpoint::Responses:
        return SdkCall { u"responses.create"_s };
    case Endpoint::Models:
        return SdkCall { u"models.list"_s, false };
    default:
        return std::nullopt;
    }
}

// The headers an SDK call needs beyond what the client sets itself.
HttpHeaders sdkHeaders(const WireRequest &wire)
{
    HttpHeaders out;
    for (const HttpHeader &h : wire.headers) {
        if (headerNameEquals(h.name, "authorization") || headerNameEquals(h.name, "content-type"))
            continue;
        out.append(h);
    }
    return out;
}

bool isPythonIdentifier(const QString &key)
{
    static const QRegularExpression identifier(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    static const QSet<QString> keywords { u"False"_s, u"None"_s, u"True"_s, u"and"_s, u"as"_s,
        u"assert"_s, u"async"_s, u"await"_s, u"break"_s, u"class"_s, u"continue"_s, u"def"_s,
        u"del"_s, u"elif"_s, u"else"_s, u"except"_s, u"finally"_s, u"for"_s, u"from"_s, u"global"_s,
        u"if"_s, u"import"_s, u"in"_s, u"is"_s, u"lambda"_s, u"nonlocal"_s, u"not"_s, u"or"_s,
        u"pass"_s, u"raise"_s, u"return"_s, u"try"_s, u"while"_s, u"with"_s, u"yield"_s };
    return identifier.match(key).hasMatch() && !keywords.contains(key);
}

// The URL for a shell: credential query values read from the environment, the
// userinfo masked.
QString curlUrl(const QString &url, bool showSecrets)
{
    if (showSecrets)
        return shellQuoted(url);
    const QString masked = maskUserinfo(url);
    QString out;
    qsizetype from = 0;
    for (const QueryParameter &p : credentialParameters(masked)) {
        const QString name = QUrl::fromPercentEncoding(p.name.toUtf8());
        out += shellQuoted(masked.mid(from, p.valueStart - from)) + u"\"$"_s
            + variableFor(name.toUtf8()) + u'"';
        from = p.valueStart + p.value.size();
    }
    return out + shellQuoted(masked.mid(from));
}

//! -H for each header; credentials read from the environment unless \a showSecrets.
QStringList curlHeaders(const HttpHeaders &headers, bool showSecrets)
{
    QStringList lines;
    for (const HttpHeader &h : headers) {
        const QString name = QString::fromUtf8(h.name);
        if (!showSecrets && isSecretHeader(h.name)) {
            // Read from the environment: masked here, and the command still runs.
            const QString value
                = headerNameEquals(h.name, "authorization") && h.value.startsWith("Bearer ")
                ? QString(u"Bearer $"_s + kTokenVariable)
                : QString(u"$"_s + variableFor(h.name));
            lines << u"-H \""_s + name + u": "_s + value + u'"';
            continue;
        }
        lines << u"-H "_s + shellQuoted(name + u": "_s + QString::fromUtf8(h.value));
    }
    return lines;
}

//! A header value in SDK code: a credential from the environment unless \a showSecrets.
QString sdkHeaderValue(const HttpHeader &h, bool python, bool showSecrets)
{
    if (!showSecrets && isSecretHeader(h.name))
        return python ? u"os.environ[\"%1\"]"_s.arg(variableFor(h.name))
                      : u"process.env.%1"_s.arg(variableFor(h.name));
    return quotedString(QString::fromUtf8(h.value));
}

//! The client's api_key / apiKey: the token, or where the environment keeps it.
QString sdkApiKey(const GatewayRequest &r, bool python, bool showSecrets)
{
    if (showSecrets && !r.bearerToken.isEmpty())
        return quotedString(r.bearerToken);
    return python ? u"os.environ[\"%1\"]"_s.arg(kTokenVariable)
                  : u"process.env.%1"_s.arg(kTokenVariable);
}

QString exportCurl(const GatewayRequest &r, bool showSecrets)
{
    const WireRequest wire = compose(r);
    QStringList lines { u"curl -sS "_s + curlUrl(wire.url, showSecrets) };
    const bool body = !wire.body.isEmpty();
    if (QString::fromUtf8(wire.method) != (body ? "POST"_L1 : "GET"_L1))
        lines << u"-X "_s + QString::fromUtf8(wire.method);
    if (const auto tree = parseJsonTree(wire.body); tree && isStreaming(*tree))
        lines << u"--no-buffer"_s;
    lines += curlHeaders(wire.headers, showSecrets);
    if (body)
        lines << u"--data-raw "_s + shellQuoted(QString::fromUtf8(wire.body));
    return lines.join(u" \\\n  "_s) + u'\n';
}

// curl -F for each part (--form-string where -F would read the text as a file
// name or a type), curl choosing the boundary.
QString exportCurlForm(const GatewayRequest &r, const QList<FormField> &fields, bool showSecrets)
{
    const WireRequest wire = compose(r);
    QStringList lines { u"curl -sS "_s + curlUrl(wire.url, showSecrets) };
    if (wire.method != "POST")
        lines << u"-X "_s + QString::fromUtf8(wire.method);
    HttpHeaders headers = wire.headers;
    // curl writes multipart/form-data with its own boundary.
    headers.removeIf([](const HttpHeader &h) { return headerNameEquals(h.name, "content-type"); });
    lines += curlHeaders(headers, showSecrets);
    for (const FormField &f : fields) {
        if (f.isFile()) {
            // A quoted file name keeps ';' and ',' in it; '"' and '\\' escaped.
            QString path = f.path;
            path.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
            QString spec = f.name + u"=@\""_s + path + u'"';
            if (!f.contentType.isEmpty())
                spec += u";type="_s + QString::fromUtf8(f.contentType);
            if (f.filename != QFileInfo(f.path).fileName()) {
                QString filename = f.filename;
                filename.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
                spec += u";filename=\""_s + filename + u'"';
            }
            lines << u"-F "_s + shellQuoted(spec);
            continue;
        }
        const QString value = QString::fromUtf8(f.value);
        const bool literal = value.startsWith(u'@') || value.startsWith(u'<')
            || value.contains(u';') || !f.contentType.isEmpty();
        lines << (literal ? u"--form-string "_s : u"-F "_s) + shellQuoted(f.name + u'=' + value);
    }
    return lines.join(u" \\\n  "_s) + u'\n';
}

// An upload as the SDKs write it: client.files.create / audio.transcriptions.create
// with the file opened from its path and the other fields as arguments.
Result<QString> exportSdkUpload(
    const GatewayRequest &r, const QList<FormField> &fields, bool python, bool showSecrets)
{
    QString method;
    if (r.endpoint == Endpoint::Files && r.effectiveMethod() == "POST"_L1)
        method = u"files.create"_s;
    else if (r.endpoint == Endpoint::AudioTranscriptions)
        method = u"audio.transcriptions.create"_s;
    else
        return fail(Error::Kind::Usage,
            u"The openai SDK has no upload method for %1; export it as curl instead."_s.arg(
                r.url()));
    const FormField *file = nullptr;
    for (const FormField &f : fields) {
        if (f.isFile()) {
            if (file)
                return fail(Error::Kind::Usage,
                    u"The SDK uploads one file a call; export it as curl instead."_s);
            file = &f;
        }
    }
    if (!file)
        return fail(Error::Kind::Usage, u"The form has no file part to upload."_s);
    const WireRequest wire = compose(r);
    const HttpHeaders headers = sdkHeaders(wire);
    const auto headerValue
        = [&](const HttpHeader &h) { return sdkHeaderValue(h, python, showSecrets); };
    const QString apiKey = sdkApiKey(r, python, showSecrets);
    const QString baseUrl = quotedString(showSecrets ? r.baseUrl : maskUserinfo(r.baseUrl));
    const bool renamed = file->filename != QFileInfo(file->path).fileName();
    QString out;
    if (python) {
        out += u"import os\n\nfrom openai import OpenAI\n\n"_s;
        out += u"client = OpenAI(\n    base_url=%1,\n    api_key=%2,\n)\n\n"_s.arg(baseUrl, apiKey);
        out += u"with open(%1, \"rb\") as file:\n"_s.arg(quotedString(file->path));
        out += u"    response = client.%1(\n"_s.arg(method);
        out += renamed ? u"        %1=(%2, file),\n"_s.arg(file->name, quotedString(file->filename))
                       : u"        %1=file,\n"_s.arg(file->name);
        for (const FormField &f : fields) {
            if (!f.isFile())
                out += u"        %1=%2,\n"_s.arg(f.name, quotedString(QString::fromUtf8(f.value)));
        }
        if (!headers.isEmpty()) {
            out += u"        extra_headers={\n"_s;
            for (const HttpHeader &h : headers)
                out += u"            %1: %2,\n"_s.arg(
                    quotedString(QString::fromUtf8(h.name)), headerValue(h));
            out += u"        },\n"_s;
        }
        out += u"    )\nprint(response)\n"_s;
        return out;
    }
    out += u"import fs from \"fs\";\nimport OpenAI, { toFile } from \"openai\";\n\n"_s;
    out += u"const client = new OpenAI({\n  baseURL: %1,\n  apiKey: %2,\n});\n\n"_s.arg(
        baseUrl, apiKey);
    out += u"const response = await client.%1(\n  {\n"_s.arg(method);
    const QString stream = u"fs.createReadStream(%1)"_s.arg(quotedString(file->path));
    out += renamed
        ? u"    %1: await toFile(%2, %3),\n"_s.arg(file->name, stream, quotedString(file->filename))
        : u"    %1: %2,\n"_s.arg(file->name, stream);
    for (const FormField &f : fields) {
        if (!f.isFile())
            out += u"    %1: %2,\n"_s.arg(
                quotedString(f.name), quotedString(QString::fromUtf8(f.value)));
    }
    out += u"  },\n"_s;
    if (!headers.isEmpty()) {
        out += u"  {\n    headers: {\n"_s;
        for (const HttpHeader &h : headers)
            out += u"      %1: %2,\n"_s.arg(
                quotedString(QString::fromUtf8(h.name)), headerValue(h));
        out += u"    },\n  },\n"_s;
    }
    out += u");\nconsole.log(response);\n"_s;
    return out;
}

Result<QString> exportSdk(const GatewayRequest &r, bool python, bool showSecrets)
{
    const auto call = sdkCallFor(r);
    if (!call)
        return fail(Error::Kind::Usage,
            u"The openai SDK has no method for %1; export it as curl instead."_s.arg(r.url()));
    const WireRequest wire = compose(r);
    JsonNode body;
    if (call->hasBody) {
        auto tree = parseJsonTree(wire.body.isEmpty() ? QByteArray("{}") : wire.body);
        if (!tree || tree->type != JsonNode::Type::Object)
            return fail(Error::Kind::Validation,
                u"The body is not a JSON object, so it cannot become SDK arguments."_s);
        body = *tree;
    }
    const bool streaming = isStreaming(body);
    const HttpHeaders headers = sdkHeaders(wire);
    const auto headerValue
        = [&](const HttpHeader &h) { return sdkHeaderValue(h, python, showSecrets); };
    // One "name": value, line per header: a Python dict or a JavaScript object.
    const auto headerEntries = [&](const QString &indent) {
        QString entries;
        for (const HttpHeader &h : headers)
            entries += indent + quotedString(QString::fromUtf8(h.name)) + u": "_s + headerValue(h)
                + u",\n"_s;
        return entries;
    };
    const QString apiKey = sdkApiKey(r, python, showSecrets);
    QString out;
    if (python) {
        out += u"import os\n\nfrom openai import OpenAI\n\n"_s;
        out += u"client = OpenAI(\n    base_url=%1,\n    api_key=%2,\n)\n\n"_s.arg(
            quotedString(showSecrets ? r.baseUrl : maskUserinfo(r.baseUrl)), apiKey);
        out += u"response = client.%1(\n"_s.arg(call->method);
        JsonNode extraBody;
        extraBody.type = JsonNode::Type::Object;
        for (const JsonNode &member : body.children) {
            if (!isPythonIdentifier(member.key)) {
                extraBody.children.append(member);
                continue;
            }
            out += u"    "_s + member.key + u'=';
            writeValue(member, true, 4, 1, out);
            out += u",\n"_s;
        }
        if (!extraBody.children.isEmpty()) {
            out += u"    extra_body="_s;
            writeValue(extraBody, true, 4, 1, out);
            out += u",\n"_s;
        }
        if (!headers.isEmpty()) {
            out += u"    extra_headers={\n"_s + headerEntries(u"        "_s) + u"    },\n"_s;
        }
        if (!r.query.isEmpty())
            out += u"    extra_query=%1,\n"_s.arg(queryLiteral(r.query, true, showSecrets));
        out += u")\n"_s;
        if (r.endpoint == Endpoint::ChatCompletions && streaming)
            out += u"for chunk in response:\n    if chunk.choices and "
                   u"chunk.choices[0].delta.content:\n"
                   u"        print(chunk.choices[0].delta.content, end=\"\", flush=True)\nprint()\n"_s;
        else if (streaming || r.endpoint == Endpoint::Models)
            out += u"for item in response:\n    print(item)\n"_s;
        else
            out += u"print(response)\n"_s;
        return out;
    }
    out += u"import OpenAI from \"openai\";\n\n"_s;
    out += u"const client = new OpenAI({\n  baseURL: %1,\n  apiKey: %2,\n});\n\n"_s.arg(
        quotedString(showSecrets ? r.baseUrl : maskUserinfo(r.baseUrl)), apiKey);
    QString options;
    if (!headers.isEmpty() || !r.query.isEmpty()) {
        options += u"{\n"_s;
        if (!headers.isEmpty()) {
            options += u"    headers: {\n"_s + headerEntries(u"      "_s) + u"    },\n"_s;
        }
        if (!r.query.isEmpty())
            options += u"    query: %1,\n"_s.arg(queryLiteral(r.query, false, showSecrets));
        options += u"  }"_s;
    }
    out += u"const response = await client.%1(\n"_s.arg(call->method);
    if (call->hasBody) {
        out += u"  "_s;
        writeValue(body, false, 2, 1, out);
        out += u",\n"_s;
    } else if (!options.isEmpty()) {
        out += u"  {},\n"_s;
    }
    if (!options.isEmpty())
        out += u"  "_s + options + u",\n"_s;
    out += u");\n"_s;
    if (r.endpoint == Endpoint::ChatCompletions && streaming)
        out += u"for await (const chunk of response) {\n  "
               u"process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");\n}\n"
               u"process.stdout.write(\"\\n\");\n"_s;
    else if (streaming || r.endpoint == Endpoint::Models)
        out += u"for await (const item of response) {\n  console.log(item);\n}\n"_s;
    else
        out += u"console.log(response);\n"_s;
    return out;
}

} // namespace

std::optional<ExportFormat> exportFormatFromName(QStringView name)
{
    if (name == "curl"_L1)
        return ExportFormat::Curl;
    if (name == "python"_L1)
        return ExportFormat::Python;
    if (name == "javascript"_L1 || name == "js"_L1)
        return ExportFormat::JavaScript;
    if (name == "http"_L1)
        return ExportFormat::Http;
    return std::nullopt;
}

Result<QString> exportRequest(const GatewayRequest &request, ExportFormat format, bool showSecrets,
    const Variables &secretVariables, const HttpFileRequest *source)
{
    // A form is written as each tool writes forms; files by their paths.
    const std::optional<QList<FormField>> form = formFields(compose(request));
    if (!request.bodyFiles.isEmpty() && !form)
        return std::unexpected(Error { Error::Kind::Usage,
            u"The upload of %1 is not a multipart/form-data body another tool can write; the "
            ".http file itself runs in the other tools."_s.arg(request.bodyFiles.first().path),
            {} });
    if (form && format != ExportFormat::Http) {
        Result<QString> code = format == ExportFormat::Curl
            ? Result<QString>(exportCurlForm(request, *form, showSecrets))
            : exportSdkUpload(request, *form, format == ExportFormat::Python, showSecrets);
        if (!code || showSecrets)
            return code;
        return Redactor(secretVariables.values()).text(*code);
    }
    if (format == ExportFormat::Http) {
        TemplateOptions options;
        options.keepSecrets = showSecrets;
        options.baseUrl = request.baseUrl;
        options.source = source;
        TemplatedRequest templated = templateRequest(compose(request), options);
        if (!showSecrets) {
            // A secret anywhere else goes back to the variable it came from.
            QList<std::pair<QString, QString>> byLength(
                secretVariables.keyValueBegin(), secretVariables.keyValueEnd());
            std::ranges::sort(
                byLength, std::greater {}, [](const auto &v) { return v.second.size(); });
            HttpFileRequest &r = templated.request;
            for (const auto &[name, value] : std::as_const(byLength)) {
                if (value.size() < 4)
                    continue;
                const QString reference = u"{{"_s + name + u"}}"_s;
                r.target.replace(value, reference);
                for (auto &header : r.headers)
                    header.second.replace(value, reference);
                r.body.replace(value, reference);
            }
        }
        return formatHttpRequest(templated.request);
    }
    Result<QString> code = fail(Error::Kind::Usage, u"Unknown export format."_s);
    switch (format) {
    case ExportFormat::Curl:
        code = exportCurl(request, showSecrets);
        break;
    case ExportFormat::Python:
        code = exportSdk(request, true, showSecrets);
        break;
    case ExportFormat::JavaScript:
        code = exportSdk(request, false, showSecrets);
        break;
    case ExportFormat::Http:
        break;
    }
    if (!code || showSecrets)
        return code;
    // Secret values that no header or parameter name gave away, wherever they stand.
    return Redactor(secretVariables.values()).text(*code);
}

} // namespace gs::core
