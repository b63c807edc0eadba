#include "core/stream/openaiassembler.h"
#include "tests/ui/widgetview.h"
#include "ui/inspector/bodytab.h"
#include "ui/inspector/eventstab.h"
#include "ui/inspector/gatewaytab.h"
#include "ui/inspector/headerstab.h"
#include "ui/inspector/streamtab.h"
#include "ui/inspector/timingtab.h"
#include "ui/jsontreemodel.h"
#include "ui/largetextview.h"
#include "ui/waterfallwidget.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace gs::core;
using namespace gs::ui;
using namespace gs::ui::inspector;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

// The inspector's Headers, Timing and Gateway tabs on their own, driven and read as a
// user would: keys, the widgets' own text.
class TestInspectorTabs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headersGroupTheGatewaysAndCopyLines();
    void gatewaySaysWhenTheModelWasRerouted();
    void gatewayFiltersTheAppliedConfigurations();
    void timingSaysWhatItKnows();
    void eventsShowTheSelectedEventInFull();
    void bodySaysWhatItShows();
    void bodyShowsPicturesSoundsAndBinary();
    void bodyPrettyStreamsAndRawText();
    void streamShowsALongAnswerOverFrames();
    void streamChoicesReasoningToolsAndErrors();
};

void TestInspectorTabs::headersGroupTheGatewaysAndCopyLines()
{
    HeadersTab tab;
    tab.show();
    tab.showHeaders({ { "content-type", "application/json" },
        { "x-tfy-resolved-model", "openai-main/gpt-4o" }, { "server-timing", "a;dur=1" } });
    QCOMPARE(tab.topLevelItemCount(), 2);
    QCOMPARE(tab.topLevelItem(0)->text(0), u"Gateway (x-tfy-*)"_s);
    QCOMPARE(tab.topLevelItem(0)->childCount(), 1);
    QCOMPARE(tab.topLevelItem(1)->childCount(), 2);
    QCOMPARE(view::headerCount(&tab), 3);

    // Select two headers and press Ctrl+C: "Name: value" lines.
    tab.topLevelItem(1)->child(0)->setSelected(true);
    tab.topLevelItem(1)->child(1)->setSelected(true);
    tab.setFocus();
    QTest::keyClick(&tab, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(),
        u"content-type: application/json\nserver-timing: a;dur=1"_s);

    // No gateway header: no empty group.
    tab.showHeaders({ { "content-type", "text/plain" } });
    QCOMPARE(tab.topLevelItemCount(), 1);
}

void TestInspectorTabs::gatewaySaysWhenTheModelWasRerouted()
{
    GatewayTab tab;
    tab.showHeaders({ { "x-tfy-resolved-model", "openai-main/gpt-4o-mini" } }, u"demo/chat"_s);
    const auto *models = tab.findChild<QLabel *>(u"models"_s);
    QVERIFY(models->text().contains(u"demo/chat"_s));
    QVERIFY(models->text().contains(u"openai-main/gpt-4o-mini"_s));
    QVERIFY(models->text().contains(u"rerouted"_s));
    QVERIFY(view::reroutedShown(&tab));
    const auto *feedback = tab.findChild<QLabel *>(u"feedback"_s);
    QVERIFY(feedback->text().contains(u"No feedback target"_s));

    tab.showHeaders({ { "x-tfy-resolved-model", "demo/chat" }, { "x-tfy-cache-status", "miss" } },
        u"demo/chat"_s);
    QVERIFY(models->text().contains(u"Cache: miss"_s));
    QVERIFY(!view::reroutedShown(&tab));
    QVERIFY(!models->text().contains(u"rerouted"_s));

    tab.showErrors({ u"{\"error\": 1}"_s });
    const auto *errors = tab.findChild<QPlainTextEdit *>(u"gatewayErrors"_s);
    QVERIFY(!errors->isHidden());
    tab.clear();
    QVERIFY(errors->isHidden());
    QVERIFY(models->text().isEmpty());
}

void TestInspectorTabs::gatewayFiltersTheAppliedConfigurations()
{
    GatewayTab tab;
    tab.show();
    tab.showHeaders(
        { { "x-tfy-applied-configurations",
            R"({"load_balancing":{"rule_id":"lb-1"},"rate_limiting":{"rule_id":"rl-9"}})" } },
        u"a/b"_s);
    auto *view = tab.findChild<QTreeView *>(u"appliedTree"_s);
    QCOMPARE(view->model()->rowCount(), 2);
    QTest::keyClicks(tab.findChild<QLineEdit *>(u"appliedFilter"_s), u"rl-9"_s);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 0).data().toString(), u"rate_limiting"_s);

    // Not JSON: said, and the raw text shown.
    tab.showHeaders({ { "x-tfy-applied-configurations", "{broken" } }, u"a/b"_s);
    QCOMPARE(view::appliedConfigurations(&tab)->rowCount(), 0);
}

void TestInspectorTabs::timingSaysWhatItKnows()
{
    TimingTab tab;
    Timeline t;
    t.requestSent = 1000;
    t.headers = 40'000;
    t.firstByte = 41'000;
    t.firstToken = 51'000;
    t.finished = 90'000;
    tab.showTimeline(t, {});
    const auto *summary = tab.findChild<QLabel *>(u"timingSummary"_s);
    QVERIFY2(summary->text().contains(u"TTFT 50.0 ms"_s), qPrintable(summary->text()));
    QVERIFY(summary->text().contains(u"no server-timing header"_s));
    QVERIFY(!view::waterfall(&tab)->waterfall().bars.isEmpty());

    tab.showTimeline(t, { ServerTimingMetric { u"model_call"_s, 30, {} } });
    QVERIFY(!summary->text().contains(u"no server-timing header"_s));

    tab.showRecorded(t);
    QVERIFY(summary->text().contains(u"Recorded"_s));
    tab.clear();
    QVERIFY(summary->text().isEmpty());
    QVERIFY(view::waterfall(&tab)->waterfall().bars.isEmpty());
}

void TestInspectorTabs::eventsShowTheSelectedEventInFull()
{
    EventsTab tab;
    tab.resize(600, 400);
    tab.show();
    tab.append({ { {}, R"({"a":1,"b":[2]})", {} }, { "ping", "not json", {} } }, 1000);
    QCOMPARE(view::eventCount(&tab), 2);
    auto *table = tab.findChild<QTableView *>(u"eventsTable"_s);
    auto *detail = tab.findChild<QPlainTextEdit *>(u"eventDetail"_s);
    // The first event is selected and shown in full (pretty JSON) as soon as it is there.
    QCOMPARE(table->currentIndex().row(), 0);
    QVERIFY(detail->toPlainText().contains(u"\"a\": 1"_s));
    // The next with the Down key, as a user does.
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(detail->toPlainText(), u"not json"_s);
    // More events keep the user's selection; the stream's end, [DONE], is a row too.
    tab.append({ { {}, "[DONE]", {} } }, 2000);
    QCOMPARE(table->currentIndex().row(), 1);
    QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(detail->toPlainText(), u"[DONE]"_s);
    tab.clear();
    QCOMPARE(view::eventCount(&tab), 0);
    QVERIFY(detail->toPlainText().isEmpty());
}

void TestInspectorTabs::bodySaysWhatItShows()
{
    BodyTab tab;
    tab.resize(600, 400);
    tab.show();
    tab.showBody(R"({"k":"v"})", BodyFraming::Json, u"9 B"_s);
    QTRY_VERIFY(tab.view()->lineCount() > 0);
    QTRY_COMPARE(tab.findChild<QLabel *>()->text(), u"9 B"_s);
    tab.showBody("abc", BodyFraming::Other, u"The first 3 B of 9 B"_s);
    QCOMPARE(tab.findChild<QLabel *>()->text(), u"The first 3 B of 9 B"_s);
    tab.clear();
    QCOMPARE(tab.view()->lineCount(), 0);
}

// A picture is shown (scaled to fit, never up) with its size; the pictures of an image
// API's JSON above it; a sound gets Play and its length; other binary a hex dump; text
// in another charset is decoded; Save As writes the whole body.
void TestInspectorTabs::bodyShowsPicturesSoundsAndBinary()
{
    BodyTab tab;
    tab.resize(700, 500);
    tab.show();
    const auto pngOf = [](int w, int h, QColor c) {
        QImage image(w, h, QImage::Format_RGB32);
        image.fill(c);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return png;
    };
    auto *note = tab.findChild<QLabel *>(u"bodyNote"_s);
    auto *picture = tab.findChild<QLabel *>(u"bodyPicture"_s);
    auto *mode = tab.findChild<QComboBox *>(u"bodyMode"_s);
    auto *play = tab.findChild<QPushButton *>(u"bodyPlay"_s);

    tab.showBody(
        pngOf(40, 20, Qt::red), BodyFraming::Other, u"1 KiB"_s, "application/octet-stream");
    QVERIFY2(note->text().startsWith(u"PNG image · 40 × 20 px"_s), qPrintable(note->text()));
    QVERIFY(picture->isVisible());
    QCOMPARE(picture->pixmap().size(), QSize(40, 20)); // small: not scaled up
    QCOMPARE(mode->currentText(), u"Picture"_s);
    mode->setCurrentIndex(1); // Raw: the bytes
    QVERIFY(!picture->isVisible());
    QVERIFY(tab.view()->isVisible());
    mode->setCurrentIndex(0);
    tab.showBody(pngOf(4000, 1000, Qt::blue), BodyFraming::Other, u"x"_s, "image/png");
    QVERIFY(picture->pixmap().width() < 700); // large: scaled to fit
    QCOMPARE(picture->pixmap().width() / picture->pixmap().height(), 4);

    const QByteArray json = R"({"created":1,"data":[{"b64_json":")"
        + pngOf(30, 30, Qt::green).toBase64() + R"("},{"b64_json":")"
        + pngOf(60, 30, Qt::yellow).toBase64() + R"("}]})";
    tab.showBody(json, BodyFraming::Json, u"2 KiB"_s, "application/json");
    auto *pictures = tab.findChild<QWidget *>(u"bodyPictures"_s);
    QVERIFY(pictures->isVisible());
    QCOMPARE(pictures->findChildren<QLabel *>(u"bodyPictureThumbnail"_s).size(), 2);
    QCOMPARE(mode->currentText(), u"Pretty"_s);
    tab.showBody(R"({"a":1})", BodyFraming::Json, u"7 B"_s, "application/json");
    QVERIFY(!pictures->isVisible());

    // Half a second of 16 kHz mono 16-bit PCM.
    QByteArray wav = "RIFF" + QByteArray(4, '\0') + "WAVEfmt "
        + QByteArray("\x10\0\0\0\x01\0\x01\0", 8)
        + QByteArray("\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0", 12) + "data"
        + QByteArray("\x80\x3e\0\0", 4) + QByteArray(16000, '\0');
    QVERIFY(!play->isVisible());
    tab.showBody(wav, BodyFraming::Other, u"16 KiB"_s, "audio/wav");
    QVERIFY2(note->text().startsWith(u"WAV audio · 0.5 s"_s), qPrintable(note->text()));
    QVERIFY(play->isVisible());
    QCOMPARE(mode->currentIndex(), 1);

    tab.showBody(
        QByteArray("PK\x03\x04\x14\0\0\0", 8), BodyFraming::Other, u"8 B"_s, "application/zip");
    QVERIFY(note->text().startsWith(u"binary (application/zip)"_s));
    QVERIFY(!play->isVisible());
    QVERIFY(tab.view()->isBinary());
    QTRY_VERIFY(tab.view()->lineText(0).startsWith(u"00000000"_s));

    tab.showBody("caf\xe9", BodyFraming::Other, u"4 B"_s, "text/plain; charset=ISO-8859-1");
    QTRY_COMPARE(tab.view()->lineText(0), u"café"_s);
    QVERIFY(note->text().contains(u"decoded from iso-8859-1"_s));

    // Save As writes all of it, not the first bytes shown.
    QTemporaryDir dir;
    const QByteArray whole = pngOf(40, 20, Qt::red) + "the rest";
    tab.showBody(whole.left(10), BodyFraming::Other, u"cut"_s, "image/png",
        [whole] { return gs::core::Result<QByteArray>(whole); });
    QVERIFY(tab.saveBody(dir.filePath(u"body.png"_s)));
    QFile saved(dir.filePath(u"body.png"_s));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), whole);
    QVERIFY(note->text().contains(u"does not decode"_s));
}

// Pretty shows a stream's events with their JSON re-indented; Raw shows the text as
// it came; a binary body is a hex dump in Raw. Chosen with the mode box, as a user does.
void TestInspectorTabs::bodyPrettyStreamsAndRawText()
{
    BodyTab tab;
    tab.resize(600, 400);
    tab.show();
    const QByteArray sse
        = "event: message\r\n"
          "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n"
          "\r\n"
          "data: [DONE]\r\n\r\n";
    tab.showBody(sse, BodyFraming::Sse, u"120 B"_s);
    LargeTextView *view = tab.view();
    QTRY_VERIFY(!view->isFormatting() && view->lineCount() > 0);
    QStringList lines;
    for (qint64 i = 0; i < view->lineCount(); ++i)
        lines << view->lineText(i);
    QCOMPARE(lines.first(), u"event: message"_s);
    QCOMPARE(lines.at(1), u"data: {"_s);
    QVERIFY2(lines.contains(u"  \"id\": \"c1\","_s), qPrintable(lines.join(u'\n')));
    QVERIFY(lines.contains(u"        \"content\": \"Hi\""_s));
    QVERIFY(lines.contains(u"data: [DONE]"_s));

    // Raw: the text, line by line, as it came.
    auto *mode = tab.findChild<QComboBox *>(u"bodyMode"_s);
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);
    QCOMPARE(mode->currentText(), u"Raw"_s);
    QTRY_VERIFY(!view->isFormatting() && view->lineCount() > 0);
    QCOMPARE(view->lineText(0), u"event: message"_s);
    QVERIFY2(view->lineText(1).startsWith(u"data: {\"id\":\"c1\",\"choices\""_s),
        qPrintable(view->lineText(1)));
    QVERIFY(!view->isBinary());

    // Bytes that are not text: a hex dump.
    tab.showBody(QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), BodyFraming::Other, u"16 B"_s);
    QVERIFY(view->isBinary());
    QVERIFY2(
        view->lineText(0).startsWith(u"00000000  89 50 4e 47"_s), qPrintable(view->lineText(0)));
}

void TestInspectorTabs::streamShowsALongAnswerOverFrames()
{
    StreamTab tab;
    AssembledResponse a;
    a.choices.append(AssembledChoice {});
    a.choices[0].text = QString(20'000, u'x');
    // A bounded amount of text a frame: several calls, and then all of it.
    int frames = 0;
    while (tab.showAnswer(a) && frames < 100)
        ++frames;
    QVERIFY2(frames >= 2, qPrintable(QString::number(frames)));
    QCOMPARE(view::answerText(&tab), a.choices[0].text);
    // Nothing new: nothing more to do.
    QVERIFY(!tab.showAnswer(a));
}

void TestInspectorTabs::streamChoicesReasoningToolsAndErrors()
{
    StreamTab tab;
    tab.show();
    AssembledResponse a;
    a.choices = { AssembledChoice {}, AssembledChoice {} };
    a.choices[0].index = 0;
    a.choices[0].text = u"first"_s;
    a.choices[0].reasoning = u"thinking"_s;
    a.choices[1].index = 1;
    a.choices[1].text = u"second"_s;
    a.choices[1].toolCalls.append(
        ToolCall { 0, u"call_1"_s, u"function"_s, u"search"_s, uR"({"q":"x"})"_s });
    tab.showAnswer(a);
    QCOMPARE(view::answerText(&tab), u"first"_s);
    QCOMPARE(view::reasoningText(&tab), u"thinking"_s);
    QCOMPARE(view::toolCallCards(&tab), 0);
    auto *choice = tab.findChild<QComboBox *>(u"choiceSelector"_s);
    QVERIFY(!choice->isHidden());
    QCOMPARE(choice->count(), 2);

    QSignalSpy changed(&tab, &StreamTab::choiceChanged);
    choice->setCurrentIndex(1);
    QCOMPARE(changed.size(), 1);
    tab.showAnswer(a);
    QCOMPARE(view::answerText(&tab), u"second"_s);
    QCOMPARE(view::toolCallCards(&tab), 1);

    StreamError error;
    error.message = u"overloaded"_s;
    error.type = u"server_error"_s;
    error.eventIndex = 3;
    a.errors.append(error);
    tab.showAnswer(a);
    auto *banner = tab.findChild<QLabel *>(u"streamError"_s);
    QVERIFY(!banner->isHidden());
    QVERIFY2(
        banner->text().contains(u"Error in event 4: overloaded"_s), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(u"kept below"_s));

    QSignalSpy cancel(&tab, &StreamTab::cancelRequested);
    tab.setCancelEnabled(true);
    QTest::mouseClick(tab.findChild<QPushButton *>(u"cancelButton"_s), Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    tab.clear();
    QVERIFY(view::answerText(&tab).isEmpty());
    QVERIFY(banner->isHidden());
    QVERIFY(choice->isHidden());
    QCOMPARE(view::toolCallCards(&tab), 0);
}

QTEST_MAIN(TestInspectorTabs)
#include "tst_tabs.moc"
