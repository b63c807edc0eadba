#include "responseinspector.h"

#include "core/net/exchange.h"
#include "core/net/trust.h"
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
#include "ui/inspector/streamtab.h"
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
#include <QTabBar>
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
    , m_stream(new inspector::StreamTab)
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
    // Six tabs fit a half of the smallest window: the style's padding, narrowed.
    m_tabs->tabBar()->setStyleSheet(u"QTabBar::tab { padding: 4px 6px; }"_s);
    m_tabs->addTab(m_stream, tr("&Stream"));
    connect(m_stream, &inspector::StreamTab::cancelRequested, this,
        &ResponseInspector::cancelRequested);
    connect(m_stream, &inspector::StreamTab::choiceChanged, this, &ResponseInspector::refresh);
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
    m_stream->clear();
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
    m_stream->setCancelEnabled(true);
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
    if (m_stream->showAnswer(m_exchange->assembled()))
        scheduleRefresh();
    refreshStats();
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
    if (t.finished < 0 && t.firstByte < 0) {
        // Nothing of the body yet: whether it streams is not known.
        parts << (t.headers < 0 ? tr("waiting for the response")
                                : tr("waiting for the first byte"));
    } else {
        const BodyFraming framing = m_exchange->framing();
        parts << (framing == BodyFraming::Json || framing == BodyFraming::Other
                ? tr("not streamed")
                : tr("%n event(s)", nullptr, int(t.events)));
        parts << bytesText(t.bytes);
    }
    m_stream->setStats(parts.join(u"  ·  "_s));
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

void ResponseInspector::showRecorded(const HistoryEntry &e, const QString &origin)
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
    m_gateway->setFeedbackText(
        origin.isEmpty() ? tr("The history keeps no other headers.") : origin);

    const QString at = e.at.toLocalTime().toString(Qt::ISODate);
    QString status = e.status > 0 ? u"<b>%1</b>"_s.arg(e.status) : tr("<b>No response</b>");
    status += u" &nbsp; "_s
        + (origin.isEmpty()
                ? tr("recorded %1, from the history").arg(at.toHtmlEscaped())
                : tr("recorded %1, %2").arg(at.toHtmlEscaped(), origin.toHtmlEscaped()));
    if (const QString meaning = statusMeaning(e.status); !meaning.isEmpty())
        status += u"<br><i>%1</i>"_s.arg(meaning.toHtmlEscaped());
    if (!e.error.isEmpty())
        status += u" &nbsp; <span style='%2'><b>%1</b></span>"_s.arg(
            e.error.toHtmlEscaped(), toneStyle(Tone::Error, palette()));
    m_status->setText(status);

    const BodyFraming framing = framingFor({}, e.body);
    const DecodedBody decoded = decodeBody({}, e.body, framing);
    const AssembledResponse &a = decoded.assembled;
    m_stream->showWhole(a);
    m_body->showBody(e.body,
        framing == BodyFraming::Json && e.bodyTruncated() ? BodyFraming::Other : framing,
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
    m_stream->setCancelEnabled(false);
    // Headers come before the end (headersReceived); only a response whose headers
    // were never announced is filled in here.
    if (m_headers->topLevelItemCount() == 0 && m_exchange->status() > 0)
        onHeaders();
    refresh();
    m_status->setToolTip(QString());
    QString status = statusLine();
    const ExchangeError &error = m_exchange->error();
    if (error.kind != ExchangeError::Kind::None) {
        status += (status.isEmpty() ? QString() : u" &nbsp; "_s)
            + u"<span style='%2'><b>%1</b></span>"_s.arg(
                error.message.toHtmlEscaped(), toneStyle(Tone::Error, palette()));
        m_status->setToolTip(error.detail);
    }
    // What an error status means, beside the gateway's own message.
    if (const QString meaning = statusMeaning(done.status); !meaning.isEmpty())
        status += u"<br><i>%1</i>"_s.arg(meaning.toHtmlEscaped());
    // A stream that stopped before its end marker: the answer shown is not all of it.
    if (const QString why = m_exchange->incomplete(); !why.isEmpty()) {
        status += u" &nbsp; <span style='%2'><b>%1</b></span>"_s.arg(
            tr("Incomplete: %1").arg(why).toHtmlEscaped(), toneStyle(Tone::Error, palette()));
        const QString banner
            = tr("The answer is incomplete: %1. What arrived is shown; the rest never came.");
        m_stream->showError(banner.arg(why));
    }
    for (const QString &r : m_exchange->redirects())
        status += u"<br>"_s + tr("Redirected to %1").arg(r.toHtmlEscaped());
    for (const QString &p : m_exchange->tlsProblems())
        status += u"<br>"_s + tr("TLS: %1").arg(p.toHtmlEscaped());
    // The certificate the gateway presented; a warning when it expires soon.
    if (!m_exchange->peerCertificates().isEmpty()) {
        const QSslCertificate &leaf = m_exchange->peerCertificates().first();
        const CertificateSummary s = summarize(leaf);
        status += u"<br>"_s
            + tr("Certificate: %1, issued by %2, valid until %3")
                  .arg(s.title().toHtmlEscaped(), s.issuer.toHtmlEscaped(),
                      QLocale().toString(s.notAfter.toLocalTime(), QLocale::ShortFormat));
        if (const QString soon = expiryWarning(leaf, QDateTime::currentDateTimeUtc());
            !soon.isEmpty())
            status += u" &nbsp; <span style='%2'><b>%1</b></span>"_s.arg(
                tr("the certificate %1").arg(soon).toHtmlEscaped(),
                toneStyle(Tone::Warning, palette()));
        QStringList tip { tr("SHA-256 %1").arg(s.sha256) };
        if (!s.names.isEmpty())
            tip << tr("Valid for %1").arg(s.names.join(u", "_s));
        const QString before = m_status->toolTip();
        m_status->setToolTip((before.isEmpty() ? QString() : before + u'\n') + tip.join(u'\n'));
    }
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
            m_stream->showError(tr("The gateway answered %1: %2").arg(done.status).arg(e->message));
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
    m_body->showBody(done.bodyPrefix,
        done.framing == BodyFraming::Json && !done.bodyIsWhole() ? BodyFraming::Other
                                                                 : done.framing,
        done.bodyIsWhole() ? bytesText(done.bodySize)
                           : tr("The first %1 of %2 (Save As writes all of it)")
                                 .arg(bytesText(done.bodyPrefix.size()), bytesText(done.bodySize)),
        headerValue(done.responseHeaders, "content-type"), [done] { return done.readBody(); });
}

void ResponseInspector::showTiming()
{
    if (!m_exchange)
        return;
    const GatewayResponseInfo info
        = GatewayResponseInfo::fromHeaders(m_exchange->responseHeaders());
    m_timing->showTimeline(m_exchange->timeline(), info.serverTiming, info.attempts);
}

} // namespace gs::ui
