#include "tests/ui/widgetview.h"
#include "ui/requesteditor.h"

#include <KSyntaxHighlighting/Repository>
#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace gs::core;
using namespace gs::ui;
using namespace Qt::StringLiterals;
namespace view = gs::tests::view;

// The editor's three views stay in step through the core's compose/decode, and
// the validator's problems are shown at their field and block sending.
class TestRequestEditor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void typingInTheFormChangesTheWire();
    void editingTheWireChangesTheForm();
    void maskedTokenSurvivesWireEdits();
    void invalidMetadataBlocksSending();
    void badTimeoutIsMarkedAtItsField();
    void vertexFieldsTypedForAnUpload();
    void retryChipsAndOtherCodes();
    void modelFieldWritesTheBody();
    void invalidBodyIsMarkedWithItsPlace();
    void aMetadataRowTypedAsAUserDoes();
    void modelEditsKeepTheBodysFormatting();

private:
    static GatewayRequest sample();
    KSyntaxHighlighting::Repository m_repository;
    RequestEditor *m_editor = nullptr;
};

GatewayRequest TestRequestEditor::sample()
{
    return decode(WireRequest { "POST", u"https://gw.example/api/llm/chat/completions"_s,
        { { "Authorization", "Bearer sk-secret-123456" }, { "Content-Type", "application/json" },
            { "x-tfy-metadata", R"({"team":"platform"})" } },
        R"({"model":"openai-main/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})" });
}

void TestRequestEditor::init()
{
    m_editor = new RequestEditor(&m_repository);
    m_editor->resize(800, 900);
    m_editor->show();
    m_editor->setRequest(sample());
}

void TestRequestEditor::cleanup()
{
    delete m_editor;
    m_editor = nullptr;
}

void TestRequestEditor::typingInTheFormChangesTheWire()
{
    QVERIFY(m_editor->wireText().contains(u"x-tfy-metadata: {\"team\":\"platform\"}\n"_s));
    QVERIFY(m_editor->wireText().contains(u"Authorization: Bearer ********"_s));
    QVERIFY(!m_editor->wireText().contains(u"sk-secret"_s));

    QTest::keyClicks(view::part<QLineEdit>(m_editor, "requestTimeoutMs"), u"30000"_s);
    QVERIFY(m_editor->wireText().contains(u"x-tfy-request-timeout: 30000\n"_s));
    QCOMPARE(m_editor->request().requestTimeoutMs, 30000);

    QTest::keyClicks(view::part<QLineEdit>(m_editor, "providerName"), u"openai-main"_s);
    QVERIFY(m_editor->wireText().contains(u"x-tfy-provider-name: openai-main\n"_s));

    // A metadata row typed into the table.
    QTableWidget *table = view::part<QTableWidget>(m_editor, "metadata");
    QCOMPARE(table->rowCount(), 1);
    table->insertRow(1);
    table->setItem(1, 0, new QTableWidgetItem(u"feature"_s));
    table->setItem(1, 1, new QTableWidgetItem(u"inspector"_s));
    QVERIFY2(m_editor->wireText().contains(
                 u"x-tfy-metadata: {\"team\":\"platform\",\"feature\":\"inspector\"}\n"_s),
        qPrintable(m_editor->wireText()));

    // Clearing the field takes the header off the wire.
    view::part<QLineEdit>(m_editor, "requestTimeoutMs")->selectAll();
    QTest::keyClick(view::part<QLineEdit>(m_editor, "requestTimeoutMs"), Qt::Key_Backspace);
    QVERIFY(!m_editor->wireText().contains(u"x-tfy-request-timeout"_s));
    QVERIFY(m_editor->canSend());
}

void TestRequestEditor::editingTheWireChangesTheForm()
{
    QString wire = m_editor->wireText();
    wire.replace(u"Content-Type: application/json\n"_s,
        u"Content-Type: application/json\nx-tfy-ttft-timeout-ms: 2500\nx-tfy-strict-openai: false\nX-Trace: abc\n"_s);
    m_editor->setWireText(wire);
    QCOMPARE(view::part<QLineEdit>(m_editor, "ttftTimeoutMs")->text(), u"2500"_s);
    QCOMPARE(m_editor->request().strictOpenAi, false);
    // Content-Type and the new one: headers the gateway form has no field for.
    QCOMPARE(m_editor->request().extraHeaders.size(), 2);
    QCOMPARE(m_editor->request().extraHeaders.last().name, "X-Trace");
    // And back: the wire text the editor now shows is the one typed.
    QCOMPARE(m_editor->wireText(), wire);

    // A pasted header that is not valid shows up at its field.
    wire.replace(u"x-tfy-ttft-timeout-ms: 2500"_s, u"x-tfy-ttft-timeout-ms: soon"_s);
    m_editor->setWireText(wire);
    QCOMPARE(view::part<QLineEdit>(m_editor, "ttftTimeoutMs")->text(), u"soon"_s);
    QVERIFY(!m_editor->fieldMessage(u"ttftTimeoutMs"_s).isEmpty());
    QVERIFY(!m_editor->canSend());
}

void TestRequestEditor::maskedTokenSurvivesWireEdits()
{
    QString wire = m_editor->wireText();
    wire.replace(u"/chat/completions"_s, u"/responses"_s);
    m_editor->setWireText(wire);
    QCOMPARE(m_editor->request().bearerToken, u"sk-secret-123456"_s);
    QCOMPARE(m_editor->request().endpoint, Endpoint::Responses);
    // A new token typed in place of the mask replaces it.
    wire = m_editor->wireText().replace(u"Bearer ********"_s, u"Bearer other-token-999"_s);
    m_editor->setWireText(wire);
    QCOMPARE(m_editor->request().bearerToken, u"other-token-999"_s);
}

void TestRequestEditor::invalidMetadataBlocksSending()
{
    QTableWidget *table = view::part<QTableWidget>(m_editor, "metadata");
    // Longer than the gateway accepts for a metadata value.
    table->item(0, 1)->setText(QString(1000, u'v'));
    QVERIFY(!m_editor->canSend());
    QVERIFY(!m_editor->fieldMessage(u"metadata"_s).isEmpty());
    QVERIFY(table->property("invalid").toBool());
    QVERIFY(m_editor->blockReason().startsWith(u"Not sent"_s));
    auto *send = m_editor->findChild<QPushButton *>(u"sendButton"_s);
    QVERIFY(!send->isEnabled());
    QVERIFY(send->toolTip().contains(u"metadata"_s));

    table->item(0, 1)->setText(u"platform"_s);
    QVERIFY(m_editor->canSend());
    QVERIFY(m_editor->fieldMessage(u"metadata"_s).isEmpty());
    QVERIFY(!table->property("invalid").toBool());
    QVERIFY(send->isEnabled());
}

void TestRequestEditor::badTimeoutIsMarkedAtItsField()
{
    QTest::keyClicks(view::part<QLineEdit>(m_editor, "requestTimeoutMs"), u"30s"_s);
    QVERIFY(!m_editor->canSend());
    QVERIFY(!m_editor->fieldMessage(u"requestTimeoutMs"_s).isEmpty());
    QVERIFY(view::part<QLineEdit>(m_editor, "requestTimeoutMs")->property("invalid").toBool());
    // Sent as written, so that the wire shows what the validator objects to.
    QVERIFY(m_editor->wireText().contains(u"x-tfy-request-timeout: 30s"_s));
}

// A Vertex account's upload: the three headers typed as a user does, each checked at
// its own field, and the ones missing named while only some are given.
void TestRequestEditor::vertexFieldsTypedForAnUpload()
{
    m_editor->setRequest(decode(WireRequest { "GET", u"https://gw.example/api/llm/files"_s,
        { { "Authorization", "Bearer sk-secret-123456" },
            { "x-tfy-provider-name", "vertex-main" } },
        {} }));
    QVERIFY(m_editor->canSend());
    auto *bucket = view::part<QLineEdit>(m_editor, "vertexStorageBucketName");
    QTest::keyClicks(bucket, u"gs://batch-inputs"_s);
    QVERIFY(
        m_editor->wireText().contains(u"x-tfy-vertex-storage-bucket-name: gs://batch-inputs\n"_s));
    QVERIFY2(m_editor->fieldMessage(u"vertexStorageBucketName"_s).contains(u"without gs://"_s),
        qPrintable(m_editor->fieldMessage(u"vertexStorageBucketName"_s)));
    QVERIFY(!m_editor->canSend());
    bucket->selectAll();
    QTest::keyClicks(bucket, u"batch-inputs"_s);
    QVERIFY(m_editor->canSend());
    QVERIFY2(
        m_editor->fieldMessage(u"vertexStorageBucketName"_s).contains(u"x-tfy-vertex-region"_s),
        qPrintable(m_editor->fieldMessage(u"vertexStorageBucketName"_s)));
    QTest::keyClick(bucket, Qt::Key_Tab);
    QTest::keyClicks(view::part<QLineEdit>(m_editor, "vertexRegion"), u"us-central1"_s);
    QTest::keyClicks(view::part<QLineEdit>(m_editor, "providerModel"), u"gemini-2.0-flash-001"_s);
    QCOMPARE(m_editor->request().vertexStorageBucketName, u"batch-inputs"_s);
    QCOMPARE(m_editor->request().vertexRegion, u"us-central1"_s);
    QCOMPARE(m_editor->request().providerModel, u"gemini-2.0-flash-001"_s);
    QVERIFY(m_editor->wireText().contains(u"x-tfy-vertex-region: us-central1\n"_s));
    QVERIFY(m_editor->wireText().contains(u"x-tfy-provider-model: gemini-2.0-flash-001\n"_s));
    QVERIFY(m_editor->fieldMessage(u"vertexStorageBucketName"_s).isEmpty());
    QVERIFY(m_editor->request().extraHeaders.isEmpty());
    QVERIFY(m_editor->canSend());
}

void TestRequestEditor::retryChipsAndOtherCodes()
{
    view::part<QCheckBox>(m_editor, "retryEnabled")->setChecked(true);
    view::part<QSpinBox>(m_editor, "retryAttempts")->setValue(3);
    m_editor->findChild<QToolButton *>(u"chip429"_s)->setChecked(true);
    auto *other = m_editor->findChild<QLineEdit *>(u"otherCodes"_s);
    QTest::keyClicks(other, u"418"_s);
    QVERIFY2(
        m_editor->wireText().contains(
            uR"(x-tfy-retry-config: {"attempts":3,"onStatusCodes":[429,418],"useRetryAfterHeader":false})"_s),
        qPrintable(m_editor->wireText()));
    QTest::keyClicks(other, u", teapot"_s);
    QVERIFY(!m_editor->canSend());
    QVERIFY(m_editor->fieldMessage(u"retryConfig"_s).contains(u"teapot"_s));
    view::part<QCheckBox>(m_editor, "retryEnabled")->setChecked(false);
    QVERIFY(!m_editor->wireText().contains(u"x-tfy-retry-config"_s));
}

void TestRequestEditor::modelFieldWritesTheBody()
{
    view::part<QLineEdit>(m_editor, "model")->selectAll();
    QTest::keyClicks(view::part<QLineEdit>(m_editor, "model"), u"anthropic/claude"_s);
    QCOMPARE(m_editor->request().model, u"anthropic/claude"_s);
    const QString body = view::part<QPlainTextEdit>(m_editor, "body")->toPlainText();
    QVERIFY(body.contains(u"anthropic/claude"_s));
    QVERIFY(m_editor->wireText().contains(u"anthropic/claude"_s));
}

void TestRequestEditor::invalidBodyIsMarkedWithItsPlace()
{
    view::part<QPlainTextEdit>(m_editor, "body")
        ->setPlainText(u"{\n  \"model\": \"a/b\",\n  oops\n}"_s);
    QTRY_VERIFY(!m_editor->fieldMessage(u"body"_s).isEmpty());
    QVERIFY2(m_editor->fieldMessage(u"body"_s).contains(u"line 3"_s),
        qPrintable(m_editor->fieldMessage(u"body"_s)));
    QVERIFY(!m_editor->canSend());
    QVERIFY(view::part<QPlainTextEdit>(m_editor, "body")->property("invalid").toBool());
    // The one real problem: the model field keeps its model and says nothing.
    QCOMPARE(view::part<QLineEdit>(m_editor, "model")->text(), u"openai-main/gpt-4o-mini"_s);
    QCOMPARE(m_editor->fieldMessage(u"model"_s), QString());
    const auto errors = std::ranges::count_if(
        m_editor->issues(), [](const Issue &i) { return i.severity == Issue::Severity::Error; });
    QCOMPARE(errors, 1);
    // Nothing typed is lost: the text stays as written.
    QVERIFY(view::part<QPlainTextEdit>(m_editor, "body")->toPlainText().contains(u"oops"_s));
    view::part<QPlainTextEdit>(m_editor, "body")->setPlainText(u"{\"model\": \"a/b\"}"_s);
    QTRY_VERIFY(m_editor->fieldMessage(u"body"_s).isEmpty());
    QVERIFY(m_editor->canSend());
}

// Add, type a key, Tab, type a value, Enter: the row goes out with both, in the order
// the user typed the rows, and the editor the user types in is never taken away.
void TestRequestEditor::aMetadataRowTypedAsAUserDoes()
{
    m_editor->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_editor));
    m_editor->showPage(RequestEditor::GatewayPage);
    auto *table = view::part<QTableWidget>(m_editor, "metadata");
    QPushButton *add = view::buttonBeside(table, u"Add"_s);
    QVERIFY(add);
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(table->rowCount(), 2);
    QWidget *keyEditor = QApplication::focusWidget();
    QVERIFY(keyEditor && table->isAncestorOf(keyEditor));
    QTest::keyClicks(keyEditor, u"app"_s);
    QTest::keyClick(keyEditor, Qt::Key_Tab);
    QWidget *valueEditor = QApplication::focusWidget();
    QVERIFY(valueEditor && table->isAncestorOf(valueEditor));
    QCOMPARE(table->currentRow(), 1);
    QCOMPARE(table->currentColumn(), 1);
    QTest::keyClicks(valueEditor, u"search"_s);
    QTest::keyClick(valueEditor, Qt::Key_Return);
    // The cell holds what was typed, and the editor closes (a queued call) on Enter.
    QCOMPARE(table->item(1, 1)->text(), u"search"_s);
    QTRY_VERIFY(!qobject_cast<QLineEdit *>(QApplication::focusWidget()));

    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(1, 0)->text(), u"app"_s);
    QCOMPARE(table->item(1, 1)->text(), u"search"_s);
    QVERIFY2(m_editor->wireText().contains(
                 u"x-tfy-metadata: {\"team\":\"platform\",\"app\":\"search\"}\n"_s),
        qPrintable(m_editor->wireText()));
}

namespace {

// Replaces what \a edit holds by typing \a text, Return for each line break.
void typeInto(QPlainTextEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, lines[i]);
    }
}

} // namespace

// The user's body, in their own style (key order, indentation, a one-line array): a
// Model edit changes the model's value in it and nothing else.
void TestRequestEditor::modelEditsKeepTheBodysFormatting()
{
    m_editor->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_editor));
    auto *body = view::part<QPlainTextEdit>(m_editor, "body");
    const QString mine = u"{\n"
                         "    \"stream\": true,\n"
                         "    \"messages\": [ {\"role\": \"user\", \"content\": \"hi\"} ],\n"
                         "    \"model\": \"a/b\",\n"
                         "    \"max_tokens\": 5\n"
                         "}"_s;
    typeInto(body, mine);
    QTRY_COMPARE(m_editor->request().model, u"a/b"_s);

    auto *model = view::part<QLineEdit>(m_editor, "model");
    model->setFocus();
    model->selectAll();
    QTest::keyClicks(model, u"openai-main/gpt-4o"_s);
    QString expected = mine;
    expected.replace(u"\"a/b\""_s, u"\"openai-main/gpt-4o\""_s);
    QCOMPARE(body->toPlainText(), expected);
    QVERIFY2(m_editor->wireText().endsWith(expected), qPrintable(m_editor->wireText()));

    // A body without a model gets it on a line of its own, in the body's indentation.
    typeInto(body, u"{\n  \"messages\": []\n}"_s);
    QTRY_VERIFY(m_editor->request().model.isEmpty());
    model->setFocus();
    QTest::keyClicks(model, u"x/y"_s);
    QCOMPARE(body->toPlainText(), u"{\n  \"model\": \"x/y\",\n  \"messages\": []\n}"_s);
}

QTEST_MAIN(TestRequestEditor)
#include "tst_requesteditor.moc"
