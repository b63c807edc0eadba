#include "ui/compare/replayview.h"

#include "core/model/redaction.h"
#include "core/net/gatewaysession.h"
#include "ui/savemenu.h"
#include "ui/tones.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

enum Column {
    Request,
    Status,
    Shape,
    Model,
    Latency,
    Ttft,
    Tokens,
    Alike,
    Columns
};

} // namespace

ReplayView::ReplayView(GatewaySession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_summary(new QLabel(this))
    , m_environment(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_modelMap(new QLineEdit(this))
    , m_dropHeaders(new QLineEdit(this))
    , m_setHeaders(new QPlainTextEdit(this))
    , m_concurrency(new QSpinBox(this))
    , m_dryRun(new QPushButton(tr("&Dry Run"), this))
    , m_replay(new QPushButton(tr("&Replay"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_export(new QPushButton(tr("E&xport"), this))
    , m_status(new QLabel(this))
    , m_plan(new QPlainTextEdit(this))
    , m_table(new QTreeWidget(this))
{
    setWindowTitle(tr("Replay"));
    m_summary->setObjectName(u"replaySummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_baseUrl->setObjectName(u"replayBaseUrl"_s);
    m_baseUrl->setText(session->baseUrl());
    m_baseUrl->setPlaceholderText(u"https://gateway.example.com/api/llm"_s);
    m_token->setObjectName(u"replayToken"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setText(session->token());
    m_token->setToolTip(tr("The target's token: the window's gateway's to begin with. It is "
                           "never shown, written or kept."));
    m_modelMap->setObjectName(u"replayModels"_s);
    m_modelMap->setPlaceholderText(tr("FROM=TO, *=TO"));
    m_modelMap->setToolTip(tr("Models to send instead of the recorded ones, comma-separated; * "
                              "stands for any model, and the first match counts."));
    m_dropHeaders->setObjectName(u"replayDrop"_s);
    m_dropHeaders->setPlaceholderText(tr("x-tfy-metadata, x-tfy-retry-config"));
    m_setHeaders->setObjectName(u"replaySet"_s);
    m_setHeaders->setPlaceholderText(tr("Name: value, one a line"));
    m_setHeaders->setTabChangesFocus(true);
    m_setHeaders->setMaximumHeight(m_setHeaders->fontMetrics().lineSpacing() * 3 + 12);
    m_concurrency->setObjectName(u"replayConcurrency"_s);
    m_concurrency->setRange(1, 64);
    m_concurrency->setToolTip(tr("Requests on the wire at once (1: one after the other)."));

    m_environment->setObjectName(u"replayEnvironment"_s);
    m_environment->addItem(tr("The window's gateway"));
    m_environment->setToolTip(tr("Where to replay: the window's gateway, or an environment of an "
                                 "open collection (its baseUrl and token variables; secrets "
                                 "from the keyring)."));
    m_environment->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_environment->setMinimumContentsLength(12);
    connect(m_environment, &QComboBox::activated, this, &ReplayView::useEnvironment);

    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Environment:"), m_environment);
    form->addRow(tr("&Base URL:"), m_baseUrl);
    form->addRow(tr("To&ken:"), m_token);
    form->addRow(tr("&Models:"), m_modelMap);
    form->addRow(tr("Dr&op headers:"), m_dropHeaders);
    form->addRow(tr("&Set headers:"), m_setHeaders);
    form->addRow(tr("&Concurrency:"), m_concurrency);

    m_dryRun->setObjectName(u"replayDryRun"_s);
    m_replay->setObjectName(u"replayStart"_s);
    m_stop->setObjectName(u"replayStop"_s);
    m_stop->setToolTip(tr("Stop sending (Esc); what finished stays"));
    m_export->setObjectName(u"replayExport"_s);
    auto *exportMenu = new QMenu(m_export);
    addSaveAction(exportMenu, tr("&JSON…"), tr("Export Replay"), u"replay.json"_s,
        tr("JSON (*.json)"), [this](const QString &path) { exportJson(path); });
    addSaveAction(exportMenu, tr("J&Unit XML…"), tr("Export Replay"), u"replay.xml"_s,
        tr("JUnit XML (*.xml)"), [this](const QString &path) { exportJUnit(path); });
    m_export->setMenu(exportMenu);
    m_status->setObjectName(u"replayStatus"_s);
    m_status->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_dryRun);
    buttons->addWidget(m_replay);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_export);
    buttons->addWidget(m_status, 1);

    m_plan->setObjectName(u"replayPlan"_s);
    m_plan->setReadOnly(true);
    m_plan->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_plan->setPlaceholderText(tr("Dry Run lists the requests as they will be sent."));
    m_table->setObjectName(u"replayTable"_s);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setHeaderLabels({ tr("Request"), tr("Status"), tr("Answer's shape"),
        tr("Resolved model"), tr("Latency"), tr("TTFT"), tr("Tokens"), tr("Alike") });
    m_table->header()->setStretchLastSection(false);
    m_table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(Model, QHeaderView::Stretch);
    m_table->setToolTip(tr("Return or a double click compares a recording with its replay"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_plan);
    split->addWidget(m_table);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);

    connect(m_dryRun, &QPushButton::clicked, this, &ReplayView::dryRun);
    connect(m_replay, &QPushButton::clicked, this, &ReplayView::start);
    connect(m_stop, &QPushButton::clicked, this, &ReplayView::stop);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &ReplayView::stop);
    connect(m_table, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const qsizetype index = item->data(Request, Qt::UserRole).toLongLong();
        if (index >= 0 && index < m_pairs.size())
            Q_EMIT pairChosen(m_pairs[index]);
    });
    updateButtons();
}

ReplayView::~ReplayView()
{
    if (m_run)
        m_run->disconnect(this);
}

void ReplayView::setEntries(const QList<HistoryEntry> &entries)
{
    m_entries = entries;
    QStringList labels;
    for (const HistoryEntry &e : entries)
        labels << u"history %1"_s.arg(e.id);
    m_summary->setText(
        (entries.size() == 1 ? tr("Replays one recorded request: %1")
                             : tr("Replays %1 recorded requests: %2").arg(entries.size()))
            .arg(labels.join(u", "_s)));
    setWindowTitle(tr("Replay %1").arg(labels.join(u", "_s)));
    updateButtons();
}

void ReplayView::setEnvironments(const QList<Environment> &environments, Resolver resolve)
{
    m_environments = environments;
    m_resolve = std::move(resolve);
    while (m_environment->count() > 1)
        m_environment->removeItem(1);
    for (const Environment &e : environments)
        m_environment->addItem(e.label);
}

void ReplayView::useEnvironment(int index)
{
    if (index <= 0 || index > m_environments.size() || !m_resolve) {
        m_baseUrl->setText(m_session->baseUrl());
        m_token->setText(m_session->token());
        return;
    }
    const Environment chosen = m_environments[index - 1];
    m_status->setText(tr("Reading %1…").arg(chosen.label));
    m_resolve(chosen, this, [this, chosen](const Variables &variables) {
        const QString baseUrl = substituteVariables(variables.value(u"baseUrl"_s), variables);
        m_baseUrl->setText(baseUrl);
        m_token->setText(substituteVariables(variables.value(u"token"_s), variables));
        m_status->setStyleSheet(
            baseUrl.isEmpty() ? toneStyle(Tone::Warning, palette()) : QString());
        m_status->setText(baseUrl.isEmpty()
                ? tr("%1 has no baseUrl variable: type the base URL.").arg(chosen.label)
                : tr("Base URL and token from %1.").arg(chosen.label));
    });
}

void ReplayView::setRequests(const QString &source,
    const QList<std::pair<QString, WireRequest>> &requests, const QStringList &secrets)
{
    m_entries.clear();
    m_requests = requests;
    m_secrets = secrets;
    QStringList names;
    for (const auto &[name, request] : requests)
        names << name;
    const QString text = tr("Replays the requests of %1: %2. Replay sends them as they are "
                            "first, then to the target, and compares the answers.");
    m_summary->setText(text.arg(source, names.join(u", "_s)));
    setWindowTitle(tr("Replay %1").arg(source));
    updateButtons();
}

QList<ReplayItem> ReplayView::planFor(const ReplayTarget &target) const
{
    return m_requests.isEmpty() ? planReplay(m_entries, target)
                                : planRequestsReplay(m_requests, m_entries, target);
}

Result<ReplayTarget> ReplayView::target() const
{
    ReplayTarget t;
    t.baseUrl = m_baseUrl->text().trimmed();
    const QUrl url(t.baseUrl);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        || url.host().isEmpty())
        return fail(Error::Kind::Usage,
            tr("The base URL is not an http or https address: \"%1\"").arg(t.baseUrl));
    t.token = m_token->text().trimmed();
    for (const QString &pair : m_modelMap->text().split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0 || pair.sliced(eq + 1).trimmed().isEmpty())
            return fail(Error::Kind::Usage,
                tr("Models are mapped as FROM=TO, not \"%1\"").arg(pair.trimmed()));
        t.modelMap.append({ pair.first(eq).trimmed(), pair.sliced(eq + 1).trimmed() });
    }
    for (const QString &name : m_dropHeaders->text().split(u',', Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            t.dropHeaders << name.trimmed();
    for (const QString &line : m_setHeaders->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            return fail(Error::Kind::Usage,
                tr("Headers are set as Name: value, not \"%1\"").arg(line.trimmed()));
        t.setHeaders.append(
            { line.first(colon).trimmed().toUtf8(), line.sliced(colon + 1).trimmed().toUtf8() });
    }
    return t;
}

bool ReplayView::dryRun()
{
    const auto t = target();
    if (!t) {
        m_status->setText(t.error().message);
        m_status->setStyleSheet(toneStyle(Tone::Error, palette()));
        return false;
    }
    showPlan(planFor(*t));
    return true;
}

void ReplayView::showPlan(const QList<ReplayItem> &plan)
{
    QStringList secrets = m_secrets;
    secrets << m_token->text().trimmed();
    m_plan->setPlainText(replayPlanText(plan, secrets));
    const qsizetype refused
        = std::ranges::count_if(plan, [](const ReplayItem &i) { return !i.request; });
    m_status->setStyleSheet(refused ? toneStyle(Tone::Warning, palette()) : QString());
    m_status->setText(refused == 0
            ? (plan.size() == 1 ? tr("One request to send.")
                                : tr("%1 requests to send.").arg(plan.size()))
            : tr("%1 of %2 cannot be replayed: the plan says why.").arg(refused).arg(plan.size()));
}

bool ReplayView::start()
{
    if (isRunning())
        return false;
    const auto t = target();
    if (!t) {
        m_status->setText(t.error().message);
        m_status->setStyleSheet(toneStyle(Tone::Error, palette()));
        return false;
    }
    const QList<ReplayItem> plan = planFor(*t);
    showPlan(plan);
    if (std::ranges::none_of(plan, [](const ReplayItem &i) { return i.request.has_value(); }))
        return false;
    m_pairs.clear();
    m_table->clear();
    m_status->setText(tr("Starting…"));
    m_replay->setEnabled(false);
    // The gateway's TLS files (a private CA, a client certificate) as the window sends.
    m_session->loadTls({}, this, [this, plan, target = *t](const Result<TlsMaterial> &material) {
        if (!material) {
            m_status->setText(material.error().message);
            m_status->setStyleSheet(toneStyle(Tone::Error, palette()));
            updateButtons();
            return;
        }
        if (m_requests.isEmpty())
            run(plan, *material);
        else
            recordThenRun(target, *material);
    });
    return true;
}

void ReplayView::recordThenRun(const ReplayTarget &target, const TlsMaterial &tls)
{
    ExchangeOptions options;
    options.deadlineMs = 120'000;
    options.useTls(tls);
    m_run.reset();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_run = std::make_unique<ReplayRun>(
        asRecorded(m_requests), m_network.get(), options, m_concurrency->value());
    m_status->setText(tr("Sending the requests as they are first…"));
    connect(m_run.get(), &ReplayRun::finished, this, [this, target, tls] {
        const QList<HistoryEntry> recorded = m_run->sentInOrder();
        if (recorded.size() != m_requests.size()) {
            m_status->setText(tr("Stopped before every request had its first answer."));
            updateButtons();
            Q_EMIT finished();
            return;
        }
        for (const HistoryEntry &e : std::as_const(recorded))
            Q_EMIT exchangeRecorded(e);
        m_entries = recorded;
        const QList<ReplayItem> plan = planFor(target);
        m_entries.clear();
        // Later in the event loop: this run is still emitting. Until then the view
        // counts as running (no second Replay in between).
        m_queued = true;
        QMetaObject::invokeMethod(
            this,
            [this, plan, tls] {
                if (m_queued) // not stopped meanwhile
                    run(plan, tls);
            },
            Qt::QueuedConnection);
    });
    m_run->start();
    updateButtons();
}

void ReplayView::run(const QList<ReplayItem> &plan, const TlsMaterial &tls)
{
    m_queued = false;
    ExchangeOptions options;
    options.deadlineMs = 120'000;
    options.useTls(tls);
    options.connectionsPerHost = m_concurrency->value();
    // A network of its own: a run of N at a time is not held at the connections the
    // window's network opened first.
    m_run.reset();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_run = std::make_unique<ReplayRun>(plan, m_network.get(), options, m_concurrency->value());
    connect(m_run.get(), &ReplayRun::pairReady, this, [this](qsizetype, const ReplayPair &pair) {
        m_pairs << pair;
        addRow(pair);
        Q_EMIT exchangeRecorded(m_run->sent().last());
        m_status->setText(tr("%1 of %2 replayed").arg(m_pairs.size()).arg(m_run->items().size()));
    });
    connect(m_run.get(), &ReplayRun::finished, this, [this] {
        const qsizetype matched = std::ranges::count_if(m_pairs, &ReplayPair::matches);
        m_status->setStyleSheet(
            matched == m_pairs.size() ? QString() : toneStyle(Tone::Warning, palette()));
        const QString text = tr("%1 replayed: %2 answered as recorded, %3 differ.");
        m_status->setText(text.arg(m_pairs.size()).arg(matched).arg(m_pairs.size() - matched));
        updateButtons();
        Q_EMIT finished();
        Q_EMIT message(m_status->text());
    });
    m_run->start();
    updateButtons();
}

void ReplayView::stop()
{
    if (m_queued) {
        // Between a collection's first pass and the replay: nothing more goes out.
        m_queued = false;
        m_status->setText(tr("Stopped before the replay."));
        updateButtons();
        Q_EMIT finished();
        return;
    }
    if (isRunning())
        m_run->cancel();
}

bool ReplayView::isRunning() const
{
    return m_queued || (m_run && !m_run->isFinished());
}

void ReplayView::addRow(const ReplayPair &p)
{
    auto *item = new QTreeWidgetItem(m_table,
        { p.label,
            p.statusEqual ? QString::number(p.after.status)
                          : u"%1 → %2"_s.arg(p.before.status).arg(p.after.status),
            p.schemaEqual ? tr("same") : tr("changed"), p.modelText(), p.latencyText(),
            p.ttftText(), p.tokensText(), u"%1%"_s.arg(qRound(p.similarity * 100)) });
    item->setData(Request, Qt::UserRole, qint64(m_pairs.size() - 1));
    item->setToolTip(Request, tr("Compare with its replay (Return)"));
    if (!p.statusEqual)
        item->setBackground(Status, markBackground(Mark::Changed, palette()));
    if (!p.schemaEqual)
        item->setBackground(Shape, markBackground(Mark::Changed, palette()));
    if (p.before.resolvedModel != p.after.resolvedModel)
        item->setBackground(Model, markBackground(Mark::Changed, palette()));
    if (!m_table->currentItem())
        m_table->setCurrentItem(item);
}

void ReplayView::updateButtons()
{
    const bool running = isRunning();
    const bool something = !m_entries.isEmpty() || !m_requests.isEmpty();
    m_dryRun->setEnabled(!running && something);
    m_replay->setEnabled(!running && something);
    m_stop->setEnabled(running);
    m_export->setEnabled(!running && !m_pairs.isEmpty());
}

bool ReplayView::writeFile(const QString &path, const QByteArray &bytes)
{
    // The token never reaches a file, whatever an answer echoed.
    const QByteArray masked
        = Redactor(m_secrets + QStringList { m_token->text().trimmed() }).bytes(bytes);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(masked) != masked.size() || !file.commit()) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    Q_EMIT message(tr("Replay written to %1").arg(path));
    return true;
}

bool ReplayView::exportJson(const QString &path)
{
    return !m_pairs.isEmpty() && writeFile(path, QJsonDocument(replayJson(m_pairs)).toJson());
}

bool ReplayView::exportJUnit(const QString &path)
{
    return !m_pairs.isEmpty() && writeFile(path, replayJUnit(m_pairs, u"replay"_s));
}

} // namespace gs::ui
