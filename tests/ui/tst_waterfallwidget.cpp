#include "ui/waterfallwidget.h"

#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;

// The waterfall checked on what it draws: bars in order, widths in proportion to
// their durations, server stages inside the wait and visibly marked as inferred.
class TestWaterfallWidget final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void barsInOrderAndInProportion();
    void inferredBarsAreHatched();
    void reusedConnectionIsNotDrawnAsMeasured();
    void zoomKeepsTheTimeUnderTheCursor();
    void axisUnitsAdapt();
    void exportsPngAndSvg();

private:
    static Waterfall sample(bool reused = false);
    static int indexOf(const Waterfall &w, const QString &label);
};

Waterfall TestWaterfallWidget::sample(bool reused)
{
    Timeline t;
    if (reused) {
        t.connectionReused = true;
    } else {
        t.connecting = 0;
    }
    t.requestSent = 10'000; // µs
    t.headers = 110'000;
    t.firstByte = 110'000;
    t.firstEvent = 112'000;
    t.firstToken = 130'000;
    t.finished = 300'000;
    for (qint64 us = 130'000; us <= 300'000; us += 10'000)
        t.tokenTimes.append(us);
    const QList<ServerTimingMetric> server { { u"authentication"_s, 5, u"token check"_s },
        { u"model_call"_s, 80, {} }, { u"total"_s, 95, {} } };
    return Waterfall::build(t, server);
}

int TestWaterfallWidget::indexOf(const Waterfall &w, const QString &label)
{
    for (int i = 0; i < w.bars.size(); ++i) {
        if (w.bars[i].label == label)
            return i;
    }
    return -1;
}

void TestWaterfallWidget::barsInOrderAndInProportion()
{
    WaterfallWidget widget;
    widget.resize(900, 400);
    const Waterfall w = sample();
    widget.setWaterfall(w);
    for (int i = 1; i < w.bars.size(); ++i)
        QVERIFY(widget.barRect(i).top() > widget.barRect(i - 1).top());

    const QRectF waiting = widget.barRect(indexOf(w, u"waiting"_s));
    const QRectF body = widget.barRect(indexOf(w, u"body"_s));
    const QRectF model = widget.barRect(indexOf(w, u"model_call"_s));
    const QRectF auth = widget.barRect(indexOf(w, u"authentication"_s));
    // waiting 100 ms, body 190 ms, model_call 80 ms.
    QVERIFY(qAbs(waiting.width() / body.width() - 100.0 / 190.0) < 0.02);
    QVERIFY(qAbs(model.width() / waiting.width() - 0.8) < 0.02);
    // Server stages start where the wait starts and follow each other.
    QVERIFY(qAbs(auth.left() - waiting.left()) < 1.0);
    QVERIFY(qAbs(model.left() - auth.right()) < 1.0);
    QVERIFY(model.right() <= waiting.right() + 1);
    // The body ends at the right edge of the visible range.
    QVERIFY(body.right() > waiting.right());
}

void TestWaterfallWidget::inferredBarsAreHatched()
{
    WaterfallWidget widget;
    widget.resize(900, 400);
    const Waterfall w = sample();
    widget.setWaterfall(w);
    const QImage image = widget.grab().toImage();
    const auto coloursIn = [&image](QRectF r) {
        QSet<QRgb> colours;
        const QRect inner = r.adjusted(3, 3, -3, -3).toRect();
        for (int y = inner.top(); y <= inner.bottom(); ++y) {
            for (int x = inner.left(); x <= inner.right(); ++x)
                colours.insert(image.pixel(x, y));
        }
        return colours.size();
    };
    // A measured phase is one flat colour; an inferred server stage is hatched.
    QCOMPARE(coloursIn(widget.barRect(indexOf(w, u"waiting"_s))), 1);
    QVERIFY(coloursIn(widget.barRect(indexOf(w, u"model_call"_s))) >= 2);
    QVERIFY(coloursIn(widget.barRect(indexOf(w, u"total"_s))) >= 2);
    // The body bar carries token ticks.
    QVERIFY(coloursIn(widget.barRect(indexOf(w, u"body"_s))) >= 2);
}

void TestWaterfallWidget::reusedConnectionIsNotDrawnAsMeasured()
{
    WaterfallWidget widget;
    widget.resize(900, 400);
    const Waterfall w = sample(true);
    widget.setWaterfall(w);
    const int connect = indexOf(w, u"connect"_s);
    QVERIFY(connect >= 0);
    QVERIFY(!w.bars[connect].measured);
    QVERIFY(widget.barRect(connect).isEmpty());
}

void TestWaterfallWidget::zoomKeepsTheTimeUnderTheCursor()
{
    WaterfallWidget widget;
    widget.resize(900, 400);
    widget.setWaterfall(sample());
    QCOMPARE(widget.viewStartMs(), 0.0);
    QCOMPARE(widget.viewEndMs(), 300.0);
    const QRectF waiting = widget.barRect(2);
    const double x = waiting.left(); // 10 ms
    widget.zoomAt(x, 4);
    QVERIFY(qAbs(widget.viewEndMs() - widget.viewStartMs() - 75.0) < 1e-6);
    QVERIFY(qAbs(widget.barRect(2).left() - x) < 1.0); // 10 ms stayed under the cursor
    // Zooming out never goes past the whole exchange.
    widget.zoomAt(x, 0.001);
    QCOMPARE(widget.viewStartMs(), 0.0);
    QCOMPARE(widget.viewEndMs(), 300.0);
}

void TestWaterfallWidget::axisUnitsAdapt()
{
    QCOMPARE(WaterfallWidget::formatTime(0.25, 0.05), u"250 µs"_s);
    QCOMPARE(WaterfallWidget::formatTime(0.0125, 0.0025), u"12.5 µs"_s);
    QCOMPARE(WaterfallWidget::formatTime(1.5, 0.5), u"1.5 ms"_s);
    QCOMPARE(WaterfallWidget::formatTime(40, 20), u"40 ms"_s);
    QCOMPARE(WaterfallWidget::formatTime(2000, 1000), u"2 s"_s);
    QCOMPARE(WaterfallWidget::formatTime(2500, 500), u"2.5 s"_s);

    WaterfallWidget widget;
    widget.resize(900, 400);
    widget.setWaterfall(sample());
    const double wide = widget.tickStepMs();
    QVERIFY(wide >= 10 && wide <= 100);
    widget.setView(10, 10.05);
    QVERIFY(widget.tickStepMs() < 0.05); // now in microseconds
}

void TestWaterfallWidget::exportsPngAndSvg()
{
    QTemporaryDir dir;
    WaterfallWidget widget;
    widget.resize(700, 300);
    widget.setWaterfall(sample());
    const QString png = dir.filePath(u"w.png"_s);
    const QString svg = dir.filePath(u"w.svg"_s);
    QVERIFY(widget.exportPng(png));
    QVERIFY(widget.exportSvg(svg));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1400, 600));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("model_call"));
}

QTEST_MAIN(TestWaterfallWidget)
#include "tst_waterfallwidget.moc"
