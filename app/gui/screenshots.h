#pragma once

#include <QDir>
#include <QObject>
#include <QTemporaryDir>

#include <functional>

namespace gs::ui {
class MainWindow;
class RequestPage;
} // namespace gs::ui

//! `gatescope --demo --screenshots DIR`: a scripted session against the embedded demo
//! gateway (a streaming request, a non-streaming one with server-timing, an error)
//! that saves a PNG of the editor and of each inspector tab, then reports whether
//! every picture was written.
class ScreenshotSession final : public QObject
{
    Q_OBJECT

public:
    ScreenshotSession(gs::ui::MainWindow &window, const QString &directory);
    void start();
    QStringList saved() const { return m_saved; }

Q_SIGNALS:
    void done(bool ok);

private:
    void sendAndThen(gs::ui::RequestPage *page, std::function<void()> next);
    void shoot(const QString &name, QWidget *widget = nullptr);
    void streaming();
    void nonStreaming();
    void error();
    void fallback();
    void image();
    void batch();
    void loadRun();
    void collection();

    gs::ui::MainWindow &m_window;
    QDir m_dir;
    QStringList m_saved;
    QTemporaryDir m_collection; //!< a collection made from the bundled examples
    bool m_ok = true;
};
