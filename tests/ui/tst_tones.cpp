#include "ui/tones.h"

#include <QGuiApplication>
#include <QTest>

using namespace gs::ui;
using namespace Qt::StringLiterals;

namespace {

// WCAG 2 contrast ratio of two colours.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette withBase(const QColor &base)
{
    QPalette p;
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::Window, base);
    return p;
}

} // namespace

// The colours that carry meaning read on light and on dark themes alike.
class TestTones final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readableOnLightAndDark_data();
    void readableOnLightAndDark();
    void styleSheetCarriesTheColour();
};

void TestTones::readableOnLightAndDark_data()
{
    QTest::addColumn<int>("tone");
    QTest::addColumn<QColor>("base");
    for (const auto &[name, base] : { std::pair { "white", QColor(Qt::white) },
             std::pair { "Breeze light", QColor(0xfc, 0xfc, 0xfc) },
             std::pair { "Breeze dark", QColor(0x14, 0x16, 0x18) },
             std::pair { "black", QColor(Qt::black) } }) {
        QTest::addRow("error on %s", name) << int(Tone::Error) << base;
        QTest::addRow("warning on %s", name) << int(Tone::Warning) << base;
    }
}

void TestTones::readableOnLightAndDark()
{
    QFETCH(int, tone);
    QFETCH(QColor, base);
    const QColor text = toneColor(Tone(tone), withBase(base));
    // WCAG's large-text level: these are short, bold-ish messages.
    QVERIFY2(contrast(text, base) >= 3.0,
        qPrintable(u"%1 on %2: %3"_s.arg(text.name(), base.name()).arg(contrast(text, base))));
}

void TestTones::styleSheetCarriesTheColour()
{
    const QPalette light = withBase(Qt::white);
    const QPalette dark = withBase(QColor(0x14, 0x16, 0x18));
    QCOMPARE(
        toneStyle(Tone::Error, light), u"color: %1;"_s.arg(toneColor(Tone::Error, light).name()));
    QVERIFY(toneColor(Tone::Error, light) != toneColor(Tone::Error, dark));
    QVERIFY(toneColor(Tone::Error, light) != toneColor(Tone::Warning, light));
}

QTEST_GUILESS_MAIN(TestTones)
#include "tst_tones.moc"
