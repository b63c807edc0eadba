#include "requestpage.h"

#include "core/net/exchange.h"
#include "core/net/gatewaysession.h"
#include "requesteditor.h"
#include "responseinspector.h"
#include "sharesplitter.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

RequestPage::RequestPage(
    KSyntaxHighlighting::Repository *repository, QNetworkAccessManager *network, QWidget *parent)
    : QWidget(parent)
    , m_network(network)
    , m_editor(new RequestEditor(repository))
    , m_inspector(new ResponseInspector(repository))
    , m_splitter(new ShareSplitter(Qt::Horizontal))
    , m_variables(new QLabel)
    , m_include(new QLabel)
{
    m_include->setObjectName(u"bodyInclude"_s);
    m_include->setTextFormat(Qt::PlainText);
    m_include->setWordWrap(true);
    m_include->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_include->setContentsMargins(6, 2, 6, 2);
    m_include->hide();
    m_variables->setObjectName(u"variablePreview"_s);
    m_variables->setTextFormat(Qt::PlainText);
    m_variables->setWordWrap(true);
    m_variables->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_variables->setContentsMargins(6, 2, 6, 2);
    m_variables->hide();
    m_splitter->setObjectName(u"pageSplitter"_s);
    m_splitter->addWidget(m_editor);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    // Half each until the user drags (RequestTabs then gives every page their ratio).
    m_splitter->setShares({ ShareSplitter::kWhole / 2, ShareSplitter::kWhole / 2 });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_variables);
    layout->addWidget(m_include);
    // The address bar spans the page: a URL or a model id is read whole, beside
    // whatever the editor and the inspector are given.
    m_editor->addressBar()->setParent(this);
    m_editor->addressBar()->setContentsMargins(6, 4, 6, 2);
    layout->addWidget(m_editor->addressBar());
    layout->addWidget(m_splitter, 1);
    connect(m_editor, &RequestEditor::sendRequested, this, &RequestPage::send);
    connect(m_editor, &RequestEditor::changed, this, &RequestPage::updateModified);
    connect(m_inspector, &ResponseInspector::cancelRequested, this, &RequestPage::cancel);
}

void RequestPage::setPlacement(Placement placement)
{
    m_placement = placement;
    applyPlacement();
}

void RequestPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyPlacement();
}

void RequestPage::applyPlacement()
{
    const bool below = m_placement == Placement::Below
        || (m_placement == Placement::Automatic && width() < kNarrowWidth);
    const Qt::Orientation orientation = below ? Qt::Vertical : Qt::Horizontal;
    if (m_splitter->orientation() == orientation)
        return;
    m_splitter->setOrientation(orientation);
    // The same ratio, now of the height.
    m_splitter->setShares(m_splitter->shares());
}

RequestPage::~RequestPage()
{
    // The inspector follows the exchange: let it go first.
    m_inspector->clear();
}

void RequestPage::setVariablePreview(const QString &text, const QString &toolTip)
{
    m_variables->setText(text);
    m_variables->setToolTip(toolTip);
    m_variables->setVisible(!text.isEmpty());
}

void RequestPage::offerAddresses(const QString &recorded, const QString &active)
{
    m_recordedUrl = recorded;
    m_activeUrl = active;
    if (!m_addresses) {
        m_addresses = new QWidget;
        m_addresses->setObjectName(u"addressChoice"_s);
        auto *text = new QLabel;
        text->setObjectName(u"addressChoiceText"_s);
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        auto *button = new QPushButton;
        button->setObjectName(u"addressChoiceButton"_s);
        connect(button, &QPushButton::clicked, this, [this] {
            GatewayRequest r = m_editor->request();
            r.baseUrl = r.baseUrl == m_activeUrl ? m_recordedUrl : m_activeUrl;
            m_editor->setRequest(r);
            showAddressChoice();
        });
        auto *row = new QHBoxLayout(m_addresses);
        row->setContentsMargins(6, 2, 6, 2);
        row->addWidget(text, 1);
        row->addWidget(button);
        static_cast<QVBoxLayout *>(layout())->insertWidget(0, m_addresses);
    }
    showAddressChoice();
}

void RequestPage::showAddressChoice()
{
    const bool active = m_editor->request().baseUrl == m_activeUrl;
    m_addresses->findChild<QLabel *>()->setText(active
            ? tr("Recorded against %1; sends to the active gateway, %2.")
                  .arg(m_recordedUrl, m_activeUrl)
            : tr("Sends to %1, where it was recorded; the active gateway is %2.")
                  .arg(m_recordedUrl, m_activeUrl));
    m_addresses->findChild<QPushButton *>()->setText(
        active ? tr("Send to the &Recorded Address") : tr("Send to the &Active Gateway"));
}

void RequestPage::setBodyInclude(const QString &path, qint64 bytes)
{
    m_include->setText(path.isEmpty()
            ? QString()
            : tr("Body: the file %1 (%2 bytes), read when the request was opened; Send sends "
                 "its content.")
                  .arg(path)
                  .arg(bytes));
    m_include->setToolTip(
        tr("The request's file says \"< %1\": its body is that file's content.").arg(path));
    m_include->setVisible(!path.isEmpty());
}

QString RequestPage::bodyInclude() const
{
    return m_include->text();
}

QString RequestPage::variablePreview() const
{
    return m_variables->text();
}

bool RequestPage::isModified() const
{
    return m_saved && compose(m_editor->request()) != *m_saved;
}

void RequestPage::markSaved()
{
    m_saved = compose(m_editor->request());
    updateModified();
}

void RequestPage::markUnsaved()
{
    m_saved = WireRequest {};
    updateModified();
}

void RequestPage::setSource(std::optional<Source> source)
{
    m_source = std::move(source);
    if (m_source)
        m_saved = m_source->opened;
    updateModified();
}

void RequestPage::updateModified()
{
    const bool modified = isModified();
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

const ExchangeSnapshot *RequestPage::lastExchange() const
{
    return m_inspector->finishedExchange();
}

bool RequestPage::isBusy() const
{
    return m_exchange && !m_exchange->isFinished();
}

bool RequestPage::send()
{
    if (!m_editor->canSend()) {
        m_editor->revealProblems();
        Q_EMIT statusMessage(m_editor->blockReason());
        return false;
    }
    if (isBusy())
        m_exchange->cancel();
    const quint64 ticket = ++m_sendTicket;
    // Over https, the gateway's TLS files (Gateway ▸ Connection) under the
    // environment's SSLConfiguration; a passphrase may have to come from the keyring.
    const bool https = m_editor->request().url().startsWith("https:"_L1, Qt::CaseInsensitive);
    if (!m_session || !https) {
        start({});
        return true;
    }
    m_session->loadTls(m_source ? m_source->tls : TlsFiles {}, this,
        [this, ticket](const Result<TlsMaterial> &tls) {
            if (ticket != m_sendTicket)
                return; // sent again, or canceled, meanwhile
            if (!tls) {
                Q_EMIT statusMessage(tr("Not sent: %1").arg(tls.error().message));
                return;
            }
            start(*tls);
        });
    return true;
}

void RequestPage::start(const TlsMaterial &tls)
{
    m_inspector->clear();
    ExchangeOptions options;
    options.allowInsecureTls = m_editor->allowInsecureTls();
    options.useTls(tls);
    QNetworkAccessManager *network = m_session ? m_session->networkFor(tls) : m_network;
    m_exchange = std::make_unique<Exchange>(network, options);
    const GatewayRequest &request = m_editor->request();
    // The inspector first: it takes the finished exchange's snapshot, which
    // lastExchange() hands on to whoever hears busyChanged(false).
    m_inspector->watch(m_exchange.get(), request.model);
    connect(m_exchange.get(), &Exchange::finished, this, [this] {
        const Exchange &e = *m_exchange;
        Q_EMIT busyChanged(false);
        if (e.error().kind != ExchangeError::Kind::None) {
            Q_EMIT statusMessage(e.error().message);
            return;
        }
        const QString ms = QString::number(double(e.timeline().finished) / 1000.0, 'f', 0);
        QString message = tr("%1 %2 in %3 ms")
                              .arg(QString::number(e.status()), QString::fromUtf8(e.reason()), ms);
        if (const QString why = e.incomplete(); !why.isEmpty())
            message += u" · "_s + tr("incomplete: %1").arg(why);
        Q_EMIT statusMessage(message);
    });
    Q_EMIT busyChanged(true);
    Q_EMIT statusMessage(tr("Sending %1 %2…").arg(request.effectiveMethod(), request.url()));
    m_exchange->start(compose(request));
}

void RequestPage::cancel()
{
    ++m_sendTicket; // a send still waiting for the keyring does not start
    if (isBusy())
        m_exchange->cancel();
}

void RequestPage::setGatewaySession(GatewaySession *session)
{
    m_session = session;
}

void RequestPage::setTheme(const KSyntaxHighlighting::Theme &theme)
{
    m_editor->setTheme(theme);
    m_inspector->setTheme(theme);
}

} // namespace gs::ui
