#include "gatewaydialog.h"

#include "ui/appicon.h"
#include "ui/tones.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace gs::ui {

GatewayDialog::GatewayDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit)
    , m_token(new QLineEdit)
    , m_problem(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Gateway"));
    m_url->setObjectName(u"gatewayUrl"_s);
    m_url->setPlaceholderText(u"https://gateway.truefoundry.ai"_s);
    m_token->setObjectName(u"gatewayToken"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Personal access token or virtual account token"));
    // An eye shows the token; a struck-out eye hides it again.
    QAction *reveal
        = m_token->addAction(themedIcon(u"view-visible"_s), QLineEdit::TrailingPosition);
    reveal->setObjectName(u"revealToken"_s);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the token"));
    connect(reveal, &QAction::toggled, this, [this, reveal](bool shown) {
        m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        reveal->setIcon(themedIcon(shown ? u"view-hidden"_s : u"view-visible"_s));
        reveal->setToolTip(shown ? tr("Hide the token") : tr("Show the token"));
    });
    m_problem->setObjectName(u"gatewayProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(toneStyle(Tone::Error, palette()));
    auto *note = new QLabel(tr("The token is kept in the system keyring; where none answers, "
                               "for this session only (or in a file, if you chose Gateway ▸ "
                               "Keep Secrets in a File)."));
    note->setWordWrap(true);
    note->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Base URL"), m_url);
    form->addRow(tr("&Token"), m_token);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &GatewayDialog::check);
    connect(m_token, &QLineEdit::textChanged, this, &GatewayDialog::check);
    // The problem is said once the user has typed: an empty dialog opens without one.
    for (QLineEdit *edit : { m_url, m_token }) {
        connect(edit, &QLineEdit::textEdited, this, [this] {
            m_spoken = true;
            check();
        });
    }
    check();
    resize(520, sizeHint().height());
}

void GatewayDialog::setBaseUrl(const QString &url)
{
    m_url->setText(url);
}

QString GatewayDialog::baseUrl() const
{
    QString url = m_url->text().trimmed();
    while (url.endsWith(u'/'))
        url.chop(1);
    return url;
}

void GatewayDialog::setToken(const QString &token)
{
    m_token->setText(token);
}

QString GatewayDialog::token() const
{
    return m_token->text().trimmed();
}

QString GatewayDialog::problem() const
{
    const QUrl url(baseUrl(), QUrl::StrictMode);
    if (baseUrl().isEmpty())
        return tr("Enter the gateway's base URL.");
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        || url.host().isEmpty())
        return tr("The base URL must be an http:// or https:// address with a host.");
    if (token().isEmpty())
        return tr("Enter a token: the gateway answers 401 without one.");
    if (token().contains(u' '))
        return tr("A token has no spaces (paste the token alone, without \"Bearer\").");
    return {};
}

void GatewayDialog::check()
{
    const QString p = problem();
    m_problem->setText(m_spoken ? p : QString());
    m_problem->setVisible(m_spoken && !p.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

} // namespace gs::ui
