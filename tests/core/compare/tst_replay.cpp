#include "core/compare/replay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace {

HistoryEntry entry(qint64 id, const QString &requestText)
{
    HistoryEntry e;
    e.id = id;
    e.method = u"POST"_s;
    e.requestText = requestText;
    return e;
}

const QString kChat = u"POST https://gw.example/api/llm/chat/completions HTTP/1.1\n"
                      "Authorization: Bearer ********\n"
                      "Content-Type: application/json\n"
                      "x-tfy-metadata: {\"team\":\"search\"}\n\n"
                      "{\"model\":\"openai-main/gpt-4o\",\"messages\":[]}"_s;

} // namespace

// The replay's plan, made from history entries without sending anything: what is
// replaced, mapped, dropped and set, and what cannot be replayed and why; the pair's
// verdicts by construction.
class TestReplay final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plansEachRequest();
    void refusesWhatCannotBeSent();
    void pairsAndShapes();
};

void TestReplay::plansEachRequest()
{
    ReplayTarget target;
    target.baseUrl = u"https://other.example/api/llm"_s;
    target.token = u"tok-secret-1234"_s;
    target.modelMap
        = { { u"anthropic/x"_s, u"never"_s }, { u"*"_s, u"openai-main/gpt-4o-mini"_s } };
    target.dropHeaders = { u"X-TFY-METADATA"_s };
    target.setHeaders = { { "x-tfy-provider-name", "openai-main" },
        { "Content-Type", "application/json; charset=utf-8" } };
    const QList<ReplayItem> plan = planReplay({ entry(7, kChat) }, target);
    QCOMPARE(plan.size(), 1);
    const ReplayItem &item = plan.first();
    QVERIFY2(item.problem.isEmpty(), qPrintable(item.problem));
    QVERIFY(item.request);
    QCOMPARE(item.label, u"history 7"_s);
    QCOMPARE(item.request->url, u"https://other.example/api/llm/chat/completions"_s);
    QCOMPARE(
        headerValue(item.request->headers, "authorization"), QByteArray("Bearer tok-secret-1234"));
    QVERIFY(headerValue(item.request->headers, "x-tfy-metadata").isNull());
    QCOMPARE(headerValue(item.request->headers, "x-tfy-provider-name"), QByteArray("openai-main"));
    QCOMPARE(headerValue(item.request->headers, "content-type"),
        QByteArray("application/json; charset=utf-8"));
    QCOMPARE(std::ranges::count_if(item.request->headers,
                 [](const HttpHeader &h) {
                     return h.name.compare("content-type", Qt::CaseInsensitive) == 0;
                 }),
        1);
    QCOMPARE(QJsonDocument::fromJson(item.request->body).object().value("model"_L1).toString(),
        u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(item.model, u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(item.changes,
        QStringList({ u"base URL https://gw.example/api/llm → https://other.example/api/llm"_s,
            u"the target's token"_s, u"model openai-main/gpt-4o → openai-main/gpt-4o-mini"_s,
            u"dropped X-TFY-METADATA"_s, u"set x-tfy-provider-name"_s, u"set Content-Type"_s }));
    // The dry run's text masks the token, also where a header holds it as a value.
    const QString text = replayPlanText(plan, { target.token });
    QVERIFY(text.startsWith(u"### history 7\n# base URL"_s));
    QVERIFY(text.contains(u"Authorization: Bearer ********\n"_s));
    QVERIFY(!text.contains(target.token));
}

void TestReplay::refusesWhatCannotBeSent()
{
    ReplayTarget target;
    target.token = u"tok"_s;
    HistoryEntry load = entry(1, {});
    load.method = kLoadRunMethod;
    QString keyed = kChat;
    keyed.replace(u"Content-Type"_s, u"x-api-key: ********\nContent-Type"_s);
    const QString upload = u"POST https://gw.example/api/llm/files HTTP/1.1\n"
                           "Authorization: Bearer ********\n"
                           "Content-Type: multipart/form-data; boundary=b\n\n"
                           "--b\r\n<file /tmp/a.jsonl, 12 bytes>\r\n--b--"_s;
    const QList<ReplayItem> plan = planReplay(
        { load, entry(2, QString()), entry(3, keyed), entry(4, upload), entry(5, kChat) }, target);
    QCOMPARE(plan.size(), 5);
    QVERIFY(plan[0].problem.contains(u"load run"_s));
    QVERIFY(plan[1].problem.contains(u"no request"_s));
    QVERIFY2(plan[2].problem.contains(u"x-api-key was masked"_s), qPrintable(plan[2].problem));
    QVERIFY(plan[3].problem.contains(u"file upload"_s));
    QVERIFY(plan[4].problem.isEmpty());
    for (int i = 0; i < 4; ++i)
        QVERIFY(!plan[i].request);
    // Without a token for the target, the masked one is not sent.
    const QList<ReplayItem> noToken = planReplay({ entry(5, kChat) }, {});
    QVERIFY(!noToken.first().request);
    QVERIFY(noToken.first().problem.startsWith(u"no token for the target"_s));
    QVERIFY(replayPlanText(noToken).contains(u"# not replayed: no token"_s));
}

void TestReplay::pairsAndShapes()
{
    // Shapes: keys and types, values and lengths aside.
    QCOMPARE(jsonShape(QJsonObject { { u"a"_s, 1 }, { u"b"_s, QJsonArray { u"x"_s, u"y"_s } } }),
        jsonShape(QJsonObject { { u"b"_s, QJsonArray { u"z"_s } }, { u"a"_s, 2.5 } }));
    QVERIFY(
        jsonShape(QJsonObject { { u"a"_s, 1 } }) != jsonShape(QJsonObject { { u"a"_s, u"1"_s } }));
    QVERIFY(jsonShape(QJsonObject { { u"a"_s, 1 } })
        != jsonShape(QJsonObject { { u"a"_s, 1 }, { u"reasoning_content"_s, u"…"_s } }));

    ComparedExchange before;
    before.status = 200;
    before.json = QJsonObject { { u"id"_s, u"a"_s },
        { u"usage"_s, QJsonObject { { u"total_tokens"_s, 20 } } } };
    before.usage = QJsonObject { { u"total_tokens"_s, 20 } };
    before.text = u"the quick brown fox"_s;
    before.timeline.firstToken = 100'000;
    before.timeline.finished = 300'000;
    ComparedExchange after = before;
    after.json = QJsonObject { { u"id"_s, u"b"_s },
        { u"usage"_s, QJsonObject { { u"total_tokens"_s, 26 } } } };
    after.usage = QJsonObject { { u"total_tokens"_s, 26 } };
    after.text = u"the slow brown fox"_s;
    after.timeline.firstToken = 150'000;
    after.timeline.finished = 250'000;
    const ReplayPair p = replayPair(u"history 1"_s, before, after);
    QVERIFY(p.statusEqual);
    QVERIFY(p.schemaEqual);
    QVERIFY(p.matches());
    QCOMPARE(p.latencyChangeUs, -50'000);
    QCOMPARE(p.ttftChangeUs, std::optional<qint64>(50'000));
    QCOMPARE(p.tokensChange, std::optional<qint64>(6));
    // "the " and " brown fox" kept: 14 of 19 characters.
    QCOMPARE(p.similarity, 14.0 / 19.0);
    after.status = 500;
    const ReplayPair failed = replayPair(u"history 1"_s, before, after);
    QVERIFY(!failed.matches());
    const QByteArray junit = replayJUnit({ p, failed }, u"replay"_s);
    QVERIFY(junit.contains(R"(tests="2" failures="1")"));
    QVERIFY(junit.contains(R"(<failure message="status 200 → 500">)"));
    const QJsonObject json = replayJson({ p, failed });
    QCOMPARE(json.value("matched"_L1).toInt(), 1);
    QCOMPARE(
        json.value("pairs"_L1).toArray().at(1).toObject().value("statusAfter"_L1).toInt(), 500);
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
