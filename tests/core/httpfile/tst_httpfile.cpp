#include "core/httpfile/httpfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestHttpFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aMultipartFileLineIsOnlyOneWritten();
    void environmentsAtTheCollectionRoot();
    void parseSeveralRequests();
    void requestLineForms_data();
    void requestLineForms();
    void parseErrorsHaveLineAndColumn_data();
    void parseErrorsHaveLineAndColumn();
    void unchangedFileRoundTripsExactly_data();
    void unchangedFileRoundTripsExactly();
    void editedRequestKeepsItsSurroundings();
    void renamingUpdatesTheDirective();
    void variables();
    void environments();
    void environmentTls();
    void dotenvNextToTheFile();
    void bodyFromFile();
    void bundledExamplesParse();
};

namespace {

const QString kTwoRequests = uR"(# Leading comment that belongs to no request
@host = https://gw.example
@@unknown-directive stays

### First one
# @name chat
# @no-redirect
POST {{host}}/chat/completions
Authorization: Bearer {{token}}
// a comment between headers
x-tfy-metadata: {"team":"{{team}}"}

{
  "model": "openai-main/gpt-4o-mini"
}

> {% client.test("ok", () => {}); %}

###
// @name models
GET {{host}}/models
    ?limit=10
    &order=asc
Authorization: Bearer {{token}}
)"_s;

} // namespace

void TestHttpFile::parseSeveralRequests()
{
    const auto file = HttpFile::parse(kTwoRequests);
    QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
    const QList<HttpFileRequest> requests = file->requests();
    QCOMPARE(requests.size(), 2);

    const HttpFileRequest &chat = requests[0];
    QCOMPARE(chat.name, u"chat"_s);
    QCOMPARE(chat.method, u"POST"_s);
    QCOMPARE(chat.target, u"{{host}}/chat/completions"_s);
    QCOMPARE(chat.line, 8);
    QCOMPARE(chat.headers.size(), 2);
    QCOMPARE(chat.headers[1], std::pair(u"x-tfy-metadata"_s, uR"({"team":"{{team}}"})"_s));
    QCOMPARE(chat.body, u"{\n  \"model\": \"openai-main/gpt-4o-mini\"\n}"_s);

    const HttpFileRequest &models = requests[1];
    QCOMPARE(models.name, u"models"_s);
    QCOMPARE(models.method, u"GET"_s);
    QCOMPARE(models.target, u"{{host}}/models?limit=10&order=asc"_s);
    QVERIFY(models.body.isEmpty());

    QCOMPARE(file->fileVariables().value(u"host"_s), u"https://gw.example"_s);
    QCOMPARE(file->indexOf(u"models"_s), 1);
    QCOMPARE(file->indexOf(u"nope"_s), -1);
}

void TestHttpFile::requestLineForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("version");

    QTest::newRow("url only") << u"https://h/models\n"_s << QString() << u"https://h/models"_s
                              << QString();
    QTest::newRow("method and url")
        << u"DELETE https://h/files/1\n"_s << u"DELETE"_s << u"https://h/files/1"_s << QString();
    QTest::newRow("with version") << u"POST https://h/x HTTP/1.1\n"_s << u"POST"_s
                                  << u"https://h/x"_s << u"HTTP/1.1"_s;
    QTest::newRow("crlf") << u"GET https://h/x\r\nA: b\r\n"_s << u"GET"_s << u"https://h/x"_s
                          << QString();
    QTest::newRow("title separator names")
        << u"### Title here\nGET https://h/x\n"_s << u"GET"_s << u"https://h/x"_s << QString();
}

void TestHttpFile::requestLineForms()
{
    QFETCH(QString, text);
    QFETCH(QString, method);
    QFETCH(QString, target);
    QFETCH(QString, version);
    const auto file = HttpFile::parse(text);
    QVERIFY(file);
    QCOMPARE(file->requests().size(), 1);
    const HttpFileRequest r = file->requests().first();
    QCOMPARE(r.method, method);
    QCOMPARE(r.target, target);
    QCOMPARE(r.httpVersion, version);
    QCOMPARE(file->toText(), text);
}

void TestHttpFile::parseErrorsHaveLineAndColumn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");

    QTest::newRow("header without colon")
        << u"GET https://h/x\nAuthorization Bearer x\n"_s << u"2:1"_s;
    QTest::newRow("space in url") << u"\n\nPOST https://h/a b\n"_s << u"3:18"_s;
    QTest::newRow("method without url")
        << u"### one\nGET https://h\n### two\n\nPOST\n"_s << u"5:5"_s;
    QTest::newRow("lower-case method") << u"post https://h/x\n"_s << u"1:1"_s;
}

void TestHttpFile::parseErrorsHaveLineAndColumn()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    const auto file = HttpFile::parse(text);
    QVERIFY(!file);
    QCOMPARE(file.error().kind, Error::Kind::Parse);
    QCOMPARE(file.error().detail, where);
    QVERIFY(file.error().message.startsWith(u"line "_s));
}

void TestHttpFile::unchangedFileRoundTripsExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("two requests") << kTwoRequests;
    QTest::newRow("crlf and no final newline") << u"# c\r\nPOST https://h/x\r\nA: b\r\n\r\n{}"_s;
    QTest::newRow("only comments") << u"# nothing to send\n// really\n"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("trailing blank lines") << u"GET https://h/x\n\n\n\n###\nGET https://h/y\n"_s;
    QTest::newRow("handler and response reference")
        << u"GET https://h/x\n\n> ./check.js\n<> previous.200.json\n"_s;
}

void TestHttpFile::unchangedFileRoundTripsExactly()
{
    QFETCH(QString, text);
    const auto file = HttpFile::parse(text);
    QVERIFY(file);
    QCOMPARE(file->toText(), text);
    // Setting a request to what it already is changes nothing either.
    HttpFile copy = *file;
    const QList<HttpFileRequest> requests = copy.requests();
    for (qsizetype i = 0; i < requests.size(); ++i)
        copy.setRequest(i, requests[i]);
    QCOMPARE(copy.toText(), text);
}

void TestHttpFile::editedRequestKeepsItsSurroundings()
{
    auto file = HttpFile::parse(kTwoRequests);
    QVERIFY(file);
    HttpFileRequest chat = file->requests().first();
    chat.headers.append({ u"x-tfy-request-timeout"_s, u"30000"_s });
    chat.body = u"{\"model\": \"openai-main/gpt-4o\"}"_s;
    file->setRequest(0, chat);
    const QString expected = uR"(# Leading comment that belongs to no request
@host = https://gw.example
@@unknown-directive stays

### First one
# @name chat
# @no-redirect
POST {{host}}/chat/completions
Authorization: Bearer {{token}}
// a comment between headers
x-tfy-metadata: {"team":"{{team}}"}
x-tfy-request-timeout: 30000

{"model": "openai-main/gpt-4o"}

> {% client.test("ok", () => {}); %}

###
// @name models
GET {{host}}/models
    ?limit=10
    &order=asc
Authorization: Bearer {{token}}
)"_s;
    QCOMPARE(file->toText(), expected);
    // And what was written reads back as what was set.
    const auto again = HttpFile::parse(file->toText());
    QVERIFY(again);
    QVERIFY(again->requests().first().sameContent(chat));
}

void TestHttpFile::renamingUpdatesTheDirective()
{
    auto file = HttpFile::parse(u"# @name old\nGET https://h/x\n###\nGET https://h/y\n"_s);
    QVERIFY(file);
    HttpFileRequest first = file->requests()[0];
    first.name = u"new"_s;
    file->setRequest(0, first);
    HttpFileRequest second = file->requests()[1];
    second.name = u"second"_s;
    file->setRequest(1, second);
    QCOMPARE(
        file->toText(), u"# @name new\nGET https://h/x\n###\n# @name second\nGET https://h/y\n"_s);
}

void TestHttpFile::variables()
{
    const Variables vars { { u"host"_s, u"https://{{domain}}"_s }, { u"domain"_s, u"gw.example"_s },
        { u"loop"_s, u"{{loop}}"_s } };
    QCOMPARE(substituteVariables(u"{{host}}/x"_s, vars), u"https://gw.example/x"_s);
    QCOMPARE(substituteVariables(u"{{ host }}"_s, vars), u"https://gw.example"_s);
    QCOMPARE(substituteVariables(u"{{missing}} stays"_s, vars), u"{{missing}} stays"_s);
    QCOMPARE(substituteVariables(u"{{loop}}"_s, vars), u"{{loop}}"_s); // terminates
    QCOMPARE(substituteVariables(u"{{$uuid}}"_s, {}).size(), 36);
    bool ok = false;
    substituteVariables(u"{{$timestamp}}"_s, {}).toLongLong(&ok);
    QVERIFY(ok);
    QVERIFY(substituteVariables(u"{{$isoTimestamp}}"_s, {}).endsWith(u'Z'));

    const auto file = HttpFile::parse(kTwoRequests);
    QVERIFY(file);
    const auto resolved = resolve(file->requests().first(),
        { { u"host"_s, u"https://gw"_s }, { u"token"_s, u"t0k"_s }, { u"team"_s, u"blue"_s } });
    QVERIFY(resolved);
    QCOMPARE(resolved->method, "POST"_ba);
    QCOMPARE(resolved->url, u"https://gw/chat/completions"_s);
    QCOMPARE(resolved->headers,
        (HttpHeaders { { "Authorization"_ba, "Bearer t0k"_ba },
            { "x-tfy-metadata"_ba, R"({"team":"blue"})"_ba } }));
}

void TestHttpFile::environments()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &content) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    };
    write(u"http-client.env.json"_s,
        R"({"$shared":{"team":"core","n":3},"dev":{"host":"http://dev","token":"public"},"prod":{"host":"https://prod"}})"_ba);
    write(u"http-client.private.env.json"_s, R"({"dev":{"token":"private-wins"}})"_ba);
    const auto envs = HttpEnvironments::loadFromDirectory(dir.path());
    QVERIFY(envs);
    const auto dev = envs->variables(u"dev"_s);
    QVERIFY(dev);
    QCOMPARE(dev->value(u"host"_s), u"http://dev"_s);
    QCOMPARE(dev->value(u"token"_s), u"private-wins"_s);
    QCOMPARE(dev->value(u"team"_s), u"core"_s);
    QCOMPARE(dev->value(u"n"_s), u"3"_s);
    const auto unknown = envs->variables(u"staging"_s);
    QVERIFY(!unknown);
    QVERIFY(unknown.error().message.contains(u"dev, prod"_s));

    write(u"http-client.env.json"_s, "{ not json"_ba);
    const auto broken = HttpEnvironments::loadFromDirectory(dir.path());
    QVERIFY(!broken);
    QCOMPARE(broken.error().kind, Error::Kind::Parse);
}

// An environment's SSLConfiguration (the JetBrains HTTP Client's keys, plus
// caCertificate): paths from the environment file's folder, the private file's keys
// over the public one's, "$shared" under every environment; no variable is made of it.
void TestHttpFile::environmentTls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString &name, const QByteArray &content) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    };
    write(u"http-client.env.json"_s,
        R"({"$shared":{"SSLConfiguration":{"caCertificate":"ca/root.pem"}},
            "dev":{"host":"https://dev","SSLConfiguration":{"clientCertificate":"me.p12",
                "hasCertificatePassphrase":true,"proxy":"ignored"}},
            "lab":{"SSLConfiguration":{"verifyHostCertificate":false}}})"_ba);
    write(u"http-client.private.env.json"_s,
        R"({"dev":{"SSLConfiguration":{"clientCertificate":"/abs/me.crt",
            "clientCertificateKey":"keys/me.key"}}})"_ba);
    const auto envs = HttpEnvironments::loadFromDirectory(dir.path());
    QVERIFY2(envs, qPrintable(envs ? QString() : envs.error().message));
    const TlsFiles dev = envs->tlsFor(u"dev"_s);
    QCOMPARE(dev.resolve(dev.caCertificates), dir.filePath(u"ca/root.pem"_s));
    QCOMPARE(dev.resolve(dev.clientCertificate), u"/abs/me.crt"_s);
    QCOMPARE(dev.resolve(dev.clientKey), dir.filePath(u"keys/me.key"_s));
    QVERIFY(dev.verifyHost);
    QCOMPARE(envs->variables(u"dev"_s)->keys(), QStringList { u"host"_s });
    const TlsFiles lab = envs->tlsFor(u"lab"_s);
    QVERIFY(!lab.verifyHost);
    QCOMPARE(lab.resolve(lab.caCertificates), dir.filePath(u"ca/root.pem"_s));
    QVERIFY(lab.clientCertificate.isEmpty());
    QVERIFY(envs->tlsFor(u"prod"_s).clientCertificate.isEmpty());

    for (const QByteArray &bad : { R"({"dev":{"SSLConfiguration":"cert.pem"}})"_ba,
             R"({"dev":{"SSLConfiguration":{"clientCertificate":42}}})"_ba,
             R"({"dev":{"SSLConfiguration":{"clientCertificateKey":"k.pem"}}})"_ba,
             R"({"dev":{"SSLConfiguration":{"verifyHostCertificate":"no"}}})"_ba }) {
        write(u"http-client.private.env.json"_s, bad);
        const auto refused = HttpEnvironments::loadFromDirectory(dir.path());
        QVERIFY2(!refused, bad.constData());
        QVERIFY2(refused.error().message.contains(u"the SSLConfiguration of dev "_s),
            qPrintable(refused.error().message));
    }
}

// {{$dotenv NAME}} reads the .env file in the .http file's folder, as VS Code REST
// Client does: comments, export and quotes as shells write them; a name it lacks stays
// for validation to name.
void TestHttpFile::dotenvNextToTheFile()
{
    QTemporaryDir dir;
    QFile env(dir.filePath(u".env"_s));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("# keys for local runs\nOPENAI_KEY=sk-local\nexport TEAM = \"blue team\"\n"
              "EMPTY=\nQUOTED='a # b'\n");
    env.close();
    const auto file = HttpFile::parse(
        u"POST https://h/chat/completions\nX-Team: {{$dotenv TEAM}}\n"
        "Authorization: Bearer {{$dotenv OPENAI_KEY}}\nX-Which: {{$dotenv %which}}\n"
        "X-Missing: {{$dotenv NOT_THERE}}\n\n{\"q\":\"{{$dotenv QUOTED}}\"}\n"_s);
    QVERIFY(file);
    const auto resolved
        = resolve(file->requests().first(), { { u"which"_s, u"EMPTY"_s } }, dir.path());
    QVERIFY(resolved);
    QCOMPARE(headerValue(resolved->headers, "x-team"), "blue team"_ba);
    QCOMPARE(headerValue(resolved->headers, "authorization"), "Bearer sk-local"_ba);
    QCOMPARE(headerValue(resolved->headers, "x-which"), QByteArray());
    QCOMPARE(headerValue(resolved->headers, "x-missing"), "{{$dotenv NOT_THERE}}"_ba);
    QCOMPARE(resolved->body, R"({"q":"a # b"})"_ba);
    // Without a .env file the references stay.
    QTemporaryDir empty;
    const auto none = resolve(file->requests().first(), {}, empty.path());
    QVERIFY(none);
    QCOMPARE(headerValue(none->headers, "authorization"), "Bearer {{$dotenv OPENAI_KEY}}"_ba);
}

void TestHttpFile::bodyFromFile()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(u"body.json"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"model":"{{model}}"})");
    f.close();
    const auto file = HttpFile::parse(u"POST https://h/chat/completions\n\n< ./body.json\n"_s);
    QVERIFY(file);
    const auto resolved
        = resolve(file->requests().first(), { { u"model"_s, u"a/b"_s } }, dir.path());
    QVERIFY(resolved);
    QCOMPARE(resolved->body, R"({"model":"a/b"})"_ba);
    const auto missing = resolve(file->requests().first(), {}, dir.path() + u"/nowhere"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::Io);
}

void TestHttpFile::bundledExamplesParse()
{
    for (const char *name : { "chat-stream.http", "gateway-requests.http" }) {
        const auto file = HttpFile::load(QStringLiteral(GATESCOPE_SOURCE_DIR "/resources/examples/")
            + QString::fromLatin1(name));
        QVERIFY2(file, name);
        QVERIFY(!file->requests().isEmpty());
    }
}

void TestHttpFile::environmentsAtTheCollectionRoot()
{
    QTemporaryDir root;
    QVERIFY(QDir(root.path()).mkpath(u"chat/streaming"_s));
    const QString deep = root.filePath(u"chat/streaming/requests.http"_s);
    // No environment file anywhere: the file's own folder.
    QCOMPARE(HttpEnvironments::directoryFor(deep), QFileInfo(deep).absolutePath());
    QFile env(root.filePath(u"http-client.env.json"_s));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write(R"({"dev":{"baseUrl":"https://dev.example"}})");
    env.close();
    QCOMPARE(HttpEnvironments::directoryFor(deep), QDir(root.path()).absolutePath());
    // A nearer one wins.
    QFile nearer(root.filePath(u"chat/http-client.private.env.json"_s));
    QVERIFY(nearer.open(QIODevice::WriteOnly));
    nearer.write("{}");
    nearer.close();
    QCOMPARE(HttpEnvironments::directoryFor(deep), QDir(root.filePath(u"chat"_s)).absolutePath());
}

// In a multipart body a "< path" line is a file only as written: an escape that
// expands to '<', or a variable whose value starts a line with "< ", stays text.
void TestHttpFile::aMultipartFileLineIsOnlyOneWritten()
{
    QTemporaryDir dir;
    QFile secret(dir.filePath(u"secret.txt"_s));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("SECRET");
    secret.close();
    const auto file = HttpFile::parse(
        u"POST https://x.example/files\nContent-Type: multipart/form-data; boundary=b\n\n"
        "--b\nContent-Disposition: form-data; name=\"a\"\n\n"
        "{{$char.lt}} ./secret.txt\n{{value}}\n--b\n"
        "Content-Disposition: form-data; name=\"f\"; filename=\"s.txt\"\n\n< ./{{name}}\n--b--"_s);
    QVERIFY(file);
    const auto r = resolve(file->requests().first(),
        { { u"value"_s, u"< ./secret.txt"_s }, { u"name"_s, u"secret.txt"_s } }, dir.path());
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QVERIFY(r->body.contains("\r\n< ./secret.txt\r\n< ./secret.txt\r\n"));
    QVERIFY(!r->body.contains("SECRET"));
    // The line written as a file is one, its path's variables expanded.
    QCOMPARE(r->bodyFiles.size(), 1);
    QCOMPARE(r->bodyFiles.first().path, dir.filePath(u"secret.txt"_s));
}

QTEST_GUILESS_MAIN(TestHttpFile)
#include "tst_httpfile.moc"
