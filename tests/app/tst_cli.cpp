#include "core/net/exchange.h"
#include "core/store/history.h"
#include "demo/demogateway.h"
#include "tests/cutshortstream.h"
#include "tests/testfiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

#include <csignal>
#include <sys/types.h>

using namespace Qt::StringLiterals;

// Runs the real gatescope-cli binary, as a user or a CI script would.
namespace {

// Runs the command line without blocking this process's event loop, so that a server
// in the test can answer while it waits; null when it does not end within 30 s.
std::unique_ptr<QProcess> runLive(const QStringList &args,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(env);
    QSignalSpy finished(p.get(), &QProcess::finished);
    p->start(QStringLiteral(GATESCOPE_CLI), args);
    return finished.wait(30000) ? std::move(p) : nullptr;
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void composeText();
    void composeJson();
    void composeValidationErrors();
    void composeChoosesByName();
    void composeVarOverrides();
    void composeIoErrors_data();
    void composeIoErrors();
    void inspectText();
    void inspectJson();
    void inspectStdin();
    void inspectBadInput();
    void inspectStream();
    void inspectNdjson();
    void inspectForceStream();
    void sendDemoJson();
    void sendDemoText();
    void sendInvalidSendsNothing();
    void sendTransportErrors();
    void sendHonoursTheEnvironmentProxy();
    void aStreamCutShortIsIncomplete();
    void aPrivateCaIsTrustedWithCacertOrSslCertFile();
    void lintBatch();
    void uploadToTheDemoGateway();
    void batchEndToEnd();
    void binaryBodiesAreDescribedAndSaved();
    void batchInterrupted_data();
    void batchInterrupted();
    void runCollection();
    void runOneFileByName();
    void loadOnTheDemo();
    void loadChecksAndExitCodes();
    void importCurl();
    void exportFormats();
    void usage();
    void canarySecretsInEveryOutput();
    void interruptFinishesTheOutputs_data();
    void interruptFinishesTheOutputs();
    void brokenPipeStopsAtOnce();
    void durationsOutOfRangeAreRefused_data();
    void durationsOutOfRangeAreRefused();
    void inputErrorsAndTheirExitCodes();
    void diffReportsAndHistory();
    void replayAgainstAnotherGateway();

private:
    struct Run
    {
        int exitCode;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QStringList &args, const QByteArray &input = {});
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_dir;
    const QString m_examples = QStringLiteral(GATESCOPE_SOURCE_DIR "/resources/examples");
};

TestCli::Run TestCli::run(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(QStringLiteral(GATESCOPE_CLI), args);
    if (!p.waitForStarted())
        return { -1, {}, "did not start" };
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return { -1, {}, "timed out" };
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    QFile f(m_dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(content);
    return f.fileName();
}

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(QStringLiteral(GATESCOPE_CLI)));
}

void TestCli::composeText()
{
    const Run r = run({ u"compose"_s, m_examples + u"/chat-stream.http"_s, u"--env"_s, u"demo"_s });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.startsWith("POST http://127.0.0.1:8787/api/llm/chat/completions HTTP/1.1\r\n"));
    QVERIFY(r.out.contains("Authorization: Bearer ********\r\n"));
    QVERIFY(!r.out.contains("gs-demo-token"));
    QVERIFY(r.out.contains(
        R"(x-tfy-metadata: {"tfy_log_request":"true","team":"platform","feature":"inspector-demo"})"));
    QVERIFY(r.out.contains("\r\n\r\n{\n  \"model\": \"openai-main/gpt-4o-mini\""));

    const Run shown = run({ u"compose"_s, m_examples + u"/chat-stream.http"_s, u"--env"_s,
        u"demo"_s, u"--show-secrets"_s });
    QCOMPARE(shown.exitCode, 0);
    QVERIFY(shown.out.contains("Authorization: Bearer gs-demo-token\r\n"));
}

void TestCli::composeJson()
{
    const Run r = run({ u"compose"_s, m_examples + u"/gateway-requests.http"_s, u"--env"_s,
        u"demo"_s, u"--name"_s, u"responses"_s, u"--json"_s });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"ok"_s).toBool(), true);
    const QJsonObject request = doc.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(request.value(u"url"_s).toString(), u"http://127.0.0.1:8787/api/llm/responses"_s);
    const QJsonArray headers = request.value(u"headers"_s).toArray();
    QCOMPARE(headers.at(0).toArray(), (QJsonArray { u"Authorization"_s, u"Bearer ********"_s }));
    QCOMPARE(headers.at(1).toArray(), (QJsonArray { u"x-tfy-provider-name"_s, u"openai-main"_s }));
    QVERIFY(request.value(u"body"_s).toString().contains(u"Say hello."_s));
}

void TestCli::composeValidationErrors()
{
    const QString path = writeFile(u"bad.http"_s, R"(POST https://gw.example/responses
Authorization: Bearer {{token}}
x-tfy-metadata: {"tier": 1}
x-tfy-request-timeout: -5

{"input": "hi"}
)"_ba);
    const Run json = run({ u"compose"_s, path, u"--json"_s });
    QCOMPARE(json.exitCode, 2);
    const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(doc.value(u"ok"_s).toBool(true), false);
    QStringList fields;
    for (const QJsonValue e : doc.value(u"errors"_s).toArray()) {
        fields << e.toObject().value(u"field"_s).toString();
        QVERIFY(!e.toObject().value(u"message"_s).toString().isEmpty());
    }
    fields.sort();
    QCOMPARE(fields,
        (QStringList { u"metadata.tier"_s, u"model"_s, u"providerName"_s, u"requestTimeoutMs"_s,
            u"token"_s }));
    // stdout carries the JSON and nothing else.
    QCOMPARE(json.out.count('\n'), 1);

    const Run text = run({ u"compose"_s, path });
    QCOMPARE(text.exitCode, 2);
    QVERIFY(text.out.isEmpty());
    QVERIFY(text.err.contains("error: token: Unresolved variable {{token}}"));
}

void TestCli::composeChoosesByName()
{
    const Run r = run({ u"compose"_s, m_examples + u"/gateway-requests.http"_s, u"--env"_s,
        u"demo"_s, u"--name"_s, u"models"_s });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("GET http://127.0.0.1:8787/api/llm/models HTTP/1.1\r\n"));

    const Run first
        = run({ u"compose"_s, m_examples + u"/gateway-requests.http"_s, u"--env"_s, u"demo"_s });
    QCOMPARE(first.exitCode, 0);
    QVERIFY(first.out.startsWith("GET "));
    QVERIFY(first.err.contains("using the first"));

    const Run missing
        = run({ u"compose"_s, m_examples + u"/gateway-requests.http"_s, u"--name"_s, u"nope"_s });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("models, responses, embeddings, claude-thinking"));
}

void TestCli::composeVarOverrides()
{
    const Run r = run({ u"compose"_s, m_examples + u"/chat-stream.http"_s, u"--env"_s,
        u"truefoundry"_s, u"--var"_s, u"token=abc"_s, u"--var"_s, u"team=a=b"_s, u"--json"_s,
        u"--show-secrets"_s });
    QVERIFY2(r.exitCode == 0, r.out.constData());
    const QJsonObject request
        = QJsonDocument::fromJson(r.out).object().value(u"request"_s).toObject();
    QCOMPARE(
        request.value(u"url"_s).toString(), u"https://gateway.truefoundry.ai/chat/completions"_s);
    const QJsonArray headers = request.value(u"headers"_s).toArray();
    QCOMPARE(headers.at(0).toArray().at(1).toString(), u"Bearer abc"_s);
    QVERIFY(headers.at(2).toArray().at(1).toString().contains(uR"("team":"a=b")"_s));
}

void TestCli::composeIoErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("missing file") << QStringList { u"compose"_s, u"/nonexistent/x.http"_s }
                                  << "Cannot read"_ba;
    QTest::newRow("unknown env") << QStringList { u"compose"_s, m_examples + u"/chat-stream.http"_s,
        u"--env"_s, u"nope"_s } << "there are: demo, truefoundry"_ba;
    QTest::newRow("bad var") << QStringList { u"compose"_s, m_examples + u"/chat-stream.http"_s,
        u"--var"_s, u"novalue"_s }
                             << "NAME=VALUE"_ba;
    QTest::newRow("unknown option")
        << QStringList { u"compose"_s, u"--frobnicate"_s } << "frobnicate"_ba;
    QTest::newRow("no file") << QStringList { u"compose"_s } << "expected one FILE.http"_ba;
}

void TestCli::composeIoErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCli::inspectText()
{
    const Run r = run({ u"inspect"_s, m_examples + u"/captured-response.txt"_s });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("Status:          200 OK (HTTP/1.1)"));
    QVERIFY(r.out.contains("Resolved model:  openai-main/gpt-4o-mini-2024-07-18"));
    QVERIFY(r.out.contains("  load_balancing:\n    rule_id: \"eu-first\"\n"));
    QVERIFY(r.out.contains("model_call"));
    QVERIFY(r.out.contains("inferred"));
    QVERIFY(r.out.contains("traceId 0af7651916cd43dd8448eb211c80319c"));
}

void TestCli::inspectJson()
{
    const Run r = run({ u"inspect"_s, m_examples + u"/captured-response.txt"_s, u"--json"_s });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"status"_s).toInt(), 200);
    QCOMPARE(doc.value(u"resolvedModel"_s).toString(), u"openai-main/gpt-4o-mini-2024-07-18"_s);
    QCOMPARE(doc.value(u"appliedConfigurations"_s)
                 .toObject()
                 .value(u"load_balancing"_s)
                 .toObject()
                 .value(u"rule_id"_s)
                 .toString(),
        u"eu-first"_s);
    QVERIFY(doc.value(u"appliedConfigurationsError"_s).isNull());
    const QJsonArray timing = doc.value(u"serverTiming"_s).toArray();
    QCOMPARE(timing.size(), 8);
    QCOMPARE(timing.at(0).toObject(),
        (QJsonObject {
            { u"name"_s, u"authentication"_s }, { u"dur"_s, 0.9 }, { u"desc"_s, u""_s } }));
    QCOMPARE(timing.at(7).toObject().value(u"name"_s).toString(), u"total"_s);
    QCOMPARE(doc.value(u"feedbackTarget"_s).toObject().value(u"spanId"_s).toString(),
        u"5f2c9a1e7b3d4c10"_s);
    QVERIFY(doc.value(u"headers"_s).toArray().size() >= 7);
}

void TestCli::inspectStdin()
{
    const QByteArray raw
        = "HTTP/1.1 503 Service Unavailable\r\nx-tfy-applied-configurations: {broken\r\n\r\n"
          "{\"error\":{\"message\":\"no healthy upstream\"}}"_ba;
    const Run r = run({ u"inspect"_s, u"-"_s, u"--json"_s }, raw);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"status"_s).toInt(), 503);
    QVERIFY(doc.value(u"appliedConfigurations"_s).isNull());
    QVERIFY(doc.value(u"appliedConfigurationsError"_s).toString().contains(u"not valid JSON"_s));
    QVERIFY(doc.value(u"resolvedModel"_s).isNull());
    QVERIFY(doc.value(u"feedbackTarget"_s).isNull());
    QCOMPARE(doc.value(u"serverTiming"_s).toArray().size(), 0);
    QCOMPARE(
        doc.value(u"error"_s).toObject().value(u"message"_s).toString(), u"no healthy upstream"_s);

    const Run text = run({ u"inspect"_s, u"-"_s }, raw);
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("! x-tfy-applied-configurations is not valid JSON"));
    QVERIFY(text.out.contains("raw: {broken"));
    QVERIFY(text.out.contains("Error:           no healthy upstream\n"));
    QVERIFY(text.out.contains("Meaning:         No healthy target"));
    QVERIFY(doc.value(u"cache"_s).isNull());

    // The cache's headers, decoded.
    const QByteArray cached = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "x-tfy-cache-status: hit\r\nx-tfy-cache-similarity-score: 0.93\r\n"
                              "x-tfy-cached-trace-id: 0af7651916cd43dd\r\n\r\n{}"_ba;
    const Run hit = run({ u"inspect"_s, u"-"_s, u"--json"_s }, cached);
    const QJsonObject cache
        = QJsonDocument::fromJson(hit.out).object().value(u"cache"_s).toObject();
    QCOMPARE(cache.value(u"status"_s).toString(), u"hit"_s);
    QCOMPARE(cache.value(u"similarityScore"_s).toDouble(), 0.93);
    QCOMPARE(cache.value(u"cachedTraceId"_s).toString(), u"0af7651916cd43dd"_s);
    const Run hitText = run({ u"inspect"_s, u"-"_s }, cached);
    QVERIFY(hitText.out.contains(
        "Cache:           hit (similarity 0.93, cached from trace 0af7651916cd43dd)"));
}

void TestCli::inspectBadInput()
{
    const Run r
        = run({ u"inspect"_s, writeFile(u"notresponse.txt"_s, "GET / HTTP/1.1\r\n\r\n"_ba) });
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("not an HTTP status line"));
    QCOMPARE(run({ u"inspect"_s, u"/nonexistent"_s }).exitCode, 1);

    // A capture cut short is reported as such, in text and JSON, and exits 2.
    const QString truncated = writeFile(u"truncated.txt"_s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":"_ba);
    const Run text = run({ u"inspect"_s, truncated });
    QCOMPARE(text.exitCode, 2);
    QVERIFY2(text.out.contains("Problem:         The body was cut short"), text.out.constData());
    const Run json = run({ u"inspect"_s, truncated, u"--json"_s });
    QCOMPARE(json.exitCode, 2);
    const QJsonArray problems
        = QJsonDocument::fromJson(json.out).object().value(u"problems"_s).toArray();
    QCOMPARE(problems.size(), 2); // cut short, and so the JSON it announces does not read
    QVERIFY(problems.first().toString().startsWith(u"The body was cut short"_s));

    // JSON nested too deep to read: text and JSON say the same.
    const QByteArray deep
        = QByteArray("{\"a\":").repeated(3000) + "1" + QByteArray("}").repeated(3000);
    const QString deepFile = writeFile(u"deep.txt"_s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(deep.size()) + "\r\n\r\n" + deep);
    const Run deepText = run({ u"inspect"_s, deepFile });
    const Run deepJson = run({ u"inspect"_s, deepFile, u"--json"_s });
    QCOMPARE(deepText.exitCode, 2);
    QCOMPARE(deepJson.exitCode, 2);
    const QString deepProblem = QJsonDocument::fromJson(deepJson.out)
                                    .object()
                                    .value(u"problems"_s)
                                    .toArray()
                                    .first()
                                    .toString();
    QVERIFY2(deepProblem.contains(u"nests deeper"_s), qPrintable(deepProblem));
    QVERIFY(deepText.out.contains(deepProblem.toUtf8()));

    // A 5 MB line is quoted, not echoed; escape sequences never reach the terminal.
    const Run huge = run({ u"inspect"_s,
        writeFile(
            u"huge.txt"_s, "HTTP/1.1 200 OK\r\n" + QByteArray(5'000'000, 'x') + "\r\n\r\n") });
    QCOMPARE(huge.exitCode, 1);
    QVERIFY2(huge.err.size() < 400, huge.err.left(400).constData());
    const Run escapes = run({ u"inspect"_s,
        writeFile(u"escapes.txt"_s,
            "HTTP/1.1 200 OK\r\nx-tfy-resolved-model: \x1b]0;owned\x07\x1b[31mred\r\n\r\n"_ba) });
    QCOMPARE(escapes.exitCode, 0);
    QVERIFY(escapes.out.contains("red"));
    QVERIFY2(
        !escapes.out.contains('\x1b') && !escapes.out.contains('\x07'), escapes.out.constData());
}

void TestCli::inspectStream()
{
    const Run r = run({ u"inspect"_s, m_examples + u"/captured-stream.txt"_s, u"--json"_s });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"framing"_s).toString(), u"sse"_s);
    const QJsonArray events = doc.value(u"events"_s).toArray();
    QCOMPARE(events.size(), 9);
    QCOMPARE(events.at(8).toObject().value(u"data"_s).toString(), u"[DONE]"_s);
    QCOMPARE(events.at(0).toObject().value(u"event"_s).toString(), u"message"_s);
    QCOMPARE(doc.value(u"text"_s).toString(), u"17 \u00d7 23 = 391."_s);
    QVERIFY(doc.value(u"reasoning"_s).toString().startsWith(u"17 * 23"_s));
    const QJsonObject call = doc.value(u"toolCalls"_s).toArray().at(0).toObject();
    QCOMPARE(call.value(u"name"_s).toString(), u"calculator"_s);
    QCOMPARE(call.value(u"arguments"_s).toString(), uR"({"expr":"17*23"})"_s);
    QCOMPARE(doc.value(u"usage"_s).toObject().value(u"total_tokens"_s).toInt(), 59);
    QCOMPARE(doc.value(u"finishReason"_s).toString(), u"tool_calls"_s);
    QVERIFY(doc.value(u"error"_s).isNull());

    const Run text = run({ u"inspect"_s, m_examples + u"/captured-stream.txt"_s });
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("9 events, complete"));
    QVERIFY(text.out.contains("Answer:\n  17 \xC3\x97 23 = 391.\n"));
    QVERIFY(text.out.contains("calculator({\"expr\":\"17*23\"})"));
    QVERIFY(text.out.contains("to: \"tfy-ai-bedrock/"));
}

void TestCli::inspectNdjson()
{
    // A mislabelled NDJSON stream whose last record carries an error.
    const QByteArray raw = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n"
                           "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n"
                           "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"f\"}}]}\n"
                           "{\"error\":{\"message\":\"upstream reset\",\"code\":\"502\"}}"_ba;
    const Run r = run({ u"inspect"_s, u"-"_s, u"--json"_s }, raw);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"framing"_s).toString(), u"ndjson"_s);
    QCOMPARE(doc.value(u"events"_s).toArray().size(), 3);
    QCOMPARE(doc.value(u"events"_s).toArray().at(0).toObject().value(u"event"_s).toString(),
        u"ndjson"_s);
    QCOMPARE(doc.value(u"text"_s).toString(), u"Half"_s);
    QCOMPARE(doc.value(u"error"_s).toObject().value(u"message"_s).toString(), u"upstream reset"_s);
}

void TestCli::inspectForceStream()
{
    // A stream that a misconfigured proxy labelled as JSON: the label wins, unless
    // the user says it is a stream. The body does not read as the JSON it claims to
    // be: a problem of the capture (exit 2) whose message suggests --force-stream.
    const QString path = writeFile(u"mislabelled.txt"_s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n"_ba);
    const Run labelled = run({ u"inspect"_s, path, u"--json"_s });
    QCOMPARE(labelled.exitCode, 2);
    QVERIFY(labelled.out.contains("try --force-stream"));
    const QJsonObject asJson = QJsonDocument::fromJson(labelled.out).object();
    QCOMPARE(asJson.value(u"framing"_s).toString(), u"json"_s);
    QVERIFY(asJson.value(u"text"_s).toString().isEmpty());

    const Run forced = run({ u"inspect"_s, path, u"--json"_s, u"--force-stream"_s });
    QCOMPARE(forced.exitCode, 0);
    const QJsonObject asStream = QJsonDocument::fromJson(forced.out).object();
    QCOMPARE(asStream.value(u"framing"_s).toString(), u"sse"_s);
    QCOMPARE(asStream.value(u"events"_s).toArray().size(), 3);
    QCOMPARE(asStream.value(u"text"_s).toString(), u"Hello"_s);
}

void TestCli::sendDemoJson()
{
    const Run r = run({ u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s, u"--json"_s });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1); // one JSON report, nothing else
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"status"_s).toInt(), 200);
    QCOMPARE(doc.value(u"resolvedModel"_s).toString(), u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(doc.value(u"requestedModel"_s).toString(), u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(doc.value(u"framing"_s).toString(), u"sse"_s);
    QVERIFY(doc.value(u"text"_s).toString().size() > 20);
    QCOMPARE(doc.value(u"usage"_s).toObject().value(u"completion_tokens"_s).toInt(), 40);
    QCOMPARE(doc.value(u"events"_s).toArray().last().toObject().value(u"data"_s).toString(),
        u"[DONE]"_s);
    const QJsonObject timeline = doc.value(u"timeline"_s).toObject();
    QVERIFY(timeline.value(u"ttftMs"_s).toDouble() >= timeline.value(u"headersMs"_s).toDouble());
    QCOMPARE(timeline.value(u"tokens"_s).toInt(), 40);
    QCOMPARE(doc.value(u"appliedConfigurations"_s)
                 .toObject()
                 .value(u"metadata"_s)
                 .toObject()
                 .value(u"team"_s)
                 .toString(),
        u"platform"_s);
    QVERIFY(doc.value(u"error"_s).isNull());

    // The same exchange as a HAR file.
    const QString harPath = m_dir.filePath(u"exchange.har"_s);
    const Run withHar = run({ u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s,
        u"--json"_s, u"--har"_s, harPath });
    QVERIFY2(withHar.exitCode == 0, withHar.err.constData());
    QFile harFile(harPath);
    QVERIFY(harFile.open(QIODevice::ReadOnly));
    const QByteArray harText = harFile.readAll();
    QVERIFY(!harText.contains("gs-demo-token"));
    const QJsonObject entry = QJsonDocument::fromJson(harText)
                                  .object()
                                  .value(u"log"_s)
                                  .toObject()
                                  .value(u"entries"_s)
                                  .toArray()
                                  .first()
                                  .toObject();
    QCOMPARE(entry.value(u"response"_s).toObject().value(u"status"_s).toInt(), 200);
    const QJsonObject content
        = entry.value(u"response"_s).toObject().value(u"content"_s).toObject();
    QVERIFY(content.value(u"text"_s).toString().endsWith(u"data: [DONE]\n\n"_s));
}

void TestCli::sendDemoText()
{
    const Run r = run({ u"send"_s, m_examples + u"/gateway-requests.http"_s, u"--name"_s,
        u"claude-thinking"_s, u"--demo"_s, u"--env"_s, u"demo"_s });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.startsWith("[reasoning] ")); // not a terminal: no colour codes
    QVERIFY(r.out.contains("Status:          200 OK"));
    QVERIFY(r.out.contains("Server timing:\n  authentication"));
    QVERIFY(r.out.contains("Timing (client, monotonic clock):"));
    QVERIFY(r.out.contains("server:model_call"));
}

void TestCli::sendInvalidSendsNothing()
{
    const QString path = writeFile(u"invalid-send.http"_s,
        "POST https://gw.example/chat/completions\nx-tfy-request-timeout: soon\n\n{\"model\":\"a/b\"}\n"_ba);
    const Run r = run({ u"send"_s, path, u"--demo"_s });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("requestTimeoutMs"));
    QVERIFY(r.err.contains("nothing was sent"));
    QVERIFY(r.out.isEmpty());
}

void TestCli::sendTransportErrors()
{
    // Stalled after a few events: --max-time ends it, exit 3, what arrived is printed.
    const QString stall = writeFile(u"stall.http"_s,
        "POST {{baseUrl}}/chat/completions\nAuthorization: Bearer x\nx-gatescope-fault: stall\n\n"
        "{\"model\":\"openai-main/gpt-4o-mini\",\"stream\":true,\"messages\":[]}\n"_ba);
    const Run stalled = run({ u"send"_s, stall, u"--demo"_s, u"--max-time"_s, u"1"_s, u"--var"_s,
        u"baseUrl=http://x"_s, u"--json"_s });
    QCOMPARE(stalled.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(stalled.out).object();
    const QString transportError
        = doc.value(u"transportError"_s).toObject().value(u"message"_s).toString();
    QVERIFY(transportError.contains(u"deadline"_s));
    QVERIFY(!doc.value(u"text"_s).toString().isEmpty());

    // Nobody listening.
    const QString refused = writeFile(u"refused.http"_s, "GET http://127.0.0.1:9/models\n"_ba);
    const Run r = run({ u"send"_s, refused });
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.out.contains("Transport error: Connection refused"));
}

void TestCli::sendHonoursTheEnvironmentProxy()
{
    // An HTTP proxy on loopback that answers for the gateway itself. The gateway's
    // host does not exist, so an answer proves the request went through the proxy.
    QTcpServer proxy;
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QByteArray requestLine;
    connect(&proxy, &QTcpServer::pendingConnectionAvailable, this, [&] {
        QTcpSocket *socket = proxy.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, &requestLine] {
            const QByteArray head = socket->peek(64 * 1024);
            if (!head.contains("\r\n\r\n"))
                return;
            requestLine = head.left(head.indexOf("\r\n"));
            const QByteArray body
                = R"({"id":"p","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"via the proxy"},"finish_reason":"stop"}]})";
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                "Content-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
    });
    const QString path = writeFile(u"proxied.http"_s,
        "POST http://gateway.invalid/api/llm/chat/completions\nAuthorization: Bearer x\n\n"
        "{\"model\":\"openai-main/gpt-4o-mini\",\"messages\":[]}\n"_ba);

    // Asynchronous, so that the proxy above can answer while the CLI waits.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"http_proxy"_s, u"http://127.0.0.1:%1"_s.arg(proxy.serverPort()));
    env.remove(u"no_proxy"_s);
    env.remove(u"NO_PROXY"_s);
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(GATESCOPE_CLI), { u"send"_s, path, u"--json"_s });
    QVERIFY(finished.wait(30000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(requestLine, "POST http://gateway.invalid/api/llm/chat/completions HTTP/1.1");
    const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(doc.value(u"text"_s).toString(), u"via the proxy"_s);
}

// A server that closes a close-delimited stream after three events: send reports the
// answer as incomplete (JSON and text) and exits 3; run counts it broken on the wire.
void TestCli::aStreamCutShortIsIncomplete()
{
    gs::tests::CutShortStreamServer server;
    const QString path = writeFile(u"cut.http"_s,
        u"# @name cut\nPOST %1\nContent-Type: application/json\n\n"
        "{\"model\":\"a/b\",\"stream\":true,\"messages\":[]}\n"_s.arg(server.chatUrl())
            .toUtf8());
    const auto cli = [](const QStringList &args) { return runLive(args); };
    const auto json = cli({ u"send"_s, path, u"--json"_s });
    QVERIFY(json);
    QCOMPARE(json->exitCode(), 3);
    const QJsonObject doc = QJsonDocument::fromJson(json->readAllStandardOutput()).object();
    QCOMPARE(doc.value(u"text"_s).toString(), u"w w w "_s);
    QVERIFY2(doc.value(u"incomplete"_s).toString().contains(u"without [DONE]"_s),
        qPrintable(doc.value(u"incomplete"_s).toString()));
    QVERIFY(json->readAllStandardError().contains("the answer is incomplete"));

    const auto text = cli({ u"send"_s, path });
    QVERIFY(text);
    QCOMPARE(text->exitCode(), 3);
    QVERIFY(text->readAllStandardOutput().contains("Incomplete:      the stream ended"));

    const auto ran = cli({ u"run"_s, path });
    QVERIFY(ran);
    const QByteArray out = ran->readAllStandardOutput();
    QVERIFY2(out.contains("incomplete: the stream ended without [DONE]"), out.constData());
    QVERIFY2(out.contains("1 not sent or broken on the wire"), out.constData());
    QVERIFY(ran->exitCode() != 0);
}

// A gateway behind a private CA (a real TLS server on loopback): refused with the
// reason, then trusted with --cacert on send and run, or through SSL_CERT_FILE.
void TestCli::aPrivateCaIsTrustedWithCacertOrSslCertFile()
{
    const QString certPath = QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/self-signed.crt");
    QFile certFile(certPath);
    QFile keyFile(QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/self-signed.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
    tls.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
    QSslServer server;
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                if (!socket->peek(64 * 1024).contains("\r\n\r\n"))
                    return;
                socket->readAll();
                const QByteArray body = R"({"object":"list","data":[]})";
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
        }
    });
    const QString path = writeFile(u"private-ca.http"_s,
        u"# @name models\n# @expect status 200\nGET https://127.0.0.1:%1/models\n"_s
            .arg(server.serverPort())
            .toUtf8());
    const auto cli = [](const QStringList &args, const QString &certFileEnv = {}) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"SSL_CERT_FILE"_s);
        if (!certFileEnv.isEmpty())
            env.insert(u"SSL_CERT_FILE"_s, certFileEnv);
        return runLive(args, env);
    };
    const auto refused = cli({ u"send"_s, path });
    QVERIFY(refused);
    QCOMPARE(refused->exitCode(), 3);
    QVERIFY(refused->readAllStandardOutput().contains("self-signed"));

    const auto trusted = cli({ u"send"_s, path, u"--cacert"_s, certPath, u"--json"_s });
    QVERIFY(trusted);
    QCOMPARE(trusted->exitCode(), 0);
    const QJsonObject trustedDoc
        = QJsonDocument::fromJson(trusted->readAllStandardOutput()).object();
    QCOMPARE(trustedDoc.value(u"status"_s), 200);
    const QJsonObject leaf = trustedDoc.value(u"tlsCertificates"_s).toArray().first().toObject();
    QCOMPARE(leaf.value(u"subject"_s).toString(), u"Gatescope test server"_s);
    QVERIFY(leaf.value(u"notAfter"_s).toString().startsWith(u"2126-"_s));
    QVERIFY(leaf.value(u"expiryWarning"_s).isNull());
    const auto viaEnvironment = cli({ u"send"_s, path }, certPath);
    QVERIFY(viaEnvironment);
    QCOMPARE(viaEnvironment->exitCode(), 0);
    const auto ran = cli({ u"run"_s, path, u"--cacert"_s, certPath });
    QVERIFY(ran);
    QCOMPARE(ran->exitCode(), 0);
    QVERIFY(ran->readAllStandardOutput().contains("1 passed"));
    // A gateway that requires a client certificate its client CA issued (mTLS): refused
    // without, saying so; accepted with --cert and --key on send and run, or with the
    // environment's SSLConfiguration (paths from its folder); a certificate the CA did
    // not issue is refused, named; an encrypted key without a kept passphrase says how
    // to keep one.
    const QString tlsData = QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/tls/");
    QSslConfiguration mutual = tls;
    mutual.setPeerVerifyMode(QSslSocket::VerifyPeer);
    mutual.setCaCertificates(QSslCertificate::fromPath(tlsData + u"client-ca.crt"_s));
    server.setSslConfiguration(mutual);
    const QString clientCert = tlsData + u"client.crt"_s;
    const QString clientKey = tlsData + u"client.key"_s;
    const auto withoutCert = cli({ u"send"_s, path, u"--cacert"_s, certPath });
    QVERIFY(withoutCert);
    QCOMPARE(withoutCert->exitCode(), 3);
    QVERIFY(withoutCert->readAllStandardOutput().contains("client certificate it requires"));
    const auto withCert = cli({ u"send"_s, path, u"--cacert"_s, certPath, u"--cert"_s, clientCert,
        u"--key"_s, clientKey });
    QVERIFY(withCert);
    QCOMPARE(withCert->exitCode(), 0);
    const auto runWithCert = cli({ u"run"_s, path, u"--cacert"_s, certPath, u"--cert"_s, clientCert,
        u"--key"_s, clientKey });
    QVERIFY(runWithCert);
    QCOMPARE(runWithCert->exitCode(), 0);
    QVERIFY(runWithCert->readAllStandardOutput().contains("1 passed"));
    const auto stranger = cli({ u"send"_s, path, u"--cacert"_s, certPath, u"--cert"_s,
        tlsData + u"stranger.crt"_s, u"--key"_s, tlsData + u"stranger.key"_s });
    QVERIFY(stranger);
    QCOMPARE(stranger->exitCode(), 3);
    QVERIFY(stranger->readAllStandardOutput().contains("does not accept (Gatescope stranger)"));
    const auto keyAlone = cli({ u"send"_s, path, u"--key"_s, clientKey });
    QVERIFY(keyAlone);
    QVERIFY(keyAlone->exitCode() != 0);
    QVERIFY(keyAlone->readAllStandardError().contains("--key goes with --cert"));
    const auto locked = cli({ u"send"_s, path, u"--cacert"_s, certPath, u"--cert"_s, clientCert,
        u"--key"_s, tlsData + u"client-encrypted.key"_s });
    QVERIFY(locked);
    QCOMPARE(locked->exitCode(), 1);
    QVERIFY(locked->readAllStandardError().contains(
        "the keyring holds no passphrase for it; store one with \"gatescope-cli passphrase "));

    // The same through the environment, with the files next to it.
    const QDir dir(m_dir.path());
    dir.mkpath(u"mtls"_s);
    for (const char *name : { "self-signed.crt", "client.crt", "client.key" })
        QVERIFY(QFile::copy(
            tlsData + QLatin1StringView(name), dir.filePath(u"mtls/"_s + QLatin1StringView(name))));
    const QString envRequest = dir.filePath(u"mtls/models.http"_s);
    QVERIFY(QFile::copy(path, envRequest));
    QFile envFile(dir.filePath(u"mtls/http-client.env.json"_s));
    QVERIFY(envFile.open(QIODevice::WriteOnly));
    envFile.write(R"({"selfhosted":{"SSLConfiguration":{"caCertificate":"self-signed.crt",
        "clientCertificate":"client.crt","clientCertificateKey":"client.key"}}})");
    envFile.close();
    const auto viaEnv = cli({ u"send"_s, envRequest, u"--env"_s, u"selfhosted"_s });
    QVERIFY(viaEnv);
    QCOMPARE(viaEnv->exitCode(), 0);
    const auto runViaEnv = cli({ u"run"_s, envRequest, u"--env"_s, u"selfhosted"_s });
    QVERIFY(runViaEnv);
    QCOMPARE(runViaEnv->exitCode(), 0);
    server.setSslConfiguration(tls);

    const auto notPem = cli({ u"send"_s, path, u"--cacert"_s, path });
    QVERIFY(notPem);
    QVERIFY(notPem->exitCode() != 0);
    QVERIFY(notPem->readAllStandardError().contains("no PEM certificate"));
}

// A batch input file checked before upload: each problem on its line, a summary, exit
// 2 with errors and 0 without; --json for scripts; standard input too.
void TestCli::lintBatch()
{
    const QByteArray good = R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions",)"
                            R"("body":{"model":"x/one","messages":[]}})";
    const QString path = writeFile(u"batch.jsonl"_s,
        good + "\n\n" + QByteArray(good).replace("\"a\"", "\"b\"").replace("POST", "GET") + "\n");
    const auto text = runLive({ u"lint-batch"_s, path });
    QVERIFY(text);
    QCOMPARE(text->exitCode(), 2);
    const QString out = QString::fromUtf8(text->readAllStandardOutput());
    QVERIFY2(out.contains(path + u":2: warning: An empty line"_s), qPrintable(out));
    QVERIFY2(out.contains(path + u":3: error: method must be \"POST\", not \"GET\"."_s),
        qPrintable(out));
    QVERIFY2(out.contains(u"2 requests to /v1/chat/completions; models: x/one (2); 1 error, "
                          "1 warning"_s),
        qPrintable(out));

    const auto json = runLive({ u"lint-batch"_s, path, u"--json"_s });
    QVERIFY(json);
    QCOMPARE(json->exitCode(), 2);
    const QJsonObject doc = QJsonDocument::fromJson(json->readAllStandardOutput()).object();
    QCOMPARE(doc.value(u"ok"_s), false);
    QCOMPARE(doc.value(u"requests"_s), 2);
    QCOMPARE(doc.value(u"problems"_s).toArray().at(1).toObject().value(u"line"_s), 3);

    QProcess piped;
    piped.start(QStringLiteral(GATESCOPE_CLI), { u"lint-batch"_s, u"-"_s });
    piped.write(good + '\n');
    piped.closeWriteChannel();
    QVERIFY(piped.waitForFinished(30000));
    QCOMPARE(piped.exitCode(), 0);
    QVERIFY(piped.readAllStandardOutput().contains("1 request to /v1/chat/completions"));
    const auto missing = runLive({ u"lint-batch"_s, u"/no/such.jsonl"_s });
    QVERIFY(missing);
    QCOMPARE(missing->exitCode(), 1);
}

// A .http upload sent to the demo gateway: the file arrives whole and comes back the
// same from /files/ID/content.
void TestCli::uploadToTheDemoGateway()
{
    QByteArray content;
    for (int i = 0; i < 2000; ++i)
        content += R"({"custom_id":"r)" + QByteArray::number(i)
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini"}})"
            + '\n';
    writeFile(u"input.jsonl"_s, content);
    const QString path = writeFile(u"upload.http"_s,
        "@baseUrl = https://gw.example/api/llm\n"
        "POST {{baseUrl}}/files\nAuthorization: Bearer t\nx-tfy-provider-name: openai-main\n"
        "Content-Type: multipart/form-data; boundary=gs\n\n--gs\n"
        "Content-Disposition: form-data; name=\"purpose\"\n\nbatch\n--gs\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"input.jsonl\"\n\n"
        "< ./input.jsonl\n--gs--\n"_ba);
    const auto sent = runLive({ u"send"_s, path, u"--demo"_s, u"--json"_s });
    QVERIFY(sent);
    QCOMPARE(sent->exitCode(), 0);
    const QJsonObject report = QJsonDocument::fromJson(sent->readAllStandardOutput()).object();
    QCOMPARE(report.value(u"status"_s), 200);
    const QJsonObject file = report.value(u"json"_s).toObject();
    QCOMPARE(file.value(u"bytes"_s).toInteger(), content.size());
    QCOMPARE(file.value(u"filename"_s).toString(), u"input.jsonl"_s);

    // compose summarises the parts; --raw-body shows the body as it goes out.
    const Run composed = run({ u"compose"_s, path });
    QCOMPARE(composed.exitCode, 0);
    QVERIFY2(composed.out.contains("[multipart/form-data, 2 parts, ")
            && composed.out.contains("\n  purpose = batch\n")
            && composed.out.contains(QByteArray(
                "  file: input.jsonl, " + QByteArray::number(content.size()) + " bytes from ")),
        composed.out.constData());
    const Run raw = run({ u"compose"_s, path, u"--raw-body"_s });
    QVERIFY2(raw.out.contains(QByteArray("<file ")) && raw.out.contains("name=\"purpose\""),
        raw.out.constData());
    // A part without a name is named as the problem, and nothing is sent.
    const QString nameless = writeFile(u"nameless.http"_s,
        "POST https://gw.example/api/llm/files\nContent-Type: multipart/form-data; boundary=gs\n\n"
        "--gs\nContent-Disposition: form-data\n\nbatch\n--gs--\n"_ba);
    const Run refusedPart = run({ u"compose"_s, nameless });
    QCOMPARE(refusedPart.exitCode, 2);
    QVERIFY2(
        refusedPart.err.contains("a Content-Disposition with a name"), refusedPart.err.constData());

    // A batch input with a broken line is not sent: the linter names the line.
    writeFile(u"input.jsonl"_s, content + "{broken\n");
    const auto refused = runLive({ u"send"_s, path, u"--demo"_s });
    QVERIFY(refused);
    QCOMPARE(refused->exitCode(), 2);
    const QByteArray err = refused->readAllStandardError();
    QVERIFY2(err.contains("error: body: input.jsonl:2001:"), err.constData());
}

namespace {

QByteArray batchLines(int count, const QByteArray &failingModelAt = {})
{
    QByteArray jsonl;
    for (int i = 0; i < count; ++i) {
        const QByteArray id = "req-" + QByteArray::number(i);
        const QByteArray model = id == failingModelAt ? "no-such-model" : "gpt-4o-mini";
        jsonl += R"({"custom_id":")" + id
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":")" + model
            + R"(","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}})" + '\n';
    }
    return jsonl;
}

} // namespace

// The batch flow on the demo gateway: lint, upload, create, poll to the end, results
// joined with the input by custom_id; a failed line makes the exit status 4; a file
// with errors is not sent (2).
void TestCli::batchEndToEnd()
{
    const QString input = writeFile(u"batch.jsonl"_s, batchLines(3, "req-1"));
    const QString results = m_dir.filePath(u"results.jsonl"_s);
    const auto r = runLive({ u"batch"_s, input, u"--demo"_s, u"--wait"_s, u"--poll-max"_s, u"1"_s,
        u"--out"_s, results, u"--json"_s });
    QVERIFY(r);
    const QByteArray err = r->readAllStandardError();
    QCOMPARE(r->exitCode(), 4);
    const QJsonObject summary = QJsonDocument::fromJson(r->readAllStandardOutput()).object();
    QVERIFY2(!summary.isEmpty(), err.constData());
    QCOMPARE(summary.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(summary.value(u"requests"_s).toInt(), 3);
    QCOMPARE(summary.value(u"succeeded"_s).toInt(), 2);
    QCOMPARE(summary.value(u"failed"_s).toInt(), 1);
    QVERIFY(summary.value(u"completion_tokens"_s).toInt() > 0);
    QStringList statuses;
    for (const QJsonValue &h : summary.value(u"history"_s).toArray())
        if (statuses.isEmpty() || statuses.last() != h[u"status"_s].toString())
            statuses << h[u"status"_s].toString();
    QCOMPARE(statuses.first(), u"validating"_s);
    QVERIFY2(statuses.contains(u"in_progress"_s), qPrintable(statuses.join(u' ')));
    QCOMPARE(statuses.last(), u"completed"_s);
    const QJsonObject failure = summary.value(u"failures"_s)[0].toObject();
    QCOMPARE(failure.value(u"custom_id"_s).toString(), u"req-1"_s);
    QCOMPARE(failure.value(u"line"_s).toInt(), 2);
    QCOMPARE(failure.value(u"status_code"_s).toInt(), 404);
    QVERIFY(failure.value(u"error"_s).toString().contains(u"no-such-model"_s));

    // One line per request, in the input's order, each with the gateway's own line.
    const QList<QByteArray> lines = gs::tests::readFile(results).trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject line = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(line.value(u"custom_id"_s).toString(), u"req-%1"_s.arg(i));
        QCOMPARE(line.value(u"status_code"_s).toInt(), i == 1 ? 404 : 200);
        QCOMPARE(line[u"result"_s][u"custom_id"_s].toString(), u"req-%1"_s.arg(i));
    }

    // All lines good: 0, and the text summary.
    const QString good = writeFile(u"good.jsonl"_s, batchLines(2));
    const auto ok
        = runLive({ u"batch"_s, good, u"--demo"_s, u"--wait"_s, u"--poll-max"_s, u"1"_s });
    QVERIFY(ok);
    const QByteArray okOut = ok->readAllStandardOutput();
    QCOMPARE(ok->exitCode(), 0);
    QVERIFY2(okOut.contains("completed in") && okOut.contains("2 succeeded, 0 failed"),
        okOut.constData());
    QVERIFY(ok->readAllStandardError().contains("Uploaded as file-demo-1"));

    // A file with errors: named by line, nothing sent.
    const QString bad = writeFile(u"bad.jsonl"_s, batchLines(1) + "not json\n" + batchLines(1));
    const auto refused = runLive({ u"batch"_s, bad, u"--demo"_s, u"--wait"_s });
    QVERIFY(refused);
    const QByteArray refusedErr = refused->readAllStandardError();
    QCOMPARE(refused->exitCode(), 2);
    QVERIFY2(refusedErr.contains("bad.jsonl:2: error:"), refusedErr.constData());
    QVERIFY2(refusedErr.contains("bad.jsonl:3: error:"), refusedErr.constData()); // repeated id
    QVERIFY(refusedErr.contains("nothing was sent"));
    QVERIFY(!refusedErr.contains("Uploaded"));

    // No gateway, no provider for a real one: said before anything is sent.
    const auto noGateway = run({ u"batch"_s, good });
    QCOMPARE(noGateway.exitCode, 1);
    QVERIFY(noGateway.err.contains("no gateway"));
    const auto noProvider = run({ u"batch"_s, good, u"--var"_s,
        u"baseUrl=http://127.0.0.1:9/api/llm"_s, u"--var"_s, u"token=t"_s });
    QCOMPARE(noProvider.exitCode, 2);
    QVERIFY2(noProvider.err.contains("x-tfy-provider-name"), noProvider.err.constData());
}

// A picture or a sound is reported by its kind and size, never dumped; --output
// saves the bytes as they came.
void TestCli::binaryBodiesAreDescribedAndSaved()
{
    const QString speech = writeFile(u"speech.http"_s,
        "POST https://gw.example/api/llm/audio/speech\nAuthorization: Bearer t\n"
        "Content-Type: application/json\n\n"
        R"({"model": "openai-main/tts-1", "input": "Hello there", "voice": "alloy"})"
        "\n"_ba);
    const QString wav = m_dir.filePath(u"speech.wav"_s);
    const auto text = runLive({ u"send"_s, speech, u"--demo"_s, u"--output"_s, wav });
    QVERIFY(text);
    QCOMPARE(text->exitCode(), 0);
    const QByteArray report = text->readAllStandardOutput();
    QVERIFY2(report.contains("audio/wav (WAV audio;"), report.constData());
    QVERIFY(!report.contains("RIFF"));
    const QByteArray saved = gs::tests::readFile(wav);
    QVERIFY(saved.startsWith("RIFF") && saved.mid(8, 4) == "WAVE");
    QVERIFY2(report.contains(
                 QByteArray("Body:            " + QByteArray::number(saved.size()) + " bytes")),
        report.constData());

    const auto json = runLive({ u"send"_s, speech, u"--demo"_s, u"--json"_s });
    QVERIFY(json);
    const QJsonObject body = QJsonDocument::fromJson(json->readAllStandardOutput())
                                 .object()
                                 .value(u"body"_s)
                                 .toObject();
    QCOMPARE(body.value(u"kind"_s).toString(), u"audio"_s);
    QCOMPARE(body.value(u"format"_s).toString(), u"WAV"_s);
    QCOMPARE(body.value(u"bytes"_s).toInteger(), saved.size());

    // A captured response: inspect says the same and saves the body too.
    const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, '\0');
    const QString capture = writeFile(u"image.txt"_s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
            + QByteArray::number(png.size()) + "\r\n\r\n" + png);
    const QString out = m_dir.filePath(u"image.png"_s);
    const Run inspected = run({ u"inspect"_s, capture, u"--output"_s, out });
    QCOMPARE(inspected.exitCode, 0);
    QVERIFY2(inspected.out.contains("(PNG image;"), inspected.out.constData());
    QCOMPARE(gs::tests::readFile(out), png);
}

void TestCli::batchInterrupted_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::newRow("--cancel-on-interrupt") << true;
    QTest::newRow("left running") << false;
}

// Ctrl+C while a batch runs: with --cancel-on-interrupt the batch is cancelled on the
// gateway and followed until it is; without, it is left running and the exit says so.
void TestCli::batchInterrupted()
{
    QFETCH(bool, cancel);
    const QString input = writeFile(u"long.jsonl"_s, batchLines(200));
    QProcess p;
    QStringList args { u"batch"_s, input, u"--demo"_s, u"--wait"_s, u"--poll-max"_s, u"1"_s };
    if (cancel)
        args << u"--cancel-on-interrupt"_s;
    p.setReadChannel(QProcess::StandardError); // where progress goes
    p.start(QStringLiteral(GATESCOPE_CLI), args);
    QVERIFY(p.waitForStarted());
    QByteArray err;
    while (!err.contains("Created batch_demo_1")) {
        QVERIFY2(p.waitForReadyRead(20000), err.constData());
        err += p.readAllStandardError();
    }
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY2(p.waitForFinished(30000), "did not stop after the signal");
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    err += p.readAllStandardError();
    const QByteArray out = p.readAllStandardOutput();
    if (p.exitCode() != (cancel ? 4 : 130))
        qWarning().noquote() << err << out;
    if (cancel) {
        QCOMPARE(p.exitCode(), 4);
        QVERIFY2(err.contains("Cancelling batch_demo_1"), err.constData());
        QVERIFY2(err.contains("cancelled"), err.constData());
        QVERIFY2(out.contains("batch_demo_1 cancelled"), out.constData());
    } else {
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains("batch_demo_1 keeps running on the gateway"), err.constData());
    }
}

void TestCli::loadOnTheDemo()
{
    const QString file = writeFile(u"load.http"_s, R"(# @name weighted
POST https://unused.example/api/llm/chat/completions
Content-Type: application/json
x-gatescope-token-interval-ms: 0

{"model": "demo/chat", "stream": true, "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}

### plain
POST https://unused.example/api/llm/chat/completions
Content-Type: application/json

{"model": "openai-main/gpt-4o", "max_tokens": 3, "messages": [{"role": "user", "content": "hi"}]}
)"_ba);
    const QString csv = m_dir.filePath(u"load.csv"_s);
    const QString junit = m_dir.filePath(u"load.xml"_s);
    // Without --name every request of the file goes in turn.
    const Run r = run({ u"load"_s, file, u"--demo"_s, u"-n"_s, u"300"_s, u"-c"_s, u"12"_s,
        u"--json"_s, u"--csv"_s, csv, u"--junit"_s, junit, u"--expect-split"_s,
        u"openai-main/gpt-4o-mini=35,anthropic-main/claude-sonnet-4=15,openai-main/gpt-4o=50"_s,
        u"--tolerance"_s, u"6"_s, u"--expect"_s, u"error_rate < 1%"_s, u"--expect"_s,
        u"p99(ttft) < 60s"_s });
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QVERIFY2(!doc.isEmpty(), r.out.constData());
    QCOMPARE(doc.value("finished"_L1).toInteger(), 300);
    QCOMPARE(doc.value("statuses"_L1).toObject().value("200"_L1).toInteger(), 300);
    QCOMPARE(doc.value("plan"_L1).toObject().value("requests"_L1).toArray(),
        QJsonArray({ u"weighted"_s, u"plain"_s }));
    QCOMPARE(doc.value("checks"_L1).toArray().size(), 3);
    QVERIFY(doc.value("passed"_L1).toBool());
    qint64 grouped = 0;
    for (const QJsonValue g : doc.value("groups"_L1).toArray())
        grouped += g.toObject().value("count"_L1).toInteger();
    QCOMPARE(grouped, 300);
    // The demo costs nothing: no cost line.
    QVERIFY(!r.err.contains("cost:"));

    const QList<QByteArray> lines = gs::tests::readFile(csv).trimmed().split('\n');
    QCOMPARE(lines.size(), 301);
    QVERIFY(lines.first().startsWith("index,start_ms,request,status"));
    QCOMPARE(std::ranges::count_if(
                 lines, [](const QByteArray &l) { return l.contains(",plain,200,ok,"); }),
        150);
    const QByteArray xml = gs::tests::readFile(junit);
    QCOMPARE(xml.count("<testcase "), 3);
    QVERIFY(xml.contains("failures=\"0\""));

    // The table on a terminal's stdout, with PASS lines.
    const Run text = run({ u"load"_s, file, u"--demo"_s, u"--name"_s, u"weighted"_s, u"-n"_s,
        u"40"_s, u"--expect"_s, u"max(total) < 60s"_s });
    QVERIFY2(text.exitCode == 0, QByteArray(text.out + text.err).constData());
    QVERIFY(text.out.contains("Load run: 40 requests"));
    QVERIFY(text.out.contains("openai-main/gpt-4o-mini"));
    QVERIFY(text.out.contains("PASS  max(total) < 60s"));
    QVERIFY(text.out.contains("PASS: 1 of 1 checks passed"));
}

void TestCli::loadChecksAndExitCodes()
{
    const QString file
        = writeFile(u"load-one.http"_s, R"(POST http://127.0.0.1:9/api/llm/chat/completions
Authorization: Bearer unused
Content-Type: application/json
x-gatescope-token-interval-ms: 0

{"model": "demo/chat", "stream": true, "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}
)"_ba);
    // A check that fails: 4, and the table says which.
    const Run failed = run({ u"load"_s, file, u"--demo"_s, u"-n"_s, u"20"_s, u"--expect"_s,
        u"p50(total) < 0.001ms"_s, u"--expect-split"_s, u"openai-main/gpt-4o-mini=100"_s });
    QCOMPARE(failed.exitCode, 4);
    QVERIFY(failed.out.contains("FAIL  p50(total) < 0.001ms"));
    QVERIFY(failed.out.contains("FAIL: 2 of 2 checks failed"));
    // No gateway: nothing succeeded, which is a failure even without checks; the cost
    // of a real run is stated before it starts.
    const Run refused = run({ u"load"_s, file, u"-n"_s, u"3"_s });
    QCOMPARE(refused.exitCode, 4);
    QVERIFY(refused.out.contains("refused x3"));
    QVERIFY(refused.out.contains("no request got a successful answer"));
    QVERIFY2(
        refused.err.contains(
            "cost: this run sends 3 requests; at max_tokens 64 that is up to 192 output tokens"),
        refused.err.constData());
    // Usage: 1, before anything is sent.
    for (const QStringList &bad : QList<QStringList> {
             { u"load"_s, file, u"--demo"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"--duration"_s, u"1s"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"0"_s },
             { u"load"_s, file, u"--demo"_s, u"--duration"_s, u"forever"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"-c"_s, u"0"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"--expect"_s, u"p99(ttft) <"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"--tolerance"_s, u"5"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"--group-by"_s, u"json:"_s },
             { u"load"_s, file, u"--demo"_s, u"-n"_s, u"5"_s, u"--rate"_s, u"-3"_s },
         }) {
        const Run r = run(bad);
        QVERIFY2(r.exitCode == 1, qPrintable(bad.join(u' ') + u": "_s + QString::fromUtf8(r.err)));
        QVERIFY2(r.err.startsWith("gatescope-cli load: "), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
    // By duration, rate-capped: a handful in a fraction of a second.
    const Run timed = run({ u"load"_s, file, u"--demo"_s, u"--duration"_s, u"300ms"_s, u"--rate"_s,
        u"20"_s, u"--json"_s });
    QCOMPARE(timed.exitCode, 0);
    const qint64 started
        = QJsonDocument::fromJson(timed.out).object().value("started"_L1).toInteger();
    QVERIFY2(started >= 1 && started <= 7, qPrintable(QString::number(started)));
}

void TestCli::runCollection()
{
    QDir(m_dir.path()).mkpath(u"collection/group"_s);
    writeFile(u"collection/http-client.env.json"_s,
        R"({"demo": {"baseUrl": "http://127.0.0.1:9/api/llm", "token": "unused"}})");
    writeFile(u"collection/chat.http"_s, R"(### streamed
# @expect status 200
# @expect model openai-main/gpt-4o-mini
# @expect json $.choices[0].message.role == "assistant"
# @expect json $.usage.completion_tokens exists
# @expect ttft < 60s
POST {{baseUrl}}/chat/completions
Authorization: Bearer {{token}}
Content-Type: application/json

{"model": "openai-main/gpt-4o-mini", "stream": true, "stream_options": {"include_usage": true},
 "messages": [{"role": "user", "content": "hi"}]}

### wrong expectations
# @expect json $.choices[0].message.role == "user"
# @expect model other/model
POST {{baseUrl}}/chat/completions
Authorization: Bearer {{token}}
Content-Type: application/json

{"model": "openai-main/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
)"_ba);
    writeFile(u"collection/group/models.http"_s,
        "# @name models\n# @expect json $.data[0].id exists\nGET {{baseUrl}}/models\n"
        "Authorization: Bearer {{token}}\n"_ba);
    writeFile(u"collection/group/unresolved.http"_s,
        "POST {{baseUrl}}/chat/completions\nx-tfy-metadata: {\"team\":\"{{teamName}}\"}\n\n"
        "{\"model\": \"openai-main/gpt-4o-mini\", \"messages\": []}\n"_ba);
    writeFile(u"collection/group/broken.http"_s, "GET {{baseUrl}}/models\nnot a header\n"_ba);

    const QString junit = m_dir.filePath(u"results.xml"_s);
    const QString collection = m_dir.filePath(u"collection"_s);
    const Run r
        = run({ u"run"_s, collection, u"--demo"_s, u"--env"_s, u"demo"_s, u"--junit"_s, junit });
    QCOMPARE(r.exitCode, 4);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(u"PASS  chat.http › streamed  (200, "_s), qPrintable(out));
    QVERIFY(out.contains(u"FAIL  chat.http › wrong expectations  (200, "_s));
    QVERIFY(out.contains(
        u"FAIL  expect json $.choices[0].message.role == \"user\": got \"assistant\""_s));
    QVERIFY(out.contains(u"FAIL  expect model other/model: got openai-main/gpt-4o-mini"_s));
    QVERIFY(out.contains(u"PASS  group/models.http › models"_s));
    QVERIFY(out.contains(u"ERROR group/unresolved.http › line 1"_s));
    QVERIFY(out.contains(u"Unresolved variable {{teamName}}"_s));
    QVERIFY(out.contains(u"not sent"_s));
    QVERIFY(out.contains(
        u"4 requests: 2 passed, 1 failed, 1 not sent or broken on the wire; 1 file does not parse"_s));
    QVERIFY(r.err.contains("error: group/broken.http: line 2, column 1:"));
    // Ran in order: files by path, requests in file order.
    QVERIFY(out.indexOf(u"› streamed"_s) < out.indexOf(u"› wrong"_s));
    QVERIFY(out.indexOf(u"› wrong"_s) < out.indexOf(u"group/models"_s));

    // JUnit XML as CI systems read it.
    QFile xmlFile(junit);
    QVERIFY(xmlFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&xmlFile);
    int testcases = 0;
    int failures = 0;
    int errors = 0;
    QStringList suites;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == "testsuite"_L1)
            suites << xml.attributes().value("name"_L1).toString();
        testcases += xml.name() == "testcase"_L1;
        failures += xml.name() == "failure"_L1;
        errors += xml.name() == "error"_L1;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(suites,
        QStringList({ u"chat.http"_s, u"group/models.http"_s, u"group/unresolved.http"_s,
            u"unreadable files"_s }));
    QCOMPARE(testcases, 5);
    QCOMPARE(failures, 1);
    QCOMPARE(errors, 2);

    const Run j = run({ u"run"_s, collection, u"--demo"_s, u"--env"_s, u"demo"_s, u"--json"_s });
    QCOMPARE(j.exitCode, 4);
    QCOMPARE(j.out.count('\n'), 1);
    const QJsonObject doc = QJsonDocument::fromJson(j.out).object();
    QCOMPARE(doc.value(u"passed"_s).toInt(), 2);
    QCOMPARE(doc.value(u"failed"_s).toInt(), 1);
    QCOMPARE(doc.value(u"errors"_s).toInt(), 1);
    QCOMPARE(doc.value(u"unreadableFiles"_s).toArray().size(), 1);
    const QJsonObject first = doc.value(u"results"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"checks"_s).toArray().size(), 5);
    QCOMPARE(first.value(u"outcome"_s).toString(), u"pass"_s);
}

void TestCli::runOneFileByName()
{
    // The bundled examples, run as a user would try them first.
    const Run all = run({ u"run"_s, m_examples, u"--demo"_s, u"--env"_s, u"demo"_s });
    QVERIFY2(all.exitCode == 0, all.out.constData());
    QVERIFY(all.out.contains("6 requests: 6 passed, 0 failed"));

    const Run one = run({ u"run"_s, m_examples + u"/gateway-requests.http"_s, u"--demo"_s,
        u"--env"_s, u"demo"_s, u"--name"_s, u"embeddings"_s });
    QVERIFY2(one.exitCode == 0, one.out.constData());
    QVERIFY(one.out.startsWith("PASS  gateway-requests.http › embeddings  (200, "));
    QVERIFY(one.out.contains("1 request: 1 passed"));

    const Run none = run({ u"run"_s, m_examples + u"/gateway-requests.http"_s, u"--demo"_s,
        u"--env"_s, u"demo"_s, u"--name"_s, u"nothing-by-this-name"_s });
    QCOMPARE(none.exitCode, 1);
    QVERIFY(none.err.contains("no request to run named \"nothing-by-this-name\""));

    const Run badEnv = run({ u"run"_s, m_examples, u"--demo"_s, u"--env"_s, u"staging"_s });
    QCOMPARE(badEnv.exitCode, 1);
    QVERIFY(badEnv.err.contains("No environment staging; there are: demo, truefoundry."));
}

void TestCli::importCurl()
{
    const QByteArray command
        = "curl 'https://gw.example/api/llm/chat/completions' \\\n"
          "  -H 'authorization: Bearer tfy-secret' \\\n"
          "  -H 'content-type: application/json' --compressed \\\n"
          "  --data-raw '{\"model\":\"openai-main/gpt-4o\",\"messages\":[]}'\n";
    const Run r = run({ u"import"_s, u"curl"_s, u"-"_s }, command);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out,
        "POST https://gw.example/api/llm/chat/completions\nauthorization: Bearer {{token}}\n"
        "content-type: application/json\n\n{\"model\":\"openai-main/gpt-4o\",\"messages\":[]}\n");
    QVERIFY(!r.out.contains("tfy-secret"));
    QVERIFY(r.err.contains("note: --compressed"));
    QVERIFY(r.err.contains("private.env.json"));

    // What it prints is a request the other commands read.
    const QString path = writeFile(u"imported.http"_s, r.out);
    const Run compose = run({ u"compose"_s, path, u"--var"_s, u"token=t"_s });
    QVERIFY2(compose.exitCode == 0, compose.err.constData());

    QCOMPARE(run({ u"import"_s, u"curl"_s, u"-"_s, u"--keep-secrets"_s }, command)
                 .out.contains("Bearer tfy-secret"),
        true);
    QCOMPARE(run({ u"import"_s, u"curl"_s, u"-"_s }, "wget https://x\n").exitCode, 2);
    QCOMPARE(run({ u"import"_s, u"postman"_s, u"-"_s }, command).exitCode, 1); // no OUTDIR

    // A Postman collection becomes a folder the other commands read.
    const QString collection = QStringLiteral(
        GATESCOPE_SOURCE_DIR "/tests/data/postman/gateway.postman_collection.json");
    const QString outdir = m_dir.filePath(u"from-postman"_s);
    const Run postman = run({ u"import"_s, u"postman"_s, collection, outdir });
    QVERIFY2(postman.exitCode == 0, postman.err.constData());
    QVERIFY(postman.out.contains("4 requests"));
    QVERIFY2(postman.err.contains("Upload a file: the file /tmp/data.jsonl is not here"),
        postman.err.constData());
    const Run composed = run(
        { u"compose"_s, outdir + u"/Chat/requests.http"_s, u"--name"_s, u"Streaming chat"_s });
    QVERIFY2(composed.exitCode == 0, composed.err.constData());
    QVERIFY(composed.out.startsWith("POST https://gateway.example.com/api/llm/chat/completions"));
    // And back out as a Postman collection, without the private values.
    const Run exported = run({ u"export"_s, u"postman"_s, outdir });
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QVERIFY(exported.out.contains(
        "\"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\""));
    QVERIFY(exported.out.contains("Streaming chat"));
    QVERIFY(!exported.out.contains("tfy-from-postman"));
    // A second import into the same folder writes nothing.
    const Run again = run({ u"import"_s, u"postman"_s, collection, outdir });
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("nothing was written"));
}

void TestCli::exportFormats()
{
    const QString file = m_examples + u"/chat-stream.http"_s;
    const Run curl = run({ u"export"_s, u"curl"_s, file, u"--env"_s, u"demo"_s });
    QVERIFY2(curl.exitCode == 0, curl.err.constData());
    QVERIFY(curl.out.startsWith("curl -sS 'http://127.0.0.1:8787/api/llm/chat/completions'"));
    QVERIFY(curl.out.contains("-H \"Authorization: Bearer $TFY_API_KEY\""));
    QVERIFY(!curl.out.contains("gs-demo-token"));
    const Run shown
        = run({ u"export"_s, u"curl"_s, file, u"--env"_s, u"demo"_s, u"--show-secrets"_s });
    QVERIFY(shown.out.contains("Bearer gs-demo-token"));

    const Run python = run({ u"export"_s, u"python"_s, file, u"--env"_s, u"demo"_s });
    QVERIFY2(python.exitCode == 0, python.err.constData());
    QVERIFY(python.out.contains("extra_headers={"));
    QVERIFY(python.out.contains("\"x-tfy-ttft-timeout-ms\": \"5000\","));
    const Run js = run({ u"export"_s, u"js"_s, file, u"--env"_s, u"demo"_s });
    QVERIFY(js.out.contains("headers: {"));
    const Run http = run({ u"export"_s, u"http"_s, file, u"--env"_s, u"demo"_s });
    QVERIFY(http.out.startsWith("POST {{baseUrl}}/chat/completions\n"));

    // The second request of a file, by name; a format nobody knows; a missing file.
    const Run models = run({ u"export"_s, u"python"_s, m_examples + u"/gateway-requests.http"_s,
        u"--name"_s, u"models"_s, u"--env"_s, u"demo"_s });
    QVERIFY2(models.exitCode == 0, models.err.constData());
    QVERIFY(models.out.contains("client.models.list("));
    QCOMPARE(run({ u"export"_s, u"ruby"_s, file }).exitCode, 1);
    QCOMPARE(run({ u"export"_s, u"curl"_s, u"/nonexistent.http"_s }).exitCode, 1);
}

// Secrets outside Authorization: a query parameter, an X-Auth-Token header, and a
// private environment value used in a gateway header and the body. Every command
// that writes or prints the request is run, and every output and file searched for
// each canary in plain, base64 and percent-encoded form.
void TestCli::canarySecretsInEveryOutput()
{
    const QStringList canaries { u"CANARYquery1234"_s, u"CANARYheader5678"_s,
        u"CANARY private 9999"_s, u"CANARYuser4321"_s };
    const auto leaks = [&canaries](const QByteArray &bytes) {
        QStringList found;
        for (const QString &c : canaries) {
            const QByteArray plain = c.toUtf8();
            for (const QByteArray &form : { plain, plain.toBase64(), QUrl::toPercentEncoding(c),
                     QByteArray(plain).replace(' ', '+') })
                if (bytes.contains(form))
                    found << c + u" as "_s + QString::fromLatin1(form);
        }
        return found.join(u", "_s);
    };
    QDir(m_dir.path()).mkpath(u"canary"_s);
    writeFile(u"canary/http-client.env.json"_s,
        R"({"local": {"baseUrl": "http://127.0.0.1:9/api/llm", "token": "unused-token"}})");
    writeFile(u"canary/http-client.private.env.json"_s,
        R"({"local": {"queryKey": "CANARYquery1234", "authToken": "CANARYheader5678", "team": "CANARY private 9999"}})");
    const QString file = writeFile(u"canary/chat.http"_s, R"(# @name chat
POST {{baseUrl}}/chat/completions?api_key={{queryKey}}&trace=1
Authorization: Bearer {{token}}
X-Auth-Token: {{authToken}}
x-tfy-metadata: {"team":"{{team}}"}
Content-Type: application/json

{"model": "openai-main/gpt-4o-mini", "messages": [{"role": "user", "content": "for {{team}}"}]}
)"_ba);
    const QString har = m_dir.filePath(u"canary/out.har"_s);
    const QString junit = m_dir.filePath(u"canary/results.xml"_s);
    const QString junitRefused = m_dir.filePath(u"canary/refused.xml"_s);
    const QString loadCsv = m_dir.filePath(u"canary/load.csv"_s);
    const QString loadJunit = m_dir.filePath(u"canary/load.xml"_s);
    const QStringList env { u"--env"_s, u"local"_s };
    QList<std::pair<QString, QStringList>> commands {
        { u"send --demo --har"_s,
            QStringList { u"send"_s, file, u"--demo"_s, u"--har"_s, har } + env },
        { u"send --demo --json"_s,
            QStringList { u"send"_s, file, u"--demo"_s, u"--json"_s } + env },
        { u"send (refused)"_s, QStringList { u"send"_s, file } + env },
        { u"compose"_s, QStringList { u"compose"_s, file } + env },
        { u"compose --json"_s, QStringList { u"compose"_s, file, u"--json"_s } + env },
        { u"run --demo --junit"_s,
            QStringList { u"run"_s, m_dir.filePath(u"canary"_s), u"--demo"_s, u"--junit"_s, junit }
                + env },
        // Grouped by the header that echoes the metadata: the groups hold a secret.
        { u"load --demo --csv --junit"_s,
            QStringList { u"load"_s, file, u"--demo"_s, u"-n"_s, u"4"_s, u"--group-by"_s,
                u"header:x-tfy-applied-configurations"_s, u"--csv"_s, loadCsv, u"--junit"_s,
                loadJunit, u"--expect-split"_s, u"a=1"_s }
                + env },
        { u"load --demo --json"_s,
            QStringList { u"load"_s, file, u"--demo"_s, u"-n"_s, u"2"_s, u"--json"_s,
                u"--group-by"_s, u"header:x-tfy-applied-configurations"_s }
                + env },
        { u"run --junit (refused)"_s,
            QStringList { u"run"_s, m_dir.filePath(u"canary"_s), u"--junit"_s, junitRefused }
                + env },
    };
    for (const QString &format : { u"curl"_s, u"python"_s, u"javascript"_s, u"http"_s })
        commands.append({ u"export "_s + format, QStringList { u"export"_s, format, file } + env });
    commands.append({ u"export artillery"_s,
        QStringList { u"export"_s, u"artillery"_s, file, u"-n"_s, u"8"_s } + env });
    for (const auto &[label, args] : std::as_const(commands)) {
        const Run r = run(args);
        QVERIFY2(r.exitCode >= 0, qPrintable(label));
        const QString found = leaks(r.out + r.err);
        QVERIFY2(found.isEmpty(),
            qPrintable(label + u": "_s + found + u"\n"_s + QString::fromUtf8(r.out + r.err)));
    }
    for (const QString &written : { har, junit, junitRefused, loadCsv, loadJunit }) {
        const QByteArray bytes = gs::tests::readFile(written);
        QVERIFY2(bytes != "<missing>", qPrintable(written));
        QVERIFY2(leaks(bytes).isEmpty(), qPrintable(written + u": "_s + leaks(bytes)));
    }
    // The load run's groups did hold the echoed metadata (masked).
    QVERIFY(gs::tests::readFile(loadCsv).contains("metadata"));
    // The refused run says where it went, with the key masked.
    QVERIFY(gs::tests::readFile(junitRefused).contains("api_key=********"));
    // export http writes the variables the file used, not new names.
    const Run http = run(QStringList { u"export"_s, u"http"_s, file } + env);
    QVERIFY2(http.out.contains("api_key={{queryKey}}"), http.out.constData());
    QVERIFY2(http.out.contains("X-Auth-Token: {{authToken}}"), http.out.constData());

    // Imports move credentials into variables.
    const Run curl = run({ u"import"_s, u"curl"_s, u"-"_s },
        "curl -H 'X-Auth-Token: CANARYheader5678' "
        "'https://CANARYuser4321@gw.example/v1?api_key=CANARYquery1234'\n");
    QVERIFY2(curl.exitCode == 0, curl.err.constData());
    QVERIFY2(leaks(curl.out + curl.err).isEmpty(), qPrintable(leaks(curl.out + curl.err)));
    QVERIFY(curl.err.contains("x_auth_token") && curl.err.contains("api_key"));

    // Every check above can fail: with --show-secrets the values are there.
    const Run shown = run(QStringList { u"compose"_s, file, u"--show-secrets"_s } + env);
    QVERIFY(leaks(shown.out).contains(u"CANARYquery1234"_s));
    QVERIFY(leaks(shown.out).contains(u"CANARY private 9999"_s));
}

namespace {

// A stream that would take half an hour: only an interrupt or a closed pipe ends it.
constexpr auto kEndlessStream = R"(POST https://unused.example/api/llm/chat/completions
Content-Type: application/json
x-gatescope-token-interval-ms: 20

{"model": "openai-main/gpt-4o-mini", "stream": true, "max_tokens": 100000,
 "messages": [{"role": "user", "content": "go on"}]}
)";

} // namespace

void TestCli::interruptFinishesTheOutputs_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("signal");
    QTest::newRow("send, SIGINT") << QStringList {} << int(SIGINT);
    QTest::newRow("send --json, SIGTERM") << QStringList { u"--json"_s } << int(SIGTERM);
}

// Ctrl+C after the first token: the exchange stops, the report and the HAR file are
// written with what arrived, and the exit status says it was interrupted.
void TestCli::interruptFinishesTheOutputs()
{
    QFETCH(QStringList, extra);
    QFETCH(int, signal);
    const QString file = writeFile(u"endless.http"_s, kEndlessStream);
    const QString har = m_dir.filePath(u"interrupted.har"_s);
    QFile::remove(har);
    QProcess p;
    p.start(QStringLiteral(GATESCOPE_CLI),
        QStringList { u"send"_s, file, u"--demo"_s, u"--har"_s, har } + extra);
    QVERIFY(p.waitForStarted());
    const bool json = extra.contains(u"--json"_s);
    // Without --json the answer streams to stdout: the signal follows its first bytes.
    // With --json nothing is printed before the end, so there is no event to wait for;
    // the process must simply still be running, and the assertions below hold whenever
    // the signal lands (before the first byte or after).
    if (!json)
        QVERIFY(p.waitForReadyRead(20000));
    else
        QVERIFY(!p.waitForFinished(500));
    ::kill(pid_t(p.processId()), signal);
    QVERIFY2(p.waitForFinished(20000), "did not stop after the signal");
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("interrupted"), err.constData());
    if (json) {
        const QJsonObject doc = QJsonDocument::fromJson(out).object();
        QVERIFY2(!doc.isEmpty(), out.constData());
        QCOMPARE(doc.value(u"interrupted"_s).toBool(), true);
        const QJsonObject transportError = doc.value(u"transportError"_s).toObject();
        QVERIFY(transportError.value(u"message"_s).toString().contains(u"Canceled"_s));
    } else {
        QVERIFY2(out.contains("Transport error: Canceled"), out.constData());
        QVERIFY2(out.contains("Timing (client, monotonic clock)"), out.constData());
        QVERIFY(!out.contains("\x1b[2m")); // not a terminal: no colour, nothing left dim
    }
    const QJsonObject harDoc = QJsonDocument::fromJson(gs::tests::readFile(har)).object();
    const QJsonArray entries = harDoc.value(u"log"_s).toObject().value(u"entries"_s).toArray();
    QCOMPARE(entries.size(), 1);
    QVERIFY(entries.first().toObject().value(u"comment"_s).toString().contains(u"Canceled"_s));
}

void TestCli::brokenPipeStopsAtOnce()
{
    const QString file = writeFile(u"endless.http"_s, kEndlessStream);
    for (const QStringList &mode : { QStringList {}, QStringList { u"--raw"_s } }) {
        QProcess p;
        p.start(u"bash"_s,
            { u"-c"_s,
                u"\"$0\" send \"$1\" --demo $2 | head -c 50 >/dev/null; echo \"exit=${PIPESTATUS[0]}\" >&2"_s,
                QStringLiteral(GATESCOPE_CLI), file, mode.join(u' ') });
        QVERIFY(p.waitForStarted());
        QVERIFY2(p.waitForFinished(30000), "the exchange went on after the pipe closed");
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("exit=141"), err.constData());
        QVERIFY2(err.contains("standard output was closed"), err.constData());
        QVERIFY2(err.count('\n') <= 4, err.constData()); // one line, not a storm
    }
}

void TestCli::durationsOutOfRangeAreRefused_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    for (const char *option : { "--max-time", "--idle-timeout" })
        for (const char *value : { "0.0004", "nan", "inf", "1e308", "3000000", "-1", "abc", "" })
            QTest::addRow("%s %s", option, value)
                << QString::fromLatin1(option) << QString::fromLatin1(value);
    QTest::addRow("run --max-time 0") << u"run --max-time"_s << u"0"_s;
    QTest::addRow("run --max-time nan") << u"run --max-time"_s << u"nan"_s;
}

void TestCli::durationsOutOfRangeAreRefused()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    const bool runCommand = option.startsWith(u"run "_s);
    const QString flag = runCommand ? option.mid(4) : option;
    const Run r = run({ runCommand ? u"run"_s : u"send"_s, m_examples + u"/chat-stream.http"_s,
        u"--demo"_s, flag + u'=' + value });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(
                 QByteArray(flag.toUtf8() + " takes a number of seconds from 0.001 to 86400")),
        r.err.constData());
    QVERIFY(!r.out.contains("Requested model")); // nothing was sent
}

void TestCli::inputErrorsAndTheirExitCodes()
{
    // A .http syntax error is invalid input: exit 2, and JSON for scripts.
    const QString broken
        = writeFile(u"syntax.http"_s, "POST https://a.example/x\nnot a header\n"_ba);
    const Run text = run({ u"compose"_s, broken });
    QCOMPARE(text.exitCode, 2);
    QVERIFY2(text.err.contains("line 2, column 1"), text.err.constData());
    const Run json = run({ u"compose"_s, broken, u"--json"_s });
    QCOMPARE(json.exitCode, 2);
    const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(doc.value(u"ok"_s).toBool(true), false);
    const QJsonObject firstError = doc.value(u"errors"_s).toArray().first().toObject();
    QVERIFY(firstError.value(u"message"_s).toString().contains(u"line 2"_s));
    // A variable that refers to itself, likewise.
    QCOMPARE(run({ u"compose"_s,
                     writeFile(u"cycle.http"_s, "@a = {{a}}\nGET https://a.example/{{a}}\n"_ba) })
                 .exitCode,
        2);
    // Bytes that are not UTF-8 are named with their line.
    const Run latin1 = run({ u"compose"_s,
        writeFile(u"latin1.http"_s,
            "POST https://a.example/x\nContent-Type: text/plain\n\ncaf\xe9\n"_ba) });
    QCOMPARE(latin1.exitCode, 0);
    QVERIFY2(latin1.err.contains("warning: ") && latin1.err.contains("line 4 is not UTF-8"),
        latin1.err.constData());
    // --seed takes a number, with or without --demo; --json and --raw conflict.
    for (const QStringList &args :
        { QStringList { u"send"_s, m_examples + u"/chat-stream.http"_s, u"--seed"_s, u"abc"_s },
            QStringList { u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s, u"--seed"_s,
                u"abc"_s },
            QStringList { u"mock"_s, u"--seed"_s, u"abc"_s } }) {
        const Run r = run(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--seed"), r.err.constData());
    }
    const Run both = run(
        { u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s, u"--json"_s, u"--raw"_s });
    QCOMPARE(both.exitCode, 1);
    QVERIFY(both.err.contains("choose one"));
    // Each command's help names it as a user types it and lists its exit codes.
    for (const QString &command :
        { u"compose"_s, u"send"_s, u"run"_s, u"inspect"_s, u"import"_s, u"export"_s, u"mock"_s }) {
        const Run help = run({ command, u"--help"_s });
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith(
                     QByteArray("Usage: gatescope-cli " + command.toUtf8() + " [options]")),
            help.out.constData());
        QVERIFY2(help.out.contains("Exit codes:\n    0  success"), help.out.constData());
    }
    QVERIFY(run({ u"send"_s, u"--help"_s }).out.contains("130  interrupted"));
    // A note that comes 1,000 times is counted on one line.
    const Run many = run({ u"import"_s, u"curl"_s, u"-"_s },
        "curl https://a.example/" + QByteArray(" --frobnicate").repeated(1000) + "\n");
    QCOMPARE(many.exitCode, 0);
    QVERIFY2(many.err.contains("(1000 times)"), many.err.left(500).constData());
    QVERIFY2(many.err.count('\n') <= 3, many.err.left(500).constData());
}

void TestCli::usage()
{
    const Run none = run({});
    QCOMPARE(none.exitCode, 1);
    QVERIFY(none.out.contains("compose FILE.http"));
    QCOMPARE(run({ u"--help"_s }).exitCode, 0);
    QCOMPARE(run({ u"frobnicate"_s }).exitCode, 1);
    const Run help = run({ u"compose"_s, u"--help"_s });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--show-secrets"));
}

void TestCli::diffReportsAndHistory()
{
    // Two reports send --json wrote: one compared with itself is the same (exit 0),
    // with a run of another request it differs (exit 1) and says where.
    const Run a = run({ u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s, u"--json"_s });
    QVERIFY2(a.exitCode == 0, a.err.constData());
    const Run b = run({ u"send"_s, m_examples + u"/first-run.http"_s, u"--demo"_s, u"--json"_s });
    QVERIFY2(b.exitCode == 0, b.err.constData());
    const QString pathA = writeFile(u"a.json"_s, a.out);
    const QString pathB = writeFile(u"b.json"_s, b.out);
    const Run same = run({ u"diff"_s, pathA, pathA });
    QVERIFY2(same.exitCode == 0, same.out.constData());
    QVERIFY(same.out.contains("Equal in everything compared"));
    const Run differ = run({ u"diff"_s, pathA, pathB });
    QCOMPARE(differ.exitCode, 1);
    QVERIFY2(differ.out.contains("### Timing"), differ.out.constData());
    const Run asJson = run({ u"diff"_s, pathA, pathB, u"--json"_s });
    QCOMPARE(asJson.exitCode, 1);
    const QJsonObject json = QJsonDocument::fromJson(asJson.out).object();
    QCOMPARE(json.value(u"equal"_s).toBool(true), false);
    QCOMPARE(json.value(u"a"_s).toString(), pathA);

    // Two entries of a history: the metadata compared key by key; --ignore leaves a
    // field out.
    gs::demo::DemoGateway demo(3);
    const auto base = demo.listen();
    QVERIFY(base);
    const QString historyPath = m_dir.filePath(u"diff-history.sqlite"_s);
    {
        auto history = gs::core::History::open(historyPath);
        QVERIFY(history);
        QNetworkAccessManager network;
        for (const QByteArray team : { "search", "ads" }) {
            gs::core::Exchange exchange(&network);
            QSignalSpy finished(&exchange, &gs::core::Exchange::finished);
            exchange.start({ "POST", *base + u"/chat/completions"_s,
                { { "Authorization", "Bearer gs-demo-token" },
                    { "Content-Type", "application/json" },
                    { "x-tfy-metadata", R"({"env":"prod","team":")" + team + R"("})" } },
                R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})" });
            QVERIFY(finished.wait(20000));
            QVERIFY((*history)->record(gs::core::historyEntry(exchange.snapshot(), {})));
        }
    }
    const Run entries = run(
        { u"diff"_s, u"history:1"_s, u"history:2"_s, u"--history"_s, historyPath, u"--json"_s });
    QCOMPARE(entries.exitCode, 1);
    const QJsonObject e = QJsonDocument::fromJson(entries.out).object();
    const QJsonArray headers = e.value(u"requestHeaders"_s).toArray();
    QCOMPARE(headers.size(), 1);
    QCOMPARE(headers.first().toObject().value(u"name"_s).toString(), u"x-tfy-metadata"_s);
    const QJsonObject change
        = headers.first().toObject().value(u"changes"_s).toArray().first().toObject();
    QCOMPARE(change.value(u"path"_s).toString(), u"$.team"_s);
    QCOMPARE(change.value(u"before"_s).toString(), u"search"_s);
    QCOMPARE(change.value(u"after"_s).toString(), u"ads"_s);
    QVERIFY(!entries.out.contains("gs-demo-token"));
    const Run ignored = run({ u"diff"_s, u"history:1"_s, u"history:2"_s, u"--history"_s,
        historyPath, u"--ignore"_s, u"team"_s });
    QVERIFY2(ignored.exitCode == 0, ignored.out.constData());

    // HAR files, as send --har writes them: the same exchange equal, two differ, and a
    // HAR entry against the report of the same exchange equal in what both have.
    const QString harA = m_dir.filePath(u"a.har"_s);
    const QString harB = m_dir.filePath(u"b.har"_s);
    const Run sentA = run({ u"send"_s, m_examples + u"/chat-stream.http"_s, u"--demo"_s,
        u"--json"_s, u"--har"_s, harA });
    QVERIFY2(sentA.exitCode == 0, sentA.err.constData());
    QVERIFY(run({ u"send"_s, m_examples + u"/first-run.http"_s, u"--demo"_s, u"--har"_s, harB })
                .exitCode
        == 0);
    const Run harSame = run({ u"diff"_s, harA, harA + u"#1"_s });
    QVERIFY2(harSame.exitCode == 0, harSame.out.constData());
    const Run harDiffer = run({ u"diff"_s, harA, harB, u"--json"_s });
    QCOMPARE(harDiffer.exitCode, 1);
    const QJsonObject h = QJsonDocument::fromJson(harDiffer.out).object();
    QCOMPARE(h.value(u"requestBody"_s).toArray().isEmpty(), false);
    bool modelChanged = false;
    for (const QJsonValue f : h.value(u"fields"_s).toArray())
        modelChanged = modelChanged
            || (f.toObject().value(u"name"_s).toString() == u"resolved model"_s
                && !f.toObject().value(u"equal"_s).toBool());
    QVERIFY(modelChanged);
    QVERIFY(!h.value(u"text"_s).toArray().isEmpty());
    const Run harAgainstReport
        = run({ u"diff"_s, harA, writeFile(u"sent-a.json"_s, sentA.out), u"--json"_s });
    QVERIFY2(harAgainstReport.exitCode == 0, harAgainstReport.out.constData());
    QCOMPARE(run({ u"diff"_s, harA + u"#2"_s, harB }).exitCode, 2);

    // Trouble is 2: a missing file, an entry that is not there, one side only.
    QCOMPARE(run({ u"diff"_s, pathA, m_dir.filePath(u"missing.json"_s) }).exitCode, 2);
    QCOMPARE(run({ u"diff"_s, u"history:99"_s, pathA, u"--history"_s, historyPath }).exitCode, 2);
    QCOMPARE(run({ u"diff"_s, pathA }).exitCode, 2);
    const Run notAReport = run({ u"diff"_s, pathA, writeFile(u"x.json"_s, "{\"a\":1}") });
    QCOMPARE(notAReport.exitCode, 2);
    QVERIFY(notAReport.err.contains("not a report"));
    QVERIFY(!sentA.out.contains("gs-demo-token"));
}

void TestCli::replayAgainstAnotherGateway()
{
    // Three exchanges with one demo gateway in a history; replayed against another (the
    // command's own demo gateway, then an environment of a collection).
    gs::demo::DemoGateway recorded(5);
    const auto base = recorded.listen();
    QVERIFY(base);
    const QString historyPath = m_dir.filePath(u"replay-history.sqlite"_s);
    {
        auto history = gs::core::History::open(historyPath);
        QVERIFY(history);
        QNetworkAccessManager network;
        for (const QByteArray model : { "openai-main/gpt-4o-mini", "demo/fallback", "demo/chat" }) {
            gs::core::Exchange exchange(&network);
            QSignalSpy finished(&exchange, &gs::core::Exchange::finished);
            exchange.start({ "POST", *base + u"/chat/completions"_s,
                { { "Authorization", "Bearer gs-demo-token" },
                    { "Content-Type", "application/json" },
                    { "x-tfy-metadata", R"({"team":"search"})" } },
                R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})" });
            QVERIFY(finished.wait(20000));
            QVERIFY((*history)->record(
                gs::core::historyEntry(exchange.snapshot(), QString::fromUtf8(model))));
        }
    }

    // The dry run: each request as it will go out, what changed, no token.
    const Run dry = run({ u"replay"_s, u"--history"_s, u"chat/completions"_s, u"--history-file"_s,
        historyPath, u"--demo"_s, u"--map-model"_s, u"openai-main/gpt-4o-mini=demo/chat"_s,
        u"--drop-header"_s, u"x-tfy-metadata"_s, u"--dry-run"_s });
    QVERIFY2(dry.exitCode == 0, dry.err.constData());
    for (const char *line : { "### history 1", "### history 2", "### history 3",
             "# model openai-main/gpt-4o-mini → demo/chat", "# dropped x-tfy-metadata",
             "Authorization: Bearer ********\n", R"("model":"demo/chat")" })
        QVERIFY2(dry.out.contains(line), QByteArray(line + ("\n" + dry.out)).constData());
    QVERIFY(dry.out.indexOf("### history 1") < dry.out.indexOf("### history 3")); // oldest first
    QVERIFY(!dry.out.contains("x-tfy-metadata:"));
    QVERIFY(!dry.out.contains("gs-demo-token"));
    // No target token: nothing can go out, and the dry run says why.
    const Run noToken = run({ u"replay"_s, u"--history"_s, u"history:1"_s, u"--history-file"_s,
        historyPath, u"--map-model"_s, u"*=demo/chat"_s, u"--dry-run"_s });
    QCOMPARE(noToken.exitCode, 4);
    QVERIFY2(
        noToken.out.contains("# not replayed: no token for the target"), noToken.out.constData());

    // Replayed as recorded: the same status and shape for each, a JUnit report.
    const QString junit = m_dir.filePath(u"replay.xml"_s);
    const Run same = run({ u"replay"_s, u"--history"_s, u"history:1,history:2"_s,
        u"--history-file"_s, historyPath, u"--demo"_s, u"--json"_s, u"--junit"_s, junit });
    QVERIFY2(same.exitCode == 0, same.out.constData());
    const QJsonObject report = QJsonDocument::fromJson(same.out).object();
    QCOMPARE(report.value(u"total"_s).toInt(), 2);
    QCOMPARE(report.value(u"matched"_s).toInt(), 2);
    const QJsonObject first = report.value(u"pairs"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"label"_s).toString(), u"history 1"_s);
    QCOMPARE(first.value(u"statusAfter"_s).toInt(), 200);
    QCOMPARE(first.value(u"resolvedModelAfter"_s).toString(), u"openai-main/gpt-4o-mini"_s);
    QVERIFY(first.value(u"similarity"_s).toDouble(-1) >= 0);
    QVERIFY(first.value(u"comparison"_s).toObject().contains(u"timing"_s));
    QFile xml(junit);
    QVERIFY(xml.open(QIODevice::ReadOnly));
    const QByteArray junitText = xml.readAll();
    QVERIFY(junitText.contains(R"(tests="2" failures="0")"));
    QVERIFY(!junitText.contains("gs-demo-token") && !same.out.contains("gs-demo-token"));

    // To a model the gateway does not serve: the status changed, the pair differs, the
    // text report says so and the exit status is 4.
    const Run moved = run({ u"replay"_s, u"--history"_s, u"history:3"_s, u"--history-file"_s,
        historyPath, u"--demo"_s, u"--map-model"_s, u"*=nobody/no-such-model"_s });
    QCOMPARE(moved.exitCode, 4);
    QVERIFY2(moved.out.contains("DIFF history 3: status 200 → 4"), moved.out.constData());
    QVERIFY(moved.out.contains("1 replayed: 0 answered as recorded, 1 differ"));

    // A .http file sent first in one environment, then replayed in another (a second
    // gateway): its baseUrl and token from the collection's environment file.
    gs::demo::DemoGateway other(6);
    const auto otherBase = other.listen();
    QVERIFY(otherBase);
    QDir(m_dir.path()).mkpath(u"replay-collection"_s);
    const QString folder = m_dir.filePath(u"replay-collection"_s);
    QFile env(folder + u"/http-client.env.json"_s);
    QVERIFY(env.open(QIODevice::WriteOnly));
    const auto environment = [](const QString &url) {
        return QJsonObject { { u"baseUrl"_s, url }, { u"token"_s, u"gs-demo-token"_s } };
    };
    const QJsonObject environments { { u"a"_s, environment(*base) },
        { u"b"_s, environment(*otherBase) } };
    env.write(QJsonDocument(environments).toJson());
    env.close();
    QFile http(folder + u"/ask.http"_s);
    QVERIFY(http.open(QIODevice::WriteOnly));
    http.write(
        "# @name ask\nPOST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n"
        "Content-Type: application/json\n\n"
        R"({"model": "openai-main/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})"
        "\n");
    http.close();
    // (Run without holding this process: the two gateways answer from it.)
    const auto live = runLive({ u"replay"_s, u"--history"_s, http.fileName(), u"--from-env"_s,
        u"a"_s, u"--env"_s, u"b"_s });
    QVERIFY(live);
    const QByteArray collectionOut = live->readAllStandardOutput();
    QVERIFY2(live->exitCode() == 0,
        QByteArray(collectionOut + live->readAllStandardError()).constData());
    QVERIFY2(collectionOut.contains("SAME ask: status 200 = 200, same shape"),
        collectionOut.constData());
    QVERIFY(!collectionOut.contains("gs-demo-token"));
    const Run collectionDry = run({ u"replay"_s, u"--history"_s, http.fileName(), u"--from-env"_s,
        u"a"_s, u"--env"_s, u"b"_s, u"--dry-run"_s });
    QVERIFY2(collectionDry.out.contains(u"# base URL %1 → %2"_s.arg(*base, *otherBase).toUtf8()),
        collectionDry.out.constData());
    // In its own environment with another model: the requests' own token goes along.
    const Run ownToken = run({ u"replay"_s, u"--history"_s, http.fileName(), u"--from-env"_s,
        u"a"_s, u"--map-model"_s, u"*=demo/chat"_s, u"--dry-run"_s });
    QVERIFY2(ownToken.exitCode == 0, ownToken.out.constData());
    QVERIFY(ownToken.out.contains("# model openai-main/gpt-4o-mini → demo/chat"));
    QVERIFY(!ownToken.out.contains("not replayed") && !ownToken.out.contains("gs-demo-token"));

    // A file whose environment was not named ({{baseUrl}} unset): said before anything
    // is sent, dry run or not.
    const Run unset = run({ u"replay"_s, u"--history"_s, http.fileName(), u"--demo"_s });
    QCOMPARE(unset.exitCode, 1);
    QVERIFY2(unset.err.contains("ask cannot be sent as it is: name the environment"),
        unset.err.constData());
    QCOMPARE(
        run({ u"replay"_s, u"--history"_s, http.fileName(), u"--demo"_s, u"--dry-run"_s }).exitCode,
        1);

    // Trouble: nothing said of what or where, an environment that is not there.
    QCOMPARE(run({ u"replay"_s, u"--demo"_s }).exitCode, 1);
    QCOMPARE(
        run({ u"replay"_s, u"--history"_s, u"x"_s, u"--history-file"_s, historyPath }).exitCode, 1);
    const Run badEnv = run({ u"replay"_s, u"--history"_s, http.fileName(), u"--env"_s, u"nope"_s });
    QCOMPARE(badEnv.exitCode, 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
