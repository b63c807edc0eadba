#include "screenshots.h"

#include "core/net/exchange.h"
#include "ui/batchview.h"
#include "ui/load/loadrunview.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/responseinspector.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace gs::ui;

ScreenshotSession::ScreenshotSession(MainWindow &window, const QString &directory)
    : m_window(window)
    , m_dir(directory)
{ }

void ScreenshotSession::start()
{
    if (!m_dir.mkpath(u"."_s)) {
        std::fprintf(stderr, "gatescope: cannot create %s\n", qPrintable(m_dir.path()));
        Q_EMIT done(false);
        return;
    }
    if (!m_window.demoRunning() && !m_window.useDemoGateway()) {
        Q_EMIT done(false);
        return;
    }
    streaming();
}

void ScreenshotSession::sendAndThen(RequestPage *page, std::function<void()> next)
{
    if (!page || !page->send()) {
        std::fprintf(stderr, "gatescope: the scripted request could not be sent\n");
        m_ok = false;
        Q_EMIT done(false);
        return;
    }
    connect(page->exchange(), &gs::core::Exchange::finished, this, [next] {
        // Let the inspector's per-frame refresh and the layouts settle first.
        QTimer::singleShot(150, next);
    });
}

void ScreenshotSession::shoot(const QString &name, QWidget *widget)
{
    QApplication::processEvents();
    const QString path = m_dir.filePath(name + u".png"_s);
    const bool ok = (widget ? widget : &m_window)->grab().save(path, "PNG");
    m_ok = m_ok && ok;
    if (ok)
        m_saved << path;
    else
        std::fprintf(stderr, "gatescope: cannot write %s\n", qPrintable(path));
}

void ScreenshotSession::streaming()
{
    m_window.openExample(u"chat-stream.http"_s);
    RequestPage *page = m_window.currentPage();
    page->editor()->showPage(RequestEditor::GatewayPage);
    shoot(u"editor-gateway"_s);
    page->editor()->showPage(RequestEditor::WirePage);
    shoot(u"editor-wire"_s);
    page->editor()->showPage(RequestEditor::GatewayPage);
    sendAndThen(page, [this, page] {
        QTabWidget *tabs = page->inspector()->tabs();
        const QStringList names { u"stream"_s, u"events"_s, u"body"_s, u"headers"_s, u"timing"_s,
            u"gateway"_s };
        for (int i = 0; i < names.size(); ++i) {
            tabs->setCurrentIndex(i);
            if (i == ResponseInspector::EventsTab) {
                auto *table = page->inspector()->findChild<QTableView *>(u"eventsTable"_s);
                if (table && table->model()->rowCount() > 3)
                    table->selectRow(3);
            }
            shoot(names[i]);
        }
        nonStreaming();
    });
}

void ScreenshotSession::nonStreaming()
{
    m_window.openExample(u"gateway-requests.http"_s, u"claude-thinking"_s);
    RequestPage *page = m_window.currentPage();
    sendAndThen(page, [this, page] {
        QTabWidget *tabs = page->inspector()->tabs();
        tabs->setCurrentIndex(ResponseInspector::StreamTab);
        shoot(u"reasoning"_s);
        tabs->setCurrentIndex(ResponseInspector::TimingTab);
        shoot(u"timing-server"_s);
        tabs->setCurrentIndex(ResponseInspector::GatewayTab);
        shoot(u"gateway-server"_s);
        tabs->setCurrentIndex(ResponseInspector::BodyTab);
        shoot(u"body-json"_s);
        error();
    });
}

void ScreenshotSession::error()
{
    RequestPage *page = m_window.newRequest();
    // A target that is down, with no fallback: the gateway's error is the result.
    gs::core::GatewayRequest r = page->editor()->request();
    r.model = u"openai-down/gpt-4o"_s;
    r.body = R"({"model":"openai-down/gpt-4o","messages":[{"role":"user","content":"hi"}]})";
    page->editor()->setRequest(r);
    sendAndThen(page, [this, page] {
        QTabWidget *tabs = page->inspector()->tabs();
        tabs->setCurrentIndex(ResponseInspector::StreamTab);
        shoot(u"error"_s);
        tabs->setCurrentIndex(ResponseInspector::GatewayTab);
        shoot(u"error-gateway"_s);
        fallback();
    });
}

void ScreenshotSession::fallback()
{
    // A virtual model whose first target is down: retries, then the fallback, drawn
    // inside the wait.
    RequestPage *page = m_window.newRequest();
    gs::core::GatewayRequest r = page->editor()->request();
    r.model = u"demo/fallback"_s;
    r.body = R"({"model":"demo/fallback","messages":[{"role":"user","content":"hi"}]})";
    page->editor()->setRequest(r);
    sendAndThen(page, [this, page] {
        page->inspector()->tabs()->setCurrentIndex(ResponseInspector::TimingTab);
        shoot(u"timing-fallback"_s);
        page->inspector()->tabs()->setCurrentIndex(ResponseInspector::GatewayTab);
        shoot(u"gateway-fallback"_s);
        image();
    });
}

void ScreenshotSession::image()
{
    // An image API's answer: the pictures its JSON carries, above the JSON.
    RequestPage *page = m_window.newRequest();
    gs::core::GatewayRequest r = page->editor()->request();
    r.endpoint = gs::core::Endpoint::ImageGenerations;
    r.model = u"openai-main/gpt-image-1"_s;
    r.body = R"({"model":"openai-main/gpt-image-1","prompt":"a lighthouse at dusk","n":2,)"
             R"("size":"1024x1024"})";
    page->inspector()->setFocus(); // the URL field keeps what has the focus
    page->editor()->setRequest(r);
    sendAndThen(page, [this, page] {
        page->inspector()->tabs()->setCurrentIndex(ResponseInspector::BodyTab);
        shoot(u"body-image"_s);
        batch();
    });
}

void ScreenshotSession::batch()
{
    // A batch run to its end in the Batch view, one line failing on purpose.
    QByteArray jsonl;
    for (int i = 0; i < 8; ++i)
        jsonl += R"({"custom_id":"question-)" + QByteArray::number(i + 1)
            + R"(","method":"POST","url":"/v1/chat/completions","body":{"model":")"
            + (i == 5 ? "gpt-5-nonexistent" : "gpt-4o-mini")
            + R"(","max_tokens":12,"messages":[{"role":"user","content":"hi"}]}})" + '\n';
    const QString path = m_collection.filePath(u"questions.jsonl"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(jsonl) != jsonl.size()) {
        Q_EMIT done(false);
        return;
    }
    file.close();
    BatchView *view = m_window.openBatch(path);
    view->resize(m_window.size().boundedTo(QSize(900, 640)));
    connect(
        view, &BatchView::lintFinished, this, [view] { view->start(); }, Qt::SingleShotConnection);
    connect(view, &BatchView::finished, this, [this, view] {
        QTimer::singleShot(150, this, [this, view] {
            shoot(u"batch"_s, view);
            view->close();
            loadRun();
        });
    });
}

void ScreenshotSession::loadRun()
{
    // 300 streamed requests to a model the demo routes 70/30, checked against that split.
    RequestPage *page = m_window.newRequest();
    gs::core::GatewayRequest r = page->editor()->request();
    r.model = u"demo/chat"_s;
    r.body = R"({"model":"demo/chat","stream":true,"max_tokens":24,)"
             R"("messages":[{"role":"user","content":"hi"}]})";
    page->inspector()->setFocus();
    page->editor()->setRequest(r);
    LoadRunView *view = m_window.openLoadRun();
    if (!view) {
        Q_EMIT done(false);
        return;
    }
    view->resize(m_window.size().boundedTo(QSize(1100, 760)));
    view->findChild<QSpinBox *>(u"loadCount"_s)->setValue(300);
    view->findChild<QSpinBox *>(u"loadConcurrency"_s)->setValue(16);
    view->findChild<QLineEdit *>(u"loadSplit"_s)
        ->setText(u"openai-main/gpt-4o-mini=70,anthropic-main/claude-sonnet-4=30"_s);
    view->findChild<QLineEdit *>(u"loadChecks"_s)->setText(u"p99(ttft) < 2s; error_rate < 1%"_s);
    connect(view, &LoadRunView::finished, this, [this, view] {
        QTimer::singleShot(150, this, [this, view] {
            shoot(u"load-run"_s, view);
            view->close();
            collection();
        });
    });
    if (!view->start()) {
        Q_EMIT done(false);
        return;
    }
}

void ScreenshotSession::collection()
{
    // The bundled examples as a team's collection folder, opened in the sidebar.
    QDir(m_collection.path()).mkpath(u"team-requests"_s);
    const QDir root(m_collection.filePath(u"team-requests"_s));
    root.mkpath(u"chat"_s);
    root.mkpath(u"apis"_s);
    QFile::copy(u":/examples/chat-stream.http"_s, root.filePath(u"chat/streaming.http"_s));
    QFile::copy(u":/examples/gateway-requests.http"_s, root.filePath(u"apis/gateway.http"_s));
    QFile::copy(u":/examples/http-client.env.json"_s, root.filePath(u"http-client.env.json"_s));
    for (const QString &name :
        { u"chat/streaming.http"_s, u"apis/gateway.http"_s, u"http-client.env.json"_s })
        QFile::setPermissions(root.filePath(name), QFile::ReadOwner | QFile::WriteOwner);
    if (!m_window.openCollection(root.path())) {
        std::fprintf(stderr, "gatescope: the example collection did not open\n");
        Q_EMIT done(false);
        return;
    }
    // No environment: the active (demo) gateway fills in the address and token.
    const QString canonical = root.canonicalPath();
    m_window.setEnvironment(canonical, QString());
    if (!m_window.openCollectionRequest(canonical, u"chat/streaming.http"_s, 0)) {
        Q_EMIT done(false);
        return;
    }
    RequestPage *page = m_window.currentPage();
    sendAndThen(page, [this, page] {
        page->inspector()->tabs()->setCurrentIndex(ResponseInspector::StreamTab);
        shoot(u"collection"_s);
        Q_EMIT done(m_ok);
    });
}
