// A whole session with a known token, in the window and on the command line, then a
// search of every file written under $HOME (settings, history database, collection,
// exports, logs, the keyring's own files) for that token in any common encoding.
// CTest runs it through tests/with-keyring: a private HOME and a real Secret Service.
#include "core/net/exchange.h"
#include "core/store/secretstore.h"
#include "demo/demogateway.h"
#include "tests/testfiles.h"
#include "ui/collectiontree.h"
#include "ui/historycontroller.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QUuid>

using namespace gs::core;
using namespace gs::demo;
using namespace gs::ui;
using namespace Qt::StringLiterals;
using namespace gs::tests;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

Run cli(const QStringList &args, const QString &stdoutFile = {})
{
    QProcess p;
    if (!stdoutFile.isEmpty())
        p.setStandardOutputFile(stdoutFile);
    // The demo gateway runs in this process: keep its event loop turning meanwhile.
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    p.start(QStringLiteral(GATESCOPE_CLI), args);
    loop.exec();
    if (p.state() != QProcess::NotRunning)
        return {};
    return { p.exitCode(), p.readAllStandardOutput() };
}

} // namespace

class TestTokenLeak final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wholeSessionWritesTheTokenNowhere();
};

void TestTokenLeak::wholeSessionWritesTheTokenNowhere()
{
    const QString home = QDir::homePath();
    QVERIFY2(
        home.startsWith(QDir::tempPath()) || qEnvironmentVariableIsSet("GATESCOPE_LEAK_HOME_OK"),
        "runs only with a private HOME (tests/with-keyring gives one)");
    const QString canary = u"tfy-canary-"_s + QUuid::createUuid().toString(QUuid::Id128);
    const QString work = home + u"/work"_s;
    const QString out = home + u"/exports"_s;
    QDir().mkpath(out);

    DemoGateway demo;
    const auto url = demo.listen();
    QVERIFY(url);

    // A collection as a team keeps it in git.
    writeFile(work + u"/team/http-client.env.json"_s, R"({"local": {"team": "platform"}})");
    writeFile(work + u"/team/chat.http"_s,
        "### Hello\n"
        "POST {{baseUrl}}/chat/completions\n"
        "Authorization: Bearer {{token}}\n"
        "Content-Type: application/json\n"
        "x-tfy-metadata: {\"team\":\"{{team}}\"}\n"
        "\n"
        "{\"model\": \"openai-main/gpt-4o-mini\", \"stream\": true, \"messages\": [{\"role\": "
        "\"user\", "
        "\"content\": \"hello\"}]}\n");

    // --- the window ---------------------------------------------------------------
    {
        MainWindow window;
        window.show();
        QVERIFY(
            window.history()->open(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                + u"/history.sqlite"_s));
        window.setGateway(*url, canary); // the token goes to the keyring
        QVERIFY(window.openCollection(work + u"/team"_s));
        const QString root = window.collections()->roots().first();
        QVERIFY(window.openCollectionRequest(root, u"chat.http"_s, 0));
        RequestPage *page = window.currentPage();
        QCOMPARE(page->editor()->request().bearerToken, canary);
        QVERIFY(window.sendCurrent());
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 20'000);
        QCOMPARE(page->exchange()->status(), 401); // it went out with the canary
        QVERIFY(window.exportHar(out + u"/window.har"_s));
        // An edit saved into the collection, a token typed into a request, Save As.
        GatewayRequest edited = page->editor()->request();
        edited.body.replace("hello", "hello again");
        edited.bearerToken = canary + u"-typed"_s;
        page->editor()->setRequest(edited);
        QVERIFY(window.saveCurrent());
        QVERIFY(window.saveCurrent(out + u"/saved-as.http"_s));
        window.newRequest();
        QVERIFY(window.grab().save(out + u"/window.png"_s));
        QVERIFY(window.close());
    }
    QSettings().sync();

    // The token did reach the keyring (written in the background): the session was real.
    const auto inKeyring = [&] {
        QProcess lookup;
        lookup.start(u"secret-tool"_s,
            { u"lookup"_s, u"server"_s, u"Gatescope"_s, u"user"_s,
                u"gateway/"_s + *url + u"/token"_s });
        lookup.waitForFinished(30'000);
        return QString::fromUtf8(lookup.readAllStandardOutput());
    };
    QTRY_COMPARE_WITH_TIMEOUT(inKeyring(), canary, 10'000);

    // --- the command line ---------------------------------------------------------
    const QString file = work + u"/team/chat.http"_s;
    const QStringList vars { u"--var"_s, u"token="_s + canary, u"--var"_s, u"baseUrl="_s + *url,
        u"--env"_s, u"local"_s };
    QCOMPARE(
        cli(QStringList { u"send"_s, file, u"--har"_s, out + u"/cli.har"_s, u"--json"_s } + vars,
            out + u"/send.json"_s)
            .exitCode,
        0);
    for (const QString &format : { u"curl"_s, u"python"_s, u"javascript"_s, u"http"_s })
        QCOMPARE(cli(QStringList { u"export"_s, format, file } + vars, out + u"/export-"_s + format)
                     .exitCode,
            0);
    QCOMPARE(cli(QStringList { u"compose"_s, file } + vars, out + u"/compose.txt"_s).exitCode, 0);
    cli(QStringList { u"run"_s, work + u"/team"_s, u"--junit"_s, out + u"/junit.xml"_s,
            u"--json"_s }
            + vars,
        out + u"/run.json"_s);
    // The runner finds the token the window put in the keyring for this collection
    // and environment ("local"): the request goes out with it (the demo gateway, which
    // knows only its own token, answers 401), instead of being held back for a
    // missing {{token}}.
    const Run fromKeyring = cli({ u"run"_s, work + u"/team"_s, u"--env"_s, u"local"_s, u"--var"_s,
        u"baseUrl="_s + *url, u"--json"_s });
    const QJsonObject report = QJsonDocument::fromJson(fromKeyring.out).object();
    const QJsonObject first = report.value(u"results"_s).toArray().first().toObject();
    QVERIFY2(first.value(u"status"_s).toInt() == 401, fromKeyring.out.constData());
    writeFile(out + u"/curl.sh"_s,
        "curl " + url->toUtf8() + "/chat/completions -H 'Authorization: Bearer " + canary.toUtf8()
            + "' -d '{\"model\":\"a/b\"}'");
    QCOMPARE(
        cli({ u"import"_s, u"curl"_s, out + u"/curl.sh"_s }, out + u"/imported.http"_s).exitCode,
        0);
    QFile::remove(out + u"/curl.sh"_s); // the user's own input, not something Gatescope wrote

    // --- the search -----------------------------------------------------------------
    const QList<QByteArray> forms {
        canary.toUtf8(),
        canary.toUtf8().toBase64(),
        QByteArray("Bearer " + canary.toUtf8()).toBase64(),
        QUrl::toPercentEncoding(canary),
        QByteArray(reinterpret_cast<const char *>(canary.utf16()), canary.size() * 2),
    };
    QStringList leaks;
    int files = 0;
    QDirIterator it(home, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        ++files;
        const QByteArray bytes = f.readAll();
        if (std::ranges::any_of(
                forms, [&](const QByteArray &form) { return bytes.contains(form); }))
            leaks << QDir(home).relativeFilePath(path);
    }
    qInfo("searched %d files under the private HOME", files);
    QVERIFY2(files >= 15, "the session wrote fewer files than it should have");
    QVERIFY2(QFile::exists(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                 + u"/history.sqlite"_s),
        "no history database");
    QVERIFY2(leaks.isEmpty(), qPrintable(u"the token is in: "_s + leaks.join(u", "_s)));
}

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Gatescope"_s);
    QApplication::setApplicationName(u"gatescope"_s);
    TestTokenLeak test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tokenleak.moc"
