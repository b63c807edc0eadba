#include "core/net/exchangesnapshot.h"
#include "ui/harexport.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;

// The window's HAR export on its worker: the file it writes, credentials masked, and
// what it says when the file cannot be written.
class TestHarExport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesTheExchangeMasked();
    void saysWhyAFileCannotBeWritten();

private:
    static ExchangeSnapshot exchange();
    QTemporaryDir m_dir;
};

ExchangeSnapshot TestHarExport::exchange()
{
    ExchangeSnapshot e;
    e.request.method = "POST";
    e.request.url = u"http://gateway.test/api/llm/chat/completions"_s;
    e.request.headers
        = { { "authorization", "Bearer sk-canary-123" }, { "content-type", "application/json" } };
    e.request.body = R"({"model":"openai-main/gpt-4o"})";
    e.startedAt = QDateTime::currentDateTimeUtc();
    e.status = 200;
    e.reason = "OK";
    e.httpVersion = "HTTP/1.1";
    e.responseHeaders = { { "content-type", "application/json" } };
    e.framing = BodyFraming::Json;
    e.bodyInMemory = R"({"choices":[]})";
    e.bodyPrefix = e.bodyInMemory;
    e.bodySize = e.bodyInMemory.size();
    return e;
}

void TestHarExport::writesTheExchangeMasked()
{
    HarExport exporter;
    QSignalSpy finished(&exporter, &HarExport::finished);
    const QString path = m_dir.filePath(u"exchange.har"_s);
    QVERIFY(exporter.start(exchange(), path));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toString(), path);
    QCOMPARE(finished.first().at(1).toString(), QString());
    QVERIFY(!exporter.isRunning());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("sk-canary-123"));
    const QJsonObject entry
        = QJsonDocument::fromJson(bytes)["log"_L1]["entries"_L1].toArray().first().toObject();
    QCOMPARE(entry["request"_L1]["url"_L1].toString(), exchange().request.url);
    QCOMPARE(entry["response"_L1]["status"_L1].toInt(), 200);
    QCOMPARE(entry["response"_L1]["content"_L1]["text"_L1].toString(), u"{\"choices\":[]}"_s);
}

void TestHarExport::saysWhyAFileCannotBeWritten()
{
    HarExport exporter;
    QSignalSpy finished(&exporter, &HarExport::finished);
    const QString path = m_dir.filePath(u"no/such/folder/exchange.har"_s);
    QVERIFY(exporter.start(exchange(), path));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toString(), path);
    QVERIFY(!finished.first().at(1).toString().isEmpty());
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestHarExport)
#include "tst_harexport.moc"
