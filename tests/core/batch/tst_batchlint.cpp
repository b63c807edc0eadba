#include "core/batch/batchlint.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// Batch input files as users write them, well and badly: each row is a file and the
// problems (line: severity: part of the message) it must get, no more.
class TestBatchLint final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void problems_data();
    void problems();
    void sameResultWhereverTheInputIsCut();
    void countsModelsAndEndpoint();
    void limits();
};

namespace {

const QByteArray kGood
    = R"({"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}})";

QByteArray request(const QByteArray &id, const QByteArray &url = "/v1/chat/completions",
    const QByteArray &model = "openai-main/gpt-4o-mini")
{
    return R"({"custom_id":")" + id + R"(","method":"POST","url":")" + url
        + R"(","body":{"model":")" + model + R"(","messages":[]}})";
}

BatchLint lint(const QByteArray &input, BatchLinter::Options options = {})
{
    BatchLinter linter(std::move(options));
    linter.feed(input);
    return linter.finish();
}

QStringList described(const BatchLint &result)
{
    QStringList out;
    for (const BatchLintProblem &p : result.problems)
        out << u"%1: %2: %3"_s.arg(p.line).arg(
            p.severity == BatchLintProblem::Severity::Error ? u"error"_s : u"warning"_s, p.message);
    return out;
}

} // namespace

void TestBatchLint::problems_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected"); // "LINE: SEVERITY: part of the message"

    QTest::newRow("one good line") << QByteArray(kGood + '\n') << QStringList {};
    QTest::newRow("no final newline") << kGood << QStringList {};
    QTest::newRow("CRLF lines") << QByteArray(request("a") + "\r\n" + request("b") + "\r\n")
                                << QStringList {};
    QTest::newRow("empty file") << QByteArray() << QStringList { u"0: error: no request"_s };
    QTest::newRow("blank lines only")
        << "\n \n"_ba
        << QStringList { u"1: warning: An empty line"_s, u"2: warning: An empty line"_s,
               u"0: error: no request"_s };
    QTest::newRow("empty line between") << QByteArray(request("a") + "\n\n" + request("b") + "\n")
                                        << QStringList { u"2: warning: An empty line"_s };
    QTest::newRow("byte order mark")
        << QByteArray("\xEF\xBB\xBF" + kGood) << QStringList { u"1: error: byte order mark"_s };
    QTest::newRow("not json") << QByteArray(request("a") + "\n{\"custom_id\": \"b\",\n")
                              << QStringList { u"2: error: Not valid JSON"_s };
    QTest::newRow("an array") << "[1,2]\n"_ba << QStringList { u"1: error: not an array"_s };
    QTest::newRow("not utf-8") << "{\"custom_id\":\"\xff\"}\n"_ba
                               << QStringList { u"1: error: not valid UTF-8"_s };
    QTest::newRow("no custom_id")
        << R"({"method":"POST","url":"/v1/chat/completions","body":{"model":"m"}})"_ba
        << QStringList { u"1: error: No custom_id"_s };
    QTest::newRow("custom_id a number")
        << R"({"custom_id":7,"method":"POST","url":"/v1/chat/completions","body":{"model":"m"}})"_ba
        << QStringList { u"1: error: custom_id must be a non-empty string"_s };
    QTest::newRow("duplicate custom_id")
        << QByteArray(request("a") + "\n" + request("b") + "\n" + request("a") + "\n")
        << QStringList { u"3: error: custom_id \"a\" is already on line 1"_s };
    QTest::newRow("method GET")
        << R"({"custom_id":"a","method":"GET","url":"/v1/models","body":{"model":"m"}})"_ba
        << QStringList { u"1: error: method must be \"POST\", not \"GET\""_s };
    QTest::newRow("no method")
        << R"({"custom_id":"a","url":"/v1/chat/completions","body":{"model":"m"}})"_ba
        << QStringList { u"1: error: No method"_s };
    QTest::newRow("url not a path") << request("a", "https://api.openai.com/v1/chat/completions")
                                    << QStringList { u"1: error: url must be a path"_s };
    QTest::newRow("two endpoints")
        << QByteArray(request("a") + "\n" + request("b", "/v1/embeddings") + "\n")
        << QStringList { u"2: error: a batch goes to one endpoint"_s };
    QTest::newRow("v1 prefix is the same endpoint")
        << QByteArray(request("a") + "\n" + request("b", "/chat/completions") + "\n")
        << QStringList {};
    QTest::newRow("no body")
        << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions"})"_ba
        << QStringList { u"1: error: No body"_s };
    QTest::newRow("body a string")
        << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":"{}"})"_ba
        << QStringList { u"1: error: body must be a JSON object"_s };
    QTest::newRow("no model")
        << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"messages":[]}})"_ba
        << QStringList { u"1: error: body has no model"_s };
    QTest::newRow("streamed")
        << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m","stream":true}})"_ba
        << QStringList { u"1: error: cannot"_s };
    QTest::newRow("unknown key")
        << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m"},"headers":{}})"_ba
        << QStringList { u"1: warning: \"headers\" is not a key of a batch request"_s };
    QTest::newRow("everything wrong at once")
        << R"({"custom_id":"","method":"PUT","url":"chat","body":[]})"_ba
        << QStringList { u"1: error: custom_id must be a non-empty string"_s,
               u"1: error: method must be \"POST\""_s, u"1: error: url must be a path"_s,
               u"1: error: body must be a JSON object"_s };
}

void TestBatchLint::problems()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    const BatchLint result = lint(input);
    const QStringList actual = described(result);
    QVERIFY2(actual.size() == expected.size(),
        qPrintable(u"got:\n"_s + actual.join(u'\n') + u"\nexpected:\n"_s + expected.join(u'\n')));
    for (qsizetype i = 0; i < actual.size(); ++i) {
        const QString line = expected[i].section(u": "_s, 0, 1);
        const QString part = expected[i].section(u": "_s, 2);
        QVERIFY2(
            actual[i].startsWith(line + u": "_s) && actual[i].contains(part, Qt::CaseInsensitive),
            qPrintable(u"got: "_s + actual[i] + u"\nexpected: "_s + expected[i]));
    }
    qsizetype errors = 0;
    for (const BatchLintProblem &p : result.problems)
        errors += p.severity == BatchLintProblem::Severity::Error;
    QCOMPARE(result.errors, errors);
    QCOMPARE(result.ok(), errors == 0);
    QCOMPARE(result.bytes, input.size());
}

// Fed in two pieces cut anywhere, or a byte at a time, the result is the same.
void TestBatchLint::sameResultWhereverTheInputIsCut()
{
    const QByteArray input = request("a") + "\r\n\n" + request("a") + "\n{broken\n"
        + request("c", "/v1/embeddings") + "\n\xEF\xBB\xBFtail";
    const BatchLint whole = lint(input);
    QVERIFY(whole.errors >= 4);
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        BatchLinter linter;
        linter.feed(QByteArrayView(input).first(cut));
        linter.feed(QByteArrayView(input).sliced(cut));
        QCOMPARE(linter.finish(), whole);
    }
    BatchLinter bytewise;
    for (const char c : input)
        bytewise.feed(QByteArrayView(&c, 1));
    QCOMPARE(bytewise.finish(), whole);
}

void TestBatchLint::countsModelsAndEndpoint()
{
    const BatchLint result = lint(QByteArray(request("a", "/v1/chat/completions", "x/one") + "\n"
        + request("b", "/v1/chat/completions", "x/two") + "\n"
        + request("c", "/v1/chat/completions", "x/one") + "\n"));
    QVERIFY(result.ok());
    QCOMPARE(result.requests, 3);
    QCOMPARE(result.endpoint, u"/v1/chat/completions"_s);
    QCOMPARE(result.models, (QMap<QString, qsizetype> { { u"x/one"_s, 2 }, { u"x/two"_s, 1 } }));
    BatchLinter::Options embeddings;
    embeddings.endpoint = u"/embeddings"_s;
    const QStringList wrongEndpoint = described(lint(request("a"), embeddings));
    QCOMPARE(wrongEndpoint.size(), 1);
    QVERIFY(wrongEndpoint.first().contains(u"is not the batch's endpoint \"/embeddings\""_s));
}

void TestBatchLint::limits()
{
    // Bedrock needs at least 100 lines.
    BatchLinter::Options bedrock;
    bedrock.minLines = kBedrockMinBatchLines;
    QByteArray ninetyNine;
    for (int i = 0; i < 99; ++i)
        ninetyNine += request("r" + QByteArray::number(i)) + '\n';
    QCOMPARE(described(lint(ninetyNine, bedrock)),
        QStringList { u"0: error: 99 requests; this provider takes a batch of at least 100 "
                      "(Bedrock: 100)."_s });
    QVERIFY(lint(QByteArray(ninetyNine + request("last") + '\n'), bedrock).ok());
    // The size limit counts bytes, fed as they come.
    BatchLinter::Options small;
    small.maxBytes = 1000;
    const BatchLint big = lint(ninetyNine, small);
    QCOMPARE(big.errors, 1);
    QVERIFY(big.problems.first().message.contains(u"up to 1000 bytes"_s));
    // Problems past the listed ones are counted, not kept.
    QByteArray broken;
    for (int i = 0; i < 300; ++i)
        broken += "{\n";
    const BatchLint many = lint(broken);
    QCOMPARE(many.problems.size(), BatchLint::kMaxListed);
    QCOMPARE(many.errors, 300);
    QCOMPARE(many.problemsLeftOut, 100);
}

QTEST_GUILESS_MAIN(TestBatchLint)
#include "tst_batchlint.moc"
