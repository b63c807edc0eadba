#include "ui/largetextview.h"

#include <QImage>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace gs::ui;
using namespace Qt::StringLiterals;

class TestLargeTextView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prettyPrintsJson();
    void stringsAreNotReformatted();
    void otherTextIsShownByLine();
    void rawIsAHexDump();
    void largeBodyArrivesInBatches();
    void newContentCancelsFormatting();
    void selectAndCopyLines();

private:
    static QStringList lines(const LargeTextView &view);
};

QStringList TestLargeTextView::lines(const LargeTextView &view)
{
    QStringList out;
    for (qint64 i = 0; i < view.lineCount(); ++i)
        out << view.lineText(i);
    return out;
}

void TestLargeTextView::prettyPrintsJson()
{
    LargeTextView view;
    view.setContent(
        R"({"a":1,"b":[true,null,{}],"c":{"d":"x"},"e":[]})", LargeTextView::Kind::Json);
    QTRY_VERIFY(!view.isFormatting());
    const QStringList expected { u"{"_s, u"  \"a\": 1,"_s, u"  \"b\": ["_s, u"    true,"_s,
        u"    null,"_s, u"    {}"_s, u"  ],"_s, u"  \"c\": {"_s, u"    \"d\": \"x\""_s, u"  },"_s,
        u"  \"e\": []"_s, u"}"_s };
    QCOMPARE(lines(view), expected);
    // Re-indented, it is still the same JSON.
    QCOMPARE(QJsonDocument::fromJson(lines(view).join(u'\n').toUtf8()),
        QJsonDocument::fromJson(R"({"a":1,"b":[true,null,{}],"c":{"d":"x"},"e":[]})"));
}

void TestLargeTextView::stringsAreNotReformatted()
{
    LargeTextView view;
    view.setContent(R"(["a, {b}: [c]", "q\"uote, ", "tab\t", "é ✓"])", LargeTextView::Kind::Json);
    QTRY_VERIFY(!view.isFormatting());
    QCOMPARE(lines(view),
        QStringList({ u"["_s, u"  \"a, {b}: [c]\","_s, u"  \"q\\\"uote, \","_s, u"  \"tab\\t\","_s,
            u"  \"é ✓\""_s, u"]"_s }));
}

void TestLargeTextView::otherTextIsShownByLine()
{
    LargeTextView view;
    view.setContent("data: one\r\n\r\ndata: two\nlast line without end", LargeTextView::Kind::Text);
    QTRY_VERIFY(!view.isFormatting());
    QCOMPARE(lines(view),
        QStringList({ u"data: one"_s, QString(), u"data: two"_s, u"last line without end"_s }));
}

void TestLargeTextView::rawIsAHexDump()
{
    LargeTextView view;
    view.setMode(LargeTextView::Mode::Raw);
    view.setContent(QByteArray("0123456789abcdef\x01\xff"), LargeTextView::Kind::Json);
    QCOMPARE(view.lineCount(), 2);
    QCOMPARE(view.lineText(0),
        u"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|"_s);
    QVERIFY(view.lineText(1).startsWith(u"00000010  01 ff "_s));
    QVERIFY(view.lineText(1).endsWith(u"|..|"_s));
    // Back to Pretty: formatted on demand.
    view.setMode(LargeTextView::Mode::Pretty);
    QTRY_VERIFY(!view.isFormatting());
    QVERIFY(view.lineCount() >= 1);
}

void TestLargeTextView::largeBodyArrivesInBatches()
{
    // About 8 MB of JSON: the first lines are there long before the last.
    QByteArray json = "{\"items\":[";
    for (int i = 0; i < 100'000; ++i) {
        if (i)
            json += ',';
        json += R"({"id":)" + QByteArray::number(i)
            + R"(,"name":"item","tags":["a","b"],"score":0.5,"ok":true})";
    }
    json += "]}";
    LargeTextView view;
    view.resize(600, 400);
    view.show();
    QSignalSpy first(&view, &LargeTextView::firstLinesReady);
    QSignalSpy progress(&view, &LargeTextView::formattingProgress);
    view.setContent(json, LargeTextView::Kind::Json);
    QVERIFY(first.wait(5000));
    QVERIFY(view.lineCount() > 0);
    QCOMPARE(view.lineText(0), u"{"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFormatting(), 30000);
    QVERIFY(progress.size() > 1); // several batches
    QCOMPARE(progress.last().at(0).toLongLong(), qint64(json.size()));
    QCOMPARE(view.lineCount(), 4 + 100'000 * 10); // ten lines an item, four around them
    QCOMPARE(view.lineText(view.lineCount() - 1), u"}"_s);
    // The visible lines are drawn.
    const QImage image = view.viewport()->grab().toImage();
    const QRgb background = image.pixel(image.width() - 1, image.height() - 1);
    int ink = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            ink += image.pixel(x, y) != background;
    }
    QVERIFY2(ink > 500, qPrintable(QString::number(ink)));
}

void TestLargeTextView::newContentCancelsFormatting()
{
    QByteArray big = "[";
    for (int i = 0; i < 300'000; ++i)
        big += "1,";
    big += "2]";
    LargeTextView view;
    view.setContent(big, LargeTextView::Kind::Json);
    view.setContent(R"({"small":true})", LargeTextView::Kind::Json);
    QTRY_VERIFY(!view.isFormatting());
    QCOMPARE(lines(view), QStringList({ u"{"_s, u"  \"small\": true"_s, u"}"_s }));
}

void TestLargeTextView::selectAndCopyLines()
{
    LargeTextView view;
    view.resize(400, 300);
    view.show();
    view.setContent(R"({"a":1,"b":2})", LargeTextView::Kind::Json);
    QTRY_VERIFY(!view.isFormatting());
    const int lineHeight = view.fontMetrics().height();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(50, lineHeight + 2));
    QTest::mouseClick(
        view.viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(50, 2 * lineHeight + 2));
    QCOMPARE(view.selectedText(), u"  \"a\": 1,\n  \"b\": 2"_s);
}

QTEST_MAIN(TestLargeTextView)
#include "tst_largetextview.moc"
