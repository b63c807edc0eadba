#include "ui/load/loadrunview.h"

#include "core/load/loadreport.h"
#include "core/model/redaction.h"
#include "core/net/gatewaysession.h"
#include "ui/flowlayout.h"
#include "ui/savemenu.h"
#include "ui/tones.h"

#include <QBuffer>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

constexpr auto kConfirmKey = "load/confirmAboveRequests";
constexpr int kDefaultConfirmAbove = 100;

QString percentText(double share)
{
    return QString::number(share * 100, 'f', 1) + u'%';
}

QString latencyCell(const LatencyHistogram &h, double percentile)
{
    return h.count() ? formatMicros(double(h.valueAt(percentile))) : u"–"_s;
}

//! A label and a field, kept together when the row wraps.
QWidget *labelled(const QString &text, QWidget *field, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    auto *label = new QLabel(text, box);
    label->setBuddy(field);
    row->addWidget(label);
    row->addWidget(field);
    return box;
}

bool saveBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

} // namespace

LoadRunView::LoadRunView(GatewaySession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    setWindowTitle(tr("Load Run"));
    setMinimumSize(720, 520);
    m_targetLabel = new QLabel(this);
    m_targetLabel->setTextFormat(Qt::RichText);
    m_targetLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_targetLabel->setWordWrap(true);

    auto *controls = new QWidget(this);
    auto *flow = new FlowLayout(controls);
    flow->setContentsMargins(0, 0, 0, 0);
    m_mode = new QComboBox(controls);
    m_mode->setObjectName(u"loadMode"_s);
    m_mode->addItem(tr("Requests"));
    m_mode->addItem(tr("Seconds"));
    m_mode->setAccessibleName(tr("Run by"));
    m_count = new QSpinBox(controls);
    m_count->setObjectName(u"loadCount"_s);
    m_count->setRange(1, 1'000'000);
    m_count->setValue(100);
    m_count->setGroupSeparatorShown(true);
    m_count->setAccessibleName(tr("Requests"));
    m_duration = new QDoubleSpinBox(controls);
    m_duration->setObjectName(u"loadDuration"_s);
    m_duration->setRange(0.1, 24 * 3600);
    m_duration->setValue(10);
    m_duration->setSuffix(u" s"_s);
    m_duration->setAccessibleName(tr("Duration"));
    m_duration->setVisible(false);
    auto *amount = new QWidget(controls);
    auto *amountRow = new QHBoxLayout(amount);
    amountRow->setContentsMargins(0, 0, 0, 0);
    amountRow->setSpacing(4);
    amountRow->addWidget(m_mode);
    amountRow->addWidget(m_count);
    amountRow->addWidget(m_duration);
    flow->addWidget(amount);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int mode) {
        m_count->setVisible(mode == 0);
        m_duration->setVisible(mode == 1);
    });

    m_concurrency = new QSpinBox(controls);
    m_concurrency->setObjectName(u"loadConcurrency"_s);
    m_concurrency->setRange(1, 10'000);
    m_concurrency->setValue(8);
    flow->addWidget(labelled(tr("&Concurrency"), m_concurrency, controls));
    m_rate = new QDoubleSpinBox(controls);
    m_rate->setObjectName(u"loadRate"_s);
    m_rate->setRange(0, 1e6);
    m_rate->setDecimals(1);
    m_rate->setSpecialValueText(tr("no cap"));
    m_rate->setSuffix(u"/s"_s);
    flow->addWidget(labelled(tr("&Rate"), m_rate, controls));
    m_ramp = new QDoubleSpinBox(controls);
    m_ramp->setObjectName(u"loadRamp"_s);
    m_ramp->setRange(0, 3600);
    m_ramp->setDecimals(1);
    m_ramp->setSpecialValueText(tr("none"));
    m_ramp->setSuffix(u" s"_s);
    flow->addWidget(labelled(tr("Ra&mp"), m_ramp, controls));
    m_groupBy = new QLineEdit(u"header:x-tfy-resolved-model"_s, controls);
    m_groupBy->setObjectName(u"loadGroupBy"_s);
    m_groupBy->setMinimumWidth(200);
    m_groupBy->setToolTip(tr("header:NAME groups by a response header, json:$.path by a "
                             "value in the answer"));
    flow->addWidget(labelled(tr("&Group by"), m_groupBy, controls));
    m_split = new QLineEdit(controls);
    m_split->setObjectName(u"loadSplit"_s);
    m_split->setPlaceholderText(u"model-a=70,model-b=30"_s);
    m_split->setMinimumWidth(220);
    flow->addWidget(labelled(tr("E&xpected split"), m_split, controls));
    m_tolerance = new QDoubleSpinBox(controls);
    m_tolerance->setObjectName(u"loadTolerance"_s);
    m_tolerance->setRange(-1, 100);
    m_tolerance->setValue(-1);
    m_tolerance->setDecimals(1);
    m_tolerance->setSpecialValueText(tr("chi-square"));
    m_tolerance->setSuffix(tr(" points"));
    m_tolerance->setToolTip(tr("Pass when every share is within this many percentage points; "
                               "chi-square tests the split at p < 0.05 instead"));
    flow->addWidget(labelled(tr("&Within"), m_tolerance, controls));
    m_expect = new QLineEdit(controls);
    m_expect->setObjectName(u"loadChecks"_s);
    m_expect->setPlaceholderText(u"p99(ttft) < 800ms; error_rate < 1%"_s);
    m_expect->setMinimumWidth(240);
    flow->addWidget(labelled(tr("Chec&ks"), m_expect, controls));

    m_start = new QPushButton(tr("&Start"), controls);
    m_start->setObjectName(u"loadStart"_s);
    m_start->setDefault(true);
    m_stop = new QPushButton(tr("St&op"), controls);
    m_stop->setObjectName(u"loadStop"_s);
    m_export = new QPushButton(tr("&Export"), controls);
    m_export->setObjectName(u"loadExport"_s);
    auto *exportMenu = new QMenu(m_export);
    m_export->setMenu(exportMenu);
    auto *buttons = new QWidget(controls);
    auto *buttonRow = new QHBoxLayout(buttons);
    buttonRow->setContentsMargins(0, 0, 0, 0);
    buttonRow->addWidget(m_start);
    buttonRow->addWidget(m_stop);
    buttonRow->addWidget(m_export);
    flow->addWidget(buttons);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &LoadRunView::stop);
    addSaveAction(exportMenu, tr("Report as &JSON…"), tr("Export Load Run"), u"load-run.json"_s,
        tr("JSON (*.json)"), [this](const QString &path) { exportJson(path); });
    addSaveAction(exportMenu, tr("Every exchange as &CSV…"), tr("Export Load Run"),
        u"load-run.csv"_s, tr("CSV (*.csv)"), [this](const QString &path) { exportCsv(path); });
    exportMenu->addSeparator();

    auto *metricRow = new QWidget(this);
    auto *metricLayout = new QHBoxLayout(metricRow);
    metricLayout->setContentsMargins(0, 0, 0, 0);
    m_counters = new QLabel(metricRow);
    m_counters->setObjectName(u"loadCounters"_s);
    m_counters->setTextFormat(Qt::RichText);
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counters->setAccessibleName(tr("Counters"));
    m_metric = new QComboBox(metricRow);
    m_metric->setObjectName(u"loadMetric"_s);
    m_metric->addItem(tr("Total time"));
    m_metric->addItem(tr("Time to first token"));
    m_metric->setAccessibleName(tr("Latency shown"));
    metricLayout->addWidget(m_counters, 1);
    metricLayout->addWidget(m_metric);
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_chartData.ttft = index == 1;
        refreshCharts();
    });

    m_warnings = new QLabel(this);
    m_warnings->setObjectName(u"loadWarnings"_s);
    m_warnings->setTextFormat(Qt::RichText);
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setVisible(false);

    auto *chartArea = new QWidget(this);
    auto *grid = new QGridLayout(chartArea);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    m_scatter = new ScatterChart(chartArea);
    m_charts = { new SplitChart(chartArea), m_scatter, new PercentileChart(chartArea),
        new HistogramChart(chartArea) };
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        m_charts[i]->setData(&m_chartData);
        grid->addWidget(m_charts[i], int(i / 2), int(i % 2));
        const QString title = m_charts[i]->title();
        addSaveAction(exportMenu, tr("%1 as PNG or SVG…").arg(title), tr("Export Chart"),
            QString(title).toLower().replace(u' ', u'-') + u".svg"_s,
            tr("SVG (*.svg);;PNG (*.png)"),
            [this, i](const QString &path) { exportChart(int(i), path); });
    }
    connect(m_scatter, &ScatterChart::exchangeClicked, this, [this](qsizetype index) {
        Q_EMIT exchangeChosen(loadRecordEntry(m_data, index, m_startedAt));
    });
    // Shift+click one exchange, then another: the two compared.
    connect(m_scatter, &ScatterChart::exchangeMarked, this, [this](qsizetype index) {
        const qsizetype first = m_scatter->marked();
        if (first < 0 || first == index) {
            m_scatter->setMarked(index);
            Q_EMIT message(
                tr("Exchange #%1 marked: Shift+click another to compare them.").arg(index + 1));
            return;
        }
        m_scatter->setMarked(-1);
        const auto side = [this](qsizetype i) {
            ComparedExchange c = comparedExchange(loadRecordEntry(m_data, i, m_startedAt));
            c.label = tr("load #%1").arg(i + 1);
            return c;
        };
        Q_EMIT comparisonChosen(side(first), side(index));
    });

    auto *tables = new QSplitter(Qt::Horizontal, this);
    m_table = new QTreeWidget(tables);
    m_table->setObjectName(u"loadGroups"_s);
    m_table->setRootIsDecorated(false);
    m_table->setHeaderLabels({ tr("Group"), tr("Answers"), tr("Share"), tr("95% interval"),
        tr("Failed"), tr("Fallbacks"), tr("TTFT p50"), tr("TTFT p99"), tr("Total p50"),
        tr("Total p99"), tr("Max gap p99"), tr("Tokens/s") });
    m_table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setAccessibleName(tr("Groups"));
    m_checkList = new QTreeWidget(tables);
    m_checkList->setObjectName(u"loadCheckList"_s);
    m_checkList->setRootIsDecorated(false);
    m_checkList->setHeaderLabels({ tr("Check"), tr("Measured") });
    m_checkList->setAccessibleName(tr("Checks"));
    // The header, two groups and All stay in sight.
    m_table->setMinimumHeight(fontMetrics().height() * 6);
    tables->addWidget(m_table);
    tables->addWidget(m_checkList);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 2);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(chartArea);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_targetLabel);
    layout->addWidget(controls);
    layout->addWidget(metricRow);
    layout->addWidget(m_warnings);
    layout->addWidget(split, 1);

    auto *stopKey = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(stopKey, &QShortcut::activated, this, &LoadRunView::stop);

    m_chartData.run = &m_data;
    m_chartData.stats = &m_stats;
    showCounters();
    updateState();
}

LoadRunView::~LoadRunView()
{
    if (m_run)
        m_run->disconnect(this);
}

int LoadRunView::confirmAbove()
{
    return QSettings().value(QLatin1StringView(kConfirmKey), kDefaultConfirmAbove).toInt();
}

void LoadRunView::setConfirmAbove(int requests)
{
    QSettings().setValue(QLatin1StringView(kConfirmKey), std::max(0, requests));
}

void LoadRunView::setTarget(const LoadTarget &target)
{
    m_target = target;
    const QString where = target.demo ? tr("the demo gateway") : QUrl(target.request.url).host();
    const QString url = Redactor(target.secrets).url(target.request.url);
    const QString text = tr("<b>%1</b> &nbsp; %2 %3 &nbsp; on %4");
    m_targetLabel->setText(text.arg(target.name.toHtmlEscaped(),
        QString::fromUtf8(target.request.method), url.toHtmlEscaped(), where.toHtmlEscaped()));
    updateState();
}

void LoadRunView::showArchive(const LoadArchive &archive, const QDateTime &startedAt)
{
    stop();
    m_run.reset();
    m_data = archive;
    m_scatter->setMarked(-1);
    m_stats = m_data.stats();
    m_startedAt = startedAt;
    m_chartData.stats = &m_stats;
    m_chartData.elapsedUs = archive.elapsedUs;
    // The checks and warnings as they were when it ran.
    m_checks.clear();
    for (const QJsonValue v : archive.report.value("checks"_L1).toArray()) {
        const QJsonObject c = v.toObject();
        LoadCheckResult r;
        r.text = c.value("check"_L1).toString();
        r.passed = c.value("passed"_L1).toBool();
        r.actual = c.value("actual"_L1).toString();
        for (const QJsonValue w : c.value("warnings"_L1).toArray())
            r.warnings << w.toString();
        m_checks << r;
    }
    // Its settings, for running it again.
    const QJsonObject plan = archive.report.value("plan"_L1).toObject();
    const bool byCount = plan.value("count"_L1).isDouble();
    m_mode->setCurrentIndex(byCount ? 0 : 1);
    if (byCount)
        m_count->setValue(int(plan.value("count"_L1).toInteger()));
    else
        m_duration->setValue(plan.value("durationMs"_L1).toDouble() / 1000.0);
    m_concurrency->setValue(plan.value("concurrency"_L1).toInt(1));
    m_rate->setValue(plan.value("ratePerSecond"_L1).toDouble());
    m_ramp->setValue(plan.value("rampMs"_L1).toDouble() / 1000.0);
    m_groupBy->setText(plan.value("groupBy"_L1).toString(m_groupBy->text()));
    m_reportWarnings.clear();
    for (const QJsonValue v : archive.report.value("warnings"_L1).toArray())
        m_reportWarnings << v.toString();
    if (archive.keptEvery > 1)
        m_reportWarnings << tr("The history kept every %1th exchange of this run; the charts "
                               "and the table are drawn from those.")
                                .arg(archive.keptEvery);
    if (m_target.request.url.isEmpty() && !archive.requests.isEmpty()) {
        LoadTarget target;
        target.request = archive.requests.first();
        target.name = archive.requestNames.value(0);
        target.requestedModel = archive.requestedModels.value(0);
        setTarget(target);
    }
    setWindowTitle(
        tr("Load Run · %1").arg(QLocale().toString(startedAt.toLocalTime(), QLocale::ShortFormat)));
    refreshCharts();
}

const LoadStats &LoadRunView::stats() const
{
    return *m_chartData.stats;
}

bool LoadRunView::isRunning() const
{
    return m_run && m_run->isRunning();
}

QString LoadRunView::settingsProblem(LoadPlan &plan)
{
    if (m_target.request.url.isEmpty())
        return tr("There is no request to run: open one and choose Request ▸ Load Run.");
    const auto group = GroupBy::parse(m_groupBy->text().trimmed());
    if (!group)
        return group.error().message;
    m_expected.clear();
    if (const QString split = m_split->text().trimmed(); !split.isEmpty()) {
        const auto parsed = parseSplit(split);
        if (!parsed)
            return parsed.error().message;
        m_expected = *parsed;
    }
    m_expectations.clear();
    for (const QString &text : m_expect->text().split(u';', Qt::SkipEmptyParts)) {
        if (text.trimmed().isEmpty())
            continue;
        const auto e = LoadExpectation::parse(text.trimmed());
        if (!e)
            return e.error().message;
        m_expectations << *e;
    }
    plan.requests = { m_target.request };
    plan.names = { m_target.name };
    plan.requestedModels = { m_target.requestedModel };
    plan.count = m_mode->currentIndex() == 0 ? m_count->value() : 0;
    plan.durationMs = m_mode->currentIndex() == 1 ? qint64(m_duration->value() * 1000) : 0;
    plan.concurrency = m_concurrency->value();
    plan.ratePerSecond = m_rate->value();
    plan.rampMs = qint64(m_ramp->value() * 1000);
    plan.groupBy = *group;
    plan.exchange.idleTimeoutMs = 60'000;
    plan.exchange.allowInsecureTls = m_target.allowInsecureTls;
    return plan.problem();
}

bool LoadRunView::start()
{
    if (isRunning())
        return false;
    LoadPlan plan;
    if (const QString problem = settingsProblem(plan); !problem.isEmpty()) {
        m_warnings->setText(u"<span style='%1'>%2</span>"_s.arg(
            toneStyle(Tone::Error, palette()), problem.toHtmlEscaped()));
        m_warnings->setVisible(true);
        Q_EMIT message(tr("Load run not started: %1").arg(problem));
        return false;
    }
    const qint64 planned = plan.plannedRequests();
    if (!m_target.demo && (planned < 0 || planned > confirmAbove())
        && !askCost(plan.costStatement())) {
        Q_EMIT message(tr("Load run not started."));
        return false;
    }
    const quint64 ticket = ++m_ticket;
    const bool https = m_target.request.url.startsWith("https:"_L1, Qt::CaseInsensitive);
    if (!m_session || !https) {
        launch({});
        return true;
    }
    m_session->loadTls(m_target.tls, this, [this, ticket](const Result<TlsMaterial> &tls) {
        if (ticket != m_ticket)
            return;
        if (!tls) {
            Q_EMIT message(tr("Load run not started: %1").arg(tls.error().message));
            return;
        }
        launch(*tls);
    });
    return true;
}

bool LoadRunView::askCost(const QString &cost)
{
    if (confirmCost)
        return confirmCost(cost);
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Start the Load Run?"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *text = new QLabel(
        tr("This run goes to a real gateway, which may bill for it: %1.").arg(cost), &dialog);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *threshold = new QSpinBox(&dialog);
    threshold->setRange(0, 10'000'000);
    threshold->setValue(confirmAbove());
    threshold->setSuffix(tr(" requests"));
    layout->addWidget(labelled(tr("Ask again for runs of more than"), threshold, &dialog));
    auto *buttons = new QDialogButtonBox(&dialog);
    buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    setConfirmAbove(threshold->value());
    return true;
}

void LoadRunView::launch(const TlsMaterial &tls)
{
    LoadPlan plan;
    if (!settingsProblem(plan).isEmpty())
        return;
    plan.exchange.useTls(tls);
    if (m_run)
        m_run->disconnect(this);
    m_run.reset();
    // A network of the run's own, new for each run: Qt keeps the number of
    // connections a host got first (six, or the last run's concurrency), so the
    // window's network, which has asked the gateway for its models, would hold any
    // concurrency at six without a word.
    m_network = std::make_unique<QNetworkAccessManager>();
    QNetworkAccessManager *network = m_network.get();
    m_toleranceUsed = m_tolerance->value();
    m_run = std::make_unique<LoadRun>(network, plan);
    m_data = LoadArchive();
    m_scatter->setMarked(-1);
    const Redactor redactor(m_target.secrets);
    m_data.requests = { redactor.request(m_target.request) };
    m_data.requestNames = plan.names;
    m_data.requestedModels = plan.requestedModels;
    m_stats = LoadStats();
    m_checks.clear();
    m_reportWarnings.clear();
    m_chartData.stats = &m_run->stats();
    m_chartData.expected = m_expected;
    m_chartData.elapsedUs = 0;
    m_startedAt = QDateTime::currentDateTimeUtc();
    connect(m_run.get(), &LoadRun::progress, this, &LoadRunView::onProgress);
    connect(m_run.get(), &LoadRun::finished, this, &LoadRunView::onFinished);
    m_run->start();
    updateState();
    Q_EMIT message(m_target.demo ? tr("Load run started on the demo gateway.")
                                 : tr("Load run started: %1.").arg(plan.costStatement()));
}

void LoadRunView::stop()
{
    ++m_ticket;
    if (isRunning())
        m_run->cancel();
}

void LoadRunView::closeEvent(QCloseEvent *event)
{
    if (isRunning()) {
        event->ignore();
        connect(this, &LoadRunView::finished, this, &QWidget::close,
            Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
        stop();
        return;
    }
    QWidget::closeEvent(event);
}

void LoadRunView::onProgress()
{
    // Only what came since the last time is copied: the charts draw from m_data.
    const std::vector<LoadRecord> &records = m_run->records();
    m_data.records.insert(
        m_data.records.end(), records.begin() + qsizetype(m_data.records.size()), records.end());
    const LoadStats &s = m_run->stats();
    for (size_t i = size_t(m_data.groups.size()); i < s.groups.size(); ++i)
        m_data.groups << Redactor(m_target.secrets).text(s.groups[i].name);
    m_data.names = m_run->names();
    m_data.elapsedUs = m_run->elapsedUs();
    m_chartData.elapsedUs = m_data.elapsedUs;
    refreshCharts();
}

void LoadRunView::onFinished()
{
    onProgress();
    const LoadStats &s = m_run->stats();
    m_checks.clear();
    if (!m_expected.isEmpty())
        m_checks << evaluateSplit(m_expected, s, m_toleranceUsed);
    for (const LoadExpectation &e : std::as_const(m_expectations))
        m_checks << evaluate(e, s, m_run->elapsedUs());
    m_data = archiveOf(*m_run, m_checks, m_target.secrets);
    m_stats = s;
    m_chartData.stats = &m_stats;
    refreshCharts();
    updateState();
    const bool passed = std::ranges::all_of(m_checks, &LoadCheckResult::passed);
    const QString verdict = m_checks.isEmpty() ? QString()
        : passed                               ? tr(" · every check passed")
                                               : tr(" · a check failed");
    const QString how = m_run->wasCanceled() ? tr("stopped") : tr("done");
    const QString text = tr("Load run %1: %2 requests, %3 failed%4");
    Q_EMIT message(
        text.arg(how, QString::number(s.finished), QString::number(s.all.failures), verdict));
    Q_EMIT finished(m_data, m_startedAt);
}

void LoadRunView::showCounters()
{
    const LoadStats &s = stats();
    const QLocale locale;
    const qint64 elapsed = m_chartData.elapsedUs;
    const qint64 inFlight = m_run && m_run->isRunning() ? m_run->inFlight() : 0;
    QStringList parts {
        tr("Sent %1").arg(locale.toString(s.started)),
        tr("Done %1").arg(locale.toString(s.finished)),
        tr("In flight %1").arg(locale.toString(inFlight)),
    };
    QStringList errors;
    for (const auto &[outcome, count] : s.outcomes)
        if (outcome != LoadOutcome::Ok && outcome != LoadOutcome::Canceled) // counted below
            errors << u"%1 %2"_s.arg(locale.toString(count), loadOutcomeName(outcome));
    const QString errorText = errors.isEmpty() ? tr("no errors") : errors.join(u", "_s);
    const QString errorStyle = toneStyle(Tone::Error, palette());
    if (errors.isEmpty())
        parts << errorText;
    else
        parts << u"<span style='%1'>%2</span>"_s.arg(errorStyle, errorText.toHtmlEscaped());
    const double seconds = double(elapsed) / 1e6;
    parts << tr("%1 requests/s")
                 .arg(seconds > 0 ? locale.toString(double(s.finished) / seconds, 'f', 1) : u"–"_s);
    parts << tr("%1 s").arg(locale.toString(seconds, 'f', 1));
    if (s.canceled > 0)
        parts << tr("%1 canceled").arg(locale.toString(s.canceled));
    m_counters->setText(parts.join(u" &nbsp;·&nbsp; "_s));

    QStringList warnings = m_run ? runWarnings(s) : m_reportWarnings;
    for (const LoadCheckResult &c : std::as_const(m_checks))
        warnings += c.warnings;
    warnings.removeDuplicates();
    m_warnings->setVisible(!warnings.isEmpty());
    m_warnings->setText(u"<span style='%1'>%2</span>"_s.arg(toneStyle(Tone::Warning, palette()),
        warnings.join(u"<br>"_s).toHtmlEscaped().replace(u"&lt;br&gt;"_s, u"<br>"_s)));
}

void LoadRunView::showTable()
{
    const LoadStats &s = stats();
    m_table->clear();
    const auto row = [this, &s](const LoadGroupStats &g, const QColor &color) {
        const auto [low, high] = wilsonInterval(g.ok, s.all.ok);
        auto *item = new QTreeWidgetItem(m_table,
            { g.name, QString::number(g.count),
                s.all.ok ? percentText(double(g.ok) / double(s.all.ok)) : QString(),
                s.all.ok ? u"%1–%2"_s.arg(percentText(low), percentText(high)) : QString(),
                QString::number(g.failures), QString::number(g.fallbacks), latencyCell(g.ttft, 50),
                latencyCell(g.ttft, 99), latencyCell(g.total, 50), latencyCell(g.total, 99),
                latencyCell(g.gap, 99),
                g.tokensPerSecond() > 0 ? QString::number(g.tokensPerSecond(), 'f', 1) : u"–"_s });
        if (color.isValid())
            item->setForeground(0, color);
        for (int c = 1; c < m_table->columnCount(); ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    int shown = 0;
    for (quint32 i = 0; i < s.groups.size(); ++i) {
        if (s.groups[i].count > 0) {
            row(s.groups[i], groupColor(i, palette()));
            ++shown;
        }
    }
    if (shown != 1) {
        LoadGroupStats all = s.all;
        all.name = tr("All");
        QFont bold = m_table->font();
        bold.setBold(true);
        QTreeWidgetItem *item = row(all, {});
        for (int c = 0; c < m_table->columnCount(); ++c)
            item->setFont(c, bold);
    }

    m_checkList->clear();
    for (const LoadCheckResult &c : std::as_const(m_checks)) {
        auto *item = new QTreeWidgetItem(
            m_checkList, { (c.passed ? tr("PASS") : tr("FAIL")) + u"  "_s + c.text, c.actual });
        item->setForeground(
            0, c.passed ? palette().color(QPalette::Text) : toneColor(Tone::Error, palette()));
        item->setToolTip(1, c.actual);
    }
    if (m_checks.isEmpty())
        new QTreeWidgetItem(m_checkList,
            { m_run && m_run->isRunning() ? tr("Checks are made when the run ends")
                                          : tr("No checks: give an expected split or checks"),
                QString() });
}

void LoadRunView::refreshCharts()
{
    for (LoadChart *chart : std::as_const(m_charts))
        chart->refresh();
    showCounters();
    showTable();
}

void LoadRunView::updateState()
{
    const bool running = isRunning();
    m_start->setEnabled(!running && !m_target.request.url.isEmpty());
    m_stop->setEnabled(running);
    m_export->setEnabled(!running && !m_data.records.empty());
    for (QWidget *w : std::initializer_list<QWidget *> { m_mode, m_count, m_duration, m_concurrency,
             m_rate, m_ramp, m_groupBy, m_split, m_tolerance, m_expect })
        w->setEnabled(!running);
}

bool LoadRunView::exportJson(const QString &path)
{
    QJsonObject report = m_data.report;
    if (report.isEmpty() && m_run)
        report = loadRunJson(*m_run, m_checks);
    const QByteArray bytes = Redactor(m_target.secrets).bytes(QJsonDocument(report).toJson());
    const bool ok = saveBytes(path, bytes);
    Q_EMIT message(
        ok ? tr("Wrote the load run's report to %1").arg(path) : tr("Cannot write %1").arg(path));
    return ok;
}

bool LoadRunView::exportCsv(const QString &path)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeLoadCsv(buffer, m_data.records, m_data.requestNames, m_data.groups, m_data.names);
    const bool ok = saveBytes(path, Redactor(m_target.secrets).bytes(buffer.data()));
    Q_EMIT message(ok ? tr("Wrote %1 exchanges to %2").arg(m_data.records.size()).arg(path)
                      : tr("Cannot write %1").arg(path));
    return ok;
}

bool LoadRunView::exportChart(int chart, const QString &path)
{
    if (chart < 0 || chart >= m_charts.size())
        return false;
    const bool ok = m_charts[chart]->exportTo(path, QSize(800, 480));
    Q_EMIT message(ok ? tr("Wrote the chart to %1").arg(path) : tr("Cannot write %1").arg(path));
    return ok;
}

} // namespace gs::ui
