#include "core/model/validation.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(gs::core::HttpHeaders)

// Rows are raw requests as a user would write them: method, URL, headers, body. Each
// row names the field an error must be reported on (empty: no error at all) and a
// fragment of the message a user must see.
class TestValidation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
    void reportsEveryProblemAtOnce();
    void typedFieldsOutOfRange();
    void warningsDoNotBlock();
    void vertexHeadersWarn();
};

namespace {

GatewayRequest request(const QByteArray &method, const QString &url, const HttpHeaders &headers,
    const QByteArray &body)
{
    return decode(WireRequest { method, url, headers, body });
}

const QByteArray kChatBody
    = R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})"_ba;
const QString kChatUrl = u"https://gateway.truefoundry.ai/chat/completions"_s;

} // namespace

void TestValidation::rules_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorField");
    QTest::addColumn<QString>("messagePart");

    const HttpHeaders auth { { "Authorization"_ba, "Bearer t"_ba } };
    const auto with = [&](QByteArray name, QByteArray value) {
        HttpHeaders h = auth;
        h.append({ std::move(name), std::move(value) });
        return h;
    };

    // Passing rows: each rule's accepted form.
    QTest::newRow("ok: plain chat")
        << "POST"_ba << kChatUrl << auth << kChatBody << QString() << QString();
    QTest::newRow("ok: metadata strings")
        << "POST"_ba << kChatUrl
        << with("x-tfy-metadata", R"({"tfy_log_request":"true","custom_field":"value"})")
        << kChatBody << QString() << QString();
    QTest::newRow("ok: metadata value of 128")
        << "POST"_ba << kChatUrl
        << with("x-tfy-metadata", "{\"k\":\"" + QByteArray(128, 'v') + "\"}") << kChatBody
        << QString() << QString();
    QTest::newRow("ok: retry config")
        << "POST"_ba << kChatUrl
        << with("x-tfy-retry-config",
               R"({"attempts":0,"onStatusCodes":[100,599],"useRetryAfterHeader":false})")
        << kChatBody << QString() << QString();
    QTest::newRow("ok: timeouts") << "POST"_ba << kChatUrl << with("x-tfy-request-timeout", "1")
                                  << kChatBody << QString() << QString();
    QTest::newRow("ok: strict false")
        << "POST"_ba << kChatUrl << with("x-tfy-strict-openai", "false") << kChatBody << QString()
        << QString();
    QTest::newRow("ok: responses with provider")
        << "POST"_ba << u"https://h/responses"_s << with("x-tfy-provider-name", "openai-main")
        << kChatBody << QString() << QString();
    QTest::newRow("ok: models needs no model")
        << "GET"_ba << u"https://h/models"_s << auth << QByteArray() << QString() << QString();
    QTest::newRow("ok: non-json body with its content type")
        << "POST"_ba << u"https://h/audio/transcriptions"_s
        << with("Content-Type", "multipart/form-data; boundary=x") << "--x--"_ba << QString()
        << QString();

    // Failing rows.
    QTest::newRow("metadata not json")
        << "POST"_ba << kChatUrl << with("x-tfy-metadata", "team=platform") << kChatBody
        << u"metadata"_s << u"not valid JSON"_s;
    QTest::newRow("metadata array") << "POST"_ba << kChatUrl << with("x-tfy-metadata", R"(["a"])")
                                    << kChatBody << u"metadata"_s << u"must be a JSON object"_s;
    QTest::newRow("metadata number value")
        << "POST"_ba << kChatUrl << with("x-tfy-metadata", R"({"tier":1})") << kChatBody
        << u"metadata.tier"_s << u"must be a string, not a number"_s;
    QTest::newRow("metadata bool value")
        << "POST"_ba << kChatUrl << with("x-tfy-metadata", R"({"log":true})") << kChatBody
        << u"metadata.log"_s << u"must be a string, not a boolean"_s;
    QTest::newRow("metadata nested value")
        << "POST"_ba << kChatUrl << with("x-tfy-metadata", R"({"o":{}})") << kChatBody
        << u"metadata.o"_s << u"not an object"_s;
    QTest::newRow("metadata value of 129")
        << "POST"_ba << kChatUrl
        << with("x-tfy-metadata", "{\"k\":\"" + QByteArray(129, 'v') + "\"}") << kChatBody
        << u"metadata.k"_s << u"at most 128"_s;
    QTest::newRow("retry attempts negative")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"attempts":-1})") << kChatBody
        << u"retryConfig.attempts"_s << u"0 or more"_s;
    QTest::newRow("retry attempts fraction")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"attempts":1.5})") << kChatBody
        << u"retryConfig.attempts"_s << u"whole number"_s;
    QTest::newRow("retry attempts string")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"attempts":"3"})") << kChatBody
        << u"retryConfig.attempts"_s << u"whole number"_s;
    QTest::newRow("retry code 99")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"onStatusCodes":[99]})")
        << kChatBody << u"retryConfig.onStatusCodes"_s << u"99"_s;
    QTest::newRow("retry code 600")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"onStatusCodes":[429,600]})")
        << kChatBody << u"retryConfig.onStatusCodes"_s << u"600"_s;
    QTest::newRow("retry code string")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"onStatusCodes":["429"]})")
        << kChatBody << u"retryConfig"_s << u"numeric codes: {\"onStatusCodes\":[429]}"_s;
    QTest::newRow("retry codes not a list")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"onStatusCodes":429})")
        << kChatBody << u"retryConfig.onStatusCodes"_s << u"list"_s;
    QTest::newRow("retry-after not bool")
        << "POST"_ba << kChatUrl << with("x-tfy-retry-config", R"({"useRetryAfterHeader":"yes"})")
        << kChatBody << u"retryConfig.useRetryAfterHeader"_s << u"true or false"_s;
    QTest::newRow("request timeout zero")
        << "POST"_ba << kChatUrl << with("x-tfy-request-timeout", "0") << kChatBody
        << u"requestTimeoutMs"_s << u"positive"_s;
    QTest::newRow("request timeout negative")
        << "POST"_ba << kChatUrl << with("x-tfy-request-timeout", "-5") << kChatBody
        << u"requestTimeoutMs"_s << u"positive"_s;
    QTest::newRow("request timeout text")
        << "POST"_ba << kChatUrl << with("x-tfy-request-timeout", "30s") << kChatBody
        << u"requestTimeoutMs"_s << u"whole number"_s;
    QTest::newRow("ttft timeout fraction")
        << "POST"_ba << kChatUrl << with("x-tfy-ttft-timeout-ms", "2.5") << kChatBody
        << u"ttftTimeoutMs"_s << u"whole number"_s;
    QTest::newRow("ttft timeout zero")
        << "POST"_ba << kChatUrl << with("x-tfy-ttft-timeout-ms", "0") << kChatBody
        << u"ttftTimeoutMs"_s << u"positive"_s;
    QTest::newRow("strict not bool") << "POST"_ba << kChatUrl << with("x-tfy-strict-openai", "yes")
                                     << kChatBody << u"strictOpenAi"_s << u"true or false"_s;
    QTest::newRow("strict capitalised")
        << "POST"_ba << kChatUrl << with("x-tfy-strict-openai", "True") << kChatBody
        << u"strictOpenAi"_s << u"true or false"_s;
    QTest::newRow("logging not bool")
        << "POST"_ba << kChatUrl << with("x-tfy-logging-config", R"({"enabled":1})") << kChatBody
        << u"loggingEnabled"_s << u"enabled"_s;
    QTest::newRow("guardrails not names")
        << "POST"_ba << kChatUrl << with("x-tfy-guardrails", R"({"llm_input_guardrails":"g/x"})")
        << kChatBody << u"guardrails"_s << u"list of guardrail names"_s;
    QTest::newRow("mcp headers not json") << "POST"_ba << kChatUrl << with("x-tfy-mcp-headers", "{")
                                          << kChatBody << u"mcpHeaders"_s << u"not valid JSON"_s;
    QTest::newRow("cache config of another type")
        << "POST"_ba << kChatUrl << with("x-tfy-cache-config", R"({"type":"fuzzy","ttl":600})")
        << kChatBody << u"header:x-tfy-cache-config"_s << u"\"semantic\" or \"exact-match\""_s;
    QTest::newRow("cache ttl in words")
        << "POST"_ba << kChatUrl << with("x-tfy-cache-config", R"({"type":"semantic","ttl":"10m"})")
        << kChatBody << u"header:x-tfy-cache-config"_s << u"whole number of seconds"_s;
    QTest::newRow("cache threshold above one")
        << "POST"_ba << kChatUrl
        << with("x-tfy-cache-config", R"({"type":"semantic","similarity_threshold":90})")
        << kChatBody << u"header:x-tfy-cache-config"_s << u"at most 1"_s;
    QTest::newRow("cache config documented")
        << "POST"_ba << kChatUrl
        << with("x-tfy-cache-config",
               R"({"type":"semantic","similarity_threshold":0.9,"ttl":600,"namespace":"team-a"})")
        << kChatBody << QString() << QString();
    const auto vertex = [&](QByteArray bucket, QByteArray region, QByteArray model) {
        HttpHeaders h = with("x-tfy-provider-name", "vertex-main");
        h.append({ "x-tfy-vertex-storage-bucket-name"_ba, std::move(bucket) });
        h.append({ "x-tfy-vertex-region"_ba, std::move(region) });
        h.append({ "x-tfy-provider-model"_ba, std::move(model) });
        return h;
    };
    const QString files = u"https://h/files"_s;
    QTest::newRow("ok: vertex files")
        << "GET"_ba << files << vertex("batch-inputs.team_a", "us-central1", "gemini-2.0-flash-001")
        << QByteArray() << QString() << QString();
    QTest::newRow("vertex bucket as URL")
        << "GET"_ba << files << vertex("gs://my-bucket/in", "us-central1", "gemini-2.0-flash-001")
        << QByteArray() << u"vertexStorageBucketName"_s << u"\"my-bucket\""_s;
    QTest::newRow("vertex bucket uppercase")
        << "GET"_ba << files << vertex("My-Bucket", "us-central1", "gemini-2.0-flash-001")
        << QByteArray() << u"vertexStorageBucketName"_s << u"not a Cloud Storage bucket name"_s;
    QTest::newRow("vertex bucket too short")
        << "GET"_ba << files << vertex("ab", "us-central1", "gemini-2.0-flash-001") << QByteArray()
        << u"vertexStorageBucketName"_s << u"3 to 63"_s;
    QTest::newRow("vertex bucket part too long")
        << "GET"_ba << files << vertex(QByteArray(64, 'a') + ".b", "us-central1", "m")
        << QByteArray() << u"vertexStorageBucketName"_s << u"at most 63"_s;
    QTest::newRow("vertex provider model with space")
        << "GET"_ba << files << vertex("bucket", "us-central1", "gemini 2") << QByteArray()
        << u"providerModel"_s << u"has a space"_s;
    QTest::newRow("responses without provider")
        << "POST"_ba << u"https://h/responses"_s << auth << kChatBody << u"providerName"_s
        << u"x-tfy-provider-name"_s;
    QTest::newRow("files without provider") << "GET"_ba << u"https://h/files"_s << auth
                                            << QByteArray() << u"providerName"_s << u"Files"_s;
    QTest::newRow("batches with blank provider")
        << "GET"_ba << u"https://h/batches"_s << with("x-tfy-provider-name", " ") << QByteArray()
        << u"providerName"_s << u"Batches"_s;
    QTest::newRow("chat without model") << "POST"_ba << kChatUrl << auth << R"({"messages":[]})"_ba
                                        << u"model"_s << u"needs a model id"_s;
    QTest::newRow("embeddings without body") << "POST"_ba << u"https://h/embeddings"_s << auth
                                             << QByteArray() << u"model"_s << u"needs a model id"_s;
    QTest::newRow("body not json") << "POST"_ba << kChatUrl << auth
                                   << "{\"model\":\"a/b\",\n  oops}"_ba << u"body"_s << u"line 2"_s;
    QTest::newRow("body json by explicit type")
        << "POST"_ba << u"https://h/x"_s << with("Content-Type", "application/vnd.api+json")
        << "nope"_ba << u"body"_s << u"not valid JSON"_s;
    QTest::newRow("header value with LF")
        << "POST"_ba << kChatUrl << with("X-Note", "a\nInjected: yes") << kChatBody
        << u"header:X-Note"_s << u"line feed"_s;
    QTest::newRow("header value with CR")
        << "POST"_ba << kChatUrl << with("X-Note", "a\rb") << kChatBody << u"header:X-Note"_s
        << u"carriage return"_s;
    QTest::newRow("header value with NUL")
        << "POST"_ba << kChatUrl << with("X-Note", QByteArray("a\0b", 3)) << kChatBody
        << u"header:X-Note"_s << u"NUL"_s;
    QTest::newRow("gateway header with LF")
        << "POST"_ba << kChatUrl << with("x-tfy-provider-name", "a\nb") << kChatBody
        << u"providerName"_s << u"line feed"_s;
    QTest::newRow("token with CR")
        << "POST"_ba << kChatUrl << HttpHeaders { { "Authorization"_ba, "Bearer a\rb"_ba } }
        << kChatBody << u"token"_s << u"carriage return"_s;
    QTest::newRow("bad header name") << "POST"_ba << kChatUrl << with("Bad Name", "x") << kChatBody
                                     << u"header:Bad Name"_s << u"not a valid HTTP header name"_s;
    QTest::newRow("unresolved in header")
        << "POST"_ba << kChatUrl << HttpHeaders { { "Authorization"_ba, "Bearer {{token}}"_ba } }
        << kChatBody << u"token"_s << u"{{token}}"_s;
    QTest::newRow("unresolved in url") << "POST"_ba << u"{{baseUrl}}/chat/completions"_s << auth
                                       << kChatBody << u"url"_s << u"{{baseUrl}}"_s;
    QTest::newRow("unresolved in body")
        << "POST"_ba << kChatUrl << auth << R"({"model":"a/b","user":"{{ user }}"})"_ba << u"body"_s
        << u"{{user}}"_s;
    QTest::newRow("unresolved in metadata")
        << "POST"_ba << kChatUrl << with("x-tfy-metadata", R"({"team":"{{team}}"})") << kChatBody
        << u"metadata"_s << u"{{team}}"_s;
    QTest::newRow("environment variable not set")
        << "POST"_ba << kChatUrl << with("X-Run", "{{$processEnv GATESCOPE_SURELY_UNSET}}")
        << kChatBody << u"header:X-Run"_s
        << u"the environment variable GATESCOPE_SURELY_UNSET is not set"_s;
    QTest::newRow("unknown dynamic variable")
        << "POST"_ba << kChatUrl << with("X-Mail", "{{$random.email}}") << kChatBody
        << u"header:X-Mail"_s << u"no dynamic variable Gatescope knows"_s;
    QTest::newRow("no url") << "POST"_ba << u"/chat/completions"_s << auth << kChatBody << u"url"_s
                            << u"base URL"_s;
    QTest::newRow("ftp url") << "POST"_ba << u"ftp://h/chat/completions"_s << auth << kChatBody
                             << u"url"_s << u"http(s)"_s;
    QTest::newRow("bad method") << "PO ST"_ba << kChatUrl << auth << kChatBody << u"method"_s
                                << u"not a valid HTTP method"_s;
}

void TestValidation::rules()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, errorField);
    QFETCH(QString, messagePart);

    const QList<Issue> issues = validate(request(method, url, headers, body));
    QStringList errors;
    for (const Issue &i : issues) {
        if (i.severity == Issue::Severity::Error)
            errors << i.field + u": "_s + i.message;
    }
    if (errorField.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        return;
    }
    const bool found = std::ranges::any_of(issues, [&](const Issue &i) {
        return i.severity == Issue::Severity::Error && i.field == errorField
            && i.message.contains(messagePart);
    });
    QVERIFY2(found,
        qPrintable(u"no error on %1 mentioning \"%2\"; got:\n"_s.arg(errorField, messagePart)
            + errors.join(u'\n')));
}

void TestValidation::reportsEveryProblemAtOnce()
{
    const GatewayRequest r = request("POST"_ba, u"https://h/responses"_s,
        { { "Authorization"_ba, "Bearer {{token}}"_ba },
            { "x-tfy-metadata"_ba, R"({"a":1,"b":false})"_ba },
            { "x-tfy-request-timeout"_ba, "-1"_ba },
            { "x-tfy-retry-config"_ba, R"({"attempts":-2,"onStatusCodes":[42]})"_ba } },
        R"({"messages":[]})"_ba);
    const QList<Issue> issues = validate(r);
    QStringList fields;
    for (const Issue &i : issues) {
        if (i.severity == Issue::Severity::Error)
            fields << i.field;
    }
    fields.sort();
    QCOMPARE(fields,
        (QStringList { u"metadata.a"_s, u"metadata.b"_s, u"model"_s, u"providerName"_s,
            u"requestTimeoutMs"_s, u"retryConfig.attempts"_s, u"retryConfig.onStatusCodes"_s,
            u"token"_s }));
}

void TestValidation::typedFieldsOutOfRange()
{
    // What a form can produce: typed values that are out of range.
    GatewayRequest r
        = request("POST"_ba, kChatUrl, { { "Authorization"_ba, "Bearer t"_ba } }, kChatBody);
    r.metadata = MetadataEntries { { u"a"_s, QString(200, u'x') }, { u"a"_s, u"dup"_s },
        { QString(), u"v"_s } };
    r.retryConfig = RetryConfig { -1, QList<qint64> { 700 }, std::nullopt };
    r.ttftTimeoutMs = -3;
    QStringList fields;
    for (const Issue &i : validate(r))
        fields << i.field;
    QVERIFY(fields.contains(u"metadata.a"_s));
    QVERIFY(fields.contains(u"metadata"_s));
    QVERIFY(fields.contains(u"retryConfig.attempts"_s));
    QVERIFY(fields.contains(u"retryConfig.onStatusCodes"_s));
    QVERIFY(fields.contains(u"ttftTimeoutMs"_s));
    QVERIFY(hasErrors(validate(r)));
}

void TestValidation::warningsDoNotBlock()
{
    const GatewayRequest r = request("POST"_ba, kChatUrl,
        { { "Authorization"_ba, "Bearer t"_ba },
            { "x-tfy-retry-config"_ba, R"({"attempts":2,"delay":100})"_ba },
            { "x-tfy-guardrails"_ba, R"({"custom":["x"]})"_ba } },
        R"({"model":"gpt-4o"})"_ba);
    const QList<Issue> issues = validate(r);
    QVERIFY(!hasErrors(issues));
    QStringList warnings;
    for (const Issue &i : issues)
        warnings << i.field;
    warnings.sort();
    QCOMPARE(warnings, (QStringList { u"guardrails"_s, u"model"_s, u"retryConfig"_s }));
}

void TestValidation::vertexHeadersWarn()
{
    const auto warningsFor = [](const QString &url, const HttpHeaders &headers) {
        HttpHeaders all { { "Authorization"_ba, "Bearer t"_ba },
            { "x-tfy-provider-name"_ba, "vertex-main"_ba } };
        all.append(headers);
        const QList<Issue> issues = validate(request("GET"_ba, url, all, QByteArray()));
        QStringList messages;
        for (const Issue &i : issues) {
            if (i.severity == Issue::Severity::Warning)
                messages << i.field + u": "_s + i.message;
            else
                messages << u"error: "_s + i.message;
        }
        return messages;
    };
    // A bucket alone: the other two are named.
    QCOMPARE(warningsFor(u"https://h/batches"_s,
                 { { "x-tfy-vertex-storage-bucket-name"_ba, "inputs"_ba } }),
        QStringList { u"vertexStorageBucketName: A Vertex account's files and "
                      "batches need x-tfy-vertex-region and x-tfy-provider-model as well as "
                      "x-tfy-vertex-storage-bucket-name."_s });
    // A region that is no region.
    QCOMPARE(warningsFor(u"https://h/files"_s,
                 { { "x-tfy-vertex-storage-bucket-name"_ba, "inputs"_ba },
                     { "x-tfy-vertex-region"_ba, "Iowa"_ba },
                     { "x-tfy-provider-model"_ba, "gemini-2.0-flash-001"_ba } }),
        QStringList { u"vertexRegion: x-tfy-vertex-region: \"Iowa\" does not look "
                      "like a Google Cloud region such as us-central1 or europe-west4."_s });
    // On chat, the gateway does not read them.
    const QStringList onChat = warningsFor(kChatUrl, { { "x-tfy-vertex-region"_ba, "global"_ba } });
    QVERIFY2(onChat.contains(u"vertexRegion: x-tfy-vertex-region is read on /files "
                             "and /batches (Vertex accounts), not on the Chat completions API."_s),
        qPrintable(onChat.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
