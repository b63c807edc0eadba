#include "ui/aboutdialog.h"

#include <QApplication>
#include <QLabel>
#include <QTest>

#include <ksyntaxhighlighting_version.h>

using namespace gs::ui;
using namespace Qt::StringLiterals;

// Help ▸ About says what a bug report needs: the versions of Gatescope, Qt and KF.
class TestAboutDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesTheVersionsAndWhereToReadMore();
};

void TestAboutDialog::namesTheVersionsAndWhereToReadMore()
{
    QApplication::setApplicationVersion(u"9.8.7"_s);
    AboutDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString text = dialog.findChild<QLabel *>(u"aboutText"_s)->text();
    QVERIFY(text.contains(u"Gatescope 9.8.7"_s));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    QVERIFY(text.contains(QStringLiteral(KSYNTAXHIGHLIGHTING_VERSION_STRING)));
    QVERIFY(text.contains(u"Licence"_s));
    QVERIFY(text.contains(u"https://docs.truefoundry.com/gateway"_s));
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QVERIFY(!dialog.isVisible());
}

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
