#include "ui/welcomebanner.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace gs::ui;
using namespace Qt::StringLiterals;

// The first-run banner, clicked as a user does.
class TestWelcomeBanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offersTheDemoWhenThereIsOne();
    void offersOnlyWhatIsThere();
};

void TestWelcomeBanner::offersTheDemoWhenThereIsOne()
{
    WelcomeBanner banner(true);
    banner.show();
    QVERIFY(QTest::qWaitForWindowExposed(&banner));
    QSignalSpy tryDemo(&banner, &WelcomeBanner::tryDemoClicked);
    QSignalSpy setUp(&banner, &WelcomeBanner::setUpClicked);
    QTest::mouseClick(banner.findChild<QPushButton *>(u"tryDemo"_s), Qt::LeftButton);
    QCOMPARE(tryDemo.size(), 1);
    QCOMPARE(setUp.size(), 0);
    QTest::mouseClick(banner.findChild<QPushButton *>(u"setUpGateway"_s), Qt::LeftButton);
    QCOMPARE(setUp.size(), 1);
    QVERIFY(banner.findChild<QLabel *>(u"welcomeText"_s)->text().contains(u"demo"_s));

    QTest::mouseClick(banner.findChild<QToolButton *>(u"hideWelcome"_s), Qt::LeftButton);
    QVERIFY(banner.isHidden());
}

void TestWelcomeBanner::offersOnlyWhatIsThere()
{
    WelcomeBanner banner(false);
    banner.show();
    QVERIFY(QTest::qWaitForWindowExposed(&banner));
    QCOMPARE(banner.findChild<QPushButton *>(u"tryDemo"_s), nullptr);
    for (const QLabel *label : banner.findChildren<QLabel *>())
        QVERIFY2(
            !label->text().contains(u"demo"_s, Qt::CaseInsensitive), qPrintable(label->text()));
    QSignalSpy setUp(&banner, &WelcomeBanner::setUpClicked);
    QTest::mouseClick(banner.findChild<QPushButton *>(u"setUpGateway"_s), Qt::LeftButton);
    QCOMPARE(setUp.size(), 1);
}

QTEST_MAIN(TestWelcomeBanner)
#include "tst_welcomebanner.moc"
