#include "screenshots.h"

#include "core/exchange.h"
#include "ui/mainwindow.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"
#include "ui/responseinspector.h"

#include <QApplication>
#include <QLineEdit>
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
        Q_EMIT done(m_ok);
    });
}
