#include "ui/batchview.h"

#include "core/model/validation.h"
#include "core/net/gatewaysession.h"
#include "core/store/atomicfile.h"
#include "ui/tones.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

enum Column {
    CustomId,
    Status,
    Model,
    Tokens,
    FinishReason,
    ErrorText,
    ColumnCount
};

//! The row's answer, error and gateway line, kept on the first cell.
constexpr int kDetailRole = Qt::UserRole + 1;
constexpr int kLineRole = Qt::UserRole + 2;

//! Reads \a path in pieces through the batch linter (off the UI thread).
BatchLint lintFile(const QString &path, const QString &endpoint, qsizetype minLines)
{
    BatchLinter linter(BatchLinter::Options { endpoint, minLines });
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        BatchLint lint;
        lint.errors = 1;
        lint.problems.append(BatchLintProblem { 0, BatchLintProblem::Severity::Error,
            u"Cannot read %1: %2"_s.arg(path, file.errorString()) });
        return lint;
    }
    for (;;) {
        const QByteArray chunk = file.read(1024 * 1024);
        if (chunk.isEmpty())
            break;
        linter.feed(chunk);
    }
    return linter.finish();
}

QString csvField(QString text)
{
    if (text.contains(u',') || text.contains(u'"') || text.contains(u'\n')
        || text.contains(u'\r')) {
        text.replace(u"\""_s, u"\"\""_s);
        return u'"' + text + u'"';
    }
    return text;
}

} // namespace

BatchView::BatchView(GatewaySession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_file(new QLineEdit(this))
    , m_provider(new QLineEdit(this))
    , m_endpoint(new QComboBox(this))
    , m_gateway(new QLabel(this))
    , m_lint(new QLabel(this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_cancelRemote(new QPushButton(tr("&Cancel Batch on Gateway"), this))
    , m_export(new QPushButton(tr("&Export Results…"), this))
    , m_progress(new QProgressBar(this))
    , m_timeline(new QTreeWidget(this))
    , m_filter(new QLineEdit(this))
    , m_model(new QStandardItemModel(0, ColumnCount, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_answer(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Batch — Gatescope"));
    m_file->setObjectName(u"batchFile"_s);
    m_file->setPlaceholderText(tr("A .jsonl file: one request per line"));
    m_provider->setObjectName(u"batchProvider"_s);
    m_provider->setPlaceholderText(tr("x-tfy-provider-name (required by the gateway)"));
    m_endpoint->setObjectName(u"batchEndpoint"_s);
    m_endpoint->setEditable(true);
    m_endpoint->addItems({ u"/v1/chat/completions"_s, u"/v1/embeddings"_s, u"/v1/responses"_s });
    m_lint->setObjectName(u"batchLint"_s);
    m_lint->setWordWrap(true);
    m_lint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_start->setObjectName(u"batchStart"_s);
    m_start->setToolTip(tr("Upload the file, create the batch and follow it (Ctrl+Return)"));
    m_stop->setObjectName(u"batchStop"_s);
    m_stop->setToolTip(tr("Stop here; a batch already created keeps running on the gateway"));
    m_cancelRemote->setObjectName(u"batchCancel"_s);
    m_export->setObjectName(u"batchExport"_s);
    m_progress->setObjectName(u"batchProgress"_s);
    m_progress->setTextVisible(true);
    m_timeline->setObjectName(u"batchTimeline"_s);
    m_timeline->setHeaderLabels({ tr("Time"), tr("Status"), tr("Requests") });
    m_timeline->setRootIsDecorated(false);
    m_timeline->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_filter->setObjectName(u"batchFilter"_s);
    m_filter->setPlaceholderText(tr("Filter results (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_model->setHorizontalHeaderLabels(
        { tr("custom_id"), tr("Status"), tr("Model"), tr("Tokens"), tr("Finish"), tr("Error") });
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName(u"batchResults"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // In the input's order until the user sorts by a column.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_answer->setObjectName(u"batchAnswer"_s);
    m_answer->setReadOnly(true);
    m_answer->setPlaceholderText(tr("The selected request's answer"));

    auto *browse = new QPushButton(tr("&Browse…"), this);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    form->addRow(tr("&Provider account:"), m_provider);
    form->addRow(tr("E&ndpoint:"), m_endpoint);
    form->addRow(tr("Gateway:"), m_gateway);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_cancelRemote);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    auto *resultsPane = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(resultsPane);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_filter);
    resultsLayout->addWidget(m_table, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_timeline);
    split->addWidget(resultsPane);
    split->addWidget(m_answer);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_lint);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(split, 1);
    m_timeline->setMinimumHeight(60);
    m_answer->setMinimumHeight(50);

    connect(browse, &QPushButton::clicked, this, &BatchView::browse);
    // A file checked again only when its path changed: a click on Start that takes the
    // focus from this field must not start a new check (and lose the click).
    connect(m_file, &QLineEdit::editingFinished, this, [this] {
        if (!file().isEmpty() && file() != m_checkedFile)
            setFile(file());
    });
    connect(m_endpoint, &QComboBox::currentTextChanged, this, [this] {
        if (!file().isEmpty())
            setFile(file());
    });
    connect(m_provider, &QLineEdit::textChanged, this, &BatchView::updateState);
    connect(m_start, &QPushButton::clicked, this, &BatchView::start);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->abort();
    });
    connect(m_cancelRemote, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancelOnGateway();
        updateState();
    });
    connect(m_export, &QPushButton::clicked, this, &BatchView::askExport);
    connect(
        m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &BatchView::showAnswer);
    connect(&m_lintWatcher, &QFutureWatcher<BatchLint>::finished, this,
        [this] { showLint(m_lintWatcher.result()); });
    auto *startKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(startKey, &QShortcut::activated, this, [this] {
        if (m_start->isEnabled())
            start();
    });
    auto *filterKey = new QShortcut(QKeySequence::Find, this);
    connect(filterKey, &QShortcut::activated, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    if (m_session) {
        connect(m_session, &GatewaySession::changed, this, &BatchView::updateState);
        if (m_session->isDemo())
            m_provider->setText(u"openai-main"_s);
    }
    updateState();
}

BatchView::~BatchView()
{
    m_lintWatcher.waitForFinished();
    m_job.reset();
    // Widgets going away report changes (a combo box its text, a table its selection)
    // to handlers whose other widgets may be gone already: they report to no one now.
    for (QObject *child : findChildren<QObject *>())
        child->disconnect(this);
}

QString BatchView::file() const
{
    return m_file->text().trimmed();
}

QAbstractItemModel *BatchView::results() const
{
    return m_proxy;
}

void BatchView::browse()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Batch Input"),
        QFileInfo(file()).absolutePath(), tr("Batch input (*.jsonl);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void BatchView::setFile(const QString &path)
{
    if (m_file->text() != path)
        m_file->setText(path);
    m_lintResult.reset();
    m_checkedFile = path;
    m_lint->setText(tr("Checking %1…").arg(QFileInfo(path).fileName()));
    const QString endpoint = m_endpoint->currentText();
    const qsizetype minLines = minBatchLines(m_provider->text());
    m_lintWatcher.waitForFinished();
    m_lintWatcher.setFuture(QtConcurrent::run(lintFile, path, endpoint, minLines));
    updateState();
}

void BatchView::showLint(const BatchLint &lint)
{
    m_lintResult = lint;
    QStringList lines;
    if (lint.ok()) {
        QStringList models;
        for (const auto &[model, count] : lint.models.asKeyValueRange())
            models << u"%1 ×%2"_s.arg(model).arg(count);
        const QString requests
            = lint.requests == 1 ? tr("1 request") : tr("%1 requests").arg(lint.requests);
        const QString endpoint = lint.endpoint.isEmpty() ? tr("no endpoint") : lint.endpoint;
        const QString used = models.isEmpty() ? QString() : u" — "_s + models.join(u", "_s);
        lines << tr("%1 to %2").arg(requests, endpoint) + used;
    } else {
        const QString errors = lint.errors == 1 ? tr("1 error") : tr("%1 errors").arg(lint.errors);
        lines << tr("%1: nothing will be sent until the file is fixed.").arg(errors);
    }
    for (const BatchLintProblem &p : lint.problems.mid(0, 8)) {
        const QString where = p.line > 0 ? tr("line %1: ").arg(p.line) : QString();
        const QString kind
            = p.severity == BatchLintProblem::Severity::Error ? tr("error") : tr("warning");
        lines << u"%1 %2%3"_s.arg(kind, where, p.message.toHtmlEscaped());
    }
    if (lint.problems.size() > 8)
        lines << tr("and %1 more").arg(lint.problems.size() - 8 + lint.problemsLeftOut);
    m_lint->setText(lines.join(u"<br>"_s));
    updateState();
    Q_EMIT lintFinished();
}

void BatchView::updateState()
{
    const bool running = m_job && !m_job->isFinished();
    const bool gateway = m_session && m_session->isSet();
    m_gateway->setText(gateway
            ? m_session->baseUrl() + (m_session->isDemo() ? tr(" (demo)") : QString())
            : tr("none: Gateway ▸ Set Up Gateway, or Use the Demo Gateway"));
    m_start->setEnabled(!running && gateway && m_lintResult && m_lintResult->ok()
        && !m_provider->text().trimmed().isEmpty());
    m_stop->setEnabled(running);
    m_cancelRemote->setEnabled(running && !m_job->batchId().isEmpty() && !m_job->cancelAsked());
    m_export->setEnabled(m_model->rowCount() > 0);
    m_file->setEnabled(!running);
    m_provider->setEnabled(!running);
    m_endpoint->setEnabled(!running);
}

bool BatchView::start()
{
    if (!m_session || !m_session->isSet() || !m_lintResult || !m_lintResult->ok()) {
        Q_EMIT message(tr("Choose a batch file without errors and a gateway first."));
        return false;
    }
    const BatchGateway gateway
        = batchGateway(m_session->baseUrl(), m_session->token(), m_provider->text());
    for (const Issue &i : gateway.issues) {
        if (i.severity == Issue::Severity::Error) {
            m_lint->setText(tr("Not started: %1: %2").arg(i.field, i.message.toHtmlEscaped()));
            return false;
        }
    }
    BatchJobSettings settings;
    settings.gateway = gateway.request;
    settings.inputPath = file();
    settings.endpoint = m_endpoint->currentText();
    settings.minLines = minBatchLines(m_provider->text());
    settings.exchange.idleTimeoutMs = 300'000;

    m_model->removeRows(0, m_model->rowCount());
    m_timeline->clear();
    m_answer->clear();
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setFormat(tr("Starting…"));
    m_start->setEnabled(false);
    m_session->loadTls({}, this, [this, settings](const Result<TlsMaterial> &material) mutable {
        if (!material) {
            m_lint->setText(tr("Not started: %1").arg(material.error().message.toHtmlEscaped()));
            updateState();
            return;
        }
        settings.exchange.useTls(*material);
        m_job = std::make_unique<BatchJob>(m_session->networkFor(*material), settings);
        connect(m_job.get(), &BatchJob::stageChanged, this, [this] {
            showProgress();
            updateState();
        });
        connect(m_job.get(), &BatchJob::uploadProgress, this, &BatchView::showProgress);
        connect(m_job.get(), &BatchJob::statusChanged, this, [this] {
            addStatus();
            showProgress();
            updateState();
        });
        connect(m_job.get(), &BatchJob::exchangeFinished, this, &BatchView::exchangeFinished);
        connect(m_job.get(), &BatchJob::finished, this, [this] {
            showResults();
            showProgress();
            updateState();
            Q_EMIT finished();
        });
        m_job->start();
        updateState();
    });
    return true;
}

void BatchView::showProgress()
{
    if (!m_job)
        return;
    switch (m_job->stage()) {
    case BatchJob::Stage::Idle:
    case BatchJob::Stage::Linting:
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Checking the file…"));
        return;
    case BatchJob::Stage::Uploading: {
        const qint64 total = std::max<qint64>(1, m_job->uploadTotal());
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(m_job->uploadedBytes() * 1000 / total));
        m_progress->setFormat(tr("Uploading: %p%"));
        return;
    }
    case BatchJob::Stage::Creating:
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Creating the batch…"));
        return;
    case BatchJob::Stage::Polling: {
        const BatchStatusChange last
            = m_job->history().isEmpty() ? BatchStatusChange {} : m_job->history().last();
        m_progress->setRange(0, int(std::max<qint64>(1, last.total)));
        m_progress->setValue(int(last.completed + last.failed));
        m_progress->setFormat(
            last.total > 0 ? tr("%1: %v of %m done").arg(last.status) : last.status);
        return;
    }
    case BatchJob::Stage::Downloading:
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Downloading the results…"));
        return;
    case BatchJob::Stage::Done:
        break;
    }
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    const QString outcome = BatchJob::outcomeName(m_job->outcome());
    m_progress->setFormat(
        m_job->batchId().isEmpty() ? outcome : m_job->batchId() + u": "_s + outcome);
    if (!m_job->message().isEmpty()) {
        m_lint->setText(m_job->message().toHtmlEscaped());
        Q_EMIT message(m_job->message());
    }
}

void BatchView::addStatus()
{
    const BatchStatusChange &c = m_job->history().last();
    const QString counts = c.total > 0
        ? tr("%1 of %2 done, %3 failed").arg(c.completed + c.failed).arg(c.total).arg(c.failed)
        : QString();
    auto *item = new QTreeWidgetItem(
        m_timeline, { QString::number(double(c.atMs) / 1000, 'f', 1) + u" s"_s, c.status, counts });
    m_timeline->scrollToItem(item);
}

void BatchView::showResults()
{
    m_model->removeRows(0, m_model->rowCount());
    for (const BatchResultRow &r : m_job->results()) {
        if (r.statusCode == 0 && r.error.isEmpty() && r.result.isEmpty()
            && m_job->outcome() != BatchJob::Outcome::Completed
            && m_job->outcome() != BatchJob::Outcome::Cancelled)
            continue; // nothing ran: no row to show
        QList<QStandardItem *> row;
        auto *id = new QStandardItem(r.customId);
        const QString raw = r.result.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(r.result).toJson(QJsonDocument::Indented));
        const QString detail = (r.error.isEmpty() ? r.answer : r.error) + u"\n\n"_s + raw;
        id->setData(detail, kDetailRole);
        id->setData(QJsonDocument(r.result).toJson(QJsonDocument::Compact), kLineRole);
        row << id;
        auto *status = new QStandardItem();
        status->setData(
            r.statusCode > 0 ? QVariant(r.statusCode) : QVariant(tr("no result")), Qt::DisplayRole);
        row << status << new QStandardItem(r.model);
        auto *tokens = new QStandardItem();
        if (r.promptTokens >= 0 || r.completionTokens >= 0)
            tokens->setData(
                std::max<qint64>(0, r.promptTokens) + std::max<qint64>(0, r.completionTokens),
                Qt::DisplayRole);
        row << tokens << new QStandardItem(r.finishReason) << new QStandardItem(r.error);
        if (!r.succeeded())
            for (QStandardItem *cell : row)
                cell->setForeground(toneColor(Tone::Error, palette()));
        m_model->appendRow(row);
    }
    m_table->resizeColumnsToContents();
}

void BatchView::showAnswer()
{
    const QModelIndex current = m_table->currentIndex();
    m_answer->setPlainText(current.isValid()
            ? m_proxy->index(current.row(), CustomId).data(kDetailRole).toString().trimmed()
            : QString());
}

Result<void> BatchView::exportResults(const QString &path) const
{
    QByteArray out;
    const bool jsonl = path.endsWith(".jsonl"_L1, Qt::CaseInsensitive);
    if (!jsonl) {
        QStringList header;
        for (int c = 0; c < ColumnCount; ++c)
            header << csvField(m_model->headerData(c, Qt::Horizontal).toString());
        out += header.join(u',').toUtf8() + "\r\n";
    }
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        if (jsonl) {
            out += m_proxy->index(r, CustomId).data(kLineRole).toByteArray() + '\n';
            continue;
        }
        QStringList fields;
        for (int c = 0; c < ColumnCount; ++c)
            fields << csvField(m_proxy->index(r, c).data().toString());
        out += fields.join(u',').toUtf8() + "\r\n";
    }
    const auto saved = saveFileAtomically(path, out);
    if (!saved)
        return std::unexpected(saved.error());
    return {};
}

void BatchView::askExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Results"),
        QFileInfo(file()).absolutePath() + u"/results.csv"_s,
        tr("CSV (*.csv);;JSON Lines (*.jsonl)"));
    if (path.isEmpty())
        return;
    const auto written = exportResults(path);
    Q_EMIT message(written ? tr("Results written to %1").arg(path)
                           : tr("Could not write %1: %2").arg(path, written.error().message));
}

} // namespace gs::ui
