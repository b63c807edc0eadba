#include "core/model/gatewayrequest.h"
#include "core/model/validation.h"
#include "core/stream/gatewayresponse.h"
#include "core/stream/openaiassembler.h"
#include "core/stream/sseparser.h"
#include "demo/batches.h"
#include "demo/demorouter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gs::core;
using namespace gs::demo;
using namespace Qt::StringLiterals;

// The demo gateway's decisions, without sockets: what a faithful gateway answers.
class TestDemoRouter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusFor_data();
    void statusFor();
    void modelsList();
    void streamAssemblesToTheAnswer();
    void reasoningOnlyWhenStrictOpenAiIsFalse();
    void toolCallsAndSeveralChoices();
    void fallbackAndRetriesAreReported();
    void ttftTimeoutFallsBack();
    void nonStreamingHasServerTiming();
    void responsesApiStream();
    void deterministicUnderASeed();
    void weightsHoldAcrossManyRequests();
    void latencyBasedRoutingPrefersTheFaster();
    void stickyRoutingPinsASession();
    void failingTargetTurnsUnhealthyAndRecovers();
    void faultsFromHeaderOrPath();
    void ownRulesNotTheClients_data();
    void ownRulesNotTheClients();
    void aRepeatedMetadataKeyKeepsTheLast();
    void filesApi();
    void batchesRunOnTheClock();
    void batchesRefuseAndFail();
    void batchCancelKeepsTheLinesDone();
};

namespace {

DemoRequest chat(
    const QByteArray &body, HttpHeaders extra = {}, QByteArray path = "/api/llm/chat/completions")
{
    HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
        { "Content-Type", "application/json" } };
    headers += extra;
    return { "POST", path, headers, body };
}

//! The demo with a clock the test moves, and helpers for the Files and Batch APIs.
struct BatchDemo
{
    qint64 now = 1'764'000'000'000;
    DemoRouter router { 1, [this] { return now; } };

    DemoResponse call(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
        const QByteArray &provider = "openai-main")
    {
        HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
            { "Content-Type", "application/json" } };
        if (!provider.isEmpty())
            headers.append({ "x-tfy-provider-name", provider });
        return router.handle({ method, "/api/llm" + path, headers, body });
    }
    QJsonObject object(const DemoResponse &r) const
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    QString upload(const QByteArray &jsonl, const QByteArray &purpose = "batch",
        const QByteArray &provider = "openai-main")
    {
        const QByteArray form = "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
            + purpose
            + "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; "
              "filename=\"in.jsonl\"\r\n\r\n"
            + jsonl + "\r\n--b--\r\n";
        const DemoResponse r = router.handle({ "POST", "/api/llm/files",
            { { "Authorization", "Bearer gs-demo-token" },
                { "Content-Type", "multipart/form-data; boundary=b" },
                { "x-tfy-provider-name", provider } },
            form });
        return object(r).value(u"id"_s).toString();
    }
    DemoResponse create(const QString &fileId, const QByteArray &provider = "openai-main",
        const QString &endpoint = u"/v1/chat/completions"_s, const QString &window = u"24h"_s)
    {
        const QJsonObject body { { u"input_file_id"_s, fileId }, { u"endpoint"_s, endpoint },
            { u"completion_window"_s, window } };
        return call("POST", "/batches", QJsonDocument(body).toJson(), provider);
    }
    QJsonObject batch(const QString &id) { return object(call("GET", "/batches/" + id.toUtf8())); }
    QList<QJsonObject> lines(const QJsonValue &fileId)
    {
        QList<QJsonObject> out;
        const QByteArray content
            = call("GET", "/files/" + fileId.toString().toUtf8() + "/content").body;
        for (const QByteArray &line : content.split('\n')) {
            if (!line.isEmpty())
                out.append(QJsonDocument::fromJson(line).object());
        }
        return out;
    }
};

QByteArray batchLine(const QByteArray &id, const QByteArray &model)
{
    return "{\"custom_id\":\"" + id
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi " + id + "\"}]}}\n";
}

QJsonObject appliedConfigurations(const DemoResponse &r)
{
    return QJsonDocument::fromJson(headerValue(r.headers, "x-tfy-applied-configurations")).object();
}

QJsonObject balancingOf(const DemoResponse &r)
{
    return appliedConfigurations(r).value("load_balancing"_L1).toObject();
}

AssembledResponse drain(const DemoResponse &r, qsizetype *events = nullptr)
{
    SseParser parser;
    OpenAiAssembler assembler;
    QList<SseEvent> out;
    qsizetype n = 0;
    while (const auto bytes = r.stream->next()) {
        parser.feed(*bytes, out);
        for (const SseEvent &e : out)
            assembler.addEvent(e.type, e.data);
        n += out.size();
        out.clear();
    }
    if (events)
        *events = n;
    return assembler.result();
}

const QByteArray kHello
    = R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hello"}]})"_ba;

} // namespace

void TestDemoRouter::statusFor_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    const HttpHeaders auth { { "Authorization", "Bearer gs-demo-token" } };
    const HttpHeaders limited { { "Authorization", "Bearer gs-limited-token" } };
    const auto plus = [&auth](QByteArray n, QByteArray v) {
        HttpHeaders h = auth;
        h.append({ std::move(n), std::move(v) });
        return h;
    };
    const auto row = [](const char *tag, const QByteArray &method, const QByteArray &path,
                         const HttpHeaders &headers, const QByteArray &body, int status,
                         const QString &message) {
        QTest::newRow(tag) << method << path << headers << body << status << message;
    };
    row("ok", "POST"_ba, "/api/llm/chat/completions"_ba, auth, kHello, 200, QString());
    row("no token", "POST"_ba, "/api/llm/chat/completions"_ba, HttpHeaders {}, kHello, 401,
        u"Authorization"_s);
    row("wrong token", "POST"_ba, "/api/llm/chat/completions"_ba,
        HttpHeaders { { "Authorization", "Bearer nope" } }, kHello, 401, u"Invalid token"_s);
    row("model not allowed", "POST"_ba, "/api/llm/chat/completions"_ba, limited,
        R"({"model":"anthropic-main/claude-sonnet-4","messages":[]})"_ba, 403, u"not allowed"_s);
    row("allowed for limited", "POST"_ba, "/api/llm/chat/completions"_ba, limited, kHello, 200,
        QString());
    row("unknown model", "POST"_ba, "/api/llm/chat/completions"_ba, auth,
        R"({"model":"x/y","messages":[]})"_ba, 404, u"GET /models"_s);
    // The same model behind an account the demo does not have: named as what was meant.
    row("unknown account", "POST"_ba, "/api/llm/chat/completions"_ba, auth,
        R"({"model":"openai/gpt-4o","messages":[]})"_ba, 404,
        u"closest this gateway serves: openai-main/gpt-4o, tfy-ai-openai/gpt-4o"_s);
    // The gateway documentation's own example model answers.
    row("documented example model", "POST"_ba, "/api/llm/chat/completions"_ba, auth,
        R"({"model":"tfy-ai-openai/gpt-4o","messages":[{"role":"user","content":"hi"}]})"_ba, 200,
        QString());
    row("no model", "POST"_ba, "/api/llm/chat/completions"_ba, auth, R"({"messages":[]})"_ba, 400,
        u"model"_s);
    row("metadata not strings", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-tfy-metadata", R"({"tier":1})"), kHello, 400, u"must be a string"_s);
    row("metadata too long", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-tfy-metadata", "{\"k\":\"" + QByteArray(200, 'x') + "\"}"), kHello, 400,
        u"at most 128"_s);
    row("bad retry config", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-tfy-retry-config", R"({"attempts":-1})"), kHello, 400, u"0 or more"_s);
    row("responses without provider", "POST"_ba, "/api/llm/responses"_ba, auth,
        R"({"model":"openai-main/gpt-4o","input":"x"})"_ba, 400, u"x-tfy-provider-name"_s);
    row("responses with provider", "POST"_ba, "/api/llm/responses"_ba,
        plus("x-tfy-provider-name", "openai-main"),
        R"({"model":"openai-main/gpt-4o","input":"x"})"_ba, 200, QString());
    row("embeddings", "POST"_ba, "/api/llm/embeddings"_ba, auth,
        R"({"model":"openai-main/text-embedding-3-small","input":["a","b"]})"_ba, 200, QString());
    row("chat model for embeddings", "POST"_ba, "/api/llm/embeddings"_ba, auth,
        R"({"model":"openai-main/gpt-4o","input":"a"})"_ba, 400, u"does not serve"_s);
    row("body not json", "POST"_ba, "/api/llm/chat/completions"_ba, auth, "nope"_ba, 400,
        u"not a JSON object"_s);
    row("unknown endpoint", "POST"_ba, "/api/llm/moderations"_ba, auth, "{}"_ba, 404,
        u"does not serve"_s);
    row("GET chat", "GET"_ba, "/api/llm/chat/completions"_ba, auth, QByteArray(), 405, u"POST"_s);
    row("rate limit fault", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-gatescope-fault", "rate-limit"), kHello, 429, u"Rate limit"_s);
    row("unavailable fault", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-gatescope-fault", "unavailable"), kHello, 503, u"no healthy upstream"_s);
    row("unknown fault", "POST"_ba, "/api/llm/chat/completions"_ba,
        plus("x-gatescope-fault", "meteor"), kHello, 400, u"meteor"_s);
    row("all targets down", "POST"_ba, "/api/llm/chat/completions"_ba, auth,
        R"({"model":"openai-down/gpt-4o","messages":[]})"_ba, 503, u"All targets failed"_s);
}

void TestDemoRouter::statusFor()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(HttpHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    DemoRouter router;
    const DemoResponse r = router.handle({ method, path, headers, body });
    QCOMPARE(r.status, status);
    if (!message.isEmpty()) {
        const QString actual = QJsonDocument::fromJson(r.body)
                                   .object()
                                   .value(u"error"_s)
                                   .toObject()
                                   .value(u"message"_s)
                                   .toString();
        QVERIFY2(actual.contains(message), qPrintable(actual));
    }
}

void TestDemoRouter::modelsList()
{
    DemoRouter router;
    const DemoResponse r = router.handle(
        { "GET", "/api/llm/models", { { "Authorization", "Bearer gs-demo-token" } }, {} });
    QCOMPARE(r.status, 200);
    QStringList ids;
    for (const QJsonValue m : QJsonDocument::fromJson(r.body).object().value(u"data"_s).toArray())
        ids << m.toObject().value(u"id"_s).toString();
    QCOMPARE(ids, DemoRouter::modelIds());
    QVERIFY(ids.contains(u"demo/chat"_s));
}

void TestDemoRouter::streamAssemblesToTheAnswer()
{
    DemoRouter router;
    const DemoResponse r = router.handle(chat(
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"max_tokens":12,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]})"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.stream);
    QVERIFY(headerValue(r.headers, "content-type").startsWith("text/event-stream"));
    QCOMPARE(headerValue(r.headers, "x-tfy-resolved-model"), "openai-main/gpt-4o-mini"_ba);
    QVERIFY(headerValue(r.headers, "server-timing").isNull()); // streaming: no server-timing
    qsizetype events = 0;
    const AssembledResponse a = drain(r, &events);
    QCOMPARE(events, 1 + 12 + 1 + 1 + 1); // role, tokens, finish, usage, [DONE]
    QVERIFY(a.done);
    QCOMPARE(a.text().split(u' ', Qt::SkipEmptyParts).size(), 12);
    QCOMPARE(a.finishReason(), u"stop"_s);
    QCOMPARE(a.usage.toObject().value(u"completion_tokens"_s).toInt(), 12);
    QVERIFY(a.errors.isEmpty());
    QCOMPARE(a.unreadableEvents, 0);
}

void TestDemoRouter::reasoningOnlyWhenStrictOpenAiIsFalse()
{
    const QByteArray body
        = R"({"model":"anthropic-main/claude-sonnet-4","stream":true,"max_tokens":8,"messages":[]})"_ba;
    DemoRouter router;
    QVERIFY(drain(router.handle(chat(body))).reasoning().isEmpty());
    const AssembledResponse strict
        = drain(router.handle(chat(body, { { "x-tfy-strict-openai", "true" } })));
    QVERIFY(strict.reasoning().isEmpty());
    const AssembledResponse thinking
        = drain(router.handle(chat(body, { { "x-tfy-strict-openai", "false" } })));
    QVERIFY(!thinking.reasoning().isEmpty());
    QVERIFY(!thinking.text().isEmpty());
}

void TestDemoRouter::toolCallsAndSeveralChoices()
{
    DemoRouter router;
    const AssembledResponse tools = drain(router.handle(chat(
        R"({"model":"openai-main/gpt-4o","stream":true,"max_tokens":3,"tools":[{"type":"function","function":{"name":"search"}}],"messages":[]})")));
    QCOMPARE(tools.toolCalls().size(), 1);
    QCOMPARE(tools.toolCalls().first().name, u"search"_s);
    QCOMPARE(QJsonDocument::fromJson(tools.toolCalls().first().arguments.toUtf8())
                 .object()
                 .value(u"query"_s)
                 .toString(),
        u"gateway"_s);
    QCOMPARE(tools.finishReason(), u"tool_calls"_s);

    const AssembledResponse two = drain(router.handle(chat(
        R"({"model":"openai-main/gpt-4o","stream":true,"max_tokens":4,"n":2,"messages":[]})")));
    QCOMPARE(two.choices.size(), 2);
    QCOMPARE(two.choices[1].text.split(u' ', Qt::SkipEmptyParts).size(), 4);
    QCOMPARE(two.choices[1].finishReason, u"stop"_s);
}

void TestDemoRouter::fallbackAndRetriesAreReported()
{
    DemoRouter router;
    const DemoResponse r = router.handle(chat(R"({"model":"demo/fallback","messages":[]})",
        { { "x-tfy-retry-config", R"({"attempts":1,"onStatusCodes":[503]})" } }));
    QCOMPARE(r.status, 200);
    QCOMPARE(headerValue(r.headers, "x-tfy-resolved-model"), "openai-main/gpt-4o-mini"_ba);
    const QJsonObject applied = appliedConfigurations(r);
    QCOMPARE(applied.value(u"fallback"_s).toObject().value(u"from"_s).toString(),
        u"openai-down/gpt-4o"_s);
    const QJsonArray attempts
        = applied.value(u"retries"_s).toObject().value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 3); // two tries of the broken target, one of the fallback
    QCOMPARE(attempts.at(0).toObject().value(u"status"_s).toInt(), 503);
    QCOMPARE(attempts.at(1).toObject().value(u"delay_before_ms"_s).toInt(), 100);
    QCOMPARE(attempts.at(2).toObject().value(u"status"_s).toInt(), 200);
    QVERIFY(r.headerDelayMs >= 100);

    // The most likely real shape, asked for: category to rule ids, said to be inferred;
    // the client reads it as it is (no attempts to draw).
    const DemoResponse ids = router.handle(chat(R"({"model":"demo/fallback","messages":[]})",
        { { "x-gatescope-applied-shape", "rule-ids" } }));
    QCOMPARE(ids.status, 200);
    const QJsonObject byCategory = appliedConfigurations(ids);
    QCOMPARE(byCategory.value(u"load_balancing"_s).toArray(), QJsonArray { u"demo-fallback"_s });
    QCOMPARE(byCategory.value(u"rate_limiting"_s).toArray(), QJsonArray { u"demo-rpm"_s });
    QVERIFY(!byCategory.contains(u"retries"_s));
    QCOMPARE(headerValue(ids.headers, "x-gatescope-applied-shape"), "rule-ids (inferred)"_ba);
    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(ids.headers);
    QVERIFY(info.appliedConfigurationsError.isEmpty());
    QVERIFY(info.attempts.isEmpty());

    // A flaky target: the retry succeeds, no fallback.
    const DemoResponse flaky
        = router.handle(chat(R"({"model":"openai-flaky/gpt-4o-mini","messages":[]})"));
    QCOMPARE(flaky.status, 200);
    QCOMPARE(appliedConfigurations(flaky)
                 .value(u"retries"_s)
                 .toObject()
                 .value(u"attempts"_s)
                 .toArray()
                 .size(),
        2);
    QVERIFY(!appliedConfigurations(flaky).contains(u"fallback"_s));

    // No retries asked for, and no retry on 503: straight to the failure.
    const DemoResponse noRetry
        = router.handle(chat(R"({"model":"openai-flaky/gpt-4o-mini","messages":[]})",
            { { "x-tfy-retry-config", R"({"attempts":0})" } }));
    QCOMPARE(noRetry.status, 503);
}

void TestDemoRouter::ttftTimeoutFallsBack()
{
    DemoRouter router;
    const QByteArray slow = R"({"model":"demo/slow","stream":true,"messages":[]})"_ba;
    const DemoResponse r = router.handle(chat(slow, { { "x-tfy-ttft-timeout-ms", "300" } }));
    QCOMPARE(r.status, 200);
    QCOMPARE(headerValue(r.headers, "x-tfy-resolved-model"), "openai-main/gpt-4o-mini"_ba);
    QVERIFY(r.headerDelayMs >= 300);
    // Without the TTFT limit, the slow target serves.
    QCOMPARE(headerValue(router.handle(chat(slow)).headers, "x-tfy-resolved-model"),
        "openai-slow/gpt-4o"_ba);
    // A direct model has no fallback: 408.
    const DemoResponse direct
        = router.handle(chat(R"({"model":"openai-slow/gpt-4o","stream":true,"messages":[]})",
            { { "x-tfy-ttft-timeout-ms", "300" } }));
    QCOMPARE(direct.status, 408);
    // x-tfy-request-timeout applies per attempt too.
    const DemoResponse timeout = router.handle(chat(
        R"({"model":"openai-slow/gpt-4o","messages":[]})", { { "x-tfy-request-timeout", "200" } }));
    QCOMPARE(timeout.status, 408);
}

void TestDemoRouter::nonStreamingHasServerTiming()
{
    DemoRouter router;
    const DemoResponse r = router.handle(
        chat(kHello, { { "x-tfy-guardrails", R"({"llm_input_guardrails":["g/pii"]})" } }));
    QCOMPARE(r.status, 200);
    const QByteArray timing = headerValue(r.headers, "server-timing");
    for (const char *stage : { "authentication", "rate_limiting", "load_balancing",
             "input_guardrails", "model_call", "logging", "total" })
        QVERIFY2(timing.contains(stage), stage);
    OpenAiAssembler a;
    a.addBody(r.body);
    QVERIFY(!a.result().text().isEmpty());
    QVERIFY(!headerValue(r.headers, "x-tfy-feedback-target-id").isEmpty());
    QCOMPARE(appliedConfigurations(r)
                 .value(u"guardrails"_s)
                 .toObject()
                 .value(u"llm_input_guardrails"_s)
                 .toArray()
                 .first()
                 .toString(),
        u"g/pii"_s);
}

void TestDemoRouter::responsesApiStream()
{
    DemoRouter router;
    const DemoResponse r = router.handle(
        chat(R"({"model":"openai-main/gpt-4o","stream":true,"max_output_tokens":5,"input":"hi"})",
            { { "x-tfy-provider-name", "openai-main" } }, "/api/llm/responses"));
    QCOMPARE(r.status, 200);
    const AssembledResponse a = drain(r);
    QCOMPARE(a.api, AssembledResponse::Api::Responses);
    QCOMPARE(a.status, u"completed"_s);
    QCOMPARE(a.text().split(u' ', Qt::SkipEmptyParts).size(), 5);
    QVERIFY(a.done);
}

void TestDemoRouter::deterministicUnderASeed()
{
    const DemoRequest request
        = chat(R"({"model":"demo/chat","stream":true,"max_tokens":20,"messages":[]})");
    DemoRouter a(7);
    DemoRouter b(7);
    const DemoResponse ra = a.handle(request);
    const DemoResponse rb = b.handle(request);
    QCOMPARE(headerValue(ra.headers, "x-tfy-resolved-model"),
        headerValue(rb.headers, "x-tfy-resolved-model"));
    QCOMPARE(headerValue(ra.headers, "x-tfy-feedback-target-id"),
        headerValue(rb.headers, "x-tfy-feedback-target-id"));
    QCOMPARE(drain(ra).text(), drain(rb).text());
    // Across seeds, weight-based routing picks both targets.
    QSet<QByteArray> picked;
    for (quint64 seed = 1; seed <= 40; ++seed)
        picked << headerValue(DemoRouter(seed).handle(request).headers, "x-tfy-resolved-model");
    QCOMPARE(picked.size(), 2);
}

void TestDemoRouter::weightsHoldAcrossManyRequests()
{
    // Identical requests draw anew each time: 1,000 of them land near 70/30, and the
    // same seed gives the same sequence.
    const DemoRequest request
        = chat(R"({"model":"demo/chat","stream":false,"max_tokens":2,"messages":[]})");
    DemoRouter a(11);
    DemoRouter b(11);
    QByteArrayList first;
    int mini = 0;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray model = headerValue(a.handle(request).headers, "x-tfy-resolved-model");
        QCOMPARE(headerValue(b.handle(request).headers, "x-tfy-resolved-model"), model);
        mini += model == "openai-main/gpt-4o-mini";
        if (i < 20)
            first << model;
    }
    QVERIFY2(mini >= 650 && mini <= 750, qPrintable(QString::number(mini)));
    QCOMPARE(QSet<QByteArray>(first.begin(), first.end()).size(), 2);
}

void TestDemoRouter::latencyBasedRoutingPrefersTheFaster()
{
    // gpt-4o answers in 80 ms, gpt-4o-mini in 40: past 1.2x, so once each has three
    // samples every request goes to the mini.
    DemoRouter router;
    const DemoRequest request
        = chat(R"({"model":"demo/latency","stream":true,"max_tokens":2,"messages":[]})");
    QByteArrayList picked;
    for (int i = 0; i < 30; ++i) {
        const DemoResponse r = router.handle(request);
        picked << headerValue(r.headers, "x-tfy-resolved-model");
        const QJsonObject balancing = balancingOf(r);
        QCOMPARE(balancing.value("type"_L1).toString(), u"latency-based-routing"_s);
        QCOMPARE(balancing.value("targets"_L1).toArray().size(), 2);
    }
    QCOMPARE(picked.mid(0, 6).count("openai-main/gpt-4o"), 3);
    QCOMPARE(picked.mid(6).count("openai-main/gpt-4o-mini"), 24);
}

void TestDemoRouter::stickyRoutingPinsASession()
{
    DemoRouter router(5);
    const auto request = [](const QByteArray &session) {
        return chat(R"({"model":"demo/sticky","stream":false,"max_tokens":2,"messages":[]})",
            { { "x-tfy-metadata", R"({"session_id":")" + session + R"("})" } });
    };
    QSet<QByteArray> acrossSessions;
    for (int s = 0; s < 20; ++s) {
        const QByteArray session = "s" + QByteArray::number(s);
        const DemoResponse first = router.handle(request(session));
        const QByteArray model = headerValue(first.headers, "x-tfy-resolved-model");
        acrossSessions << model;
        QJsonObject sticky = balancingOf(first).value("sticky"_L1).toObject();
        QCOMPARE(sticky.value("pinned"_L1).toBool(), false);
        QCOMPARE(sticky.value("session_identifier"_L1).toString(), u"metadata.session_id"_s);
        for (int i = 0; i < 5; ++i) {
            const DemoResponse again = router.handle(request(session));
            QCOMPARE(headerValue(again.headers, "x-tfy-resolved-model"), model);
            sticky = balancingOf(again).value("sticky"_L1).toObject();
            QVERIFY(sticky.value("pinned"_L1).toBool());
        }
    }
    // Sessions themselves are spread by weight.
    QCOMPARE(acrossSessions.size(), 2);
    // Without the key, no stickiness.
    const DemoResponse loose = router.handle(
        chat(R"({"model":"demo/sticky","stream":false,"max_tokens":2,"messages":[]})"));
    QVERIFY(!balancingOf(loose).contains("sticky"_L1));
}

void TestDemoRouter::failingTargetTurnsUnhealthyAndRecovers()
{
    qint64 now = 1'000'000;
    DemoRouter router(2, [&now] { return now; });
    const DemoRequest request
        = chat(R"({"model":"demo/shaky","stream":false,"max_tokens":2,"messages":[]})",
            { { "x-tfy-retry-config", R"({"attempts":0})" } });
    // Until two calls fail, the shaky target gets its share; then none for 30 s.
    int failed = 0;
    int i = 0;
    for (; i < 200 && failed < 2; ++i) {
        const DemoResponse r = router.handle(request);
        failed += r.status == 503;
        QVERIFY(!balancingOf(r).contains("unhealthy"_L1));
    }
    QCOMPARE(failed, 2);
    for (int j = 0; j < 50; ++j) {
        const DemoResponse r = router.handle(request);
        QCOMPARE(r.status, 200);
        QCOMPARE(headerValue(r.headers, "x-tfy-resolved-model"), "openai-main/gpt-4o");
        const QJsonArray unhealthy = balancingOf(r).value("unhealthy"_L1).toArray();
        QCOMPARE(unhealthy, QJsonArray { u"openai-shaky/gpt-4o-mini"_s });
    }
    // It recovers on its own and is chosen again (and may fail again).
    now += 31'000;
    QSet<QString> selected;
    for (int j = 0; j < 20; ++j) {
        const QJsonObject balancing
            = appliedConfigurations(router.handle(request)).value("load_balancing"_L1).toObject();
        if (j == 0)
            QVERIFY(!balancing.contains("unhealthy"_L1));
        selected << balancing.value("selected"_L1).toString();
    }
    QVERIFY(selected.contains(u"openai-shaky/gpt-4o-mini"_s));
}

void TestDemoRouter::faultsFromHeaderOrPath()
{
    DemoRouter router;
    QCOMPARE(
        router.handle(chat(kHello, { { "x-gatescope-fault", "stall" } })).fault, DemoFault::Stall);
    const DemoResponse viaPath
        = router.handle(chat(kHello, {}, "/api/llm/fault/gzip/chat/completions"));
    QCOMPARE(viaPath.fault, DemoFault::Gzip);
    QCOMPARE(viaPath.status, 200);
    QCOMPARE(router.handle(chat(kHello, {}, "/api/llm/fault/nope/chat/completions")).status, 404);
    for (const char *name : { "reset", "truncated-chunked", "stall", "malformed-sse", "split-utf8",
             "rate-limit", "unavailable", "oversized-header", "gzip", "drip" })
        QCOMPARE(demoFaultName(*demoFaultFromName(name)), QByteArray(name));
}

// The demo gateway judges requests by rules of its own, written from the gateway's
// documentation; the client's validate() is separate code. Rows where the two differ
// on purpose: if either changes its mind, this test says which.
void TestDemoRouter::ownRulesNotTheClients_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("demoStatus");
    QTest::addColumn<bool>("clientRefuses");
    QTest::addColumn<QString>("demoMessage");

    const auto row = [](const char *tag, const char *header, const QByteArray &value,
                         int demoStatus, bool clientRefuses, const QString &demoMessage) {
        QTest::newRow(tag) << QByteArray(header) << value << demoStatus << clientRefuses
                           << demoMessage;
    };
    // JSON.parse keeps the last of a repeated key; the client asks for one.
    row("metadata key twice", "x-tfy-metadata", R"({"team":"a","team":"b"})", 200, true, {});
    // The server-side YAML's spelling in the header: the demo names the mix-up.
    row("retry config in YAML form", "x-tfy-retry-config",
        R"({"attempts":2,"on_status_codes":[429]})", 400, false, u"camelCase"_s);
    row("retry codes as strings", "x-tfy-retry-config", R"({"onStatusCodes":["429"]})", 400, true,
        u"numbers (429), not strings"_s);
    row("useRetryAfterHeader not a boolean", "x-tfy-retry-config",
        R"({"useRetryAfterHeader":"yes"})", 400, true, u"true or false"_s);
    row("timeout with a unit", "x-tfy-request-timeout", "1500ms", 400, true,
        u"whole number of milliseconds"_s);
    row("zero ttft timeout", "x-tfy-ttft-timeout-ms", "0", 400, true, u"positive"_s);
    row("mcp headers not objects", "x-tfy-mcp-headers", R"({"backend/sentry":"Bearer x"})", 400,
        true, u"must be a JSON object"_s);
    row("logging enabled as text", "x-tfy-logging-config", R"({"enabled":"true"})", 400, true,
        u"true or false"_s);
    row("logging with a tracing project", "x-tfy-logging-config",
        R"({"enabled":true,"tracing_project_fqn":"a:b"})", 200, false, {});
    row("guardrails not a list", "x-tfy-guardrails", R"({"llm_input_guardrails":"pii"})", 400, true,
        u"list of guardrail names"_s);
    row("metadata value of 128", "x-tfy-metadata", "{\"k\":\"" + QByteArray(128, 'x') + "\"}", 200,
        false, {});
    row("metadata value of 129", "x-tfy-metadata", "{\"k\":\"" + QByteArray(129, 'x') + "\"}", 400,
        true, u"at most 128"_s);
}

void TestDemoRouter::ownRulesNotTheClients()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(int, demoStatus);
    QFETCH(bool, clientRefuses);
    QFETCH(QString, demoMessage);
    const HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
        { "Content-Type", "application/json" }, { header, value } };

    DemoRouter router;
    const DemoResponse r = router.handle({ "POST", "/api/llm/chat/completions", headers, kHello });
    const QString message = QJsonDocument::fromJson(r.body)
                                .object()
                                .value(u"error"_s)
                                .toObject()
                                .value(u"message"_s)
                                .toString();
    QVERIFY2(r.status == demoStatus, qPrintable(u"%1: %2"_s.arg(r.status).arg(message)));
    QVERIFY2(message.contains(demoMessage), qPrintable(message));

    const GatewayRequest client = decode(
        WireRequest { "POST", u"http://demo/api/llm/chat/completions"_s, headers, kHello });
    const QList<Issue> issues = validate(client);
    const bool refuses = std::ranges::any_of(
        issues, [](const Issue &i) { return i.severity == Issue::Severity::Error; });
    QCOMPARE(refuses, clientRefuses);
}

void TestDemoRouter::aRepeatedMetadataKeyKeepsTheLast()
{
    const HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
        { "x-tfy-metadata", R"({"team":"a","team":"b"})" } };
    DemoRouter router;
    const DemoResponse r = router.handle({ "POST", "/api/llm/chat/completions", headers, kHello });
    QCOMPARE(r.status, 200);
    const QJsonObject applied
        = QJsonDocument::fromJson(headerValue(r.headers, "x-tfy-applied-configurations")).object();
    QCOMPARE(applied.value(u"metadata"_s).toObject(), QJsonObject({ { u"team"_s, u"b"_s } }));
}

// The Files API as the gateway documents it: a multipart upload (a "file" part, a
// "purpose" field, x-tfy-provider-name), then list, read, download and delete; and
// what it refuses, each with the reason.
void TestDemoRouter::filesApi()
{
    DemoRouter router;
    const QByteArray content = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\"}\n";
    const auto upload = [&](const QByteArray &body, HttpHeaders extra,
                            const QByteArray &type = "multipart/form-data; boundary=\"XyZ\"") {
        HttpHeaders headers { { "Authorization", "Bearer gs-demo-token" },
            { "Content-Type", type } };
        headers += extra;
        return router.handle({ "POST", "/api/llm/files", headers, body });
    };
    const HttpHeaders provider { { "x-tfy-provider-name", "openai-main" } };
    // As curl -F writes it: CRLF lines, a quoted boundary, headers per part.
    const QByteArray form = "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                            "batch\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                            "filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n"
        + content + "\r\n--XyZ--\r\n";
    const DemoResponse created = upload(form, provider);
    QCOMPARE(created.status, 200);
    const QJsonObject file = QJsonDocument::fromJson(created.body).object();
    QCOMPARE(file.value(u"object"_s).toString(), u"file"_s);
    QCOMPARE(file.value(u"filename"_s).toString(), u"in.jsonl"_s);
    QCOMPARE(file.value(u"purpose"_s).toString(), u"batch"_s);
    QCOMPARE(file.value(u"bytes"_s).toInt(), content.size());
    QCOMPARE(file.value(u"status"_s).toString(), u"processed"_s);
    const QByteArray id = file.value(u"id"_s).toString().toUtf8();

    const HttpHeaders auth { { "Authorization", "Bearer gs-demo-token" } };
    const auto get = [&](const QByteArray &method, const QByteArray &path) {
        return router.handle({ method, "/api/llm/files" + path, auth, {} });
    };
    const QJsonArray list
        = QJsonDocument::fromJson(get("GET", "").body).object().value(u"data"_s).toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().toObject().value(u"id"_s).toString().toUtf8(), id);
    QCOMPARE(get("GET", "/" + id).status, 200);
    QCOMPARE(get("GET", "/" + id + "/content").body, content);
    QCOMPARE(get("DELETE", "/" + id).status, 200);
    QCOMPARE(get("GET", "/" + id).status, 404);
    QCOMPARE(get("PUT", "").status, 405);

    // Refused, each with the reason.
    const auto refusedWith = [](const DemoResponse &r, int status, const QString &part) {
        const QString message = QJsonDocument::fromJson(r.body)
                                    .object()
                                    .value(u"error"_s)
                                    .toObject()
                                    .value(u"message"_s)
                                    .toString();
        if (r.status != status || !message.contains(part))
            qWarning().noquote() << r.status << message;
        return r.status == status && message.contains(part);
    };
    QVERIFY(refusedWith(upload(form, {}), 400, u"x-tfy-provider-name"_s));
    QVERIFY(refusedWith(upload(form, provider, "application/json"), 400, u"multipart"_s));
    QVERIFY(refusedWith(upload(form, provider, "multipart/form-data"), 400, u"no boundary"_s));
    QVERIFY(
        refusedWith(upload(QByteArray(form).replace("name=\"file\"", "name=\"data\""), provider),
            400, u"No \"file\" part"_s));
    QVERIFY(
        refusedWith(upload(QByteArray(form).replace("name=\"purpose\"", "name=\"x\""), provider),
            400, u"No \"purpose\""_s));
    QVERIFY(refusedWith(upload(QByteArray(form).chopped(9), provider), 400, u"not closed"_s));
    QVERIFY(refusedWith(
        upload(QByteArray(form).replace("in.jsonl", "in.txt"), provider), 400, u".jsonl"_s));
}

// A batch moves through its statuses on the demo's clock; each line runs through the
// demo's chat behaviour; the output and error files appear when it completes.
void TestDemoRouter::batchesRunOnTheClock()
{
    BatchDemo demo;
    const QString input = demo.upload(batchLine("a", "openai-main/gpt-4o-mini")
        + batchLine("b", "gpt-4o") + batchLine("c", "openai-main/no-such-model"));
    QVERIFY(!input.isEmpty());
    const DemoResponse created = demo.create(input);
    QCOMPARE(created.status, 200);
    const QJsonObject first = demo.object(created);
    const QString id = first.value(u"id"_s).toString();
    QCOMPARE(first.value(u"object"_s).toString(), u"batch"_s);
    QCOMPARE(first.value(u"status"_s).toString(), u"validating"_s);
    QCOMPARE(first.value(u"input_file_id"_s).toString(), input);
    QCOMPARE(first.value(u"endpoint"_s).toString(), u"/v1/chat/completions"_s);
    QVERIFY(first.value(u"output_file_id"_s).isNull());

    // Through in_progress the counts only grow, and reach the total at the end.
    demo.now += DemoBatches::kValidatingMs;
    QJsonObject b = demo.batch(id);
    QCOMPARE(b.value(u"status"_s).toString(), u"in_progress"_s);
    QCOMPARE(b.value(u"request_counts"_s)[u"total"_s].toInt(), 3);
    QVERIFY(!b.value(u"in_progress_at"_s).isNull());
    int doneBefore = 0;
    const qint64 step = DemoBatches::inProgressMs(3, 0) / 10;
    QStringList seen;
    for (int i = 0; i < 20; ++i) {
        demo.now += step;
        b = demo.batch(id);
        seen << b.value(u"status"_s).toString();
        const QJsonObject counts = b.value(u"request_counts"_s).toObject();
        const int done = counts[u"completed"_s].toInt() + counts[u"failed"_s].toInt();
        QVERIFY(done >= doneBefore);
        doneBefore = done;
    }
    QVERIFY2(seen.contains(u"finalizing"_s), qPrintable(seen.join(u' ')));
    QCOMPARE(seen.last(), u"completed"_s);
    const QJsonObject counts = b.value(u"request_counts"_s).toObject();
    QCOMPARE(counts[u"completed"_s].toInt(), 2);
    QCOMPARE(counts[u"failed"_s].toInt(), 1);
    QVERIFY(!b.value(u"completed_at"_s).isNull());

    const QList<QJsonObject> output = demo.lines(b.value(u"output_file_id"_s));
    QCOMPARE(output.size(), 2);
    QCOMPARE(output[0][u"custom_id"_s].toString(), u"a"_s);
    QCOMPARE(output[1][u"custom_id"_s].toString(), u"b"_s);
    for (const QJsonObject &line : output) {
        const QJsonObject response = line[u"response"_s].toObject();
        QCOMPARE(response[u"status_code"_s].toInt(), 200);
        QCOMPARE(response[u"body"_s][u"object"_s].toString(), u"chat.completion"_s);
        QVERIFY(
            !response[u"body"_s][u"choices"_s][0][u"message"_s][u"content"_s].toString().isEmpty());
    }
    // A bare model name is the provider account's own.
    QCOMPARE(output[1][u"response"_s][u"body"_s][u"model"_s].toString(), u"gpt-4o"_s);
    const QList<QJsonObject> errors = demo.lines(b.value(u"error_file_id"_s));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0][u"custom_id"_s].toString(), u"c"_s);
    QCOMPARE(errors[0][u"response"_s][u"status_code"_s].toInt(), 404);
    QVERIFY(errors[0][u"response"_s][u"body"_s][u"error"_s][u"message"_s].toString().contains(
        u"no-such-model"_s));
    // Seen again, the same files; a completed batch cannot be cancelled.
    QCOMPARE(demo.batch(id), b);
    QCOMPARE(demo.call("POST", "/batches/" + id.toUtf8() + "/cancel").status, 409);

    // Listed newest first; the same seed and clock give the same batch.
    const QString second = demo.object(demo.create(input)).value(u"id"_s).toString();
    const QJsonArray list = demo.object(demo.call("GET", "/batches")).value(u"data"_s).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0][u"id"_s].toString(), second);
    BatchDemo twin;
    const QString twinInput = twin.upload(batchLine("a", "openai-main/gpt-4o-mini")
        + batchLine("b", "gpt-4o") + batchLine("c", "openai-main/no-such-model"));
    const QString twinId = twin.object(twin.create(twinInput)).value(u"id"_s).toString();
    twin.now = demo.now;
    QCOMPARE(twin.batch(twinId), b);
    QCOMPARE(twin.lines(b.value(u"output_file_id"_s)), output);
}

// What POST /batches refuses at once (400/404 with the reason), and input that fails
// validation: the batch ends "failed" with each problem and its line.
void TestDemoRouter::batchesRefuseAndFail()
{
    BatchDemo demo;
    const QString input = demo.upload(batchLine("a", "gpt-4o-mini"));
    const auto message = [&](const DemoResponse &r) {
        return demo.object(r)[u"error"_s][u"message"_s].toString();
    };
    QVERIFY(message(demo.create(input, "")).contains(u"x-tfy-provider-name"_s));
    QCOMPARE(demo.create(u"file-demo-99"_s).status, 404);
    QVERIFY(message(demo.create(input, "openai-main", u"/v1/responses"_s)).contains(u"endpoint"_s));
    const auto hourly = demo.create(input, "openai-main", u"/v1/chat/completions"_s, u"1h"_s);
    QVERIFY(message(hourly).contains(u"24h"_s));
    const QString fineTune = demo.upload(batchLine("a", "gpt-4o-mini"), "fine-tune");
    QVERIFY(message(demo.create(fineTune)).contains(u"purpose"_s));
    QCOMPARE(demo.call("DELETE", "/batches").status, 405);
    QCOMPARE(demo.call("GET", "/batches/batch_demo_404").status, 404);

    // Broken lines: validation fails with each one named.
    const QByteArray broken = batchLine("a", "gpt-4o-mini") + "not json\n"
        + batchLine("a", "gpt-4o")
        + QByteArray(batchLine("d", "gpt-4o")).replace("/v1/chat/completions", "/v1/embeddings");
    const QJsonObject failed = demo.object(demo.create(demo.upload(broken)));
    QCOMPARE(failed.value(u"status"_s).toString(), u"validating"_s);
    demo.now += DemoBatches::kValidatingMs;
    const QJsonObject b = demo.batch(failed.value(u"id"_s).toString());
    QCOMPARE(b.value(u"status"_s).toString(), u"failed"_s);
    QVERIFY(!b.value(u"failed_at"_s).isNull());
    const QJsonArray errors = b.value(u"errors"_s)[u"data"_s].toArray();
    QStringList found;
    for (const QJsonValue &e : errors)
        found << u"%1:%2"_s.arg(e[u"line"_s].toInt()).arg(e[u"code"_s].toString());
    QCOMPARE(found,
        QStringList(
            { u"2:invalid_json_line"_s, u"3:duplicate_custom_id"_s, u"4:mismatched_url"_s }));

    // Bedrock takes a batch of 100 lines or more; lines with a virtual model or a
    // stream fail one by one.
    const QJsonObject bedrock = demo.object(
        demo.create(demo.upload(batchLine("a", "x"), "batch", "tfy-ai-bedrock"), "tfy-ai-bedrock"));
    demo.now += DemoBatches::kValidatingMs;
    QCOMPARE(demo.batch(bedrock[u"id"_s].toString())[u"errors"_s][u"data"_s][0][u"code"_s],
        u"too_few_lines"_s);
    const QByteArray streamed = QByteArray(batchLine("s", "gpt-4o"))
                                    .replace("\"messages\"", "\"stream\":true,\"messages\"");
    const QString mixed
        = demo.object(demo.create(demo.upload(batchLine("v", "demo/chat") + streamed)))
              .value(u"id"_s)
              .toString();
    demo.now += 60'000;
    const QJsonObject done = demo.batch(mixed);
    QCOMPARE(done[u"status"_s].toString(), u"completed"_s);
    QVERIFY(done[u"output_file_id"_s].isNull());
    const QList<QJsonObject> lineErrors = demo.lines(done[u"error_file_id"_s]);
    QCOMPARE(lineErrors.size(), 2);
    QVERIFY(lineErrors[0][u"response"_s][u"body"_s][u"error"_s][u"message"_s].toString().contains(
        u"virtual"_s));
    QVERIFY(lineErrors[1][u"response"_s][u"body"_s][u"error"_s][u"message"_s].toString().contains(
        u"stream"_s));
}

// Cancelled mid-run: cancelling, then cancelled a second later, with an output file
// holding exactly the lines done when cancel was asked.
void TestDemoRouter::batchCancelKeepsTheLinesDone()
{
    BatchDemo demo;
    QByteArray jsonl;
    for (int i = 0; i < 50; ++i)
        jsonl += batchLine("line-" + QByteArray::number(i), "gpt-4o-mini");
    const QString id = demo.object(demo.create(demo.upload(jsonl))).value(u"id"_s).toString();
    demo.now += DemoBatches::kValidatingMs + DemoBatches::inProgressMs(50, 0) / 2;
    const QJsonObject asked = demo.object(demo.call("POST", "/batches/" + id.toUtf8() + "/cancel"));
    QCOMPARE(asked[u"status"_s].toString(), u"cancelling"_s);
    const int done = asked[u"request_counts"_s][u"completed"_s].toInt();
    QVERIFY2(done > 0 && done < 50, QByteArray::number(done).constData());
    demo.now += DemoBatches::kCancellingMs;
    const QJsonObject cancelled = demo.batch(id);
    QCOMPARE(cancelled[u"status"_s].toString(), u"cancelled"_s);
    QVERIFY(!cancelled[u"cancelled_at"_s].isNull());
    QCOMPARE(cancelled[u"request_counts"_s][u"completed"_s].toInt(), done);
    const QList<QJsonObject> output = demo.lines(cancelled[u"output_file_id"_s]);
    QCOMPARE(output.size(), done);
    QCOMPARE(output.last()[u"custom_id"_s].toString(), u"line-%1"_s.arg(done - 1));
}

QTEST_GUILESS_MAIN(TestDemoRouter)
#include "tst_demorouter.moc"
