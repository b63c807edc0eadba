#include "core/model/gatewayrequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(gs::core::HttpHeaders)

class TestGatewayRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void composeEveryHeader();
    void composeOmitsUnsetHeaders();
    void url_data();
    void url();
    void decodeTypedFields();
    void decodeKeepsMisfitsVerbatim_data();
    void decodeKeepsMisfitsVerbatim();
    void roundTripIsByteIdentical_data();
    void roundTripIsByteIdentical();
    void editedFieldUsesCanonicalText();
    void modelIsWrittenIntoTheBody();
    void masking();
};

namespace {

GatewayRequest fullRequest()
{
    GatewayRequest r;
    r.baseUrl = u"https://gateway.truefoundry.ai"_s;
    r.endpoint = Endpoint::ChatCompletions;
    r.body = R"({"model":"openai-main/gpt-4o-mini","messages":[]})"_ba;
    r.model = u"openai-main/gpt-4o-mini"_s;
    r.bearerToken = u"tfy-secret"_s;
    r.metadata = MetadataEntries { { u"tfy_log_request"_s, u"true"_s },
        { u"custom_field"_s, u"va\"lue"_s } };
    r.providerName = u"openai-main"_s;
    r.strictOpenAi = false;
    r.retryConfig = RetryConfig { 3, QList<qint64> { 429, 500, 503 }, true };
    r.requestTimeoutMs = 30000;
    r.ttftTimeoutMs = 5000;
    r.loggingEnabled = true;
    r.guardrails = Guardrails { { u"g/in"_s }, { u"g/out1"_s, u"g/out2"_s } };
    r.mcpHeaders
        = QJsonObject { { u"srv"_s, QJsonObject { { u"Authorization"_s, u"Bearer mcp"_s } } } };
    r.extraHeaders = { { "X-Trace"_ba, "abc"_ba } };
    return r;
}

} // namespace

void TestGatewayRequest::composeEveryHeader()
{
    const WireRequest wire = compose(fullRequest());
    QCOMPARE(wire.method, "POST"_ba);
    QCOMPARE(wire.url, u"https://gateway.truefoundry.ai/chat/completions"_s);
    const HttpHeaders expected {
        { "Authorization"_ba, "Bearer tfy-secret"_ba },
        { "Content-Type"_ba, "application/json"_ba },
        { "x-tfy-provider-name"_ba, "openai-main"_ba },
        { "x-tfy-metadata"_ba, R"({"tfy_log_request":"true","custom_field":"va\"lue"})"_ba },
        { "x-tfy-strict-openai"_ba, "false"_ba },
        { "x-tfy-retry-config"_ba,
            R"({"attempts":3,"onStatusCodes":[429,500,503],"useRetryAfterHeader":true})"_ba },
        { "x-tfy-request-timeout"_ba, "30000"_ba },
        { "x-tfy-ttft-timeout-ms"_ba, "5000"_ba },
        { "x-tfy-logging-config"_ba, R"({"enabled":true})"_ba },
        { "x-tfy-guardrails"_ba,
            R"({"llm_input_guardrails":["g/in"],"llm_output_guardrails":["g/out1","g/out2"]})"_ba },
        { "x-tfy-mcp-headers"_ba, R"({"srv":{"Authorization":"Bearer mcp"}})"_ba },
        { "X-Trace"_ba, "abc"_ba },
    };
    QCOMPARE(wire.headers, expected);
    QCOMPARE(wire.body, R"({"model":"openai-main/gpt-4o-mini","messages":[]})"_ba);
}

void TestGatewayRequest::composeOmitsUnsetHeaders()
{
    GatewayRequest r;
    r.baseUrl = u"https://gw.example/api/llm/"_s;
    r.endpoint = Endpoint::Models;
    const WireRequest wire = compose(r);
    QCOMPARE(wire.method, "GET"_ba);
    QCOMPARE(wire.url, u"https://gw.example/api/llm/models"_s);
    QVERIFY(wire.headers.isEmpty());
    QVERIFY(wire.body.isEmpty());

    // An explicit Content-Type is not doubled.
    r.endpoint = Endpoint::Custom;
    r.customPath = u"upload"_s;
    r.body = "x"_ba;
    r.extraHeaders = { { "content-type"_ba, "text/plain"_ba } };
    const WireRequest custom = compose(r);
    QCOMPARE(custom.url, u"https://gw.example/api/llm/upload"_s);
    QCOMPARE(custom.headers, (HttpHeaders { { "content-type"_ba, "text/plain"_ba } }));
}

void TestGatewayRequest::url_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("base");
    QTest::addColumn<int>("endpoint");
    QTest::addColumn<QString>("customPath");
    QTest::addColumn<QString>("query");

    QTest::newRow("saas chat") << u"https://gateway.truefoundry.ai/chat/completions"_s
                               << u"https://gateway.truefoundry.ai"_s
                               << int(Endpoint::ChatCompletions) << QString() << QString();
    QTest::newRow("completions is not chat")
        << u"https://h/api/llm/completions"_s << u"https://h/api/llm"_s
        << int(Endpoint::Completions) << QString() << QString();
    QTest::newRow("older openai prefix") << u"https://h/api/llm/api/inference/openai/embeddings"_s
                                         << u"https://h/api/llm/api/inference/openai"_s
                                         << int(Endpoint::Embeddings) << QString() << QString();
    QTest::newRow("rerank v2") << u"https://h/v2/rerank"_s << u"https://h"_s
                               << int(Endpoint::Rerank) << QString() << QString();
    QTest::newRow("images") << u"https://h/images/generations"_s << u"https://h"_s
                            << int(Endpoint::ImageGenerations) << QString() << QString();
    QTest::newRow("files with query") << u"https://h/files?purpose=batch"_s << u"https://h"_s
                                      << int(Endpoint::Files) << QString() << u"purpose=batch"_s;
    QTest::newRow("custom path") << u"https://h/api/llm/health"_s << u"https://h"_s
                                 << int(Endpoint::Custom) << u"/api/llm/health"_s << QString();
    QTest::newRow("variables stay") << u"{{baseUrl}}/messages"_s << u"{{baseUrl}}"_s
                                    << int(Endpoint::Messages) << QString() << QString();
}

void TestGatewayRequest::url()
{
    QFETCH(QString, url);
    QFETCH(QString, base);
    QFETCH(int, endpoint);
    QFETCH(QString, customPath);
    QFETCH(QString, query);
    GatewayRequest r;
    applyUrl(r, url);
    QCOMPARE(r.baseUrl, base);
    QCOMPARE(int(r.endpoint), endpoint);
    QCOMPARE(r.customPath, customPath);
    QCOMPARE(r.query, query);
    QCOMPARE(r.url(), url);
}

void TestGatewayRequest::decodeTypedFields()
{
    const GatewayRequest original = fullRequest();
    const GatewayRequest r = decode(compose(original));
    QCOMPARE(r.bearerToken, original.bearerToken);
    QCOMPARE(r.providerName, original.providerName);
    QCOMPARE(r.strictOpenAi, original.strictOpenAi);
    QCOMPARE(r.retryConfig, original.retryConfig);
    QCOMPARE(r.requestTimeoutMs, original.requestTimeoutMs);
    QCOMPARE(r.ttftTimeoutMs, original.ttftTimeoutMs);
    QCOMPARE(r.loggingEnabled, original.loggingEnabled);
    QCOMPARE(r.guardrails, original.guardrails);
    QCOMPARE(r.mcpHeaders, original.mcpHeaders);
    QCOMPARE(r.model, original.model);
    QCOMPARE(r.endpoint, Endpoint::ChatCompletions);
    QVERIFY(r.unparsedHeaders.isEmpty());
    QVERIFY(r.metadata.has_value());
    // JSON objects carry no order: compare as sets.
    auto sorted = [](MetadataEntries e) {
        std::ranges::sort(e);
        return e;
    };
    QCOMPARE(sorted(*r.metadata), sorted(*original.metadata));
    // Content-Type and the unknown header are ordinary headers after decoding.
    QCOMPARE(r.extraHeaders.size(), 2);
    QCOMPARE(r.extraHeaders[1].name, "X-Trace"_ba);
}

void TestGatewayRequest::decodeKeepsMisfitsVerbatim_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");

    const auto row = [](const char *tag, const QByteArray &name, const QByteArray &value) {
        QTest::newRow(tag) << name << value;
    };
    row("metadata number value", "x-tfy-metadata"_ba, R"({"a":1})"_ba);
    row("metadata not json", "x-tfy-metadata"_ba, "team=platform"_ba);
    row("metadata array", "x-tfy-metadata"_ba, R"(["a"])"_ba);
    row("strict yes", "x-tfy-strict-openai"_ba, "yes"_ba);
    row("timeout fraction", "x-tfy-request-timeout"_ba, "1.5"_ba);
    row("ttft words", "x-tfy-ttft-timeout-ms"_ba, "five seconds"_ba);
    row("retry string attempts", "x-tfy-retry-config"_ba, R"({"attempts":"3"})"_ba);
    row("retry unknown key", "x-tfy-retry-config"_ba, R"({"attempts":3,"delay":100})"_ba);
    row("logging string", "x-tfy-logging-config"_ba, R"({"enabled":"true"})"_ba);
    row("guardrails unknown shape", "x-tfy-guardrails"_ba, R"({"input":["a"]})"_ba);
    row("mcp not object", "x-tfy-mcp-headers"_ba, "[]"_ba);
}

void TestGatewayRequest::decodeKeepsMisfitsVerbatim()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    const WireRequest wire { "POST"_ba, u"https://h/chat/completions"_s, { { name, value } }, {} };
    const GatewayRequest r = decode(wire);
    QCOMPARE(r.unparsedHeaders, (HttpHeaders { { name, value } }));
    QCOMPARE(compose(r), wire);
}

void TestGatewayRequest::roundTripIsByteIdentical_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("canonical") << "POST"_ba << u"https://h/chat/completions"_s
                               << HttpHeaders { { "Authorization"_ba, "Bearer t"_ba },
                                      { "Content-Type"_ba, "application/json"_ba },
                                      { "x-tfy-metadata"_ba, R"({"a":"b"})"_ba } }
                               << R"({"model":"m/x"})"_ba;
    QTest::newRow("hand-written spacing, order and case") << "POST"_ba << u"https://h/api/llm/chat/completions"_s
        << HttpHeaders {
               { "X-TFY-RETRY-CONFIG"_ba, R"({ "useRetryAfterHeader": false, "attempts": 2 })"_ba },
               { "content-type"_ba, "application/json; charset=utf-8"_ba },
               { "x-tfy-metadata"_ba, R"({ "z": "1", "a": "2" })"_ba },
               { "authorization"_ba, "bearer lower-case-scheme"_ba },
               { "x-tfy-strict-openai"_ba, " true"_ba },
               { "x-tfy-request-timeout"_ba, "0030000"_ba },
               { "Accept"_ba, "text/event-stream"_ba },
               { "x-tfy-logging-config"_ba, R"({"enabled": false})"_ba },
           }
        << "{\n  \"model\": \"openai-main/gpt-4o\",\n  \"stream\": true\n}\n"_ba;
    QTest::newRow("get without body")
        << "GET"_ba << u"https://h/models"_s
        << HttpHeaders { { "Authorization"_ba, "Bearer t"_ba } } << QByteArray();
    QTest::newRow("duplicate gateway header")
        << "POST"_ba << u"https://h/responses"_s
        << HttpHeaders { { "Content-Type"_ba, "application/json"_ba },
               { "x-tfy-provider-name"_ba, "a"_ba }, { "x-tfy-provider-name"_ba, "b"_ba } }
        << R"({"model":"a/b"})"_ba;
    QTest::newRow("invalid json header")
        << "POST"_ba << u"https://h/chat/completions"_s
        << HttpHeaders { { "Content-Type"_ba, "application/json"_ba },
               { "x-tfy-metadata"_ba, "{broken"_ba } }
        << "{}"_ba;
}

void TestGatewayRequest::roundTripIsByteIdentical()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, body);
    const WireRequest wire { method, url, headers, body };
    const WireRequest again = compose(decode(wire));
    QCOMPARE(again.toText(true), wire.toText(true));
    // And decoding what was composed is stable too.
    QCOMPARE(compose(decode(again)), again);
}

void TestGatewayRequest::editedFieldUsesCanonicalText()
{
    const WireRequest wire { "POST"_ba, u"https://h/chat/completions"_s,
        { { "Content-Type"_ba, "application/json"_ba },
            { "x-tfy-retry-config"_ba, R"({ "attempts": 2 })"_ba },
            { "x-tfy-request-timeout"_ba, "100"_ba } },
        "{}"_ba };
    GatewayRequest r = decode(wire);
    QVERIFY(r.retryConfig);
    r.retryConfig->attempts = 5;
    r.ttftTimeoutMs = 700;
    const WireRequest edited = compose(r);
    // The edited header keeps its place and gets canonical text; the untouched one
    // keeps its bytes; the new one comes after.
    QCOMPARE(edited.headers,
        (HttpHeaders { { "Content-Type"_ba, "application/json"_ba },
            { "x-tfy-retry-config"_ba, R"({"attempts":5})"_ba },
            { "x-tfy-request-timeout"_ba, "100"_ba }, { "x-tfy-ttft-timeout-ms"_ba, "700"_ba } }));
}

void TestGatewayRequest::modelIsWrittenIntoTheBody()
{
    GatewayRequest r;
    r.baseUrl = u"https://h"_s;
    r.body = R"({"model":"a/old","messages":[]})"_ba;
    r.model = u"a/old"_s;
    QCOMPARE(compose(r).body, r.body); // unchanged model: bytes untouched
    r.model = u"b/new"_s;
    const QJsonObject body = QJsonDocument::fromJson(compose(r).body).object();
    QCOMPARE(body.value(u"model"_s).toString(), u"b/new"_s);
    QVERIFY(body.value(u"messages"_s).isArray());
    r.body = "not json"_ba;
    QCOMPARE(compose(r).body, "not json"_ba); // never mangles a body it cannot read
}

void TestGatewayRequest::masking()
{
    const WireRequest wire = compose(fullRequest());
    const QByteArray masked = wire.toText(false);
    QVERIFY(!masked.contains("tfy-secret"));
    QVERIFY(!masked.contains("Bearer mcp"));
    QVERIFY(masked.contains("Authorization: Bearer ********\r\n"));
    QVERIFY(masked.contains("x-tfy-provider-name: openai-main\r\n"));
    QVERIFY(masked.startsWith("POST https://gateway.truefoundry.ai/chat/completions HTTP/1.1\r\n"));
    const QByteArray shown = wire.toText(true);
    QVERIFY(shown.contains("Authorization: Bearer tfy-secret\r\n"));
    QVERIFY(shown.contains("Bearer mcp"));
    QCOMPARE(maskSecret("x-api-key", "k"), "********"_ba);
    QCOMPARE(maskSecret("Cookie", "a=b"), "********"_ba);
    QCOMPARE(maskSecret("x-other", "visible"), "visible"_ba);
}

QTEST_GUILESS_MAIN(TestGatewayRequest)
#include "tst_gatewayrequest.moc"
