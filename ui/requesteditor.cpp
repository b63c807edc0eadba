#include "requesteditor.h"

#include "core/httpfile/httpfile.h"
#include "core/json/jsonedit.h"
#include "core/json/jsonutil.h"
#include "editor/fieldmessages.h"
#include "editor/gatewayform.h"
#include "highlighting.h"
#include "sharesplitter.h"
#include "ui/tones.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextCursor>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

// resources/syntax/http-request.xml
const auto kHttpDefinition = u"HTTP Request (Gatescope)"_s;

//! Makes \a edit show \a text by replacing only the part that differs, as one undoable
//! step: the cursor, the selection and the scroll position elsewhere stay where the
//! user left them (setPlainText() would reset all three and the undo history).
void showText(QPlainTextEdit *edit, const QString &text)
{
    const QString old = edit->toPlainText();
    if (old == text)
        return;
    qsizetype prefix = 0;
    const qsizetype shorter = std::min(old.size(), text.size());
    while (prefix < shorter && old[prefix] == text[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (
        suffix < shorter - prefix && old[old.size() - 1 - suffix] == text[text.size() - 1 - suffix])
        ++suffix;
    QTextCursor cursor(edit->document());
    cursor.setPosition(int(prefix));
    cursor.setPosition(int(old.size() - suffix), QTextCursor::KeepAnchor);
    cursor.insertText(text.sliced(prefix, text.size() - prefix - suffix));
}

} // namespace

RequestEditor::RequestEditor(KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_messages(std::make_unique<editor::FieldMessages>(this))
    , m_modelList(new QStringListModel(this))
    , m_wireTimer(new QTimer(this))
    , m_bodyTimer(new QTimer(this))
{
    m_pages = new QTabWidget;
    m_pages->setObjectName(u"editorPages"_s);
    m_pages->setDocumentMode(true);
    m_form = new editor::GatewayForm(m_messages.get());
    connect(m_form, &editor::GatewayForm::edited, this, [this] {
        m_form->applyTo(m_request);
        m_messages->revealAll();
        commit(false);
    });
    m_pages->addTab(m_form, tr("Gate&way"));
    m_pages->addTab(buildWirePage(), tr("W&ire"));

    auto *splitter = new ShareSplitter(Qt::Vertical);
    splitter->setObjectName(u"editorSplitter"_s);
    splitter->addWidget(buildRequestArea());
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_wireTimer->setSingleShot(true);
    m_wireTimer->setInterval(300);
    connect(m_wireTimer, &QTimer::timeout, this, &RequestEditor::onWireEdited);
    m_bodyTimer->setSingleShot(true);
    m_bodyTimer->setInterval(200);
    connect(m_bodyTimer, &QTimer::timeout, this, &RequestEditor::onBodyEdited);
    setRequest({});
}

RequestEditor::~RequestEditor()
{
    qDeleteAll(m_highlighters);
}

QWidget *RequestEditor::buildRequestArea()
{
    auto *area = new QWidget;
    m_method = new QComboBox;
    m_method->setObjectName(u"method"_s);
    m_method->setEditable(true);
    m_method->addItems({ u"GET"_s, u"POST"_s, u"PUT"_s, u"PATCH"_s, u"DELETE"_s });
    m_method->setToolTip(tr("Method"));
    m_endpoint = new QComboBox;
    m_endpoint->setObjectName(u"endpoint"_s);
    for (const EndpointInfo &e : endpoints())
        m_endpoint->addItem(QString(e.label), int(e.endpoint));
    m_endpoint->setToolTip(tr("Gateway API"));
    m_url = new QLineEdit;
    m_url->setObjectName(u"url"_s);
    m_url->setPlaceholderText(u"https://gateway.truefoundry.ai/chat/completions"_s);
    m_url->setToolTip(tr("Full URL (Ctrl+L)"));
    m_send = new QPushButton(tr("Send"));
    m_send->setObjectName(u"sendButton"_s);
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &RequestEditor::sendRequested);
    auto *top = new QHBoxLayout;
    top->addWidget(m_method);
    top->addWidget(m_url, 1);
    top->addWidget(m_send);

    m_model = new QLineEdit;
    m_model->setObjectName(u"model"_s);
    m_model->setPlaceholderText(tr("provider/model, e.g. openai-main/gpt-4o-mini"));
    m_completer = new QCompleter(m_modelList, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_model->setCompleter(m_completer);
    m_body = new QPlainTextEdit;
    m_body->setObjectName(u"body"_s);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setPlaceholderText(tr("JSON body"));
    m_body->setTabChangesFocus(false);

    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(new QLabel(tr("API")));
    modelRow->addWidget(m_endpoint);
    auto *form = new QFormLayout;
    auto *modelLabel = new QLabel(tr("&Model"));
    modelLabel->setBuddy(m_model);
    form->addRow(modelLabel, modelRow);
    form->addRow(QString(), m_messages->addLabel(u"model"_s));
    form->addRow(QString(), m_messages->addLabel(u"url"_s));
    m_addressBar = new QWidget;
    m_addressBar->setObjectName(u"addressBar"_s);
    auto *address = new QVBoxLayout(m_addressBar);
    address->setContentsMargins(0, 0, 0, 0);
    address->addLayout(top);
    address->addLayout(form);
    auto *layout = new QVBoxLayout(area);
    layout->addWidget(m_addressBar);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_messages->addLabel(u"body"_s));
    m_messages->addWidget(u"url"_s, m_url);
    m_messages->addWidget(u"model"_s, m_model);
    m_messages->addWidget(u"body"_s, m_body);
    m_messages->addWidget(u"method"_s, m_method);

    connect(m_url, &QLineEdit::textEdited, this, &RequestEditor::onUrlEdited);
    connect(m_endpoint, &QComboBox::activated, this, &RequestEditor::onEndpointChosen);
    connect(m_method, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (m_updating)
            return;
        m_messages->touch(u"method"_s);
        m_request.method
            = text.trimmed().toUpper() == endpointInfo(m_request.endpoint).defaultMethod
            ? QString()
            : text.trimmed().toUpper();
        commit(false);
    });
    connect(m_model, &QLineEdit::textEdited, this, &RequestEditor::onModelEdited);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
        &RequestEditor::onModelEdited);
    connect(m_body, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updating)
            m_bodyTimer->start();
    });
    return area;
}

QWidget *RequestEditor::buildWirePage()
{
    auto *page = new QWidget;
    m_wire = new QPlainTextEdit;
    m_wire->setObjectName(u"wire"_s);
    m_wire->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_wire->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_wireNote = new QLabel(wireNote());
    m_wireNote->setObjectName(u"wireNote"_s);
    m_wireNote->setWordWrap(true);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_wireNote);
    layout->addWidget(m_wire, 1);
    connect(m_wire, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updating)
            m_wireTimer->start();
    });
    return page;
}

void RequestEditor::setTheme(const KSyntaxHighlighting::Theme &theme)
{
    const auto definition = [this](const QString &name) {
        const auto d = m_repository->definitionForName(name);
        return d.isValid() ? d : m_repository->definitionForName(u"JSON"_s);
    };
    if (m_highlighters.isEmpty()) {
        m_highlighters << attachHighlighter(m_body->document(), theme, definition(u"JSON"_s))
                       << attachHighlighter(m_wire->document(), theme, definition(kHttpDefinition));
        return;
    }
    for (KSyntaxHighlighting::SyntaxHighlighter *h : std::as_const(m_highlighters)) {
        h->setTheme(theme);
        h->rehighlight();
    }
    // The palette changed (light or dark): problems are coloured anew.
    m_messages->forgetColours();
    revalidate();
}

QString RequestEditor::wireNote() const
{
    return tr("Exactly what will be sent; credentials masked. Edit it: the form follows, and "
              "a masked value you leave alone keeps its secret.");
}

void RequestEditor::setRequest(const GatewayRequest &request)
{
    m_request = request;
    m_messages->revealAll();
    refreshForm();
    refreshWire();
    revalidate();
    Q_EMIT changed();
}

void RequestEditor::setModelSuggestions(const QStringList &models)
{
    m_modelList->setStringList(models);
}

void RequestEditor::focusUrl()
{
    m_url->setFocus(Qt::ShortcutFocusReason);
    m_url->selectAll();
}

void RequestEditor::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

QString RequestEditor::wireText() const
{
    return m_wire->toPlainText();
}

void RequestEditor::setWireText(const QString &text)
{
    m_wire->setPlainText(text);
    m_wireTimer->stop();
    onWireEdited();
}

void RequestEditor::holdProblemsUntilEdited()
{
    m_messages->hold();
}

void RequestEditor::revealProblems()
{
    m_messages->revealAll();
}

QString RequestEditor::fieldMessage(const QString &field) const
{
    return m_messages->message(field);
}

bool RequestEditor::allowInsecureTls() const
{
    return m_form->allowInsecureTls();
}

bool RequestEditor::canSend() const
{
    return !hasErrors(m_issues);
}

QString RequestEditor::blockReason() const
{
    QStringList reasons;
    for (const Issue &i : m_issues) {
        if (i.severity == Issue::Severity::Error)
            reasons << i.field + u": "_s + i.message;
    }
    if (reasons.isEmpty())
        return {};
    return tr("Not sent: %n problem(s). %1", nullptr, int(reasons.size()))
        .arg(reasons.join(u"; "_s));
}

// --- form -> request -----------------------------------------------------------

void RequestEditor::onUrlEdited()
{
    m_messages->touch(u"url"_s);
    applyUrl(m_request, m_url->text().trimmed());
    {
        const QSignalBlocker block(m_endpoint);
        m_endpoint->setCurrentIndex(m_endpoint->findData(int(m_request.endpoint)));
    }
    commit(false);
}

void RequestEditor::onEndpointChosen()
{
    const auto endpoint = Endpoint(m_endpoint->currentData().toInt());
    if (endpoint == m_request.endpoint)
        return;
    m_request.endpoint = endpoint;
    m_request.method.clear(); // the endpoint's own method
    {
        const QSignalBlocker block(m_url);
        m_url->setText(m_request.url());
    }
    {
        m_updating = true;
        m_method->setCurrentText(m_request.effectiveMethod());
        m_updating = false;
    }
    commit(false);
}

void RequestEditor::onModelEdited()
{
    m_messages->touch(u"model"_s);
    m_request.model = m_model->text().trimmed();
    // The model lives in the body: write it there so that the body shows what is sent
    // (an emptied field empties the body's model too, rather than leaving the old one).
    const auto object = parseJsonObject(m_request.body);
    if (!m_request.model.isEmpty())
        m_request.body = compose(m_request).body;
    else if (object && object->contains("model"_L1))
        m_request.body
            = withTopLevelMember(m_request.body, "model", R"("")").value_or(m_request.body);
    m_updating = true;
    if (m_body->toPlainText().toUtf8() != m_request.body)
        showText(m_body, QString::fromUtf8(m_request.body));
    m_updating = false;
    commit(false);
}

void RequestEditor::onBodyEdited()
{
    m_messages->touch(u"body"_s);
    WireRequest wire = compose(m_request);
    wire.body = m_body->toPlainText().toUtf8();
    const QString model = m_request.model;
    m_request = decode(wire);
    // A body that does not read as JSON (yet) says nothing about the model: the field
    // keeps it, and the body's own problem is the one shown.
    if (m_request.model.isEmpty() && !parseJsonObject(wire.body))
        m_request.model = model;
    {
        const QSignalBlocker block(m_model);
        if (!m_model->hasFocus())
            m_model->setText(m_request.model);
    }
    commit(false);
}

void RequestEditor::onWireEdited()
{
    m_messages->revealAll();
    auto file = HttpFile::parse(m_wire->toPlainText());
    if (!file || file->requests().isEmpty()) {
        const QString why
            = file ? tr("write a request line such as POST https://…") : file.error().message;
        m_wireNote->setText(tr("Not a request yet: %1").arg(why));
        m_wireNote->setStyleSheet(toneStyle(Tone::Error, palette()));
        return;
    }
    auto resolved = resolve(file->requests().first(), {});
    if (!resolved) {
        m_wireNote->setText(resolved.error().message);
        m_wireNote->setStyleSheet(toneStyle(Tone::Error, palette()));
        return;
    }
    m_wireNote->setStyleSheet({});
    m_wireNote->setText(wireNote());
    WireRequest wire = *resolved;
    // A masked credential left as shown keeps the real value.
    const HttpHeaders real = compose(m_request).headers;
    for (HttpHeader &h : wire.headers) {
        for (const HttpHeader &r : real) {
            if (headerNameEquals(h.name, r.name) && maskSecret(r.name, r.value) == h.value
                && h.value != r.value) {
                h.value = r.value;
                break;
            }
        }
    }
    m_request = decode(wire);
    refreshForm();
    commit(true);
}

// --- request -> views --------------------------------------------------------

void RequestEditor::refreshForm()
{
    m_updating = true;
    const GatewayRequest &r = m_request;
    m_method->setCurrentText(r.effectiveMethod());
    m_endpoint->setCurrentIndex(m_endpoint->findData(int(r.endpoint)));
    if (!m_url->hasFocus()) {
        m_url->setText(r.url());
        m_url->setCursorPosition(0); // the host first: the path is the part that fits less
    }
    if (!m_model->hasFocus()) {
        m_model->setText(r.model);
        m_model->setCursorPosition(0);
    }
    // An upload's files go out from disk at their places in the body, so its text is
    // edited in the .http file (each file a "< ./path" line); here it is shown, each
    // file as <file PATH, N bytes>, and read only, the headers and form still editable.
    const bool upload = !r.bodyFiles.isEmpty();
    const QByteArray body = upload ? compose(r).bodyText() : r.body;
    if (m_body->toPlainText().toUtf8() != body)
        showText(m_body, QString::fromUtf8(body));
    m_body->setReadOnly(upload);
    m_wire->setReadOnly(upload);
    const QString uploadNote = tr("This request uploads %1 from disk: edit its body and wire "
                                  "text in its .http file; the form applies here.");
    if (upload)
        m_wireNote->setText(uploadNote.arg(r.bodyFiles.first().path));
    else if (m_wireNote->text().startsWith(uploadNote.section(u'%', 0, 0)))
        m_wireNote->setText(wireNote());

    m_form->showRequest(r);
    m_updating = false;
}

void RequestEditor::refreshWire()
{
    const QString text
        = QString::fromUtf8(compose(m_request).toText(false)).replace(u"\r\n"_s, u"\n"_s);
    if (text == m_wire->toPlainText())
        return;
    m_updating = true;
    showText(m_wire, text);
    m_updating = false;
}

void RequestEditor::revalidate()
{
    m_issues = validate(m_request);
    if (const QStringList bad = m_form->badRetryCodes(); !bad.isEmpty())
        m_issues.append({ Issue::Severity::Error, u"retryConfig.onStatusCodes"_s,
            tr("Not an HTTP status code: %1").arg(bad.join(u", "_s)) });
    m_messages->show(m_issues);
    m_send->setEnabled(canSend());
    m_send->setToolTip(canSend() ? tr("Send (Ctrl+Enter)") : blockReason());
}

void RequestEditor::commit(bool fromWire)
{
    if (!fromWire)
        refreshWire();
    revalidate();
    Q_EMIT changed();
}

} // namespace gs::ui
