#include "ui/gatewaydialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace gs::ui;
using namespace Qt::StringLiterals;

class TestGatewayDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenIsMaskedAndInputChecked();
    void opensWithoutAnError();
    void fitsTheSmallestWindow();
};

void TestGatewayDialog::tokenIsMaskedAndInputChecked()
{
    GatewayDialog dialog;
    auto *url = dialog.findChild<QLineEdit *>(u"gatewayUrl"_s);
    auto *token = dialog.findChild<QLineEdit *>(u"gatewayToken"_s);
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QVERIFY(!ok->isEnabled());

    QTest::keyClicks(url, u"gateway.example"_s);
    QVERIFY(dialog.problem().contains(u"http"_s));
    url->setText(u"https://gateway.example/api/llm/"_s);
    QVERIFY(dialog.problem().contains(u"token"_s));
    QTest::keyClicks(token, u"Bearer abc"_s);
    QVERIFY(dialog.problem().contains(u"Bearer"_s));
    token->setText(u"tfy-abc123"_s);
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.baseUrl(), u"https://gateway.example/api/llm"_s); // no trailing slash
    QCOMPARE(dialog.token(), u"tfy-abc123"_s);

    // The eye shows the token, and hides it again; it is an icon, never a blank.
    QAction *reveal = token->findChild<QAction *>(u"revealToken"_s);
    QVERIFY(reveal);
    QVERIFY(!reveal->icon().isNull());
    QVERIFY(!reveal->icon().pixmap(16, 16).isNull());
    const QImage eye = reveal->icon().pixmap(16, 16).toImage();
    reveal->trigger();
    QCOMPARE(token->echoMode(), QLineEdit::Normal);
    QVERIFY(reveal->icon().pixmap(16, 16).toImage() != eye); // struck out now
    reveal->trigger();
    QCOMPARE(token->echoMode(), QLineEdit::Password);
}

// An empty dialog says what is missing only once the user has typed.
void TestGatewayDialog::opensWithoutAnError()
{
    GatewayDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *problem = dialog.findChild<QLabel *>(u"gatewayProblem"_s);
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!problem->isVisible());
    QVERIFY(!ok->isEnabled()); // nothing to accept yet, without a word about it
    QTest::keyClicks(dialog.findChild<QLineEdit *>(u"gatewayUrl"_s), u"gateway"_s);
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(u"http"_s));
}

// With its TLS rows the dialog still fits the smallest window (1000x650), every field
// at least as wide as its text needs to start.
void TestGatewayDialog::fitsTheSmallestWindow()
{
    GatewayDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY2(dialog.height() <= 650 && dialog.width() <= 1000,
        qPrintable(u"%1x%2"_s.arg(dialog.width()).arg(dialog.height())));
    for (const char *name : { "gatewayUrl", "gatewayToken", "gatewayCaFile",
             "gatewayClientCertificate", "gatewayClientKey", "gatewayKeyPassphrase" }) {
        auto *edit = dialog.findChild<QLineEdit *>(QLatin1StringView(name));
        QVERIFY2(edit && edit->isVisible() && edit->width() >= 200, name);
    }
    if (const QString shot = qEnvironmentVariable("GATESCOPE_DIALOG_SHOT"); !shot.isEmpty())
        dialog.grab().save(shot);
}

QTEST_MAIN(TestGatewayDialog)
#include "tst_gatewaydialog.moc"
