#include "core/interop/har.h"
#include "core/interop/postmanimport.h"
#include "core/interop/requestexport.h"
#include "core/model/gatewayrequest.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// What the exporters write, compared byte for byte with reviewed files in
// tests/data/golden. A change to an exporter shows here as a readable diff; when the
// change is meant, the files are written anew with
//
//   GATESCOPE_UPDATE_GOLDEN=1 build/ci/tests/tst_core_interop_golden
//
// and the diff of tests/data/golden is reviewed with the change.

namespace {

const QString kGolden = QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/golden/");

GatewayRequest chat()
{
    return decode(WireRequest { "POST", u"https://gw.example/api/llm/chat/completions?trace=1"_s,
        { { "Authorization", "Bearer tfy-secret-42" }, { "Content-Type", "application/json" },
            { "x-tfy-metadata", R"({"team":"platform","it's":"quoted"})" },
            { "x-tfy-retry-config", R"({"attempts":2,"onStatusCodes":[429,503]})" },
            { "x-tfy-request-timeout", "30000" }, { "x-api-key", "other-secret" } },
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"It's \"quoted\"\nand $HOME"}],"temperature":0.25})" });
}

GatewayRequest embeddings()
{
    return decode(WireRequest { "POST", u"https://gw.example/api/llm/embeddings"_s,
        { { "Authorization", "Bearer tfy-secret-42" }, { "Content-Type", "application/json" } },
        R"({"model":"openai-main/text-embedding-3-small","input":["a","b"]})" });
}

HarEntry harFixture()
{
    HarEntry e;
    e.request = compose(chat());
    e.startedAt = QDateTime(QDate(2026, 11, 29), QTime(12, 0, 0, 250), QTimeZone::UTC);
    e.timeline.connecting = 1000;
    e.timeline.requestSent = 4500;
    e.timeline.headers = 90'000;
    e.timeline.firstByte = 90'500;
    e.timeline.finished = 150'000;
    e.timeline.bytes = 120;
    e.status = 200;
    e.reason = "OK";
    e.httpVersion = "HTTP/1.1";
    e.responseHeaders = { { "content-type", "text/event-stream" },
        { "x-tfy-resolved-model", "openai-main/gpt-4o-mini" } };
    e.responseBody = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n";
    return e;
}

// The lines where \a actual leaves \a expected, with a little context, as a diff
// reader wants them.
QString lineDiff(const QByteArray &expected, const QByteArray &actual)
{
    const QList<QByteArray> a = expected.split('\n');
    const QList<QByteArray> b = actual.split('\n');
    qsizetype first = 0;
    while (first < a.size() && first < b.size() && a[first] == b[first])
        ++first;
    qsizetype tailA = a.size();
    qsizetype tailB = b.size();
    while (tailA > first && tailB > first && a[tailA - 1] == b[tailB - 1]) {
        --tailA;
        --tailB;
    }
    QString out = u"@@ line %1\n"_s.arg(first + 1);
    if (first > 0)
        out += u"  "_s + QString::fromUtf8(a[first - 1]) + u'\n';
    for (qsizetype i = first; i < std::min(tailA, first + 20); ++i)
        out += u"- "_s + QString::fromUtf8(a[i]) + u'\n';
    for (qsizetype i = first; i < std::min(tailB, first + 20); ++i)
        out += u"+ "_s + QString::fromUtf8(b[i]) + u'\n';
    return out;
}

} // namespace

class TestGolden final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matches_data();
    void matches();
};

void TestGolden::initTestCase()
{
    // What goes into the HAR's creator: fixed, so that a release does not change it.
    QCoreApplication::setApplicationVersion(u"0.0.0-golden"_s);
}

void TestGolden::matches_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("actual");
    const auto exported = [](const GatewayRequest &r, ExportFormat format) {
        const auto text = exportRequest(r, format);
        return text ? text->toUtf8() : QByteArray("<error: ") + text.error().message.toUtf8() + '>';
    };
    QTest::newRow("curl") << u"chat.curl.sh"_s << exported(chat(), ExportFormat::Curl);
    QTest::newRow("python") << u"chat.py"_s << exported(chat(), ExportFormat::Python);
    QTest::newRow("javascript") << u"chat.mjs"_s << exported(chat(), ExportFormat::JavaScript);
    QTest::newRow("http") << u"chat.http"_s << exported(chat(), ExportFormat::Http);
    QTest::newRow("python embeddings")
        << u"embeddings.py"_s << exported(embeddings(), ExportFormat::Python);
    QTest::newRow("har") << u"chat.har"_s
                         << QJsonDocument(toHar({ harFixture() })).toJson(QJsonDocument::Indented);
    QStringList notes;
    const auto postman = exportPostman(
        QStringLiteral(GATESCOPE_SOURCE_DIR "/resources/examples"), u"examples"_s, &notes);
    QTest::newRow("postman") << u"examples.postman_collection.json"_s
                             << (postman ? *postman : postman.error().message.toUtf8());
}

void TestGolden::matches()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, actual);
    const QString path = kGolden + file;
    if (qEnvironmentVariableIsSet("GATESCOPE_UPDATE_GOLDEN")) {
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL("GATESCOPE_UPDATE_GOLDEN is for a developer's machine, not CI");
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(out.write(actual), actual.size());
        return;
    }
    QFile in(path);
    QVERIFY2(in.open(QIODevice::ReadOnly),
        qPrintable(path + u" is missing: write it with GATESCOPE_UPDATE_GOLDEN=1"_s));
    const QByteArray expected = in.readAll();
    QVERIFY(!expected.isEmpty());
    QVERIFY2(actual == expected,
        qPrintable(
            file + u" differs from the exporter's output:\n"_s + lineDiff(expected, actual)));
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
