#include "core/gatewayrequest.h"
#include "core/postmanimport.h"

#include <QFile>
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
    for (const QString &expected : { u"Chat / Streaming chat: its scripts"_s,
             u"header x-debug is disabled"_s, u"Upload a file: a formdata body"_s,
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

QTEST_GUILESS_MAIN(TestPostmanImport)
#include "tst_postmanimport.moc"
