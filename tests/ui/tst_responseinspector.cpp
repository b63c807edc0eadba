#include "core/net/exchange.h"
#include "tests/ui/widgetview.h"
#include "ui/responseinspector.h"

#include <KSyntaxHighlighting/Repository>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

// The inspector following a live exchange with a real server over loopback that answers
// one step at a time: what it says while nothing has come yet.
class TestResponseInspector final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void saysWhatItIsWaitingFor();
};

void TestResponseInspector::saysWhatItIsWaitingFor()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket *client = nullptr;
    connect(&server, &QTcpServer::newConnection, this,
        [&] { client = server.nextPendingConnection(); });

    KSyntaxHighlighting::Repository repository;
    ResponseInspector inspector(&repository);
    inspector.show();
    QNetworkAccessManager network;
    Exchange exchange(&network);
    inspector.watch(&exchange, u"a/b"_s);
    exchange.start(
        WireRequest { "POST", u"http://127.0.0.1:%1/chat/completions"_s.arg(server.serverPort()),
            { { "Content-Type", "application/json" } }, R"({"model":"a/b","stream":true})" });
    const auto stats = [&] { return view::part<QLabel>(&inspector, "streamStats")->text(); };

    QTRY_VERIFY(client);
    QTRY_VERIFY2(stats().contains(u"waiting for the response"_s), qPrintable(stats()));
    QVERIFY(!stats().contains(u"not streamed"_s));

    // The headers of a stream, and no byte of it yet.
    client->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n");
    QTRY_VERIFY2(stats().contains(u"waiting for the first byte"_s), qPrintable(stats()));

    const QByteArray event
        = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
    client->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
    QTRY_VERIFY2(stats().contains(u"1 event"_s), qPrintable(stats()));
    client->write("0\r\n\r\n");
    QTRY_VERIFY(exchange.isFinished());
}

QTEST_MAIN(TestResponseInspector)
#include "tst_responseinspector.moc"
