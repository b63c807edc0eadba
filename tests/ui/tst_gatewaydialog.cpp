#include "ui/gatewaydialog.h"

#include <QDialogButtonBox>
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

    // The eye shows the token, and hides it again.
    QAction *reveal = token->actions().value(0);
    QVERIFY(reveal);
    reveal->trigger();
    QCOMPARE(token->echoMode(), QLineEdit::Normal);
    reveal->trigger();
    QCOMPARE(token->echoMode(), QLineEdit::Password);
}

QTEST_MAIN(TestGatewayDialog)
#include "tst_gatewaydialog.moc"
