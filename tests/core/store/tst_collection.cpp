#include "core/store/collection.h"
#include "tests/testfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;
using namespace gs::tests;

namespace {

// The two contents the writer process alternates between: large enough that a
// write takes several system calls, different in size so a mix shows.
QByteArray contentA()
{
    return QByteArray("### A\nPOST {{baseUrl}}/chat/completions\n\n") + QByteArray(3'000'000, 'a')
        + '\n';
}
QByteArray contentB()
{
    return QByteArray("### B\nGET {{baseUrl}}/models\n\n") + QByteArray(2'000'001, 'b') + '\n';
}

// Child mode: save A and B in turn, forever, until killed.
int saveLoop(const QString &path)
{
    const QByteArray a = contentA();
    const QByteArray b = contentB();
    for (quint64 i = 0;; ++i) {
        if (!saveFileAtomically(path, (i % 2) ? b : a))
            return 1;
        if (i == 0) {
            fputs("saving\n", stdout);
            fflush(stdout);
        }
    }
}

const char kCollectionFile[] = "# Chat requests, shared with the team\n"
                               "@model = openai-main/gpt-4o-mini\n"
                               "\n"
                               "### Basic chat\n"
                               "// @expect status 200\n"
                               "POST {{baseUrl}}/chat/completions\n"
                               "Authorization: Bearer {{token}}\n"
                               "Content-Type: application/json\n"
                               "\n"
                               "{\"model\": \"{{model}}\",   \"messages\": []}\n"
                               "\n"
                               "###   Models   \n"
                               "GET {{baseUrl}}/models\n"
                               "Authorization: Bearer {{token}}\n"
                               "\n"
                               "\n"
                               "###\n"
                               "# @name embed\n"
                               "# @unknown-directive keep me\n"
                               "POST {{baseUrl}}/embeddings\n"
                               "\n"
                               "{\"input\": \"hi\"}\n";

} // namespace

class TestCollection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void opensFoldersFilesAndEnvironments();
    void brokenFileIsReportedAndNeverWritten();
    void savingUnchangedRewritesNothing();
    void savingOneRequestKeepsTheRestByteForByte();
    void externalChangeIsDetectedAndNotOverwritten();
    void appendsAndRemovesRequests();
    void variablesLayerDefaultsSharedEnvironment();
    void settingsHaveASchemaVersion();
    void directivesAreRead();
    void editsAreWrittenBackWithTheirVariables();
    void sidebarOperationsWorkOnDisk();
    void killDuringSaveLeavesOldOrNew();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
};

void TestCollection::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeFile(path(u"chat/basic.http"_s), kCollectionFile);
    writeFile(path(u"chat/tools/weather.http"_s), "POST {{baseUrl}}/chat/completions\n\n{}\n");
    writeFile(path(u"models.http"_s), "GET {{baseUrl}}/models\n");
    QDir(m_dir->path()).mkpath(u"empty-group"_s);
    QDir(m_dir->path()).mkpath(u".git/objects"_s);
    writeFile(path(u".git/ignored.http"_s), "not a request, not read\n");
    writeFile(path(u"http-client.env.json"_s),
        R"({"$shared": {"model": "shared-model", "baseUrl": "http://shared"},
            "demo": {"baseUrl": "http://127.0.0.1:8080/api/llm"},
            "prod": {"baseUrl": "https://gw.example/api/llm"}})");
    writeFile(path(u"http-client.private.env.json"_s), R"({"prod": {"token": "from-private"}})");
}

void TestCollection::opensFoldersFilesAndEnvironments()
{
    const auto c = Collection::open(m_dir->path());
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->folders(), QStringList({ u"chat"_s, u"chat/tools"_s, u"empty-group"_s }));
    QStringList files;
    for (const CollectionFile &f : c->files())
        files << f.relativePath;
    QCOMPARE(files,
        QStringList({ u"chat/basic.http"_s, u"chat/tools/weather.http"_s, u"models.http"_s }));
    QCOMPARE(c->requestCount(), 5);
    QCOMPARE(c->environments().environments.keys(), QStringList({ u"demo"_s, u"prod"_s }));
    QCOMPARE(c->environments().environments.value(u"prod"_s).value(u"token"_s), u"from-private"_s);
    QVERIFY(c->problems().isEmpty());
    QCOMPARE(c->name(), QFileInfo(m_dir->path()).fileName());
}

void TestCollection::brokenFileIsReportedAndNeverWritten()
{
    const QByteArray broken = "GET {{baseUrl}}/models\nAuthorization Bearer x\n";
    writeFile(path(u"chat/broken.http"_s), broken);
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    QCOMPARE(c->requestCount(), 5); // the others still load
    const QList<Error> problems = c->problems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].message.startsWith(u"chat/broken.http: line 2, column 1:"_s),
        qPrintable(problems[0].message));
    QCOMPARE(problems[0].detail, c->root() + u"/chat/broken.http:2:1"_s);
    QVERIFY(c->file(u"chat/broken.http"_s)->isBroken());

    const auto saved = c->saveRequest(u"chat/broken.http"_s, 0, HttpFileRequest {});
    QVERIFY(!saved);
    QVERIFY2(
        saved.error().message.contains(u"will not write"_s), qPrintable(saved.error().message));
    QCOMPARE(readFile(path(u"chat/broken.http"_s)), broken);
}

void TestCollection::savingUnchangedRewritesNothing()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    const QString file = path(u"chat/basic.http"_s);
    // An old time on the file shows whether it is rewritten.
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(old, QFileDevice::FileModificationTime));
    }
    auto fresh = Collection::open(m_dir->path());
    QVERIFY(fresh);
    const QList<HttpFileRequest> requests = fresh->load(u"chat/basic.http"_s)->requests();
    for (qsizetype i = 0; i < requests.size(); ++i)
        QVERIFY(fresh->saveRequest(u"chat/basic.http"_s, i, requests[i]));
    QCOMPARE(readFile(file), QByteArray(kCollectionFile));
    QCOMPARE(QFileInfo(file).lastModified().toSecsSinceEpoch(), old.toSecsSinceEpoch());
}

void TestCollection::savingOneRequestKeepsTheRestByteForByte()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    HttpFileRequest models = c->load(u"chat/basic.http"_s)->requests().at(1);
    QCOMPARE(models.name, u"Models"_s);
    models.headers.append({ u"x-tfy-provider-name"_s, u"openai-main"_s });
    QVERIFY(c->saveRequest(u"chat/basic.http"_s, 1, models));
    QByteArray expected(kCollectionFile);
    expected.replace("Authorization: Bearer {{token}}\n\n\n###\n",
        "Authorization: Bearer {{token}}\nx-tfy-provider-name: openai-main\n\n\n###\n");
    QCOMPARE(readFile(path(u"chat/basic.http"_s)), expected);
    // The collection follows its own write: no change on disk to report, and the
    // summary has no headers (the file is read again when a request is opened).
    QCOMPARE(c->load(u"chat/basic.http"_s)->requests().at(1).headers.size(), 2);
    QVERIFY(c->file(u"chat/basic.http"_s)->requests().at(1).headers.isEmpty());
    QVERIFY(c->changedOnDisk().isEmpty());
}

void TestCollection::externalChangeIsDetectedAndNotOverwritten()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    QVERIFY(c->changedOnDisk().isEmpty());
    HttpFileRequest edited = c->load(u"chat/basic.http"_s)->requests().at(0);
    const QByteArray theirs = QByteArray(kCollectionFile).replace("gpt-4o-mini", "gpt-4.1");
    writeFile(path(u"chat/basic.http"_s), theirs); // a git pull
    QFile::remove(path(u"models.http"_s)); // and a removal
    QCOMPARE(c->changedOnDisk(), QStringList({ u"chat/basic.http"_s, u"models.http"_s }));
    QCOMPARE(c->load(u"chat/basic.http"_s).error().kind, Error::Kind::Conflict);

    edited.body = u"{}"_s;
    const auto saved = c->saveRequest(u"chat/basic.http"_s, 0, edited);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Error::Kind::Conflict);
    QCOMPARE(readFile(path(u"chat/basic.http"_s)), theirs);

    QVERIFY(c->reload(u"chat/basic.http"_s));
    QVERIFY(c->reload(u"models.http"_s));
    QVERIFY(c->changedOnDisk().isEmpty());
    QCOMPARE(
        c->file(u"chat/basic.http"_s)->fileVariables.value(u"model"_s), u"openai-main/gpt-4.1"_s);
    QCOMPARE(c->file(u"models.http"_s), nullptr);
    // Keeping one's own edit after being asked: saved on top of the reloaded file.
    QVERIFY(c->saveRequest(u"chat/basic.http"_s, 0, edited));
    QVERIFY(readFile(path(u"chat/basic.http"_s)).contains("gpt-4.1"));
}

void TestCollection::appendsAndRemovesRequests()
{
    auto file = HttpFile::parse(QString::fromUtf8(kCollectionFile));
    QVERIFY(file);
    HttpFileRequest copy = file->requests().at(0);
    copy.name = u"Basic chat copy"_s;
    file->appendRequest(copy);
    QCOMPARE(file->requests().size(), 4);
    QString text = file->toText();
    QVERIFY2(text.startsWith(
                 QString::fromUtf8(kCollectionFile) + u"\n###\n# @name Basic chat copy\nPOST"_s),
        qPrintable(text));
    auto reparsed = HttpFile::parse(text);
    QVERIFY(reparsed);
    QCOMPARE(reparsed->requests().size(), 4);
    QVERIFY(reparsed->requests().at(3).sameContent(copy));

    reparsed->removeRequest(1); // "Models"
    text = reparsed->toText();
    QVERIFY(!text.contains(u"Models"_s));
    QCOMPARE(HttpFile::parse(text)->requests().size(), 3);
    reparsed->removeRequest(0); // the first keeps the file's top comments and variables
    text = reparsed->toText();
    QVERIFY2(text.startsWith(
                 u"# Chat requests, shared with the team\n@model = openai-main/gpt-4o-mini\n"_s),
        qPrintable(text));
    QCOMPARE(HttpFile::parse(text)->requests().size(), 2);
    QCOMPARE(
        HttpFile::parse(text)->fileVariables().value(u"model"_s), u"openai-main/gpt-4o-mini"_s);
}

void TestCollection::variablesLayerDefaultsSharedEnvironment()
{
    writeFile(path(u".gatescope.json"_s),
        R"({"schemaVersion": 1, "variables": {"baseUrl": "http://default", "timeout": "30"}})");
    const auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    const auto demo = c->variables(u"demo"_s);
    QVERIFY(demo);
    QCOMPARE(demo->value(u"baseUrl"_s), u"http://127.0.0.1:8080/api/llm"_s); // environment wins
    QCOMPARE(demo->value(u"model"_s), u"shared-model"_s); // then $shared
    QCOMPARE(demo->value(u"timeout"_s), u"30"_s); // then collection defaults
    const auto none = c->variables(QString());
    QCOMPARE(none->value(u"baseUrl"_s), u"http://shared"_s);
    const auto missing = c->variables(u"staging"_s);
    QVERIFY(!missing);
    QVERIFY(missing.error().message.contains(u"demo, prod"_s));
}

void TestCollection::settingsHaveASchemaVersion()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    CollectionSettings s = c->settings();
    s.defaultEnvironment = u"demo"_s;
    s.secrets = QStringList { u"token"_s };
    QVERIFY(c->saveSettings(s));
    const QByteArray json = readFile(path(u".gatescope.json"_s));
    QVERIFY(json.contains("\"schemaVersion\": 1"));
    QVERIFY(!c->settings().id.isEmpty());
    QVERIFY(!json.contains(m_dir->path().toUtf8())); // no machine path in a shared file
    const auto again = Collection::open(m_dir->path());
    QCOMPARE(again->settings().id, c->settings().id);
    QCOMPARE(again->settings().secrets, QStringList { u"token"_s });
    QCOMPARE(again->settings().defaultEnvironment, u"demo"_s);

    writeFile(path(u".gatescope.json"_s), R"({"schemaVersion": 7})");
    const auto newer = Collection::open(m_dir->path());
    QVERIFY(!newer);
    QVERIFY(newer.error().message.contains(u"schema version 7"_s));
}

void TestCollection::directivesAreRead()
{
    const auto c = Collection::open(m_dir->path());
    const QList<HttpFileRequest> r = c->file(u"chat/basic.http"_s)->requests();
    QCOMPARE(r[0].directives, QStringList { u"expect status 200"_s });
    QCOMPARE(r[2].name, u"embed"_s);
    QCOMPARE(r[2].directives, QStringList { u"unknown-directive keep me"_s });
}

void TestCollection::editsAreWrittenBackWithTheirVariables()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    const HttpFileRequest source = c->load(u"chat/basic.http"_s)->requests().at(0);
    Variables vars = *c->variables(u"prod"_s);
    vars.insert(u"model"_s, u"openai-main/gpt-4o-mini"_s);
    const auto resolved = resolve(source, vars);
    QVERIFY(resolved);
    const WireRequest opened = *resolved;
    QCOMPARE(opened.url, u"https://gw.example/api/llm/chat/completions"_s);

    // Nothing edited: the source itself, so saving rewrites nothing.
    QVERIFY(unresolve(source, opened, opened, vars).sameContent(source));

    // The body edited and a new token typed: variables stay variables, the token goes
    // to the credential store.
    WireRequest edited = opened;
    edited.body = R"({"model": "openai-main/gpt-4o-mini", "messages": [{"role": "user"}]})";
    edited.headers[0].value = "Bearer sk-typed-in-999";
    edited.headers.append(HttpHeader { "x-api-key", "key-typed-in-1" });
    Variables secrets;
    const HttpFileRequest back = unresolve(source, opened, edited, vars, &secrets);
    QCOMPARE(back.target, u"{{baseUrl}}/chat/completions"_s);
    QCOMPARE(back.body, uR"({"model": "{{model}}", "messages": [{"role": "user"}]})"_s);
    QCOMPARE(back.headers.at(0), std::pair(u"Authorization"_s, u"Bearer {{token}}"_s));
    QCOMPARE(back.headers.at(2), std::pair(u"x-api-key"_s, u"{{x_api_key}}"_s));
    QCOMPARE(secrets.value(u"token"_s), u"sk-typed-in-999"_s);
    QCOMPARE(secrets.value(u"x_api_key"_s), u"key-typed-in-1"_s);
    QCOMPARE(back.name, source.name);
    QCOMPARE(back.directives, source.directives);

    // A typed token that starts with the old one is a new token, not "{{token}}-more".
    WireRequest longer = opened;
    longer.headers[0].value = "Bearer " + vars.value(u"token"_s).toUtf8() + "-more";
    Variables more;
    const HttpFileRequest longerBack = unresolve(source, opened, longer, vars, &more);
    QCOMPARE(longerBack.headers.at(0).second, u"Bearer {{token}}"_s);
    QCOMPARE(more.value(u"token"_s), vars.value(u"token"_s) + u"-more"_s);

    QVERIFY(c->saveRequest(u"chat/basic.http"_s, 0, back));
    const QByteArray text = readFile(path(u"chat/basic.http"_s));
    QVERIFY(!text.contains("sk-typed-in-999"));
    QVERIFY(!text.contains("key-typed-in-1"));
    QVERIFY(!text.contains("from-private"));
    QVERIFY(text.startsWith(
        "# Chat requests, shared with the team\n@model = openai-main/gpt-4o-mini\n\n### Basic "
        "chat\n// @expect status 200\nPOST {{baseUrl}}/chat/completions\n"));
    QVERIFY(text.endsWith(
        QByteArray(kCollectionFile).mid(QByteArray(kCollectionFile).indexOf("###   Models"))));
}

void TestCollection::sidebarOperationsWorkOnDisk()
{
    auto c = Collection::open(m_dir->path());
    QVERIFY(c);
    HttpFileRequest request;
    request.name = u"list models"_s;
    request.method = u"GET"_s;
    request.target = u"{{baseUrl}}/models"_s;
    request.headers = { { u"Authorization"_s, u"Bearer {{token}}"_s } };

    QCOMPARE(*c->createFolder(u"chat"_s, u"drafts"_s), u"chat/drafts"_s);
    QVERIFY(!c->createFolder(u"chat"_s, u"drafts"_s)); // never over an existing one
    QVERIFY(!c->createFolder({}, u"../escape"_s));
    QCOMPARE(*c->createFile(u"chat/drafts"_s, u"models"_s, request), u"chat/drafts/models.http"_s);
    QCOMPARE(readFile(path(u"chat/drafts/models.http"_s)),
        QByteArray(
            "# @name list models\nGET {{baseUrl}}/models\nAuthorization: Bearer {{token}}\n\n"));
    QVERIFY(!c->createFile(u"chat"_s, u"basic.http"_s, request)); // exists: untouched
    QCOMPARE(readFile(path(u"chat/basic.http"_s)), QByteArray(kCollectionFile));

    QVERIFY(c->duplicateRequest(u"chat/drafts/models.http"_s, 0));
    QCOMPARE(c->file(u"chat/drafts/models.http"_s)->requests().at(1).name, u"list models copy"_s);
    QVERIFY(c->removeRequest(u"chat/drafts/models.http"_s, 0));
    QCOMPARE(c->file(u"chat/drafts/models.http"_s)->requests().size(), 1);
    QCOMPARE(c->file(u"chat/drafts/models.http"_s)->requests().at(0).name, u"list models copy"_s);

    QCOMPARE(*c->duplicatePath(u"chat/drafts/models.http"_s), u"chat/drafts/models copy.http"_s);
    QCOMPARE(*c->duplicatePath(u"chat/drafts/models.http"_s), u"chat/drafts/models copy 2.http"_s);
    QCOMPARE(*c->renamePath(u"chat/drafts/models copy 2.http"_s, u"catalogue"_s),
        u"chat/drafts/catalogue.http"_s);
    QVERIFY(!c->renamePath(u"chat/drafts/catalogue.http"_s, u"models copy"_s)); // taken
    QCOMPARE(*c->movePath(u"chat/drafts"_s, u"empty-group"_s), u"empty-group/drafts"_s);
    QVERIFY(!c->movePath(u"empty-group"_s, u"empty-group/drafts"_s)); // not into itself
    QVERIFY(c->file(u"empty-group/drafts/catalogue.http"_s));
    QCOMPARE(*c->duplicatePath(u"empty-group/drafts"_s), u"empty-group/drafts copy"_s);
    QVERIFY(c->file(u"empty-group/drafts copy/models.http"_s));
    QCOMPARE(c->requestCount(), 5 + 3 + 3);

    // Deleting goes to the trash (a private one: XDG_DATA_HOME points into the test's folder).
    QVERIFY2(c->trashPath(u"empty-group/drafts copy"_s), "no trash here");
    QVERIFY(!QFileInfo::exists(path(u"empty-group/drafts copy"_s)));
    QCOMPARE(c->requestCount(), 5 + 3);

    // A file that does not parse is never written to.
    writeFile(path(u"broken.http"_s), "GET {{baseUrl}}\nnot a header\n");
    QVERIFY(c->rescan());
    QVERIFY(!c->appendRequest(u"broken.http"_s, request));
    QVERIFY(!c->removeRequest(u"broken.http"_s, 0));
    QCOMPARE(readFile(path(u"broken.http"_s)), QByteArray("GET {{baseUrl}}\nnot a header\n"));
}

void TestCollection::killDuringSaveLeavesOldOrNew()
{
    const QString target = path(u"big.http"_s);
    writeFile(target, contentA());
    const QByteArray a = contentA();
    const QByteArray b = contentB();
    int rounds = 0;
    for (int i = 0; i < 50; ++i) {
        QProcess writer;
        writer.start(QCoreApplication::applicationFilePath(), { u"--save-loop"_s, target });
        QVERIFY(writer.waitForStarted());
        QVERIFY(writer.waitForReadyRead(10'000)); // it is saving
        QTest::qWait(int(QRandomGenerator::global()->bounded(5, 40)));
        writer.kill(); // SIGKILL on Unix, TerminateProcess on Windows: no chance to clean up
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        const QByteArray now = readFile(target);
        QVERIFY2(now == a || now == b,
            qPrintable(u"round %1: %2 bytes, neither old nor new"_s.arg(i).arg(now.size())));
        ++rounds;
    }
    QCOMPARE(rounds, 50);
    // QSaveFile's temporary files may be left behind by a kill; the target never is.
    for (const QString &name : QDir(m_dir->path()).entryList(QDir::Files))
        QVERIFY2(name == "big.http"_L1 || name.startsWith("big.http."_L1)
                || name.endsWith(".json"_L1) || name.endsWith(".http"_L1),
            qPrintable(name));
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--save-loop") == 0) {
        QCoreApplication app(argc, argv);
        return saveLoop(QString::fromLocal8Bit(argv[2]));
    }
    // The trash test must not fill the user's own trash.
    QTemporaryDir data;
    qputenv("XDG_DATA_HOME", data.path().toLocal8Bit());
    QCoreApplication app(argc, argv);
    TestCollection test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_collection.moc"
