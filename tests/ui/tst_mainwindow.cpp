#include "ui/mainwindow.h"

#include <QApplication>
#include <QImage>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensWithTheBundledExample();
    void editingUpdatesWireAndProblems();
    void rendersText();
    void closesCleanly();
};

void TestMainWindow::initTestCase()
{
    QApplication::setOrganizationName(u"GatescopeTests"_s);
    QApplication::setApplicationName(u"tst_mainwindow"_s);
}

void TestMainWindow::opensWithTheBundledExample()
{
    gs::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.exampleNames().contains(u"chat-stream.http"_s));
    QVERIFY(window.openExample(u"chat-stream.http"_s));
    QVERIFY(window.wireText().startsWith(
        u"POST http://127.0.0.1:8787/api/llm/chat/completions HTTP/1.1\n"_s));
    QVERIFY(window.wireText().contains(u"Authorization: Bearer ********"_s));
    QVERIFY2(window.problems().isEmpty(), qPrintable(window.problems().join(u'\n')));
    QVERIFY(!window.openExample(u"does-not-exist.http"_s));
}

void TestMainWindow::editingUpdatesWireAndProblems()
{
    gs::ui::MainWindow window;
    window.show();
    auto *editor = window.findChild<QPlainTextEdit *>(u"editor"_s);
    QVERIFY(editor);
    editor->setPlainText(
        u"POST https://gw.example/responses\nx-tfy-metadata: {\"tier\": 1}\n\n{\"model\":\"a/b\"}\n"_s);
    QTRY_VERIFY(window.problems().join(u'\n').contains(u"metadata.tier"_s));
    QVERIFY(window.problems().join(u'\n').contains(u"providerName"_s));
    QVERIFY(window.statusBar()->currentMessage().contains(u"problem"_s));

    editor->setPlainText(u"GET https://gw.example/models\n"_s);
    QTRY_VERIFY(window.wireText().startsWith(u"GET https://gw.example/models HTTP/1.1"_s));
    QTRY_VERIFY(window.problems().isEmpty());

    editor->setPlainText(u"GET https://gw.example/models\nno colon here\n"_s);
    QTRY_VERIFY(window.problems().join(u'\n').contains(u"line 2, column 1"_s));
}

void TestMainWindow::rendersText()
{
    // Offscreen rendering with fonts: the editor must show dark-on-light (or
    // light-on-dark) glyphs, not an empty box, once the highlighter has run.
    gs::ui::MainWindow window;
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openExample(u"chat-stream.http"_s);
    auto *editor = window.findChild<QPlainTextEdit *>(u"editor"_s);
    QTest::qWait(50);
    const QImage image = editor->viewport()->grab().toImage();
    const QRgb background = image.pixel(image.width() - 2, image.height() - 2);
    int differing = 0;
    for (int y = 0; y < std::min(image.height(), 200); ++y) {
        for (int x = 0; x < std::min(image.width(), 400); ++x)
            differing += image.pixel(x, y) != background;
    }
    QVERIFY2(
        differing > 500, qPrintable(u"only %1 pixels differ from the background"_s.arg(differing)));
}

void TestMainWindow::closesCleanly()
{
    auto *window = new gs::ui::MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    QSignalSpy destroyed(window, &QObject::destroyed);
    QVERIFY(window->close());
    QTRY_COMPARE(destroyed.size(), 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
