#include "core/model/gatewayheaders.h"
#include "core/model/gatewayrequest.h"
#include "core/model/validation.h"

#include <QSet>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// The table of gateway headers: each entry's codec on its own, and the table as the
// one place decode(), compose() and validate() take their knowledge from.
class TestGatewayHeaders final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyEntryIsAGatewayHeaderWithItsOwnField();
    void lookupIgnoresCase();
    void roundTrip_data();
    void roundTrip();
    void refusedTextIsExplained_data();
    void refusedTextIsExplained();
    void documentedShapesAreQuietAndMcpHeadersChecked();
    void composeWritesTheTablesOrder();
    void validateReportsOnTheTablesField();
};

void TestGatewayHeaders::everyEntryIsAGatewayHeaderWithItsOwnField()
{
    QSet<QString> names;
    QSet<QString> fields;
    for (const GatewayHeaderSpec &spec : gatewayHeaderSpecs()) {
        QVERIFY2(spec.name.startsWith("x-tfy-"_L1), spec.name.data());
        QVERIFY(spec.decode && spec.encode && spec.check && spec.explain);
        names.insert(QString(spec.name));
        fields.insert(QString(spec.field));
        QCOMPARE(fieldForHeader(QByteArrayView(spec.name.data(), spec.name.size())),
            QString(spec.field));
        // An empty request sets none of them.
        QVERIFY(!spec.encode(GatewayRequest {}));
    }
    QCOMPARE(names.size(), qsizetype(gatewayHeaderSpecs().size()));
    QCOMPARE(fields.size(), qsizetype(gatewayHeaderSpecs().size()));
    QCOMPARE(gatewayHeaderSpecs().size(), std::size_t(12));
}

void TestGatewayHeaders::lookupIgnoresCase()
{
    const GatewayHeaderSpec *spec = gatewayHeaderSpec("X-TFY-Metadata");
    QVERIFY(spec);
    QCOMPARE(spec->field, "metadata"_L1);
    QVERIFY(!gatewayHeaderSpec("x-tfy-unknown"));
    QVERIFY(!gatewayHeaderSpec("Authorization"));
}

void TestGatewayHeaders::roundTrip_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("text");

    const auto row = [](const char *tag, const char *name, const QByteArray &text) {
        QTest::newRow(tag) << QByteArray(name) << text;
    };
    row("provider", "x-tfy-provider-name", "openai-main");
    row("vertex bucket", "x-tfy-vertex-storage-bucket-name", "batch-inputs.team_a");
    row("vertex region", "x-tfy-vertex-region", "europe-west4");
    row("provider model", "x-tfy-provider-model", "gemini-2.0-flash-001");
    row("metadata in written order", "x-tfy-metadata", R"({"z":"1","a":"café \"q\""})");
    row("strict true", "x-tfy-strict-openai", "true");
    row("strict false", "x-tfy-strict-openai", "false");
    row("retry all keys", "x-tfy-retry-config",
        R"({"attempts":3,"onStatusCodes":[429,503],"useRetryAfterHeader":true})");
    row("retry attempts only", "x-tfy-retry-config", R"({"attempts":0})");
    row("request timeout", "x-tfy-request-timeout", "1500");
    row("ttft timeout", "x-tfy-ttft-timeout-ms", "300");
    row("logging off", "x-tfy-logging-config", R"({"enabled":false})");
    row("guardrails", "x-tfy-guardrails",
        R"({"llm_input_guardrails":["g/pii"],"llm_output_guardrails":["g/tox"]})");
    row("mcp headers", "x-tfy-mcp-headers", R"({"backend/sentry":{"Authorization":"Bearer x"}})");
}

void TestGatewayHeaders::roundTrip()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, text);
    const GatewayHeaderSpec *spec = gatewayHeaderSpec(name);
    QVERIFY(spec);
    GatewayRequest r;
    QVERIFY(spec->decode(r, text));
    const auto encoded = spec->encode(r);
    QVERIFY(encoded);
    // The canonical text is the written text here (each row is written canonically).
    QCOMPARE(*encoded, text);
    QList<Issue> issues;
    spec->check(r, issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issues.value(0).message));
}

void TestGatewayHeaders::refusedTextIsExplained_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("says");

    const auto row = [](const char *tag, const char *name, const QByteArray &text,
                         const QString &field, const QString &says) {
        QTest::newRow(tag) << QByteArray(name) << text << field << says;
    };
    row("metadata number", "x-tfy-metadata", R"({"tier":1})", u"metadata.tier"_s,
        u"must be a string, not a number"_s);
    row("metadata not JSON", "x-tfy-metadata", "team=a", u"metadata"_s, u"is not valid JSON"_s);
    row("strict yes", "x-tfy-strict-openai", "yes", u"strictOpenAi"_s,
        u"true or false (got \"yes\")"_s);
    row("retry unknown key", "x-tfy-retry-config", R"({"tries":2})", u"retryConfig"_s,
        u"does not document: \"tries\""_s);
    // The server-side YAML form in the header: said, and the header form offered.
    row("retry codes as text", "x-tfy-retry-config", R"({"onStatusCodes":["429"]})",
        u"retryConfig"_s, uR"(numeric codes: {"onStatusCodes":[429]})"_s);
    row("retry in YAML form", "x-tfy-retry-config",
        R"({"attempts":3,"on_status_codes":["429","503"],"delay":100})", u"retryConfig"_s,
        uR"(server-side YAML form (on_status_codes, delay, codes as text); the header takes camelCase keys and numeric codes: {"attempts":3,"onStatusCodes":[429,503]}. The delay)"_s);
    // YAML keys alone are a warning: sent as written, the header form offered.
    row("retry delay in YAML form", "x-tfy-retry-config", R"({"attempts":2,"delay":100})",
        u"retryConfig"_s,
        uR"(numeric codes: {"attempts":2}. The delay between attempts is set on the server only. It is sent as written.)"_s);
    row("logging unknown key", "x-tfy-logging-config", R"({"enabled":true,"project":"p"})",
        u"loggingEnabled"_s, u"does not document: \"project\""_s);
    row("timeout with unit", "x-tfy-request-timeout", "2s", u"requestTimeoutMs"_s,
        u"whole number"_s);
    row("logging as text", "x-tfy-logging-config", R"({"enabled":"yes"})", u"loggingEnabled"_s,
        u"{\"enabled\": true}"_s);
    row("guardrails as text", "x-tfy-guardrails", R"({"llm_input_guardrails":"g/pii"})",
        u"guardrails"_s, u"list of guardrail names"_s);
    row("mcp headers as a list", "x-tfy-mcp-headers", "[]", u"mcpHeaders"_s,
        u"must be a JSON object"_s);
}

void TestGatewayHeaders::refusedTextIsExplained()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, text);
    QFETCH(QString, field);
    QFETCH(QString, says);
    const GatewayHeaderSpec *spec = gatewayHeaderSpec(name);
    QVERIFY(spec);
    GatewayRequest r;
    QVERIFY(!spec->decode(r, text));
    QList<Issue> issues;
    spec->explain(name, text, issues);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().field, field);
    QVERIFY2(issues.first().message.contains(says), qPrintable(issues.first().message));
}

// What the gateway documents passes without a word; x-tfy-mcp-headers is checked as
// the documentation shapes it, keyed by MCP server.
void TestGatewayHeaders::documentedShapesAreQuietAndMcpHeadersChecked()
{
    QList<Issue> issues;
    gatewayHeaderSpec("x-tfy-logging-config")
        ->explain("x-tfy-logging-config",
            R"({"enabled":true,"tracing_project_fqn":"tenant:tracing-project:p"})", issues);
    QVERIFY(issues.isEmpty());

    const auto mcpIssues = [](const QByteArray &text) {
        GatewayRequest r;
        const GatewayHeaderSpec *spec = gatewayHeaderSpec("x-tfy-mcp-headers");
        QList<Issue> found;
        if (!spec->decode(r, text))
            spec->explain("x-tfy-mcp-headers", text, found);
        else
            spec->check(r, found);
        return found;
    };
    QVERIFY(mcpIssues(R"({"backend-group/sentry":{"Authorization":"Bearer x"}})").isEmpty());
    const QList<Issue> notHeaders = mcpIssues(R"({"backend-group/sentry":"Bearer x"})");
    QCOMPARE(notHeaders.size(), 1);
    QCOMPARE(notHeaders.first().severity, Issue::Severity::Error);
    QVERIFY(notHeaders.first().message.contains(u"must map to headers"_s));
    const QList<Issue> number = mcpIssues(R"({"g/s":{"X-Count":3}})");
    QCOMPARE(number.size(), 1);
    QVERIFY(number.first().message.contains(u"must be a string"_s));
    const QList<Issue> noGroup = mcpIssues(R"({"sentry":{"Authorization":"Bearer x"}})");
    QCOMPARE(noGroup.size(), 1);
    QCOMPARE(noGroup.first().severity, Issue::Severity::Warning);
}

void TestGatewayHeaders::composeWritesTheTablesOrder()
{
    GatewayRequest r;
    r.baseUrl = u"https://gw.example"_s;
    r.body = "{}";
    // Set in reverse order; compose() still writes the table's.
    r.providerModel = u"gemini-2.0-flash-001"_s;
    r.vertexRegion = u"us-central1"_s;
    r.vertexStorageBucketName = u"inputs"_s;
    r.mcpHeaders = QJsonObject { { u"a"_s, QJsonObject {} } };
    r.guardrails = Guardrails { { u"g/x"_s }, {} };
    r.loggingEnabled = true;
    r.ttftTimeoutMs = 10;
    r.requestTimeoutMs = 20;
    r.retryConfig = RetryConfig { 1, std::nullopt, std::nullopt };
    r.strictOpenAi = false;
    r.metadata = MetadataEntries { { u"k"_s, u"v"_s } };
    r.providerName = u"p"_s;
    QList<QByteArray> written;
    for (const HttpHeader &h : compose(r).headers)
        if (h.name.startsWith("x-tfy-"))
            written << h.name;
    QList<QByteArray> table;
    for (const GatewayHeaderSpec &spec : gatewayHeaderSpecs())
        table << QByteArray(spec.name.data(), spec.name.size());
    QCOMPARE(written, table);
    // And decode() reads every one back into its field.
    const GatewayRequest back = decode(compose(r));
    QVERIFY(back.unparsedHeaders.isEmpty());
    QCOMPARE(compose(back), compose(r));
}

void TestGatewayHeaders::validateReportsOnTheTablesField()
{
    GatewayRequest r;
    r.baseUrl = u"https://gw.example"_s;
    r.body = R"({"model":"a/b","messages":[]})";
    r.unparsedHeaders.append(HttpHeader { "X-Tfy-Ttft-Timeout-Ms", "soon" });
    r.metadata = MetadataEntries { { u"k"_s, QString(129, u'x') } };
    const QList<Issue> issues = validate(r);
    QStringList fields;
    for (const Issue &i : issues)
        fields << i.field;
    QCOMPARE(fields, QStringList({ u"metadata.k"_s, u"ttftTimeoutMs"_s }));
    // The header's name as written, in the message.
    QVERIFY(issues.last().message.startsWith(u"X-Tfy-Ttft-Timeout-Ms must be"_s));
}

QTEST_GUILESS_MAIN(TestGatewayHeaders)
#include "tst_gatewayheaders.moc"
