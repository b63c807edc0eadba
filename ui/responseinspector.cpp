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
#include "ui/inspector/bodytab.h"
#include "ui/inspector/eventstab.h"
#include "ui/inspector/gatewaytab.h"
#include "ui/inspector/headerstab.h"
#include "ui/inspector/timingtab.h"
#include "ui/inspector/viewhelpers.h"
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
using namespace gs::ui::inspector;

namespace gs::ui {

namespace {

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
    , m_events(new inspector::EventsTab)
    , m_body(new inspector::BodyTab)
    , m_headers(new inspector::HeadersTab)
    , m_timing(new inspector::TimingTab)
    , m_gateway(new inspector::GatewayTab)
{
    m_status->setObjectName(u"responseStatus"_s);
    m_status->setTextFormat(Qt::RichText);
    m_status->setWordWrap(true);
    m_tabs->setObjectName(u"inspectorTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildStreamTab(), tr("&Stream"));
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_body, tr("&Body"));
    m_tabs->addTab(m_headers, tr("&Headers"));
    m_tabs->addTab(m_timing, tr("&Timing"));
    m_tabs->addTab(m_gateway, tr("&Gateway"));

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

void ResponseInspector::setTheme(const KSyntaxHighlighting::Theme &theme)
{
    m_body->view()->setTheme(theme);
    if (m_highlighters.isEmpty()) {
        for (QPlainTextEdit *edit : { m_events->detailView(), m_gateway->errorsView() })
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
    m_body->clear();
    m_headers->clear();
    m_timing->clear();
    m_gateway->clear();
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
        m_events->append(events, m_exchange ? m_exchange->elapsedUs() : 0);
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
    m_headers->showHeaders(headers);
    m_gateway->showHeaders(headers, m_requestedModel);
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
    m_gateway->setFeedbackText(tr("The history keeps no other headers."));

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
    m_body->showBody(e.body, framing == BodyFraming::Json,
        e.bodyTruncated() ? tr("The first %1 of %2 (the history keeps the beginning)")
                                .arg(bytesText(e.body.size()), bytesText(e.bodyBytes))
                          : bytesText(e.body.size()));
    m_timing->showRecorded(timelineFromJson(e.timeline));
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
    m_gateway->showErrors(errors);
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
    // A cut JSON body is not a JSON document: shown as text.
    m_body->showBody(done.bodyPrefix, done.framing == BodyFraming::Json && done.bodyIsWhole(),
        done.bodyIsWhole() ? bytesText(done.bodySize)
                           : tr("The first %1 of %2 (File ▸ Export as HAR writes all of it)")
                                 .arg(bytesText(done.bodyPrefix.size()), bytesText(done.bodySize)));
}

void ResponseInspector::showTiming()
{
    if (!m_exchange)
        return;
    const GatewayResponseInfo info
        = GatewayResponseInfo::fromHeaders(m_exchange->responseHeaders());
    m_timing->showTimeline(m_exchange->timeline(), info.serverTiming);
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
    return m_events->eventCount();
}

int ResponseInspector::toolCallCards() const
{
    return m_toolLayout->count();
}

LargeTextView *ResponseInspector::bodyView() const
{
    return m_body->view();
}

int ResponseInspector::headerCount() const
{
    return m_headers->headerCount();
}

QString ResponseInspector::resolvedModelText() const
{
    return m_gateway->modelsText();
}

bool ResponseInspector::reroutedShown() const
{
    return m_gateway->reroutedShown();
}

WaterfallWidget *ResponseInspector::waterfall() const
{
    return m_timing->waterfall();
}

JsonTreeModel *ResponseInspector::appliedConfigurations() const
{
    return m_gateway->appliedConfigurations();
}

} // namespace gs::ui
