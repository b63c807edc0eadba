#include "gatewayform.h"

#include "fieldmessages.h"
#include "ui/flowlayout.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::editor {

namespace {

constexpr std::array kChipCodes { 408, 429, 500, 502, 503, 504 };

QByteArrayView view(QLatin1StringView name)
{
    return QByteArrayView(name.data(), name.size());
}

QString headerIn(const HttpHeaders &headers, QLatin1StringView name)
{
    for (const HttpHeader &h : headers) {
        if (headerNameEquals(h.name, view(name)))
            return QString::fromUtf8(h.value);
    }
    return {};
}

//! Replaces header \a name of \a request (where it was) with \a text; empty removes it.
void setHeaderText(GatewayRequest &request, QLatin1StringView name, const QString &text)
{
    WireRequest wire = compose(request);
    qsizetype at = -1;
    for (qsizetype i = wire.headers.size() - 1; i >= 0; --i) {
        if (headerNameEquals(wire.headers[i].name, view(name))) {
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
    const QString token = request.bearerToken;
    request = decode(wire);
    request.bearerToken = token;
}

//! The header \a name's text for \a r alone, as the gateway header table encodes it.
template <typename Set> QString encoded(QLatin1StringView name, Set set)
{
    GatewayRequest r;
    set(r);
    return QString::fromUtf8(encodeGatewayHeader(r, view(name)).value_or(QByteArray()));
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

//! Commits a cell as the user types in it, not only when the editor closes: the wire
//! follows every key, and a request sent while a cell is still being edited (Ctrl+Enter)
//! carries what the cell shows.
class LiveCellDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor)) {
            connect(line, &QLineEdit::textEdited, this,
                [this, line] { Q_EMIT const_cast<LiveCellDelegate *>(this)->commitData(line); });
        }
        return editor;
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        // The cell changed because the editor committed: the editor keeps its cursor.
        if (auto *line = qobject_cast<QLineEdit *>(editor);
            line && line->text() == index.data(Qt::EditRole).toString())
            return;
        QStyledItemDelegate::setEditorData(editor, index);
    }
};

QTableWidget *keyValueTable(const QString &objectName, const QString &key, const QString &value)
{
    auto *table = new QTableWidget(0, 2);
    table->setItemDelegate(new LiveCellDelegate(table));
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels({ key, value });
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setVisible(false);
    // Four rows in view at least (six at most before it scrolls), whatever the font.
    const int rows = table->verticalHeader()->defaultSectionSize();
    const int chrome = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    table->setMinimumHeight(chrome + 4 * rows);
    table->setMaximumHeight(chrome + 6 * rows);
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

GatewayForm::GatewayForm(FieldMessages *messages, QWidget *parent)
    : QScrollArea(parent)
    , m_messages(messages)
{
    setObjectName(u"gatewayForm"_s);
    auto *page = new QWidget;
    m_form = new QFormLayout(page);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // In a narrow pane a label goes above its field rather than squeezing it.
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    m_form->addRow(tr("Metadata"), buildMetadata());
    m_provider = addLineField(
        u"providerName"_s, tr("&Provider name"), tr("x-tfy-provider-name (needed by /responses)"));

    m_strict = new QComboBox;
    m_strict->setObjectName(u"strictOpenAi"_s);
    m_strict->addItems({ tr("not sent"), tr("true: OpenAI-compliant output"),
        tr("false: let provider extras through") });
    connect(m_strict, &QComboBox::activated, this, &GatewayForm::onEdited);
    m_form->addRow(tr("&Strict OpenAI"), m_strict);
    m_form->addRow(QString(), m_messages->addLabel(u"strictOpenAi"_s));
    m_messages->addWidget(u"strictOpenAi"_s, m_strict);

    m_form->addRow(tr("&Retries"), buildRetries());
    m_requestTimeout = addLineField(u"requestTimeoutMs"_s, tr("Request &timeout"),
        tr("milliseconds per attempt (x-tfy-request-timeout)"));
    m_ttftTimeout = addLineField(u"ttftTimeoutMs"_s, tr("TT&FT timeout"),
        tr("milliseconds to the first token (x-tfy-ttft-timeout-ms)"));

    m_logging = new QComboBox;
    m_logging->setObjectName(u"loggingEnabled"_s);
    m_logging->addItems({ tr("not sent"), tr("log this request"), tr("do not log this request") });
    connect(m_logging, &QComboBox::activated, this, &GatewayForm::onEdited);
    m_form->addRow(tr("&Logging"), m_logging);
    m_form->addRow(QString(), m_messages->addLabel(u"loggingEnabled"_s));
    m_messages->addWidget(u"loggingEnabled"_s, m_logging);

    m_inputGuardrails = new QLineEdit;
    m_inputGuardrails->setObjectName(u"inputGuardrails"_s);
    m_inputGuardrails->setPlaceholderText(tr("input guardrails, comma-separated (group/name)"));
    m_outputGuardrails = new QLineEdit;
    m_outputGuardrails->setObjectName(u"outputGuardrails"_s);
    m_outputGuardrails->setPlaceholderText(tr("output guardrails, comma-separated"));
    connect(m_inputGuardrails, &QLineEdit::textEdited, this, &GatewayForm::onEdited);
    connect(m_outputGuardrails, &QLineEdit::textEdited, this, &GatewayForm::onEdited);
    m_form->addRow(tr("&Guardrails in"), m_inputGuardrails);
    m_form->addRow(tr("Guardrails out"), m_outputGuardrails);
    m_form->addRow(QString(), m_messages->addLabel(u"guardrails"_s));
    m_messages->addWidget(u"guardrails"_s, m_inputGuardrails);

    // A Vertex account's /files and /batches (docs.truefoundry.com/gateway/file-endpoints).
    m_vertexBucket = addLineField(u"vertexStorageBucketName"_s, tr("Vertex bucket"),
        tr("x-tfy-vertex-storage-bucket-name (Vertex files, batches)"));
    m_vertexRegion = addLineField(
        u"vertexRegion"_s, tr("Vertex region"), tr("x-tfy-vertex-region, e.g. us-central1"));
    m_providerModel = addLineField(
        u"providerModel"_s, tr("Provider model"), tr("x-tfy-provider-model (Vertex batches)"));

    m_form->addRow(tr("E&xtra headers"), buildExtraHeaders());
    m_insecure = new QCheckBox(tr("Accept certificate problems"));
    m_insecure->setObjectName(u"allowInsecureTls"_s);
    m_insecure->setToolTip(tr("For self-hosted gateways. Off by default; the problems are "
                              "shown with the response either way."));
    m_form->addRow(tr("TLS"), m_insecure);

    // Choices shrink to a sensible width in a narrow pane; their lists stay whole.
    for (QComboBox *combo : { m_strict, m_logging }) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
    }

    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setWidget(page);
}

QLineEdit *GatewayForm::addLineField(
    const QString &field, const QString &label, const QString &placeholder)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(field);
    edit->setPlaceholderText(placeholder);
    connect(edit, &QLineEdit::textEdited, this, &GatewayForm::onEdited);
    m_form->addRow(label, edit);
    m_form->addRow(QString(), m_messages->addLabel(field));
    m_messages->addWidget(field, edit);
    return edit;
}

QWidget *GatewayForm::buildMetadata()
{
    m_metadataEnabled = new QCheckBox(tr("Send x-tfy-metadata"));
    m_metadataEnabled->setObjectName(u"metadataEnabled"_s);
    m_metadata = keyValueTable(u"metadata"_s, tr("Key"), tr("Value"));
    connect(m_metadataEnabled, &QCheckBox::toggled, this, &GatewayForm::onEdited);
    connect(m_metadata, &QTableWidget::itemChanged, this, &GatewayForm::onEdited);
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_metadataEnabled);
    layout->addWidget(withRowButtons(m_metadata, [this] { onEdited(); }));
    layout->addWidget(m_messages->addLabel(u"metadata"_s));
    m_messages->addWidget(u"metadata"_s, m_metadata);
    return box;
}

QWidget *GatewayForm::buildRetries()
{
    m_retryEnabled = new QCheckBox(tr("Send x-tfy-retry-config"));
    m_retryEnabled->setObjectName(u"retryEnabled"_s);
    m_retryAttempts = new QSpinBox;
    m_retryAttempts->setObjectName(u"retryAttempts"_s);
    m_retryAttempts->setRange(0, 20);
    m_retryAttempts->setPrefix(tr("attempts: "));
    auto *chips = new FlowLayout;
    for (int code : kChipCodes) {
        auto *chip = new QToolButton;
        chip->setText(QString::number(code));
        chip->setCheckable(true);
        chip->setObjectName(u"chip%1"_s.arg(code));
        chip->setToolTip(tr("Retry on HTTP %1").arg(code));
        // A chosen code is unmistakable: the selection colour, not a shade of grey.
        chip->setStyleSheet(u"QToolButton:checked { background: palette(highlight); "
                            "color: palette(highlighted-text); border: 1px solid "
                            "palette(highlight); border-radius: 3px; }"_s);
        connect(chip, &QToolButton::toggled, this, &GatewayForm::onEdited);
        chips->addWidget(chip);
        m_codeChips << chip;
    }
    m_otherCodes = new QLineEdit;
    m_otherCodes->setObjectName(u"otherCodes"_s);
    m_otherCodes->setPlaceholderText(tr("other codes, comma-separated"));
    // Wide enough for its hint; the row wraps below the chips if it must.
    m_otherCodes->setMinimumWidth(
        m_otherCodes->fontMetrics().horizontalAdvance(m_otherCodes->placeholderText()) + 24);
    m_retryAfter = new QCheckBox(tr("Honour Retry-After"));
    m_retryAfter->setObjectName(u"retryAfter"_s);
    connect(m_retryEnabled, &QCheckBox::toggled, this, &GatewayForm::onEdited);
    connect(m_retryAttempts, &QSpinBox::valueChanged, this, &GatewayForm::onEdited);
    connect(m_otherCodes, &QLineEdit::textEdited, this, &GatewayForm::onEdited);
    connect(m_retryAfter, &QCheckBox::toggled, this, &GatewayForm::onEdited);

    // Each row reflows in a narrow pane rather than asking for a horizontal scroll bar.
    auto *top = new FlowLayout;
    top->addWidget(m_retryEnabled);
    top->addWidget(m_retryAttempts);
    auto *bottom = new FlowLayout;
    bottom->addWidget(m_otherCodes);
    bottom->addWidget(m_retryAfter);
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(chips);
    layout->addLayout(bottom);
    layout->addWidget(m_messages->addLabel(u"retryConfig"_s));
    m_messages->addWidget(u"retryConfig"_s, m_otherCodes);
    return box;
}

QWidget *GatewayForm::buildExtraHeaders()
{
    m_extraHeaders = keyValueTable(u"extraHeaders"_s, tr("Header"), tr("Value"));
    connect(m_extraHeaders, &QTableWidget::itemChanged, this, &GatewayForm::onEdited);
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(withRowButtons(m_extraHeaders, [this] { onEdited(); }));
    layout->addWidget(m_messages->addLabel(u"extraHeaders"_s));
    m_messages->addWidget(u"extraHeaders"_s, m_extraHeaders);
    return box;
}

void GatewayForm::onEdited()
{
    if (!m_showing)
        Q_EMIT edited();
}

bool GatewayForm::allowInsecureTls() const
{
    return m_insecure->isChecked();
}

// --- form -> request -----------------------------------------------------------

std::optional<RetryConfig> GatewayForm::retryConfig()
{
    // Text that is not a status code is the form's own problem: it never reaches the wire.
    m_badCodes.clear();
    if (!m_retryEnabled->isChecked())
        return std::nullopt;
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
            m_badCodes << part;
        }
    }
    if (!codes.isEmpty())
        retry.onStatusCodes = codes;
    retry.useRetryAfterHeader = m_retryAfter->isChecked();
    return retry;
}

void GatewayForm::applyTo(GatewayRequest &request)
{
    const HttpHeaders current = compose(request).headers;
    const auto apply = [&](QLatin1StringView name, const QString &text) {
        if (headerIn(current, name) != text)
            setHeaderText(request, name, text);
    };

    // Metadata, in the table's order.
    QString metadata;
    if (m_metadataEnabled->isChecked()) {
        const MetadataEntries rows(rowsOf(m_metadata));
        metadata = encoded(headers::kMetadata, [&](GatewayRequest &r) { r.metadata = rows; });
    }
    apply(headers::kMetadata, metadata);
    apply(headers::kProviderName, m_provider->text().trimmed());
    const int strict = m_strict->currentIndex();
    apply(headers::kStrictOpenAi, strict == 0 ? QString() : strict == 1 ? u"true"_s : u"false"_s);
    QString retryText;
    if (const std::optional<RetryConfig> retry = retryConfig())
        retryText
            = encoded(headers::kRetryConfig, [&](GatewayRequest &r) { r.retryConfig = retry; });
    apply(headers::kRetryConfig, retryText);
    apply(headers::kRequestTimeout, m_requestTimeout->text().trimmed());
    apply(headers::kTtftTimeout, m_ttftTimeout->text().trimmed());
    const int logging = m_logging->currentIndex();
    const QString loggingText[] { QString(), uR"({"enabled":true})"_s, uR"({"enabled":false})"_s };
    apply(headers::kLoggingConfig, loggingText[std::clamp(logging, 0, 2)]);
    const QStringList in = splitList(m_inputGuardrails->text());
    const QStringList out = splitList(m_outputGuardrails->text());
    QString guardrails;
    if (!in.isEmpty() || !out.isEmpty()) {
        const Guardrails both { in, out };
        guardrails = encoded(headers::kGuardrails, [&](GatewayRequest &r) { r.guardrails = both; });
    }
    apply(headers::kGuardrails, guardrails);
    apply(headers::kVertexStorageBucketName, m_vertexBucket->text().trimmed());
    apply(headers::kVertexRegion, m_vertexRegion->text().trimmed());
    apply(headers::kProviderModel, m_providerModel->text().trimmed());

    // Extra headers, as a whole.
    HttpHeaders extra;
    for (const auto &[name, value] : rowsOf(m_extraHeaders))
        extra.append({ name.toUtf8(), value.toUtf8() });
    if (extra != request.extraHeaders) {
        request.extraHeaders = extra;
        const QString token = request.bearerToken;
        request = decode(compose(request));
        request.bearerToken = token;
    }
}

// --- request -> form -----------------------------------------------------------

void GatewayForm::showRequest(const GatewayRequest &r)
{
    m_showing = true;
    const auto unparsed
        = [&r](QLatin1StringView name) { return headerIn(r.unparsedHeaders, name); };
    m_metadataEnabled->setChecked(
        r.metadata.has_value() || !unparsed(headers::kMetadata).isEmpty());
    setRows(m_metadata, r.metadata.value_or(MetadataEntries {}));
    m_provider->setText(r.providerName.value_or(unparsed(headers::kProviderName)));
    m_strict->setCurrentIndex(r.strictOpenAi ? (*r.strictOpenAi ? 1 : 2) : 0);
    showRetries(r);

    const auto numberText = [&](const std::optional<qint64> &v, QLatin1StringView name) {
        return v ? QString::number(*v) : unparsed(name);
    };
    if (!m_requestTimeout->hasFocus())
        m_requestTimeout->setText(numberText(r.requestTimeoutMs, headers::kRequestTimeout));
    if (!m_ttftTimeout->hasFocus())
        m_ttftTimeout->setText(numberText(r.ttftTimeoutMs, headers::kTtftTimeout));
    const auto showText
        = [&](QLineEdit *edit, const std::optional<QString> &value, QLatin1StringView name) {
              if (!edit->hasFocus())
                  edit->setText(value.value_or(unparsed(name)));
          };
    showText(m_vertexBucket, r.vertexStorageBucketName, headers::kVertexStorageBucketName);
    showText(m_vertexRegion, r.vertexRegion, headers::kVertexRegion);
    showText(m_providerModel, r.providerModel, headers::kProviderModel);
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
    m_showing = false;
}

void GatewayForm::showRetries(const GatewayRequest &r)
{
    m_retryEnabled->setChecked(
        r.retryConfig.has_value() || !headerIn(r.unparsedHeaders, headers::kRetryConfig).isEmpty());
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
}

} // namespace gs::ui::editor
