#include "responseinspector.h"

#include "core/net/exchange.h"
#include "core/net/waterfall.h"
#include "core/store/history.h"
#include "core/stream/gatewayresponse.h"
#include "eventsmodel.h"
#include "highlighting.h"
#include "jsontreemodel.h"
#include "largetextview.h"
#include "streamtextedit.h"
#include "ui/tones.h"
#include "waterfallwidget.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

QPlainTextEdit *readOnlyText(const QString &objectName)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(objectName);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return edit;
}

QString bytesText(qint64 bytes)
{
    if (bytes < 1024)
        return u"%1 B"_s.arg(bytes);
    if (bytes < 1024 * 1024)
        return u"%1 KiB"_s.arg(double(bytes) / 1024, 0, 'f', 1);
    return u"%1 MiB"_s.arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

QString msText(qint64 us)
{
    return us < 0 ? u"–"_s : u"%1 ms"_s.arg(double(us) / 1000, 0, 'f', 1);
}

// Pretty JSON when the text is JSON, the text itself otherwise.
QString prettyIfJson(const QByteArray &data)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error == QJsonParseError::NoError && !doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(data);
}

// Laying out text costs about a microsecond a character: one frame takes at most
// this much new text, so that a stream at full speed never stalls the window (the
// view then catches up over the next frames).
constexpr qsizetype kMaxCharactersPerFrame = 6000;

QString framePart(const QString &text, qsizetype shown)
{
    qsizetype n = std::min(text.size() - shown, kMaxCharactersPerFrame);
    if (shown + n < text.size() && n > 0 && text[shown + n - 1].isHighSurrogate())
        --n; // never split a surrogate pair
    return text.sliced(shown, n);
}

// Item views copy the current cell's text on Ctrl+C before any action sees the keys:
// this filter gives Ctrl+C to \a copy instead.
class CopyKey final : public QObject
{
public:
    CopyKey(QWidget *view, std::function<void()> copy)
        : QObject(view)
        , m_copy(std::move(copy))
    {
        view->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::KeyPress
            && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
            m_copy();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_copy;
};

QString jsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented))
            .trimmed();
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented))
            .trimmed();
    return v.toVariant().toString();
}

} // namespace

ResponseInspector::ResponseInspector(KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QWidget(parent)
    , m_repository(repository)
    , m_status(new QLabel)
    , m_tabs(new QTabWidget)
    , m_refreshTimer(new QTimer(this))
    , m_statsTimer(new QTimer(this))
    , m_events(new EventsModel(this))
    , m_applied(new JsonTreeModel(this))
    , m_appliedProxy(new QSortFilterProxyModel(this))
{
    m_status->setObjectName(u"responseStatus"_s);
    m_status->setTextFormat(Qt::RichText);
    m_status->setWordWrap(true);
    m_tabs->setObjectName(u"inspectorTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildStreamTab(), tr("&Stream"));
    m_tabs->addTab(buildEventsTab(), tr("&Events"));
    m_tabs->addTab(buildBodyTab(), tr("&Body"));
    m_tabs->addTab(buildHeadersTab(), tr("&Headers"));
    m_tabs->addTab(buildTimingTab(), tr("&Timing"));
    m_tabs->addTab(buildGatewayTab(), tr("&Gateway"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_tabs, 1);

    // One refresh per frame at most, however fast tokens arrive.
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(16);
    connect(m_refreshTimer, &QTimer::timeout, this, &ResponseInspector::refresh);
    m_statsTimer->setInterval(100);
    connect(m_statsTimer, &QTimer::timeout, this, &ResponseInspector::refreshStats);
    clear();
}

ResponseInspector::~ResponseInspector()
{
    qDeleteAll(m_highlighters);
}

QWidget *ResponseInspector::buildStreamTab()
{
    auto *page = new QWidget;
    m_stats = new QLabel;
    m_stats->setObjectName(u"streamStats"_s);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->setToolTip(tr("Stop this exchange; what arrived is kept (Esc)"));
    connect(m_cancel, &QPushButton::clicked, this, &ResponseInspector::cancelRequested);
    m_choice = new QComboBox;
    m_choice->setObjectName(u"choiceSelector"_s);
    m_choice->setVisible(false);
    connect(m_choice, &QComboBox::currentIndexChanged, this, [this] {
        m_shownText = m_shownReasoning = 0;
        m_answer->clear();
        m_reasoning->clear();
        m_toolSignature.clear();
        refresh();
    });
    auto *top = new QHBoxLayout;
    top->addWidget(m_stats, 1);
    top->addWidget(m_choice);
    top->addWidget(m_cancel);

    m_errorBanner = new QLabel;
    m_errorBanner->setObjectName(u"streamError"_s);
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setFrameShape(QFrame::StyledPanel);
    m_errorBanner->setVisible(false);

    m_reasoningToggle = new QToolButton;
    m_reasoningToggle->setObjectName(u"reasoningToggle"_s);
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setChecked(true);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setArrowType(Qt::DownArrow);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->setText(tr("Reasoning"));
    m_reasoning = new StreamTextEdit;
    m_reasoning->setObjectName(u"reasoning"_s);
    QFont italic = font();
    italic.setItalic(true);
    m_reasoning->setFont(italic);
    m_reasoning->setMaximumHeight(160);
    connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
        m_reasoning->setVisible(open);
        m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    m_answer = new StreamTextEdit;
    m_answer->setObjectName(u"answer"_s);
    m_answer->setPlaceholderText(tr("The answer appears here as it streams."));

    m_toolBox = new QWidget;
    m_toolLayout = new QVBoxLayout(m_toolBox);
    m_toolLayout->setContentsMargins(0, 0, 0, 0);

    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_reasoningToggle);
    layout->addWidget(m_reasoning);
    layout->addWidget(m_answer, 1);
    layout->addWidget(m_toolBox);
    return page;
}

QWidget *ResponseInspector::buildEventsTab()
{
    m_eventsView = new QTableView;
    m_eventsView->setObjectName(u"eventsTable"_s);
    m_eventsView->setModel(m_events);
    m_eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventsView->setWordWrap(false);
    m_eventsView->verticalHeader()->setVisible(false);
    // Fixed row heights keep a table of 100,000 events cheap to scroll.
    m_eventsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_eventsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_eventsView->horizontalHeader()->setStretchLastSection(true);
    m_eventsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm = fontMetrics();
    m_eventsView->setColumnWidth(EventsModel::IndexColumn, fm.horizontalAdvance(u"000000"_s));
    m_eventsView->setColumnWidth(
        EventsModel::ArrivalColumn, fm.horizontalAdvance(u"Arrival (ms)__"_s));
    m_eventsView->setColumnWidth(EventsModel::GapColumn, fm.horizontalAdvance(u"Gap (ms)____"_s));
    m_eventsView->setColumnWidth(EventsModel::TypeColumn, fm.horizontalAdvance(u"message____"_s));
    m_eventsView->setColumnWidth(EventsModel::IdColumn, fm.horizontalAdvance(u"Id____"_s));
    m_eventDetail = readOnlyText(u"eventDetail"_s);
    m_eventDetail->setPlaceholderText(tr("Select an event to see its data."));
    connect(m_eventsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ResponseInspector::showEventDetail);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(u"eventsSplitter"_s);
    splitter->addWidget(m_eventsView);
    splitter->addWidget(m_eventDetail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    return splitter;
}

QWidget *ResponseInspector::buildBodyTab()
{
    auto *page = new QWidget;
    m_bodyMode = new QComboBox;
    m_bodyMode->setObjectName(u"bodyMode"_s);
    m_bodyMode->addItems({ tr("Pretty"), tr("Raw") });
    connect(m_bodyMode, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_body->setMode(index == 1 ? LargeTextView::Mode::Raw : LargeTextView::Mode::Pretty);
    });
    m_bodyNote = new QLabel;
    m_bodyNote->setWordWrap(true);
    m_body = new LargeTextView;
    m_body->setObjectName(u"body"_s);
    connect(m_body, &LargeTextView::formattingProgress, this, [this](qint64 done, qint64 total) {
        const QString size = bytesText(total);
        m_bodyNote->setText(done >= total
                ? size
                : tr("%1 · formatting %2%").arg(size).arg(done * 100 / std::max<qint64>(1, total)));
    });
    auto *top = new QHBoxLayout;
    top->addWidget(m_bodyMode);
    top->addWidget(m_bodyNote, 1);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_body, 1);
    return page;
}

QWidget *ResponseInspector::buildHeadersTab()
{
    m_headers = new QTreeWidget;
    m_headers->setObjectName(u"headers"_s);
    m_headers->setHeaderLabels({ tr("Name"), tr("Value") });
    m_headers->setRootIsDecorated(true);
    m_headers->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_headers->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_headers->setContextMenuPolicy(Qt::ActionsContextMenu);
    const auto copy = [this](int part) {
        QStringList lines;
        for (const QTreeWidgetItem *item : m_headers->selectedItems()) {
            if (item->childCount() > 0)
                continue; // a group
            lines << (part == 0 ? item->text(0)
                    : part == 1 ? item->text(1)
                                : item->text(0) + u": "_s + item->text(1));
        }
        if (!lines.isEmpty())
            QApplication::clipboard()->setText(lines.join(u'\n'));
    };
    auto *copyLine = new QAction(tr("Copy"), m_headers);
    copyLine->setShortcut(QKeySequence::Copy);
    copyLine->setShortcutContext(Qt::WidgetShortcut);
    connect(copyLine, &QAction::triggered, this, [copy] { copy(2); });
    new CopyKey(m_headers, [copy] { copy(2); });
    auto *copyName = new QAction(tr("Copy Name"), m_headers);
    connect(copyName, &QAction::triggered, this, [copy] { copy(0); });
    auto *copyValue = new QAction(tr("Copy Value"), m_headers);
    connect(copyValue, &QAction::triggered, this, [copy] { copy(1); });
    m_headers->addActions({ copyLine, copyName, copyValue });
    return m_headers;
}

QWidget *ResponseInspector::buildTimingTab()
{
    auto *page = new QWidget;
    m_waterfall = new WaterfallWidget;
    m_waterfall->setObjectName(u"waterfall"_s);
    m_timingSummary = new QLabel;
    m_timingSummary->setObjectName(u"timingSummary"_s);
    m_timingSummary->setWordWrap(true);
    m_timingSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *reset = new QPushButton(tr("Show All"));
    reset->setToolTip(tr("Show the whole exchange (Ctrl+0 or a double click on the chart)"));
    connect(reset, &QPushButton::clicked, m_waterfall, &WaterfallWidget::resetView);
    auto *png = new QPushButton(tr("Export PNG…"));
    connect(png, &QPushButton::clicked, this, [this] { exportWaterfall(false); });
    auto *svg = new QPushButton(tr("Export SVG…"));
    connect(svg, &QPushButton::clicked, this, [this] { exportWaterfall(true); });
    auto *top = new QHBoxLayout;
    top->addWidget(m_timingSummary, 1);
    top->addWidget(reset);
    top->addWidget(png);
    top->addWidget(svg);
    auto *hint
        = new QLabel(tr("Wheel: zoom around the cursor · drag: pan · double click: show all"));
    hint->setEnabled(false);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_waterfall, 1);
    layout->addWidget(hint);
    return page;
}

QWidget *ResponseInspector::buildGatewayTab()
{
    auto *page = new QWidget;
    m_models = new QLabel;
    m_models->setObjectName(u"models"_s);
    m_models->setTextFormat(Qt::RichText);
    m_models->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_appliedFilter = new QLineEdit;
    m_appliedFilter->setObjectName(u"appliedFilter"_s);
    m_appliedFilter->setPlaceholderText(tr("Filter applied configurations"));
    m_appliedFilter->setClearButtonEnabled(true);
    m_appliedProxy->setSourceModel(m_applied);
    m_appliedProxy->setRecursiveFilteringEnabled(true);
    m_appliedProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_appliedProxy->setFilterKeyColumn(-1);
    m_appliedView = new QTreeView;
    m_appliedView->setObjectName(u"appliedTree"_s);
    m_appliedView->setModel(m_appliedProxy);
    m_appliedView->setUniformRowHeights(true);
    m_appliedView->header()->setStretchLastSection(false);
    m_appliedView->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_appliedView->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_appliedView->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_appliedView->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_appliedFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_appliedProxy->setFilterFixedString(text);
        m_appliedView->expandAll();
    });
    const auto copyRole = [this](int role) {
        const QModelIndex index = m_appliedView->currentIndex();
        if (index.isValid())
            QApplication::clipboard()->setText(index.siblingAtColumn(0).data(role).toString());
    };
    auto *copyValue = new QAction(tr("Copy Value"), m_appliedView);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValue, &QAction::triggered, this,
        [copyRole] { copyRole(JsonTreeModel::JsonTextRole); });
    auto *copyPath = new QAction(tr("Copy JSON Path"), m_appliedView);
    copyPath->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copyPath->setShortcutContext(Qt::WidgetShortcut);
    connect(
        copyPath, &QAction::triggered, this, [copyRole] { copyRole(JsonTreeModel::JsonPathRole); });
    m_appliedView->addActions({ copyValue, copyPath });
    new CopyKey(m_appliedView, [copyRole] { copyRole(JsonTreeModel::JsonTextRole); });
    auto *expand = new QPushButton(tr("Expand All"));
    connect(expand, &QPushButton::clicked, m_appliedView, &QTreeView::expandAll);
    auto *collapse = new QPushButton(tr("Collapse All"));
    connect(collapse, &QPushButton::clicked, m_appliedView, &QTreeView::collapseAll);
    m_appliedNote = new QLabel;
    m_appliedNote->setWordWrap(true);
    m_feedback = new QLabel;
    m_feedback->setObjectName(u"feedback"_s);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_feedback->setWordWrap(true);
    m_gatewayErrors = readOnlyText(u"gatewayErrors"_s);
    m_gatewayErrors->setMaximumHeight(140);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_appliedFilter, 1);
    filterRow->addWidget(expand);
    filterRow->addWidget(collapse);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_models);
    layout->addWidget(
        new QLabel(tr("<b>Applied configurations</b> (x-tfy-applied-configurations)")));
    layout->addLayout(filterRow);
    layout->addWidget(m_appliedView, 1);
    layout->addWidget(m_appliedNote);
    layout->addWidget(m_feedback);
    layout->addWidget(m_gatewayErrors);
    return page;
}

void ResponseInspector::setTheme(const KSyntaxHighlighting::Theme &theme)
{
    m_body->setTheme(theme);
    if (m_highlighters.isEmpty()) {
        for (QPlainTextEdit *edit : { m_eventDetail, m_gatewayErrors })
            m_highlighters << attachHighlighter(
                edit->document(), theme, m_repository->definitionForName(u"JSON"_s));
        return;
    }
    for (KSyntaxHighlighting::SyntaxHighlighter *h : std::as_const(m_highlighters)) {
        h->setTheme(theme);
        h->rehighlight();
    }
}

void ResponseInspector::clear()
{
    if (m_exchange)
        disconnect(m_exchange, nullptr, this, nullptr);
    m_exchange = nullptr;
    m_finished.reset();
    m_refreshTimer->stop();
    m_statsTimer->stop();
    m_status->setText(tr("No response yet. Send a request with Ctrl+Enter."));
    m_stats->clear();
    m_cancel->setEnabled(false);
    m_errorBanner->hide();
    m_choice->clear();
    m_choice->hide();
    m_reasoning->clear();
    m_reasoning->hide();
    m_reasoningToggle->hide();
    m_answer->clear();
    m_shownText = m_shownReasoning = 0;
    m_shownChoice = 0;
    m_toolSignature.clear();
    rebuildToolCards();
    m_events->clear();
    m_eventDetail->clear();
    m_body->clear();
    m_bodyNote->clear();
    m_headers->clear();
    m_waterfall->setWaterfall({});
    m_timingSummary->clear();
    m_models->clear();
    m_applied->setTree({});
    m_appliedNote->clear();
    m_feedback->clear();
    m_gatewayErrors->clear();
    m_gatewayErrors->hide();
}

void ResponseInspector::watch(Exchange *exchange, const QString &requestedModel)
{
    clear();
    m_exchange = exchange;
    m_requestedModel = requestedModel;
    m_status->setText(tr("Sending…"));
    m_cancel->setEnabled(true);
    m_statsTimer->start();
    connect(exchange, &Exchange::headersReceived, this, &ResponseInspector::onHeaders);
    connect(exchange, &Exchange::eventsArrived, this, [this](const QList<SseEvent> &events) {
        const bool follow = m_eventsView->verticalScrollBar()->value()
            >= m_eventsView->verticalScrollBar()->maximum() - 2;
        m_events->append(events, m_exchange ? m_exchange->elapsedUs() : 0);
        if (follow)
            m_eventsView->scrollToBottom();
    });
    connect(exchange, &Exchange::progress, this, &ResponseInspector::scheduleRefresh);
    connect(exchange, &Exchange::finished, this, &ResponseInspector::onFinished);
    if (exchange->isFinished())
        onFinished();
}

void ResponseInspector::scheduleRefresh()
{
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void ResponseInspector::refresh()
{
    if (!m_exchange)
        return;
    const AssembledResponse &a = m_exchange->assembled();
    if (a.choices.size() > 1 && m_choice->count() != a.choices.size()) {
        const QSignalBlocker block(m_choice);
        const int current = std::max(0, m_choice->currentIndex());
        m_choice->clear();
        for (const AssembledChoice &c : a.choices)
            m_choice->addItem(tr("Choice %1").arg(c.index));
        m_choice->setCurrentIndex(current);
        m_choice->show();
    }
    const int index = std::max(0, std::min(m_choice->currentIndex(), int(a.choices.size()) - 1));
    if (!a.choices.isEmpty()) {
        const AssembledChoice &c = a.choices[index];
        if (c.reasoning.size() > m_shownReasoning) {
            if (m_shownReasoning == 0) {
                m_reasoningToggle->show();
                m_reasoning->setVisible(m_reasoningToggle->isChecked());
            }
            const QString part = framePart(c.reasoning, m_shownReasoning);
            m_reasoning->appendStreamed(part);
            m_shownReasoning += part.size();
            m_reasoningToggle->setText(tr("Reasoning (%1 characters)").arg(m_shownReasoning));
        }
        const QString text = c.refusal.isEmpty() ? c.text : c.text + u"\n[refusal] "_s + c.refusal;
        if (text.size() > m_shownText) {
            const QString part = framePart(text, m_shownText);
            m_answer->appendStreamed(part);
            m_shownText += part.size();
        }
        // Faster than the text can be laid out: the rest follows in the next frames.
        if (m_shownText < text.size() || m_shownReasoning < c.reasoning.size())
            scheduleRefresh();
    }
    rebuildToolCards();
    if (!a.errors.isEmpty()) {
        QStringList lines;
        for (const StreamError &e : a.errors)
            lines << (e.eventIndex >= 0 ? tr("Error in event %1: %2").arg(e.eventIndex + 1)
                                        : tr("Error: %1"))
                         .arg(e.message.isEmpty() ? e.type : e.message);
        const bool partial = m_shownText > 0 || m_shownReasoning > 0;
        m_errorBanner->setText(lines.join(u'\n')
            + (partial ? u"\n"_s + tr("What arrived before the error is kept below.") : QString()));
        m_errorBanner->setStyleSheet(
            u"QLabel { background: palette(base); %1 padding: 6px; }"_s.arg(
                toneStyle(Tone::Error, palette())));
        m_errorBanner->show();
    }
    refreshStats();
}

void ResponseInspector::rebuildToolCards()
{
    QList<ToolCall> calls;
    if (m_exchange && !m_exchange->assembled().choices.isEmpty()) {
        const auto &choices = m_exchange->assembled().choices;
        calls = choices[std::clamp(m_choice->currentIndex(), 0, int(choices.size()) - 1)].toolCalls;
    }
    QString signature;
    for (const ToolCall &c : calls)
        signature += c.id + c.name + QString::number(c.arguments.size()) + u'|';
    if (signature == m_toolSignature && (calls.isEmpty() == (m_toolLayout->count() == 0)))
        return;
    m_toolSignature = signature;
    while (QLayoutItem *item = m_toolLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const ToolCall &c : calls) {
        auto *card = new QFrame;
        card->setObjectName(u"toolCallCard"_s);
        card->setFrameShape(QFrame::StyledPanel);
        auto *layout = new QVBoxLayout(card);
        auto *title = new QLabel(u"<b>%1</b> &nbsp; <span style='color:gray'>%2 %3</span>"_s.arg(
            c.name.toHtmlEscaped(), c.type.toHtmlEscaped(), c.id.toHtmlEscaped()));
        title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *args = new QLabel;
        args->setTextFormat(Qt::PlainText);
        args->setText(prettyIfJson(c.arguments.toUtf8()));
        args->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        args->setTextInteractionFlags(Qt::TextSelectableByMouse);
        args->setWordWrap(true);
        layout->addWidget(title);
        layout->addWidget(args);
        m_toolLayout->addWidget(card);
    }
}

void ResponseInspector::refreshStats()
{
    if (!m_exchange)
        return;
    const Timeline &t = m_exchange->timeline();
    const qint64 now = t.finished >= 0 ? t.finished : m_exchange->elapsedUs();
    QStringList parts;
    parts << tr("Elapsed %1").arg(msText(now));
    parts << tr("TTFT %1").arg(
        t.firstToken >= 0 ? msText(t.firstToken - std::max<qint64>(0, t.requestSent)) : u"–"_s);
    const qint64 tokens = t.tokenTimes.size();
    if (tokens > 1 && t.firstToken >= 0 && now > t.firstToken)
        parts << tr("%1 tokens/s")
                     .arg(double(tokens - 1) / (double(now - t.firstToken) / 1e6), 0, 'f', 1);
    if (m_exchange->framing() == BodyFraming::Json || m_exchange->framing() == BodyFraming::Other)
        parts << tr("not streamed");
    else
        parts << tr("%n event(s)", nullptr, int(t.events));
    parts << bytesText(t.bytes);
    m_stats->setText(parts.join(u"  ·  "_s));
}

QString ResponseInspector::statusLine() const
{
    if (!m_exchange || m_exchange->status() <= 0)
        return {};
    const QString reason = QString::fromUtf8(m_exchange->reason()).toHtmlEscaped();
    const QString version = QString::fromUtf8(m_exchange->httpVersion());
    return u"<b>%1 %2</b> &nbsp; %3"_s.arg(QString::number(m_exchange->status()), reason, version);
}

void ResponseInspector::onHeaders()
{
    if (!m_exchange)
        return;
    m_status->setText(statusLine());
    showHeaders(m_exchange->responseHeaders());
    showTiming();
}

void ResponseInspector::showHeaders(const HttpHeaders &headers)
{
    m_headers->clear();
    auto *gateway = new QTreeWidgetItem(m_headers, { tr("Gateway (x-tfy-*)") });
    auto *other = new QTreeWidgetItem(m_headers, { tr("Response") });
    for (const HttpHeader &h : headers) {
        const bool tfy = h.name.toLower().startsWith("x-tfy-");
        auto *item = new QTreeWidgetItem(
            tfy ? gateway : other, { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        item->setToolTip(1, QString::fromUtf8(h.value.left(4000)));
    }
    for (QTreeWidgetItem *group : { gateway, other }) {
        QFont f = group->font(0);
        f.setBold(true);
        group->setFont(0, f);
        group->setText(1, tr("%n header(s)", nullptr, group->childCount()));
        group->setFirstColumnSpanned(false);
        group->setExpanded(true);
    }
    if (gateway->childCount() == 0)
        delete gateway;

    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(headers);
    const QString resolved = info.resolvedModel;
    QString models
        = tr("Requested model: <b>%1</b>")
              .arg(m_requestedModel.isEmpty() ? tr("(none)") : m_requestedModel.toHtmlEscaped());
    if (resolved.isEmpty()) {
        models += u"<br>"_s + tr("Resolved model: (no x-tfy-resolved-model header)");
    } else {
        models += u"<br>"_s + tr("Resolved model: <b>%1</b>").arg(resolved.toHtmlEscaped());
        if (resolved != m_requestedModel)
            models
                += u" &nbsp; <span style='background:#e67e22;color:white'>&nbsp;%1&nbsp;</span>"_s
                       .arg(tr("rerouted"));
    }
    m_models->setText(models);
    m_models->setProperty("rerouted", !resolved.isEmpty() && resolved != m_requestedModel);
    if (!info.appliedConfigurationsError.isEmpty()) {
        m_applied->setTree({});
        m_appliedNote->setText(
            info.appliedConfigurationsError + u"\n"_s + info.appliedConfigurationsRaw);
    } else if (info.appliedConfigurationsRaw.isEmpty()) {
        m_applied->setTree({});
        m_appliedNote->setText(tr("The gateway sent no x-tfy-applied-configurations header."));
    } else {
        m_appliedNote->setText(m_applied->setJsonText(info.appliedConfigurationsRaw.toUtf8()));
        m_appliedView->expandAll();
    }
    if (info.feedbackTarget) {
        const FeedbackTarget &f = *info.feedbackTarget;
        m_feedback->setText(f.error.isEmpty()
                ? tr("Feedback target: trace %1, span %2").arg(f.traceId, f.spanId)
                : tr("Feedback target: %1 (%2)").arg(f.raw, f.error));
    } else {
        m_feedback->setText(tr("No feedback target (x-tfy-feedback-target-id)."));
    }
}

void ResponseInspector::showRecorded(const HistoryEntry &e)
{
    clear();
    m_requestedModel = e.requestedModel;
    // What the history kept of the gateway's headers.
    HttpHeaders headers;
    if (!e.resolvedModel.isEmpty())
        headers.append({ "x-tfy-resolved-model", e.resolvedModel.toUtf8() });
    if (!e.appliedConfigurations.isEmpty())
        headers.append({ "x-tfy-applied-configurations", e.appliedConfigurations.toUtf8() });
    showHeaders(headers);
    m_feedback->setText(tr("The history keeps no other headers."));

    const QString at = e.at.toLocalTime().toString(Qt::ISODate);
    QString status = e.status > 0 ? u"<b>%1</b>"_s.arg(e.status) : tr("<b>No response</b>");
    status += u" &nbsp; "_s + tr("recorded %1, from the history").arg(at.toHtmlEscaped());
    if (!e.error.isEmpty())
        status += u" &nbsp; <span style='%2'><b>%1</b></span>"_s.arg(
            e.error.toHtmlEscaped(), toneStyle(Tone::Error, palette()));
    m_status->setText(status);

    const BodyFraming framing = framingFor({}, e.body);
    const DecodedBody decoded = decodeBody({}, e.body, framing);
    const AssembledResponse &a = decoded.assembled;
    if (!a.reasoning().isEmpty()) {
        m_reasoningToggle->show();
        m_reasoning->show();
        m_reasoning->appendStreamed(a.reasoning());
    }
    m_answer->appendStreamed(a.text());
    m_body->setContent(e.body, framing == BodyFraming::Json);
    m_bodyNote->setText(e.bodyTruncated()
            ? tr("The first %1 of %2 (the history keeps the beginning)")
                  .arg(bytesText(e.body.size()), bytesText(e.bodyBytes))
            : bytesText(e.body.size()));
    m_waterfall->setWaterfall(Waterfall::build(timelineFromJson(e.timeline), {}));
    m_timingSummary->setText(tr("Recorded timing of the client; the history keeps no "
                                "server-timing header."));
}

void ResponseInspector::onFinished()
{
    if (!m_exchange)
        return;
    // From here on the finished exchange is a value: the body as the prefix this view
    // shows, never the whole of a large one.
    m_finished = m_exchange->snapshot();
    const ExchangeSnapshot &done = *m_finished;
    m_statsTimer->stop();
    m_cancel->setEnabled(false);
    // Headers come before the end (headersReceived); only a response whose headers
    // were never announced is filled in here.
    if (m_headers->topLevelItemCount() == 0 && m_exchange->status() > 0)
        onHeaders();
    refresh();
    QString status = statusLine();
    const ExchangeError &error = m_exchange->error();
    if (error.kind != ExchangeError::Kind::None) {
        status += (status.isEmpty() ? QString() : u" &nbsp; "_s)
            + u"<span style='%2'><b>%1</b></span>"_s.arg(
                error.message.toHtmlEscaped(), toneStyle(Tone::Error, palette()));
        m_status->setToolTip(error.detail);
    }
    for (const QString &r : m_exchange->redirects())
        status += u"<br>"_s + tr("Redirected to %1").arg(r.toHtmlEscaped());
    for (const QString &p : m_exchange->tlsProblems())
        status += u"<br>"_s + tr("TLS: %1").arg(p.toHtmlEscaped());
    m_status->setText(status);

    // Errors from the gateway: a JSON error body, or error objects in the stream.
    QStringList errors;
    // An error body the assembler already read is not shown twice.
    if (done.status >= 400 && done.assembled.errors.isEmpty()) {
        if (const auto e = errorFromBody(done.bodyPrefix))
            errors << jsonText(e->raw);
    }
    for (const StreamError &e : done.assembled.errors)
        errors << jsonText(e.raw);
    m_gatewayErrors->setPlainText(errors.join(u"\n\n"_s));
    m_gatewayErrors->setVisible(!errors.isEmpty());
    if (done.status >= 400 && done.assembled.choices.isEmpty()) {
        if (const auto e = errorFromBody(done.bodyPrefix)) {
            m_errorBanner->setText(
                tr("The gateway answered %1: %2").arg(done.status).arg(e->message));
            m_errorBanner->setStyleSheet(
                u"QLabel { background: palette(base); %1 padding: 6px; }"_s.arg(
                    toneStyle(Tone::Error, palette())));
            m_errorBanner->show();
        }
    }
    showBody();
    showTiming();
    refreshStats();
}

void ResponseInspector::showBody()
{
    if (!m_finished)
        return;
    const ExchangeSnapshot &done = *m_finished;
    m_bodyNote->setText(done.bodyIsWhole()
            ? bytesText(done.bodySize)
            : tr("The first %1 of %2 (File ▸ Export as HAR writes all of it)")
                  .arg(bytesText(done.bodyPrefix.size()), bytesText(done.bodySize)));
    // A cut JSON body is not a JSON document: shown as text.
    m_body->setContent(done.bodyPrefix, done.framing == BodyFraming::Json && done.bodyIsWhole());
}

void ResponseInspector::showTiming()
{
    if (!m_exchange)
        return;
    const GatewayResponseInfo info
        = GatewayResponseInfo::fromHeaders(m_exchange->responseHeaders());
    m_waterfall->setWaterfall(Waterfall::build(m_exchange->timeline(), info.serverTiming));
    const Timeline &t = m_exchange->timeline();
    QStringList parts;
    parts << (t.connectionReused ? tr("Reused connection (no connect or TLS phase)")
                                 : tr("New connection"));
    if (t.firstToken >= 0)
        parts << tr("TTFT %1 after the request was sent")
                     .arg(msText(t.firstToken - std::max<qint64>(0, t.requestSent)));
    if (info.serverTiming.isEmpty())
        parts << tr("no server-timing header (the gateway sends it on non-streaming responses)");
    m_timingSummary->setText(parts.join(u" · "_s));
}

void ResponseInspector::showEventDetail()
{
    const QModelIndex current = m_eventsView->currentIndex();
    if (!current.isValid()) {
        m_eventDetail->clear();
        return;
    }
    const QByteArray eventData = m_events->event(current.row()).data;
    m_eventDetail->setPlainText(prettyIfJson(eventData));
}

void ResponseInspector::exportWaterfall(bool svg)
{
    const QString filter = svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)");
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Waterfall"), svg ? u"waterfall.svg"_s : u"waterfall.png"_s, filter);
    if (path.isEmpty())
        return;
    const bool ok = svg ? m_waterfall->exportSvg(path) : m_waterfall->exportPng(path);
    m_timingSummary->setText(ok ? tr("Saved %1").arg(path) : tr("Could not write %1").arg(path));
}

QString ResponseInspector::answerText() const
{
    return m_answer->text();
}

QString ResponseInspector::reasoningText() const
{
    return m_reasoning->text();
}

QString ResponseInspector::statusText() const
{
    return m_status->text();
}

int ResponseInspector::eventCount() const
{
    return m_events->rowCount();
}

int ResponseInspector::toolCallCards() const
{
    return m_toolLayout->count();
}

int ResponseInspector::headerCount() const
{
    int n = 0;
    for (int i = 0; i < m_headers->topLevelItemCount(); ++i)
        n += m_headers->topLevelItem(i)->childCount();
    return n;
}

QString ResponseInspector::resolvedModelText() const
{
    return m_models->text();
}

bool ResponseInspector::reroutedShown() const
{
    return m_models->property("rerouted").toBool();
}

} // namespace gs::ui
