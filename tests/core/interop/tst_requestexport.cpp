#include "core/httpfile/httpfile.h"
#include "core/interop/curlimport.h"
#include "core/interop/requestexport.h"
#include "core/model/formfields.h"
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
    void formsAreReadBackIntoTheirParts();
    void uploadsAsEachToolWritesThem();

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

namespace {

// A batch upload as resolve() makes it: the file's content left out at its offset.
WireRequest upload(const QString &path)
{
    WireRequest w { "POST", u"https://gw.example/api/llm/files"_s,
        { { "Authorization", "Bearer tfy-secret-42" }, { "x-tfy-provider-name", "openai-main" },
            { "Content-Type", "multipart/form-data; boundary=b" } },
        {} };
    w.body = "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
             "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"renamed.jsonl\"\r\n"
             "Content-Type: application/jsonl\r\n\r\n";
    w.bodyFiles = { BodyFile { w.body.size(), path, 10 } };
    w.body += "\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n@x;y\r\n--b--";
    return w;
}

} // namespace

void TestRequestExport::formsAreReadBackIntoTheirParts()
{
    const auto fields = formFields(upload(u"/data/in put.jsonl"_s));
    QVERIFY(fields);
    QCOMPARE(fields->size(), 3);
    QCOMPARE((*fields)[0], (FormField { u"purpose"_s, {}, {}, "batch", {} }));
    QCOMPARE((*fields)[1],
        (FormField {
            u"file"_s, u"renamed.jsonl"_s, "application/jsonl", {}, u"/data/in put.jsonl"_s }));
    QCOMPARE((*fields)[2].value, "@x;y");
    // Not a form, or not one any tool writes: nothing.
    QVERIFY(!formFields(
        WireRequest { "POST", u"https://x"_s, { { "Content-Type", "text/plain" } }, "a" }));
    WireRequest around = upload(u"/a"_s);
    around.bodyFiles.first().offset -= 2; // text before the file in its part
    QVERIFY(!formFields(around));
    WireRequest twice = upload(u"/a"_s);
    twice.bodyFiles.append(twice.bodyFiles.first()); // two files in one part (found by fuzzing)
    QVERIFY(!formFields(twice));
    WireRequest unclosed = upload(u"/a"_s);
    unclosed.body.chop(5);
    QVERIFY(!formFields(unclosed));
}

void TestRequestExport::uploadsAsEachToolWritesThem()
{
    const GatewayRequest r = decode(upload(u"/data/in put.jsonl"_s));
    const auto curl = exportRequest(r, ExportFormat::Curl);
    QVERIFY2(curl, qPrintable(curl ? QString() : curl.error().message));
    for (const QString &expected :
        { u"-F 'purpose=batch'"_s,
            u"-F 'file=@\"/data/in put.jsonl\";type=application/jsonl;filename=\"renamed.jsonl\"'"_s,
            u"--form-string 'note=@x;y'"_s, u"-H \"Authorization: Bearer $TFY_API_KEY\""_s })
        QVERIFY2(curl->contains(expected), qPrintable(expected + u" missing from\n"_s + *curl));
    QVERIFY(!curl->contains(u"Content-Type"_s)); // curl writes its own, with its boundary
    QVERIFY(!curl->contains(u"tfy-secret-42"_s));

    const auto python = exportRequest(r, ExportFormat::Python);
    QVERIFY(python);
    for (const QString &expected : { u"with open(\"/data/in put.jsonl\", \"rb\") as file:"_s,
             u"client.files.create("_s, u"file=(\"renamed.jsonl\", file),"_s,
             u"purpose=\"batch\","_s, u"\"x-tfy-provider-name\": \"openai-main\","_s })
        QVERIFY2(python->contains(expected), qPrintable(expected + u" missing from\n"_s + *python));
    const auto js = exportRequest(r, ExportFormat::JavaScript);
    QVERIFY(js);
    for (const QString &expected :
        { u"import OpenAI, { toFile } from \"openai\";"_s,
            u"file: await toFile(fs.createReadStream(\"/data/in put.jsonl\"), \"renamed.jsonl\"),"_s,
            u"\"purpose\": \"batch\","_s })
        QVERIFY2(js->contains(expected), qPrintable(expected + u" missing from\n"_s + *js));
    // A form to an endpoint the SDK has no upload for: curl.
    WireRequest other = upload(u"/a"_s);
    other.url = u"https://gw.example/api/llm/v2/rerank"_s;
    const auto noSdk = exportRequest(decode(other), ExportFormat::Python);
    QVERIFY(!noSdk && noSdk.error().message.contains(u"curl"_s));
    // Valid code for the real interpreters (the suite runs it: tests/interop/upload-export).
    GATESCOPE_REQUIRE_PROGRAM(python3, "python3");
    GATESCOPE_REQUIRE_PROGRAM(node, "node");
    QString output;
    QVERIFY2(check(python3, { u"-m"_s, u"py_compile"_s }, u"upload.py"_s, *python, output),
        qPrintable(output + *python));
    QVERIFY2(check(node, { u"--check"_s }, u"upload.mjs"_s, *js, output), qPrintable(output + *js));
}

QTEST_GUILESS_MAIN(TestRequestExport)
#include "tst_requestexport.moc"
