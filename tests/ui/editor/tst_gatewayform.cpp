#include "tests/ui/widgetview.h"
#include "ui/editor/fieldmessages.h"
#include "ui/editor/gatewayform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace gs::core;
using namespace gs::ui::editor;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

// The editor's Gateway page on its own: what a request's headers say, shown in the
// fields; what the user types, written into exactly the header it belongs to.
class TestGatewayForm final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsTheHeadersWithoutCallingThemEdits();
    void typingWritesOneHeader();
    void retriesFromChipsAndCodes();
    void extraHeadersAndTheTokenStay();
    void fourMetadataRowsAndClearChips();

private:
    static QString header(const GatewayRequest &r, QByteArrayView name)
    {
        for (const HttpHeader &h : compose(r).headers)
            if (headerNameEquals(h.name, name))
                return QString::fromUtf8(h.value);
        return {};
    }

    QWidget *m_owner = nullptr;
    std::unique_ptr<FieldMessages> m_messages;
    GatewayForm *m_form = nullptr;
};

void TestGatewayForm::init()
{
    m_owner = new QWidget;
    m_messages = std::make_unique<FieldMessages>(m_owner);
    m_form = new GatewayForm(m_messages.get(), m_owner);
    m_owner->resize(900, 900);
    m_owner->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_owner));
}

void TestGatewayForm::cleanup()
{
    delete m_owner;
    m_messages.reset();
}

void TestGatewayForm::showsTheHeadersWithoutCallingThemEdits()
{
    GatewayRequest r;
    r.metadata = MetadataEntries { { u"team"_s, u"search"_s }, { u"env"_s, u"prod"_s } };
    r.providerName = u"openai-main"_s;
    r.retryConfig = RetryConfig { 3, QList<qint64> { 429, 599 }, true };
    r.requestTimeoutMs = 30000;
    r.loggingEnabled = false;
    r.guardrails = Guardrails { { u"pii/redact"_s }, {} };
    QSignalSpy edited(m_form, &GatewayForm::edited);
    m_form->showRequest(r);
    QCOMPARE(edited.size(), 0);

    QVERIFY(view::part<QCheckBox>(m_form, "metadataEnabled")->isChecked());
    const auto *table = view::part<QTableWidget>(m_form, "metadata");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(1, 0)->text(), u"env"_s);
    QCOMPARE(view::part<QLineEdit>(m_form, "providerName")->text(), u"openai-main"_s);
    QVERIFY(view::part<QCheckBox>(m_form, "retryEnabled")->isChecked());
    QCOMPARE(view::part<QSpinBox>(m_form, "retryAttempts")->value(), 3);
    QVERIFY(view::part<QToolButton>(m_form, "chip429")->isChecked());
    QVERIFY(!view::part<QToolButton>(m_form, "chip500")->isChecked());
    QCOMPARE(view::part<QLineEdit>(m_form, "otherCodes")->text(), u"599"_s);
    QVERIFY(view::part<QCheckBox>(m_form, "retryAfter")->isChecked());
    QCOMPARE(view::part<QLineEdit>(m_form, "requestTimeoutMs")->text(), u"30000"_s);
    QCOMPARE(view::part<QComboBox>(m_form, "loggingEnabled")->currentIndex(), 2);
    QCOMPARE(view::part<QLineEdit>(m_form, "inputGuardrails")->text(), u"pii/redact"_s);

    // Nothing the form shows changes the request when written back.
    GatewayRequest back = r;
    m_form->applyTo(back);
    QCOMPARE(compose(back).headers, compose(r).headers);

    // A header the form cannot read keeps its text in the field.
    GatewayRequest raw;
    raw.unparsedHeaders = { { "x-tfy-request-timeout", "soon" } };
    m_form->showRequest(raw);
    QCOMPARE(view::part<QLineEdit>(m_form, "requestTimeoutMs")->text(), u"soon"_s);
}

void TestGatewayForm::typingWritesOneHeader()
{
    GatewayRequest r;
    r.providerName = u"openai-main"_s;
    m_form->showRequest(r);
    QSignalSpy edited(m_form, &GatewayForm::edited);
    QTest::keyClicks(view::part<QLineEdit>(m_form, "ttftTimeoutMs"), u"2500"_s);
    QCOMPARE(edited.size(), 4); // a key at a time
    m_form->applyTo(r);
    QCOMPARE(r.ttftTimeoutMs, 2500);
    QCOMPARE(r.providerName, u"openai-main"_s);
    QCOMPARE(header(r, "x-tfy-ttft-timeout-ms"), u"2500"_s);

    // Cleared: the header goes.
    auto *provider = view::part<QLineEdit>(m_form, "providerName");
    provider->selectAll();
    QTest::keyClick(provider, Qt::Key_Backspace);
    m_form->applyTo(r);
    QVERIFY(!r.providerName);
    QCOMPARE(header(r, "x-tfy-provider-name"), QString());
}

void TestGatewayForm::retriesFromChipsAndCodes()
{
    GatewayRequest r;
    m_form->showRequest(r);
    QTest::mouseClick(view::part<QCheckBox>(m_form, "retryEnabled"), Qt::LeftButton);
    QTest::mouseClick(view::part<QToolButton>(m_form, "chip503"), Qt::LeftButton);
    QTest::keyClicks(view::part<QLineEdit>(m_form, "otherCodes"), u"418, teapot, 42"_s);
    m_form->applyTo(r);
    QVERIFY(r.retryConfig);
    QCOMPARE(r.retryConfig->onStatusCodes, (QList<qint64> { 503, 418 }));
    // What is not a status code stays the form's problem, off the wire.
    QCOMPARE(m_form->badRetryCodes(), (QStringList { u"teapot"_s, u"42"_s }));
    QVERIFY(!header(r, "x-tfy-retry-config").contains(u"teapot"_s));

    QTest::mouseClick(view::part<QCheckBox>(m_form, "retryEnabled"), Qt::LeftButton);
    m_form->applyTo(r);
    QVERIFY(!r.retryConfig);
    QVERIFY(m_form->badRetryCodes().isEmpty());
}

void TestGatewayForm::extraHeadersAndTheTokenStay()
{
    GatewayRequest r;
    r.bearerToken = u"sk-keep"_s;
    r.extraHeaders = { { "x-team", "blue" } };
    m_form->showRequest(r);
    auto *table = view::part<QTableWidget>(m_form, "extraHeaders");
    QCOMPARE(table->rowCount(), 1);
    table->item(0, 1)->setText(u"green"_s);
    m_form->applyTo(r);
    QCOMPARE(r.extraHeaders, (HttpHeaders { { "x-team", "green" } }));
    QCOMPARE(r.bearerToken, u"sk-keep"_s);
    QVERIFY(!m_form->allowInsecureTls());
    QTest::mouseClick(view::part<QCheckBox>(m_form, "allowInsecureTls"), Qt::LeftButton);
    QVERIFY(m_form->allowInsecureTls());
}

// The metadata table shows four rows without scrolling; a chosen status code is drawn
// in the selection colour, an unchosen one is not.
void TestGatewayForm::fourMetadataRowsAndClearChips()
{
    GatewayRequest r;
    r.metadata = MetadataEntries { { u"a"_s, u"1"_s }, { u"b"_s, u"2"_s }, { u"c"_s, u"3"_s },
        { u"d"_s, u"4"_s } };
    r.retryConfig = RetryConfig { 2, QList<qint64> { 429 }, false };
    m_form->showRequest(r);
    auto *table = view::part<QTableWidget>(m_form, "metadata");
    QTRY_VERIFY(table->isVisible());
    const int needed = table->rowViewportPosition(3) + table->rowHeight(3);
    QVERIFY2(needed <= table->viewport()->height(), qPrintable(QString::number(needed)));

    const QColor highlight = m_form->palette().color(QPalette::Highlight);
    const auto fill
        = [](QWidget *chip) { return chip->grab().toImage().pixelColor(3, chip->height() / 2); };
    const QColor chosen = fill(view::part<QToolButton>(m_form, "chip429"));
    const QColor other = fill(view::part<QToolButton>(m_form, "chip500"));
    QVERIFY2(chosen == highlight, qPrintable(chosen.name() + u" vs "_s + highlight.name()));
    QVERIFY2(other != highlight, qPrintable(other.name()));
}

QTEST_MAIN(TestGatewayForm)
#include "tst_gatewayform.moc"
