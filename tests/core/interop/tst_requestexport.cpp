#include "core/httpfile/httpfile.h"
#include "core/interop/curlimport.h"
#include "core/interop/requestexport.h"
#include "tests/testfiles.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestRequestExport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void curlRoundTrips_data();
    void curlRoundTrips();
    void curlReadsTheTokenFromTheEnvironment();
    void pythonUsesExtraHeaders();
    void pythonIsValidPython();
    void javascriptPassesHeadersAsOptions();
    void javascriptIsValidJavaScript();
    void httpRoundTrips();
    void endpointsWithoutSdkMethodsSayCurl();

private:
    static GatewayRequest chat();
    static bool check(const QString &program, const QStringList &args, const QString &file,
        const QString &code, QString &output);
};

GatewayRequest TestRequestExport::chat()
{
    return decode(WireRequest { "POST",
        u"https://gw.example/api/llm/chat/completions?trace=1&x=a%20b"_s,
        { { "Authorization", "Bearer tfy-secret-42" }, { "Content-Type", "application/json" },
            { "x-tfy-metadata", R"({"team":"platform","it's":"quoted"})" },
            { "x-tfy-retry-config", R"({"attempts":2,"onStatusCodes":[429]})" },
            { "x-api-key", "other-secret" } },
        R"({"model":"openai-main/gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"It's \"quoted\"\nand $HOME"}],"temperature":0.25,"stop":null,"logit-bias":{},"class":1})" });
}

void TestRequestExport::curlRoundTrips_data()
{
    QTest::addColumn<GatewayRequest>("request");
    QTest::newRow("chat") << chat();
    QTest::newRow("get models") << decode(WireRequest {
        "GET", u"https://gw.example/models"_s, { { "Authorization", "Bearer t" } }, {} });
    QTest::newRow("delete") << decode(WireRequest {
        "DELETE", u"https://gw.example/files/f1"_s, { { "Authorization", "Bearer t" } }, {} });
}

void TestRequestExport::curlRoundTrips()
{
    // What the exported command sends is what the request sends.
    QFETCH(GatewayRequest, request);
    const auto curl = exportRequest(request, ExportFormat::Curl, true);
    QVERIFY(curl);
    const auto back = importCurl(*curl);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->request, compose(request));
}

void TestRequestExport::curlReadsTheTokenFromTheEnvironment()
{
    const auto curl = exportRequest(chat(), ExportFormat::Curl);
    QVERIFY(curl);
    QVERIFY(!curl->contains(u"tfy-secret-42"_s));
    QVERIFY(!curl->contains(u"other-secret"_s));
    QVERIFY(curl->contains(u"-H \"Authorization: Bearer $TFY_API_KEY\""_s));
    QVERIFY(curl->contains(u"-H \"x-api-key: $X_API_KEY\""_s));
    QVERIFY(curl->contains(u"--no-buffer"_s)); // a stream
    // With the variable set, the command sends the same request.
    QString withToken = *curl;
    withToken.replace(u"$TFY_API_KEY"_s, u"tfy-secret-42"_s)
        .replace(u"$X_API_KEY"_s, u"other-secret"_s);
    const auto back = importCurl(withToken);
    QVERIFY(back);
    QCOMPARE(back->request, compose(chat()));
}

void TestRequestExport::pythonUsesExtraHeaders()
{
    const auto py = exportRequest(chat(), ExportFormat::Python);
    QVERIFY(py);
    for (const QString &expected :
        { u"from openai import OpenAI"_s, u"base_url=\"https://gw.example/api/llm\""_s,
            u"api_key=os.environ[\"TFY_API_KEY\"]"_s, u"client.chat.completions.create("_s,
            u"model=\"openai-main/gpt-4o-mini\","_s, u"stream=True,"_s, u"stop=None,"_s,
            u"temperature=0.25,"_s,
            u"\"x-tfy-metadata\": \"{\\\"team\\\":\\\"platform\\\",\\\"it's\\\":\\\"quoted\\\"}\","_s,
            u"\"x-api-key\": os.environ[\"X_API_KEY\"],"_s,
            u"extra_body={\n        \"logit-bias\": {},\n        \"class\": 1,\n    },"_s,
            u"extra_query={\"trace\": \"1\", \"x\": \"a b\"},"_s, u"for chunk in response:"_s })
        QVERIFY2(py->contains(expected), qPrintable(expected + u"\nmissing from\n"_s + *py));
    QVERIFY(!py->contains(u"tfy-secret-42"_s));
    QVERIFY(!py->contains(u"Content-Type"_s)); // the SDK sets it
    const auto shown = exportRequest(chat(), ExportFormat::Python, true);
    QVERIFY(shown->contains(u"api_key=\"tfy-secret-42\""_s));
}

bool TestRequestExport::check(const QString &program, const QStringList &args, const QString &file,
    const QString &code, QString &output)
{
    QTemporaryDir dir;
    QFile f(dir.filePath(file));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(code.toUtf8());
    f.close();
    QProcess p;
    p.start(program, args + QStringList { f.fileName() });
    if (!p.waitForFinished(30000))
        return false;
    output = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void TestRequestExport::pythonIsValidPython()
{
    GATESCOPE_REQUIRE_PROGRAM(python, "python3");
    QString output;
    const auto code = exportRequest(chat(), ExportFormat::Python);
    QVERIFY2(check(python, { u"-m"_s, u"py_compile"_s }, u"export.py"_s, *code, output),
        qPrintable(output + *code));
    const auto models = exportRequest(decode(WireRequest { "GET", u"https://gw.example/models"_s,
                                          { { "Authorization", "Bearer t" } }, {} }),
        ExportFormat::Python);
    QVERIFY2(check(python, { u"-m"_s, u"py_compile"_s }, u"models.py"_s, *models, output),
        qPrintable(output + *models));
}

void TestRequestExport::javascriptPassesHeadersAsOptions()
{
    const auto js = exportRequest(chat(), ExportFormat::JavaScript);
    QVERIFY(js);
    for (const QString &expected : { u"import OpenAI from \"openai\";"_s,
             u"baseURL: \"https://gw.example/api/llm\""_s, u"apiKey: process.env.TFY_API_KEY"_s,
             u"await client.chat.completions.create("_s, u"\"stream\": true,"_s,
             u"\"stop\": null,"_s, u"headers: {\n      \"x-tfy-metadata\":"_s,
             u"\"x-api-key\": process.env.X_API_KEY,"_s, u"for await (const chunk of response)"_s })
        QVERIFY2(js->contains(expected), qPrintable(expected + u"\nmissing from\n"_s + *js));
    QVERIFY(!js->contains(u"tfy-secret-42"_s));
}

void TestRequestExport::javascriptIsValidJavaScript()
{
    GATESCOPE_REQUIRE_PROGRAM(node, "node");
    QString output;
    const auto code = exportRequest(chat(), ExportFormat::JavaScript);
    QVERIFY2(
        check(node, { u"--check"_s }, u"export.mjs"_s, *code, output), qPrintable(output + *code));
}

void TestRequestExport::httpRoundTrips()
{
    const auto text = exportRequest(chat(), ExportFormat::Http);
    QVERIFY(text);
    QVERIFY(text->startsWith(u"POST {{baseUrl}}/chat/completions?trace=1"_s));
    QVERIFY(text->contains(u"Authorization: Bearer {{token}}\n"_s));
    QVERIFY(!text->contains(u"tfy-secret-42"_s));
    const auto file = HttpFile::parse(*text);
    QVERIFY(file);
    const Variables variables { { u"baseUrl"_s, u"https://gw.example/api/llm"_s },
        { u"token"_s, u"tfy-secret-42"_s }, { u"x_api_key"_s, u"other-secret"_s } };
    const auto resolved = resolve(file->requests().first(), variables);
    QVERIFY(resolved);
    QCOMPARE(*resolved, compose(chat()));
}

void TestRequestExport::endpointsWithoutSdkMethodsSayCurl()
{
    const GatewayRequest files = decode(WireRequest {
        "POST", u"https://gw.example/files"_s, { { "Authorization", "Bearer t" } }, "{}" });
    const auto py = exportRequest(files, ExportFormat::Python);
    QVERIFY(!py);
    QVERIFY(py.error().message.contains(u"curl"_s));
    QVERIFY(exportRequest(files, ExportFormat::Curl));
    QCOMPARE(exportFormatFromName(u"js"), ExportFormat::JavaScript);
    QVERIFY(!exportFormatFromName(u"ruby"));
}

QTEST_GUILESS_MAIN(TestRequestExport)
#include "tst_requestexport.moc"
