#include "core/batch/batchjob.h"
#include "demo/demogateway.h"
#include "tests/testfiles.h"
#include "tests/throttledproxy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// The batch job against the demo gateway over loopback, for what the command line
// and the window tests do not reach: an upload stopped midway leaves nothing claimed
// on the gateway, and a stop while the batch runs leaves the batch running there.
class TestBatchJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void anUploadStoppedMidwayLeavesNoFile();
    void aStopWhileRunningLeavesTheBatchRunning();

private:
    BatchJobSettings settings(const QString &input) const;
    QJsonObject get(const QString &path);

    QTemporaryDir m_dir;
    gs::demo::DemoGateway m_demo;
    QString m_base;
    QNetworkAccessManager m_network;
};

void TestBatchJob::initTestCase()
{
    const auto url = m_demo.listen();
    QVERIFY(url);
    m_base = *url;
}

BatchJobSettings TestBatchJob::settings(const QString &input) const
{
    BatchJobSettings s;
    s.gateway.baseUrl = m_base;
    s.gateway.bearerToken = QString::fromLatin1(gs::demo::kDemoToken);
    s.gateway.providerName = u"openai-main"_s;
    s.inputPath = input;
    s.firstPollMs = 100;
    return s;
}

QJsonObject TestBatchJob::get(const QString &path)
{
    QNetworkRequest request(QUrl(m_base + path));
    request.setRawHeader("Authorization", "Bearer gs-demo-token");
    QNetworkReply *reply = m_network.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestBatchJob::anUploadStoppedMidwayLeavesNoFile()
{
    // About 24 MB: Qt reports its progress in many steps.
    QByteArray jsonl;
    const QByteArray padding(120, 'x');
    for (int i = 0; jsonl.size() < 24 * 1024 * 1024; ++i)
        jsonl += R"({"custom_id":"r)" + QByteArray::number(i)
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":")"
            + padding + R"("}]}})" + '\n';
    const QString input = m_dir.filePath(u"big.jsonl"_s);
    gs::tests::writeFile(input, jsonl);

    // Through a proxy that lets 512 KiB a tick reach the gateway: the upload is midway
    // for a while however fast this machine is.
    gs::tests::ThrottledProxy proxy(m_demo.port(), 512 * 1024);
    BatchJobSettings s = settings(input);
    s.gateway.baseUrl = proxy.through(m_base);
    BatchJob job(&m_network, s);
    qint64 stoppedAt = -1;
    connect(&job, &BatchJob::uploadProgress, &job, [&](qint64 sent, qint64 total) {
        if (stoppedAt < 0 && sent > 0 && sent < total) {
            stoppedAt = sent;
            job.abort();
        }
    });
    QSignalSpy finished(&job, &BatchJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    QVERIFY2(stoppedAt > 0, "the upload was never seen midway");
    QCOMPARE(job.outcome(), BatchJob::Outcome::Aborted);
    QVERIFY(job.fileId().isEmpty());
    QVERIFY(job.batchId().isEmpty());
    QVERIFY2(job.message().contains(u"nothing was created"_s), qPrintable(job.message()));
    QVERIFY(job.uploadedBytes() < job.uploadTotal());
    // The gateway took nothing from the cut upload.
    QTRY_COMPARE(get(u"/files"_s).value(u"data"_s).toArray().size(), 0);
}

void TestBatchJob::aStopWhileRunningLeavesTheBatchRunning()
{
    QByteArray jsonl;
    for (int i = 0; i < 100; ++i)
        jsonl += R"({"custom_id":"r)" + QByteArray::number(i)
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}})"
            + '\n';
    const QString input = m_dir.filePath(u"small.jsonl"_s);
    gs::tests::writeFile(input, jsonl);
    BatchJob job(&m_network, settings(input));
    connect(&job, &BatchJob::statusChanged, &job, [&job] { job.abort(); });
    QSignalSpy finished(&job, &BatchJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(job.outcome(), BatchJob::Outcome::Aborted);
    QVERIFY(!job.batchId().isEmpty());
    QVERIFY(job.message().contains(job.batchId() + u" keeps running"_s));
    // Still there, and it goes on to complete.
    QTRY_COMPARE_WITH_TIMEOUT(
        get(u"/batches/"_s + job.batchId()).value(u"status"_s).toString(), u"completed"_s, 20000);
    QCOMPARE(get(u"/batches/"_s + job.batchId())[u"request_counts"_s][u"completed"_s].toInt(), 100);
}

QTEST_GUILESS_MAIN(TestBatchJob)
#include "tst_batchjob.moc"
