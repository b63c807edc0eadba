#include "ui/compare/compareview.h"

#include "core/net/waterfall.h"
#include "core/stream/gatewayresponse.h"
#include "ui/inspector/viewhelpers.h"
#include "ui/savemenu.h"
#include "ui/tones.h"
#include "ui/waterfallwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSet>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

constexpr auto kIgnoreKey = "compare/ignore";
//! Reading the two sides counts as two parts, compareExchanges() has eight.
constexpr int kParts = 10;
//! Rows of one part shown; the exports have all.
constexpr int kMostRows = 1000;
//! Characters of an answer shown on each side; the exports have all.
constexpr qsizetype kMostShown = 300'000;

//! A value as a cell shows it: one line, cut to 300 characters.
QString valueText(const QJsonValue &v)
{
    return jsonValueText(v, 300);
}

QTreeWidget *diffTree(const QString &objectName, const QStringList &headers)
{
    auto *tree = new QTreeWidget;
    tree->setObjectName(objectName);
    tree->setHeaderLabels(headers);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(false);
    // The name fits its text; the two sides share the rest evenly.
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    if (headers.size() > 3)
        tree->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    return tree;
}

void mark(QTreeWidgetItem *item, int column, Mark kind, const QPalette &palette)
{
    item->setBackground(column, markBackground(kind, palette));
}

//! A JSON change as a row: path, before, after, the sides marked.
QTreeWidgetItem *changeItem(const JsonChange &c, const QPalette &palette)
{
    auto *item = new QTreeWidgetItem;
    switch (c.kind) {
    case JsonChange::Kind::Added:
        item->setText(0, c.path);
        item->setText(2, valueText(c.after));
        mark(item, 2, Mark::Added, palette);
        break;
    case JsonChange::Kind::Removed:
        item->setText(0, c.path);
        item->setText(1, valueText(c.before));
        mark(item, 1, Mark::Removed, palette);
        break;
    case JsonChange::Kind::Moved:
        item->setText(0, c.path + u" → "_s + c.toPath);
        item->setText(1, QCoreApplication::translate("CompareView", "moved"));
        item->setText(2, QCoreApplication::translate("CompareView", "moved"));
        break;
    case JsonChange::Kind::Changed:
        item->setText(0, c.path);
        item->setText(1, valueText(c.before));
        item->setText(2, valueText(c.after));
        mark(item, 1, Mark::Changed, palette);
        mark(item, 2, Mark::Changed, palette);
        break;
    }
    for (int i = 0; i < 3; ++i)
        item->setToolTip(i, item->text(i));
    return item;
}

//! "… and 12 more": a part past kMostRows.
void addMoreRow(QTreeWidgetItem *parent, qsizetype more)
{
    if (more <= 0)
        return;
    auto *item = new QTreeWidgetItem(parent);
    item->setText(0,
        QCoreApplication::translate("CompareView", "… and %1 more (the exports have all)")
            .arg(more));
    item->setDisabled(true);
}

QTreeWidgetItem *section(QTreeWidget *tree, const QString &title, qsizetype changes)
{
    auto *item = new QTreeWidgetItem(tree);
    item->setText(0,
        changes == 0 ? QCoreApplication::translate("CompareView", "%1: the same").arg(title)
            : changes == 1
            ? QCoreApplication::translate("CompareView", "%1: 1 change").arg(title)
            : QCoreApplication::translate("CompareView", "%1: %2 changes").arg(title).arg(changes));
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setFirstColumnSpanned(true);
    return item;
}

void addChanges(QTreeWidgetItem *parent, const QList<JsonChange> &changes, const QPalette &palette)
{
    for (qsizetype i = 0; i < std::min<qsizetype>(changes.size(), kMostRows); ++i)
        parent->addChild(changeItem(changes[i], palette));
    addMoreRow(parent, changes.size() - kMostRows);
}

void addHeaders(
    QTreeWidgetItem *parent, const QList<HeaderComparison> &headers, const QPalette &palette)
{
    const QString absent = QCoreApplication::translate("CompareView", "(absent)");
    for (const HeaderComparison &h : headers) {
        auto *item = new QTreeWidgetItem(parent);
        item->setText(0, h.name);
        item->setText(1, h.inA ? h.a : absent);
        item->setText(2, h.inB ? h.b : absent);
        for (int i = 0; i < 3; ++i)
            item->setToolTip(i, item->text(i));
        if (!h.inA)
            mark(item, 2, Mark::Added, palette);
        else if (!h.inB)
            mark(item, 1, Mark::Removed, palette);
        else if (!h.typedBoth) {
            mark(item, 1, Mark::Changed, palette);
            mark(item, 2, Mark::Changed, palette);
        }
        // A JSON value (x-tfy-metadata, the retry config): its changes key by key.
        for (const JsonChange &c : h.typed)
            item->addChild(changeItem(c, palette));
        item->setExpanded(true);
    }
}

//! Where the changes are: each change's path, and every path above one.
struct ChangedPaths
{
    QHash<QString, JsonChange::Kind> at;
    QSet<QString> above;

    explicit ChangedPaths(const QList<JsonChange> &changes)
    {
        for (const JsonChange &c : changes) {
            for (const QString &path : { c.path, c.toPath }) {
                if (path.isEmpty())
                    continue;
                at.insert(path, c.kind);
                // Every prefix ending before a '.' or a '[' is a parent path.
                for (qsizetype i = path.size() - 1; i > 0; --i) {
                    if (path[i] == u'.' || path[i] == u'[')
                        above.insert(path.first(i));
                }
            }
        }
    }
};

//! Both documents as one tree: each key or index once, with its value on each side;
//! what changed marked and expanded, what did not collapsed.
void addMergedTree(QTreeWidgetItem *parent, const QString &name, const QJsonValue &a,
    const QJsonValue &b, const QString &path, const ChangedPaths &changed, const QPalette &palette)
{
    auto *item = new QTreeWidgetItem(parent);
    item->setText(0, name);
    const bool objects = a.isObject() && b.isObject();
    const bool arrays = a.isArray() && b.isArray();
    const bool onlyA = !a.isUndefined() && b.isUndefined();
    const bool onlyB = a.isUndefined() && !b.isUndefined();
    if (objects || arrays || (onlyA && (a.isObject() || a.isArray()))
        || (onlyB && (b.isObject() || b.isArray()))) {
        const QJsonValue &shape = a.isUndefined() ? b : a;
        const auto summary = [](const QJsonValue &v) {
            return v.isObject() ? u"{%1}"_s.arg(v.toObject().size())
                : v.isArray()   ? u"[%1]"_s.arg(v.toArray().size())
                                : QString();
        };
        item->setText(1, summary(a));
        item->setText(2, summary(b));
        if (shape.isObject()) {
            QStringList keys = a.toObject().keys() + b.toObject().keys();
            keys.sort();
            keys.removeDuplicates();
            for (const QString &key : std::as_const(keys))
                addMergedTree(item, key, a.toObject().value(key), b.toObject().value(key),
                    jsonChildPath(path, key), changed, palette);
        } else {
            const qsizetype n = std::max(a.toArray().size(), b.toArray().size());
            for (qsizetype i = 0; i < n; ++i) {
                const QJsonValue x = i < a.toArray().size() ? a.toArray().at(i)
                                                            : QJsonValue(QJsonValue::Undefined);
                const QJsonValue y = i < b.toArray().size() ? b.toArray().at(i)
                                                            : QJsonValue(QJsonValue::Undefined);
                addMergedTree(
                    item, u"[%1]"_s.arg(i), x, y, jsonChildPath(path, i), changed, palette);
            }
        }
    } else {
        item->setText(1, valueText(a));
        item->setText(2, valueText(b));
    }
    for (int i = 0; i < 3; ++i)
        item->setToolTip(i, item->text(i));
    if (const auto kind = changed.at.constFind(path); kind != changed.at.cend()) {
        if (*kind == JsonChange::Kind::Added || onlyB)
            mark(item, 2, Mark::Added, palette);
        else if (*kind == JsonChange::Kind::Removed || onlyA)
            mark(item, 1, Mark::Removed, palette);
        else {
            mark(item, 1, Mark::Changed, palette);
            mark(item, 2, Mark::Changed, palette);
        }
    }
    // Open down to each change; the unchanged stays folded.
    item->setExpanded(changed.above.contains(path));
    if (!changed.at.contains(path) && !changed.above.contains(path))
        item->setForeground(0, palette.color(QPalette::Disabled, QPalette::Text));
}

//! One side of a word diff as HTML: the equal words plain, \a shown (removed or added)
//! ones marked, the other side's left out; at most kMostShown characters.
QString sideHtml(const QList<TextSegment> &segments, TextSegment::Kind shown, Mark kind,
    const QPalette &palette, bool *cut)
{
    QString html = u"<div style=\"white-space: pre-wrap;\">"_s;
    const QString background = markBackground(kind, palette).name();
    qsizetype left = kMostShown;
    for (const TextSegment &s : segments) {
        if (s.kind != TextSegment::Kind::Equal && s.kind != shown)
            continue;
        if (left <= 0) {
            *cut = true;
            break;
        }
        const QString text = s.text.first(std::min(s.text.size(), left)).toHtmlEscaped();
        left -= s.text.size();
        if (s.kind == TextSegment::Kind::Equal)
            html += text;
        else
            html += u"<span style=\"background-color: %1;%2\">%3</span>"_s.arg(background,
                kind == Mark::Removed ? u" text-decoration: line-through;"_s : QString(), text);
    }
    return html + u"</div>"_s;
}

QString plainHtml(const QString &text, bool *cut)
{
    if (text.size() > kMostShown)
        *cut = true;
    return u"<div style=\"white-space: pre-wrap;\">"_s
        + text.first(std::min(text.size(), kMostShown)).toHtmlEscaped() + u"</div>"_s;
}

Waterfall waterfallOf(const ComparedExchange &e)
{
    return Waterfall::build(e.timeline, e.serverTiming, attemptsIn(e.applied));
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_verdict(new QLabel(this))
    , m_ignore(new QLineEdit(this))
    , m_swap(new QPushButton(tr("S&wap Sides"), this))
    , m_copy(new QPushButton(tr("&Copy as Markdown"), this))
    , m_export(new QPushButton(tr("&Export"), this))
    , m_busy(new QWidget(this))
    , m_progress(new QProgressBar(m_busy))
    , m_cancel(new QPushButton(tr("Cancel"), m_busy))
    , m_tabs(new QTabWidget(this))
    , m_fields(diffTree(u"compareFields"_s, { tr("Field"), tr("A"), tr("B") }))
    , m_partsSummary(new QLabel(this))
    , m_request(diffTree(u"compareRequest"_s, { tr("Part"), tr("A"), tr("B") }))
    , m_gateway(diffTree(u"compareGateway"_s, { tr("Applied configuration"), tr("A"), tr("B") }))
    , m_response(diffTree(u"compareResponse"_s, { tr("Part"), tr("A"), tr("B") }))
    , m_answerA(new QTextBrowser(this))
    , m_answerB(new QTextBrowser(this))
    , m_answerNote(new QLabel(this))
    , m_waterfallA(new WaterfallWidget(this))
    , m_waterfallB(new WaterfallWidget(this))
    , m_waterfallLabelA(new QLabel(this))
    , m_waterfallLabelB(new QLabel(this))
    , m_phases(diffTree(u"comparePhases"_s, { tr("Phase"), tr("A"), tr("B"), tr("Change") }))
    , m_timingSummary(new QLabel(this))
    , m_cancelFlag(std::make_shared<std::atomic<bool>>(false))
    , m_done(std::make_shared<std::atomic<int>>(0))
    , m_progressTimer(new QTimer(this))
{
    setWindowTitle(tr("Compare Exchanges"));
    m_title->setObjectName(u"compareTitle"_s);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_verdict->setObjectName(u"compareVerdict"_s);
    m_verdict->setWordWrap(true);
    m_ignore->setObjectName(u"compareIgnore"_s);
    m_ignore->setText(savedIgnoreList().join(u", "_s));
    m_ignore->setClearButtonEnabled(true);
    m_ignore->setToolTip(tr("Fields left out of every JSON part, comma-separated: a name (id) at "
                            "any depth, or a path ($.choices[*].logprobs). Return compares "
                            "again; the list is kept for the next comparison."));
    m_swap->setObjectName(u"compareSwap"_s);
    m_copy->setObjectName(u"compareCopy"_s);
    m_export->setObjectName(u"compareExport"_s);
    auto *exportMenu = new QMenu(m_export);
    addSaveAction(exportMenu, tr("&Markdown…"), tr("Export Comparison"), u"comparison.md"_s,
        tr("Markdown (*.md)"), [this](const QString &path) { exportMarkdown(path); });
    addSaveAction(exportMenu, tr("&JSON…"), tr("Export Comparison"), u"comparison.json"_s,
        tr("JSON (*.json)"), [this](const QString &path) { exportJson(path); });
    m_export->setMenu(exportMenu);

    auto *tools = new QHBoxLayout;
    auto *ignoreLabel = new QLabel(tr("&Ignore:"), this);
    ignoreLabel->setBuddy(m_ignore);
    tools->addWidget(ignoreLabel);
    tools->addWidget(m_ignore, 1);
    tools->addWidget(m_swap);
    tools->addWidget(m_copy);
    tools->addWidget(m_export);

    m_busy->setObjectName(u"compareBusy"_s);
    m_progress->setObjectName(u"compareProgress"_s);
    m_progress->setRange(0, kParts);
    m_progress->setFormat(tr("Comparing… %p%"));
    m_cancel->setObjectName(u"compareCancel"_s);
    m_cancel->setToolTip(tr("Stop comparing (Esc)"));
    auto *busyRow = new QHBoxLayout(m_busy);
    busyRow->setContentsMargins(0, 0, 0, 0);
    busyRow->addWidget(m_progress, 1);
    busyRow->addWidget(m_cancel);
    m_busy->hide();

    // Overview: the fields side by side and how many changes each part has.
    auto *overview = new QWidget(this);
    auto *overviewLayout = new QVBoxLayout(overview);
    m_partsSummary->setObjectName(u"compareParts"_s);
    m_partsSummary->setWordWrap(true);
    m_partsSummary->setTextFormat(Qt::PlainText);
    m_partsSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    overviewLayout->addWidget(m_partsSummary);
    overviewLayout->addWidget(m_fields, 1);

    // Response: headers, JSON body, tool calls, usage above the two answers.
    auto *answers = new QWidget(this);
    auto *answersLayout = new QVBoxLayout(answers);
    answersLayout->setContentsMargins(0, 0, 0, 0);
    auto *twoAnswers = new QSplitter(Qt::Horizontal, answers);
    m_answerA->setObjectName(u"compareAnswerA"_s);
    m_answerB->setObjectName(u"compareAnswerB"_s);
    twoAnswers->addWidget(m_answerA);
    twoAnswers->addWidget(m_answerB);
    m_answerNote->setObjectName(u"compareAnswerNote"_s);
    m_answerNote->setWordWrap(true);
    answersLayout->addWidget(m_answerNote);
    answersLayout->addWidget(twoAnswers, 1);
    auto *response = new QSplitter(Qt::Vertical, this);
    response->setObjectName(u"compareResponseSplit"_s);
    response->addWidget(m_response);
    response->addWidget(answers);
    response->setStretchFactor(0, 1);
    response->setStretchFactor(1, 2);
    response->setChildrenCollapsible(false);

    // Timing: the two waterfalls on one axis, then the phases.
    auto *timing = new QWidget(this);
    auto *timingLayout = new QVBoxLayout(timing);
    m_waterfallA->setObjectName(u"compareWaterfallA"_s);
    m_waterfallB->setObjectName(u"compareWaterfallB"_s);
    m_timingSummary->setObjectName(u"compareTimingSummary"_s);
    m_timingSummary->setWordWrap(true);
    m_timingSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *charts = new QWidget;
    auto *chartsLayout = new QVBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_waterfallLabelA);
    chartsLayout->addWidget(m_waterfallA);
    chartsLayout->addWidget(m_waterfallLabelB);
    chartsLayout->addWidget(m_waterfallB);
    chartsLayout->addStretch(1);
    auto *scroll = new QScrollArea(timing);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(charts);
    auto *timingSplit = new QSplitter(Qt::Vertical, timing);
    timingSplit->addWidget(scroll);
    timingSplit->addWidget(m_phases);
    timingSplit->setStretchFactor(0, 3);
    timingSplit->setStretchFactor(1, 2);
    timingSplit->setChildrenCollapsible(false);
    timingLayout->addWidget(m_timingSummary);
    timingLayout->addWidget(timingSplit, 1);

    m_tabs->setObjectName(u"compareTabs"_s);
    m_tabs->addTab(overview, tr("&Overview"));
    m_tabs->addTab(m_request, tr("&Request"));
    m_tabs->addTab(m_gateway, tr("&Gateway"));
    m_tabs->addTab(response, tr("Res&ponse"));
    m_tabs->addTab(timing, tr("&Timing"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_verdict);
    layout->addLayout(tools);
    layout->addWidget(m_busy);
    layout->addWidget(m_tabs, 1);

    connect(m_ignore, &QLineEdit::returnPressed, this, [this] {
        QSettings().setValue(QLatin1StringView(kIgnoreKey), ignored());
        if (m_a && m_b)
            compare(*m_a, *m_b);
    });
    connect(m_swap, &QPushButton::clicked, this, &CompareView::swapSides);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(markdown());
        Q_EMIT message(tr("The comparison is on the clipboard, as Markdown."));
    });
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancel);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &CompareView::cancel);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &CompareView::onFinished);
    // The bar shows only for work that takes a moment: no flash for a quick one.
    m_progressTimer->setInterval(150);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        m_busy->show();
        m_progress->setValue(m_done->load());
    });
    setBusy(false);
}

CompareView::~CompareView()
{
    m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

QStringList CompareView::savedIgnoreList()
{
    const QVariant saved = QSettings().value(QLatin1StringView(kIgnoreKey));
    return saved.isValid() ? saved.toStringList() : JsonDiffOptions::defaultIgnored();
}

QStringList CompareView::ignored() const
{
    QStringList out;
    for (const QString &part : m_ignore->text().split(u',', Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    }
    return out;
}

bool CompareView::isBusy() const
{
    return m_watcher.isRunning();
}

void CompareView::compare(const ComparedExchange &a, const ComparedExchange &b)
{
    start([a] { return Result<ComparedExchange>(a); }, [b] { return Result<ComparedExchange>(b); });
}

void CompareView::compare(CompareSource a, CompareSource b)
{
    start(std::move(a), std::move(b));
}

void CompareView::start(CompareSource a, CompareSource b)
{
    if (m_watcher.isRunning()) {
        // One at a time: the one running stops (it stops at its next part).
        m_cancelFlag->store(true);
        m_watcher.waitForFinished();
    }
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_done = std::make_shared<std::atomic<int>>(0);
    CompareOptions options;
    options.json.ignore = ignored();
    options.cancel = m_cancelFlag.get();
    const auto done = m_done;
    options.progress = [done](int partsDone, int) { done->store(2 + partsDone); };
    // The flag and the counter live as long as the worker, whatever the view does.
    const auto flag = m_cancelFlag;
    m_watcher.setFuture(
        QtConcurrent::run([a = std::move(a), b = std::move(b), options, flag, done]() {
            Outcome out { a(), Result<ComparedExchange>(), {}, false };
            done->store(1);
            if (out.a && !flag->load())
                out.b = b();
            done->store(2);
            if (out.a && out.b && !flag->load())
                out.comparison = compareExchanges(*out.a, *out.b, options);
            out.canceled = flag->load();
            return out;
        }));
    setBusy(true);
}

void CompareView::cancel()
{
    if (!m_watcher.isRunning())
        return;
    m_cancelFlag->store(true);
}

void CompareView::setBusy(bool busy)
{
    if (busy) {
        m_progress->setValue(0);
        m_progressTimer->start();
    } else {
        m_progressTimer->stop();
        m_busy->hide();
    }
    m_ignore->setEnabled(!busy);
    m_swap->setEnabled(!busy && m_a && m_b);
    m_copy->setEnabled(!busy && !m_comparison.labelA.isEmpty());
    m_export->setEnabled(!busy && !m_comparison.labelA.isEmpty());
}

void CompareView::onFinished()
{
    Outcome out = m_watcher.result();
    if (out.canceled) {
        setBusy(false);
        Q_EMIT message(tr("Comparison canceled."));
        Q_EMIT compared();
        return;
    }
    if (!out.a || !out.b) {
        m_problem = (out.a ? out.b.error() : out.a.error()).message;
        setBusy(false);
        m_verdict->setText(tr("Cannot compare: %1").arg(m_problem));
        m_verdict->setStyleSheet(toneStyle(Tone::Error, palette()));
        Q_EMIT message(m_verdict->text());
        Q_EMIT compared();
        return;
    }
    m_problem.clear();
    m_a = std::move(*out.a);
    m_b = std::move(*out.b);
    m_comparison = std::move(out.comparison);
    setBusy(false);
    showComparison();
    Q_EMIT compared();
}

void CompareView::swapSides()
{
    if (!m_a || !m_b || isBusy())
        return;
    compare(*m_b, *m_a);
}

void CompareView::showComparison()
{
    const ExchangeComparison &c = m_comparison;
    m_title->setText(tr("A: %1   ⟷   B: %2").arg(c.labelA, c.labelB));
    setWindowTitle(tr("Compare %1 and %2").arg(c.labelA, c.labelB));
    m_verdict->setStyleSheet(c.equal() ? QString() : toneStyle(Tone::Warning, palette()));
    m_verdict->setText(
        c.equal() ? tr("Equal in everything compared (timing aside).") : tr("They differ."));
    for (QTreeWidget *tree : { m_fields, m_request, m_gateway, m_response, m_phases })
        tree->setHeaderLabels({ tree->headerItem()->text(0), c.labelA, c.labelB,
            tree == m_phases ? tr("Change") : QString() });
    for (QTreeWidget *tree : { m_fields, m_request, m_gateway, m_response })
        tree->setColumnCount(3);
    fillOverview();
    fillRequest();
    fillGateway();
    fillResponse();
    fillTiming();
}

void CompareView::fillOverview()
{
    const ExchangeComparison &c = m_comparison;
    m_fields->clear();
    for (const FieldComparison &f : c.fields) {
        if (f.a.isEmpty() && f.b.isEmpty())
            continue;
        auto *item = new QTreeWidgetItem(m_fields, { f.name, f.a, f.b });
        for (int i = 0; i < 3; ++i)
            item->setToolTip(i, item->text(i));
        if (!f.equal()) {
            item->setText(0, f.name + u"  ≠"_s);
            mark(item, 1, Mark::Changed, palette());
            mark(item, 2, Mark::Changed, palette());
        }
    }
    m_fields->resizeColumnToContents(0);
    const auto count = [](const QString &part, qsizetype n) {
        return n == 0 ? QString()
            : n == 1  ? tr("%1: 1 change").arg(part)
                      : tr("%1: %2 changes").arg(part).arg(n);
    };
    QStringList parts { count(tr("request headers"), c.requestHeaders.size()),
        count(tr("request body"), c.requestBody.size()),
        count(tr("applied configurations"), c.applied.size()),
        count(tr("response headers"), c.responseHeaders.size()),
        count(tr("response body"), c.responseJson.size()),
        c.text.isEmpty() ? QString() : tr("answer: differs word by word"),
        c.reasoning.isEmpty() ? QString() : tr("reasoning: differs word by word"),
        count(tr("tool calls"), c.toolCalls.size()), count(tr("usage"), c.usage.size()) };
    parts.removeAll(QString());
    const QString timing = timingSummary(c);
    m_partsSummary->setText((parts.isEmpty() ? tr("Every part is the same.") : parts.join(u"\n"_s))
        + (timing.isEmpty() ? QString() : u"\n\n"_s + tr("Timing: %1").arg(timing)));
}

void CompareView::fillRequest()
{
    const ExchangeComparison &c = m_comparison;
    m_request->clear();
    if (!m_a->hasRequest || !m_b->hasRequest) {
        auto *item = new QTreeWidgetItem(m_request);
        item->setText(
            0, tr("Not compared: %1 keeps no request.").arg(m_a->hasRequest ? c.labelB : c.labelA));
        item->setFirstColumnSpanned(true);
        return;
    }
    for (const FieldComparison &f : c.fields) {
        if (f.name != "method"_L1 && f.name != "URL"_L1)
            continue;
        auto *item = new QTreeWidgetItem(m_request, { f.name, f.a, f.b });
        if (!f.equal()) {
            mark(item, 1, Mark::Changed, palette());
            mark(item, 2, Mark::Changed, palette());
        }
    }
    QTreeWidgetItem *headers = section(m_request, tr("Headers"), c.requestHeaders.size());
    addHeaders(headers, c.requestHeaders, palette());
    headers->setExpanded(true);
    QTreeWidgetItem *body = section(m_request, tr("Body"), c.requestBody.size());
    addChanges(body, c.requestBody, palette());
    body->setExpanded(true);
    m_request->resizeColumnToContents(0);
}

void CompareView::fillGateway()
{
    const ExchangeComparison &c = m_comparison;
    m_gateway->clear();
    for (const FieldComparison &f : c.fields) {
        if (f.name != "requested model"_L1 && f.name != "resolved model"_L1)
            continue;
        auto *item = new QTreeWidgetItem(m_gateway, { f.name, f.a, f.b });
        if (!f.equal()) {
            mark(item, 1, Mark::Changed, palette());
            mark(item, 2, Mark::Changed, palette());
        }
    }
    if (m_a->applied.isUndefined() && m_b->applied.isUndefined()) {
        auto *item = new QTreeWidgetItem(m_gateway);
        item->setText(0, tr("Neither side reports applied configurations."));
        item->setFirstColumnSpanned(true);
        return;
    }
    auto *root = new QTreeWidgetItem(m_gateway);
    root->setText(0, tr("applied configurations"));
    addMergedTree(
        root, u"$"_s, m_a->applied, m_b->applied, u"$"_s, ChangedPaths(c.applied), palette());
    // The merged tree's root item stands for $: its children go under the section.
    QTreeWidgetItem *top = root->takeChild(0);
    root->addChildren(top->takeChildren());
    root->setText(1, top->text(1));
    root->setText(2, top->text(2));
    delete top;
    root->setExpanded(true);
    m_gateway->resizeColumnToContents(0);
}

void CompareView::fillResponse()
{
    const ExchangeComparison &c = m_comparison;
    m_response->clear();
    if (m_a->hasResponseHeaders && m_b->hasResponseHeaders) {
        QTreeWidgetItem *headers = section(m_response, tr("Headers"), c.responseHeaders.size());
        addHeaders(headers, c.responseHeaders, palette());
        headers->setExpanded(true);
    }
    const auto part = [this](const QString &title, const QList<JsonChange> &changes) {
        QTreeWidgetItem *item = section(m_response, title, changes.size());
        addChanges(item, changes, palette());
        item->setExpanded(true);
    };
    if (!m_a->json.isUndefined() || !m_b->json.isUndefined())
        part(tr("JSON body"), c.responseJson);
    if (!m_a->toolCalls.isUndefined() || !m_b->toolCalls.isUndefined())
        part(tr("Tool calls"), c.toolCalls);
    if (!m_a->usage.isUndefined() || !m_b->usage.isUndefined())
        part(tr("Usage"), c.usage);
    m_response->resizeColumnToContents(0);

    // The answers side by side: A's removed words, B's added ones.
    bool cut = false;
    QString htmlA;
    QString htmlB;
    const auto add = [&](const QString &title, const QList<TextSegment> &segments, const QString &a,
                         const QString &b) {
        if (a.isEmpty() && b.isEmpty())
            return;
        if (!title.isEmpty()) {
            htmlA += u"<h4>%1</h4>"_s.arg(title);
            htmlB += u"<h4>%1</h4>"_s.arg(title);
        }
        if (segments.isEmpty()) {
            htmlA += plainHtml(a, &cut);
            htmlB += plainHtml(b, &cut);
        } else {
            htmlA += sideHtml(segments, TextSegment::Kind::Removed, Mark::Removed, palette(), &cut);
            htmlB += sideHtml(segments, TextSegment::Kind::Added, Mark::Added, palette(), &cut);
        }
    };
    const bool reasoning = !m_a->reasoning.isEmpty() || !m_b->reasoning.isEmpty();
    add(reasoning ? tr("Reasoning") : QString(), c.reasoning, m_a->reasoning, m_b->reasoning);
    add(reasoning ? tr("Answer") : QString(), c.text, m_a->text, m_b->text);
    m_answerA->setHtml(htmlA);
    m_answerB->setHtml(htmlB);
    QString note = m_a->text.isEmpty() && m_b->text.isEmpty()
        ? tr("Neither side has an answer's text.")
        : c.text.isEmpty() ? tr("The answers are the same.")
                           : tr("The answers differ: words only in A are struck out on the "
                                "left, words only in B marked on the right.");
    if (cut)
        note += u' ' + tr("Long texts are shown in part; the exports have all.");
    m_answerNote->setText(note);
}

void CompareView::fillTiming()
{
    const ExchangeComparison &c = m_comparison;
    Waterfall a = waterfallOf(*m_a);
    Waterfall b = waterfallOf(*m_b);
    // One time axis for both: the longer exchange sets its end (a double click that
    // shows everything keeps it too).
    const double end = std::max({ a.endMs, b.endMs, 1.0 });
    a.endMs = end;
    b.endMs = end;
    m_waterfallA->setWaterfall(a);
    m_waterfallB->setWaterfall(b);
    m_waterfallA->setView(0, end);
    m_waterfallB->setView(0, end);
    m_waterfallLabelA->setText(
        tr("A: %1, %2").arg(c.labelA, inspector::msText(m_a->timeline.finished)));
    m_waterfallLabelB->setText(
        tr("B: %1, %2").arg(c.labelB, inspector::msText(m_b->timeline.finished)));
    m_phases->clear();
    for (const PhaseComparison &p : c.phases) {
        if (p.a < 0 && p.b < 0 && p.stages.isEmpty())
            continue;
        auto *item = new QTreeWidgetItem(m_phases,
            { p.name, inspector::msText(p.a), inspector::msText(p.b),
                p.measured() ? timeChange(p.change()) : QString() });
        for (const PhaseComparison::Stage &s : p.stages) {
            new QTreeWidgetItem(item,
                { tr("server: %1").arg(s.name), inspector::msText(s.a), inspector::msText(s.b),
                    s.a >= 0 && s.b >= 0 ? timeChange(s.b - s.a) : QString() });
        }
        item->setExpanded(true);
    }
    m_phases->resizeColumnToContents(0);
    const QString summary = timingSummary(c);
    m_timingSummary->setText(summary.isEmpty() ? tr("Neither side has a timeline.") : summary);
}

QString CompareView::markdown() const
{
    return m_comparison.labelA.isEmpty() ? QString() : comparisonMarkdown(m_comparison);
}

bool CompareView::writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    Q_EMIT message(tr("Comparison written to %1").arg(path));
    return true;
}

bool CompareView::exportMarkdown(const QString &path)
{
    if (m_comparison.labelA.isEmpty())
        return false;
    return writeFile(path, markdown().toUtf8());
}

bool CompareView::exportJson(const QString &path)
{
    if (m_comparison.labelA.isEmpty())
        return false;
    return writeFile(path, QJsonDocument(comparisonJson(m_comparison)).toJson());
}

void CompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The marks follow light and dark.
    if (event->type() == QEvent::PaletteChange && m_a && m_b && !isBusy())
        showComparison();
}

} // namespace gs::ui
