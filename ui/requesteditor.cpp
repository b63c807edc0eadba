#include "requesteditor.h"

#include "core/httpfile/httpfile.h"
#include "highlighting.h"
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
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

// resources/syntax/http-request.xml
const auto kHttpDefinition = u"HTTP Request (Gatescope)"_s;
constexpr std::array kChipCodes { 408, 429, 500, 502, 503, 504 };

QByteArrayView view(QLatin1StringView name)
{
    return QByteArrayView(name.data(), name.size());
}

QString headerIn(const HttpHeaders &headers, QLatin1StringView name)
{
    for (const HttpHeader &h : headers) {
        if (headerNameEquals(h.name, QByteArrayView(name.data(), name.size())))
            return QString::fromUtf8(h.value);
    }
    return {};
}

// Which message label a validator field belongs to.
QString labelFor(const QString &field)
{
    if (field.startsWith("metadata"_L1))
        return u"metadata"_s;
    if (field.startsWith("retryConfig"_L1))
        return u"retryConfig"_s;
    if (field.startsWith("header:"_L1))
        return u"extraHeaders"_s;
    return field;
}

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QTableWidget *keyValueTable(const QString &objectName, const QString &key, const QString &value)
{
    auto *table = new QTableWidget(0, 2);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels({ key, value });
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setVisible(false);
    table->setMinimumHeight(90);
    table->setMaximumHeight(150);
    return table;
}

QList<std::pair<QString, QString>> rowsOf(const QTableWidget *table)
{
    QList<std::pair<QString, QString>> rows;
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString key = table->item(r, 0) ? table->item(r, 0)->text() : QString();
        const QString value = table->item(r, 1) ? table->item(r, 1)->text() : QString();
        if (!key.trimmed().isEmpty())
            rows.append({ key.trimmed(), value });
    }
    return rows;
}

void setRows(QTableWidget *table, const QList<std::pair<QString, QString>> &rows)
{
    table->setRowCount(0);
    for (const auto &[k, v] : rows) {
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0, new QTableWidgetItem(k));
        table->setItem(r, 1, new QTableWidgetItem(v));
    }
}

// Add and remove buttons under a key/value table.
QWidget *withRowButtons(QTableWidget *table, const std::function<void()> &changed)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(QObject::tr("Add"));
    auto *remove = new QPushButton(QObject::tr("Remove"));
    QObject::connect(add, &QPushButton::clicked, table, [table] {
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0, new QTableWidgetItem);
        table->setItem(r, 1, new QTableWidgetItem);
        table->setCurrentCell(r, 0);
        table->editItem(table->item(r, 0));
    });
    QObject::connect(remove, &QPushButton::clicked, table, [table, changed] {
        if (table->currentRow() >= 0) {
            table->removeRow(table->currentRow());
            changed();
        }
    });
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    return box;
}

} // namespace

RequestEditor::RequestEditor(KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_modelList(new QStringListModel(this))
    , m_wireTimer(new QTimer(this))
    , m_bodyTimer(new QTimer(this))
{
    m_pages = new QTabWidget;
    m_pages->setObjectName(u"editorPages"_s);
    m_pages->setDocumentMode(true);
    m_pages->addTab(buildGatewayForm(), tr("Gate&way"));
    m_pages->addTab(buildWirePage(), tr("W&ire"));

    auto *splitter = new QSplitter(Qt::Vertical);
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

QLineEdit *RequestEditor::addLineField(QFormLayout *form, const QString &field,
    const QString &label, const QString &placeholder, const std::function<void()> &edited)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(field);
    edit->setPlaceholderText(placeholder);
    connect(edit, &QLineEdit::textEdited, this, edited);
    form->addRow(label, edit);
    form->addRow(QString(), messageLabel(field));
    m_fieldWidgets.insert(field, edit);
    return edit;
}

QLabel *RequestEditor::messageLabel(const QString &field)
{
    auto *label = new QLabel;
    label->setObjectName(u"message:"_s + field);
    label->setWordWrap(true);
    label->setVisible(false);
    label->setStyleSheet(toneStyle(Tone::Error, palette()));
    m_messages.insert(field, label);
    return label;
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
    form->addRow(QString(), messageLabel(u"model"_s));
    form->addRow(QString(), messageLabel(u"url"_s));
    auto *layout = new QVBoxLayout(area);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(m_body, 1);
    layout->addWidget(messageLabel(u"body"_s));
    m_fieldWidgets.insert(u"url"_s, m_url);
    m_fieldWidgets.insert(u"model"_s, m_model);
    m_fieldWidgets.insert(u"body"_s, m_body);
    m_fieldWidgets.insert(u"method"_s, m_method);

    connect(m_url, &QLineEdit::textEdited, this, &RequestEditor::onUrlEdited);
    connect(m_endpoint, &QComboBox::activated, this, &RequestEditor::onEndpointChosen);
    connect(m_method, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (m_updating)
            return;
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

QWidget *RequestEditor::buildGatewayForm()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto edited = [this] {
        if (!m_updating)
            onFormEdited();
    };

    m_metadataEnabled = new QCheckBox(tr("Send x-tfy-metadata"));
    m_metadataEnabled->setObjectName(u"metadataEnabled"_s);
    m_metadata = keyValueTable(u"metadata"_s, tr("Key"), tr("Value"));
    connect(m_metadataEnabled, &QCheckBox::toggled, this, edited);
    connect(m_metadata, &QTableWidget::itemChanged, this, edited);
    auto *metaBox = new QWidget;
    auto *metaLayout = new QVBoxLayout(metaBox);
    metaLayout->setContentsMargins(0, 0, 0, 0);
    metaLayout->addWidget(m_metadataEnabled);
    metaLayout->addWidget(withRowButtons(m_metadata, edited));
    metaLayout->addWidget(messageLabel(u"metadata"_s));
    form->addRow(tr("Metadata"), metaBox);
    m_fieldWidgets.insert(u"metadata"_s, m_metadata);

    m_provider = addLineField(form, u"providerName"_s, tr("&Provider name"),
        tr("x-tfy-provider-name (needed by /responses)"), edited);

    m_strict = new QComboBox;
    m_strict->setObjectName(u"strictOpenAi"_s);
    m_strict->addItems({ tr("not sent"), tr("true: OpenAI-compliant output"),
        tr("false: let provider extras through") });
    connect(m_strict, &QComboBox::activated, this, edited);
    form->addRow(tr("&Strict OpenAI"), m_strict);
    form->addRow(QString(), messageLabel(u"strictOpenAi"_s));
    m_fieldWidgets.insert(u"strictOpenAi"_s, m_strict);

    auto *retryBox = new QWidget;
    auto *retryLayout = new QVBoxLayout(retryBox);
    retryLayout->setContentsMargins(0, 0, 0, 0);
    m_retryEnabled = new QCheckBox(tr("Send x-tfy-retry-config"));
    m_retryEnabled->setObjectName(u"retryEnabled"_s);
    m_retryAttempts = new QSpinBox;
    m_retryAttempts->setObjectName(u"retryAttempts"_s);
    m_retryAttempts->setRange(0, 20);
    m_retryAttempts->setPrefix(tr("attempts: "));
    auto *chips = new QHBoxLayout;
    for (int code : kChipCodes) {
        auto *chip = new QToolButton;
        chip->setText(QString::number(code));
        chip->setCheckable(true);
        chip->setObjectName(u"chip%1"_s.arg(code));
        chip->setToolTip(tr("Retry on HTTP %1").arg(code));
        connect(chip, &QToolButton::toggled, this, edited);
        chips->addWidget(chip);
        m_codeChips << chip;
    }
    m_otherCodes = new QLineEdit;
    m_otherCodes->setObjectName(u"otherCodes"_s);
    m_otherCodes->setPlaceholderText(tr("other codes, comma-separated"));
    chips->addWidget(m_otherCodes, 1);
    m_retryAfter = new QCheckBox(tr("Honour Retry-After"));
    m_retryAfter->setObjectName(u"retryAfter"_s);
    connect(m_retryEnabled, &QCheckBox::toggled, this, edited);
    connect(m_retryAttempts, &QSpinBox::valueChanged, this, edited);
    connect(m_otherCodes, &QLineEdit::textEdited, this, edited);
    connect(m_retryAfter, &QCheckBox::toggled, this, edited);
    chips->takeAt(chips->indexOf(m_otherCodes));
    chips->addStretch();
    auto *retryTop = new QHBoxLayout;
    retryTop->addWidget(m_retryEnabled);
    retryTop->addWidget(m_retryAttempts);
    retryTop->addStretch();
    auto *retryBottom = new QHBoxLayout;
    retryBottom->addWidget(m_otherCodes, 1);
    retryBottom->addWidget(m_retryAfter);
    retryLayout->addLayout(retryTop);
    retryLayout->addLayout(chips);
    retryLayout->addLayout(retryBottom);
    retryLayout->addWidget(messageLabel(u"retryConfig"_s));
    form->addRow(tr("&Retries"), retryBox);
    m_fieldWidgets.insert(u"retryConfig"_s, m_otherCodes);

    m_requestTimeout = addLineField(form, u"requestTimeoutMs"_s, tr("Request &timeout"),
        tr("milliseconds per attempt (x-tfy-request-timeout)"), edited);
    m_ttftTimeout = addLineField(form, u"ttftTimeoutMs"_s, tr("TT&FT timeout"),
        tr("milliseconds to the first token (x-tfy-ttft-timeout-ms)"), edited);

    m_logging = new QComboBox;
    m_logging->setObjectName(u"loggingEnabled"_s);
    m_logging->addItems({ tr("not sent"), tr("log this request"), tr("do not log this request") });
    connect(m_logging, &QComboBox::activated, this, edited);
    form->addRow(tr("&Logging"), m_logging);
    form->addRow(QString(), messageLabel(u"loggingEnabled"_s));
    m_fieldWidgets.insert(u"loggingEnabled"_s, m_logging);

    m_inputGuardrails = new QLineEdit;
    m_inputGuardrails->setObjectName(u"inputGuardrails"_s);
    m_inputGuardrails->setPlaceholderText(tr("input guardrails, comma-separated (group/name)"));
    m_outputGuardrails = new QLineEdit;
    m_outputGuardrails->setObjectName(u"outputGuardrails"_s);
    m_outputGuardrails->setPlaceholderText(tr("output guardrails, comma-separated"));
    connect(m_inputGuardrails, &QLineEdit::textEdited, this, edited);
    connect(m_outputGuardrails, &QLineEdit::textEdited, this, edited);
    form->addRow(tr("&Guardrails in"), m_inputGuardrails);
    form->addRow(tr("Guardrails out"), m_outputGuardrails);
    form->addRow(QString(), messageLabel(u"guardrails"_s));
    m_fieldWidgets.insert(u"guardrails"_s, m_inputGuardrails);

    m_extraHeaders = keyValueTable(u"extraHeaders"_s, tr("Header"), tr("Value"));
    connect(m_extraHeaders, &QTableWidget::itemChanged, this, edited);
    auto *extraBox = new QWidget;
    auto *extraLayout = new QVBoxLayout(extraBox);
    extraLayout->setContentsMargins(0, 0, 0, 0);
    extraLayout->addWidget(withRowButtons(m_extraHeaders, edited));
    extraLayout->addWidget(messageLabel(u"extraHeaders"_s));
    form->addRow(tr("E&xtra headers"), extraBox);
    m_fieldWidgets.insert(u"extraHeaders"_s, m_extraHeaders);

    m_insecure
        = new QCheckBox(tr("Accept certificate problems (self-hosted gateways; still reported)"));
    m_insecure->setObjectName(u"allowInsecureTls"_s);
    m_insecure->setToolTip(
        tr("Off by default. The problems are shown with the response either way."));
    form->addRow(tr("TLS"), m_insecure);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}

QWidget *RequestEditor::buildWirePage()
{
    auto *page = new QWidget;
    m_wire = new QPlainTextEdit;
    m_wire->setObjectName(u"wire"_s);
    m_wire->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_wire->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_wireNote = new QLabel(tr("Exactly what will be sent; credentials masked. Edit it: the form "
                               "follows, and a masked value you leave alone keeps its secret."));
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
    for (QWidget *w : std::as_const(m_fieldWidgets))
        w->setProperty("invalid", QVariant());
    revalidate();
}

void RequestEditor::setRequest(const GatewayRequest &request)
{
    m_request = request;
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

QString RequestEditor::fieldMessage(const QString &field) const
{
    const QLabel *label = m_messages.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

bool RequestEditor::allowInsecureTls() const
{
    return m_insecure->isChecked();
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
    m_request.model = m_model->text().trimmed();
    // The model lives in the body: write it there so that the body shows what is sent.
    const WireRequest wire = compose(m_request);
    m_request.body = wire.body;
    m_updating = true;
    if (m_body->toPlainText().toUtf8() != m_request.body)
        m_body->setPlainText(QString::fromUtf8(m_request.body));
    m_updating = false;
    commit(false);
}

void RequestEditor::onBodyEdited()
{
    WireRequest wire = compose(m_request);
    wire.body = m_body->toPlainText().toUtf8();
    m_request = decode(wire);
    {
        const QSignalBlocker block(m_model);
        if (!m_model->hasFocus())
            m_model->setText(m_request.model);
    }
    commit(false);
}

void RequestEditor::setHeaderText(QLatin1StringView name, const QString &text)
{
    WireRequest wire = compose(m_request);
    const QByteArrayView key(name.data(), name.size());
    qsizetype at = -1;
    for (qsizetype i = wire.headers.size() - 1; i >= 0; --i) {
        if (headerNameEquals(wire.headers[i].name, key)) {
            wire.headers.removeAt(i);
            at = i;
        }
    }
    if (!text.isEmpty()) {
        const HttpHeader header { QByteArray(name.data(), name.size()), text.toUtf8() };
        if (at >= 0)
            wire.headers.insert(at, header);
        else
            wire.headers.append(header);
    }
    const QString token = m_request.bearerToken;
    m_request = decode(wire);
    m_request.bearerToken = token;
}

void RequestEditor::onFormEdited()
{
    const HttpHeaders current = compose(m_request).headers;
    const auto apply = [&](QLatin1StringView name, const QString &text) {
        if (headerIn(current, name) != text)
            setHeaderText(name, text);
    };

    // Metadata, in the table's order.
    QString metadata;
    if (m_metadataEnabled->isChecked()) {
        GatewayRequest r;
        r.metadata = MetadataEntries(rowsOf(m_metadata));
        metadata = QString::fromUtf8(
            encodeGatewayHeader(r, view(headers::kMetadata)).value_or(QByteArray()));
    }
    apply(headers::kMetadata, metadata);
    apply(headers::kProviderName, m_provider->text().trimmed());
    const int strict = m_strict->currentIndex();
    apply(headers::kStrictOpenAi, strict == 0 ? QString() : strict == 1 ? u"true"_s : u"false"_s);

    // Retries: the chips and the other codes together. Text that is not a status
    // code is the form's own problem: it never reaches the wire.
    QStringList badCodes;
    if (m_retryEnabled->isChecked()) {
        RetryConfig retry;
        retry.attempts = m_retryAttempts->value();
        QList<qint64> codes;
        for (QToolButton *chip : std::as_const(m_codeChips)) {
            if (chip->isChecked())
                codes << chip->text().toLongLong();
        }
        for (const QString &part : splitList(m_otherCodes->text())) {
            bool ok = false;
            const qint64 code = part.toLongLong(&ok);
            if (ok && code >= 100 && code <= 599) {
                if (!codes.contains(code))
                    codes << code;
            } else {
                badCodes << part;
            }
        }
        if (!codes.isEmpty())
            retry.onStatusCodes = codes;
        retry.useRetryAfterHeader = m_retryAfter->isChecked();
        GatewayRequest r;
        r.retryConfig = retry;
        apply(headers::kRetryConfig,
            QString::fromUtf8(
                encodeGatewayHeader(r, view(headers::kRetryConfig)).value_or(QByteArray())));
    } else {
        apply(headers::kRetryConfig, {});
    }
    m_otherCodes->setProperty("badCodes", badCodes);

    apply(headers::kRequestTimeout, m_requestTimeout->text().trimmed());
    apply(headers::kTtftTimeout, m_ttftTimeout->text().trimmed());
    const int logging = m_logging->currentIndex();
    apply(headers::kLoggingConfig,
        logging == 0       ? QString()
            : logging == 1 ? uR"({"enabled":true})"_s
                           : uR"({"enabled":false})"_s);
    const QStringList in = splitList(m_inputGuardrails->text());
    const QStringList out = splitList(m_outputGuardrails->text());
    QString guardrails;
    if (!in.isEmpty() || !out.isEmpty()) {
        GatewayRequest r;
        r.guardrails = Guardrails { in, out };
        guardrails = QString::fromUtf8(
            encodeGatewayHeader(r, view(headers::kGuardrails)).value_or(QByteArray()));
    }
    apply(headers::kGuardrails, guardrails);

    // Extra headers, as a whole.
    HttpHeaders extra;
    for (const auto &[name, value] : rowsOf(m_extraHeaders))
        extra.append({ name.toUtf8(), value.toUtf8() });
    if (extra != m_request.extraHeaders) {
        m_request.extraHeaders = extra;
        const QString token = m_request.bearerToken;
        m_request = decode(compose(m_request));
        m_request.bearerToken = token;
    }
    commit(false);
}

void RequestEditor::onWireEdited()
{
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
    m_wireNote->setText(tr("Exactly what will be sent; credentials masked. Edit it: the form "
                           "follows, and a masked value you leave alone keeps its secret."));
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
    if (m_body->toPlainText().toUtf8() != r.body)
        m_body->setPlainText(QString::fromUtf8(r.body));

    const auto unparsed
        = [&r](QLatin1StringView name) { return headerIn(r.unparsedHeaders, name); };
    const QString rawMetadata = unparsed(headers::kMetadata);
    m_metadataEnabled->setChecked(r.metadata.has_value() || !rawMetadata.isEmpty());
    setRows(m_metadata, r.metadata.value_or(MetadataEntries {}));
    m_provider->setText(r.providerName.value_or(unparsed(headers::kProviderName)));
    m_strict->setCurrentIndex(r.strictOpenAi ? (*r.strictOpenAi ? 1 : 2) : 0);

    const bool retry = r.retryConfig.has_value();
    m_retryEnabled->setChecked(retry || !unparsed(headers::kRetryConfig).isEmpty());
    const RetryConfig rc = r.retryConfig.value_or(RetryConfig {});
    m_retryAttempts->setValue(int(rc.attempts.value_or(0)));
    m_retryAfter->setChecked(rc.useRetryAfterHeader.value_or(false));
    const QList<qint64> codes = rc.onStatusCodes.value_or(QList<qint64> {});
    QStringList others;
    for (qint64 code : codes) {
        if (std::ranges::find(kChipCodes, int(code)) == kChipCodes.end())
            others << QString::number(code);
    }
    for (QToolButton *chip : std::as_const(m_codeChips))
        chip->setChecked(codes.contains(chip->text().toLongLong()));
    if (!m_otherCodes->hasFocus())
        m_otherCodes->setText(others.join(u", "_s));

    const auto numberText = [&](const std::optional<qint64> &v, QLatin1StringView name) {
        return v ? QString::number(*v) : unparsed(name);
    };
    if (!m_requestTimeout->hasFocus())
        m_requestTimeout->setText(numberText(r.requestTimeoutMs, headers::kRequestTimeout));
    if (!m_ttftTimeout->hasFocus())
        m_ttftTimeout->setText(numberText(r.ttftTimeoutMs, headers::kTtftTimeout));
    m_logging->setCurrentIndex(r.loggingEnabled ? (*r.loggingEnabled ? 1 : 2) : 0);
    const Guardrails g = r.guardrails.value_or(Guardrails {});
    if (!m_inputGuardrails->hasFocus())
        m_inputGuardrails->setText(g.input.join(u", "_s));
    if (!m_outputGuardrails->hasFocus())
        m_outputGuardrails->setText(g.output.join(u", "_s));
    QList<std::pair<QString, QString>> extra;
    for (const HttpHeader &h : r.extraHeaders)
        extra.append({ QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
    if (rowsOf(m_extraHeaders) != extra)
        setRows(m_extraHeaders, extra);
    m_updating = false;
}

void RequestEditor::refreshWire()
{
    const QString text
        = QString::fromUtf8(compose(m_request).toText(false)).replace(u"\r\n"_s, u"\n"_s);
    if (text == m_wire->toPlainText())
        return;
    m_updating = true;
    m_wire->setPlainText(text);
    m_updating = false;
}

void RequestEditor::revalidate()
{
    m_issues = validate(m_request);
    const QStringList badCodes = m_otherCodes->property("badCodes").toStringList();
    if (!badCodes.isEmpty())
        m_issues.append({ Issue::Severity::Error, u"retryConfig.onStatusCodes"_s,
            tr("Not an HTTP status code: %1").arg(badCodes.join(u", "_s)) });
    QHash<QString, QStringList> byLabel;
    QHash<QString, bool> errorIn;
    for (const Issue &i : std::as_const(m_issues)) {
        const QString label = labelFor(i.field);
        byLabel[label] << i.message;
        if (i.severity == Issue::Severity::Error)
            errorIn[label] = true;
    }
    for (auto it = m_messages.begin(); it != m_messages.end(); ++it) {
        const QStringList messages = byLabel.value(it.key());
        it.value()->setText(messages.join(u'\n'));
        it.value()->setVisible(!messages.isEmpty());
        it.value()->setStyleSheet(
            toneStyle(errorIn.value(it.key()) ? Tone::Error : Tone::Warning, palette()));
    }
    for (auto it = m_fieldWidgets.begin(); it != m_fieldWidgets.end(); ++it) {
        const bool bad = errorIn.value(it.key());
        if (it.value()->property("invalid").isValid()
            && it.value()->property("invalid").toBool() == bad)
            continue;
        it.value()->setProperty("invalid", bad);
        it.value()->setStyleSheet(bad
                ? u"border: 1px solid %1;"_s.arg(toneColor(Tone::Error, palette()).name())
                : QString());
        it.value()->setToolTip(bad ? byLabel.value(it.key()).join(u'\n') : QString());
    }
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
