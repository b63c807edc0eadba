#include "gatewaydialog.h"

#include "ui/appicon.h"
#include "ui/tones.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
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
    , m_caFile(new QLineEdit)
    , m_certificate(new QLineEdit)
    , m_key(new QLineEdit)
    , m_passphrase(new QLineEdit)
    , m_tlsNote(new QLabel)
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
                               "Keep Secrets in a File). A key's passphrase goes to the keyring "
                               "only, never to a file. The CA is trusted besides the system's."));
    note->setWordWrap(true);
    note->setEnabled(false);

    m_caFile->setObjectName(u"gatewayCaFile"_s);
    m_caFile->setPlaceholderText(tr("Optional: a private CA (PEM)"));
    m_certificate->setObjectName(u"gatewayClientCertificate"_s);
    m_certificate->setPlaceholderText(tr("Optional: PEM, or PKCS#12 (.p12, .pfx)"));
    m_key->setObjectName(u"gatewayClientKey"_s);
    m_key->setPlaceholderText(tr("PEM; none for PKCS#12"));
    m_passphrase->setObjectName(u"gatewayKeyPassphrase"_s);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("Only for an encrypted key"));
    m_tlsNote->setObjectName(u"gatewayTlsNote"_s);
    m_tlsNote->setWordWrap(true);
    m_tlsNote->setEnabled(false);
    m_tlsNote->hide();
    const QString pem = tr("Certificates (*.pem *.crt *.cer);;All files (*)");

    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("&Base URL"), m_url);
    form->addRow(tr("&Token"), m_token);
    form->addRow(tr("&CA certificates"), withBrowse(m_caFile, tr("CA certificates"), pem));
    form->addRow(tr("C&lient certificate"),
        withBrowse(m_certificate, tr("Client certificate"),
            tr("Certificates (*.pem *.crt *.cer *.p12 *.pfx);;All files (*)")));
    form->addRow(tr("Client &key"),
        withBrowse(m_key, tr("Client key"), tr("Keys (*.pem *.key);;All files (*)")));
    form->addRow(tr("Key &passphrase"), m_passphrase);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tlsNote);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &GatewayDialog::check);
    connect(m_token, &QLineEdit::textChanged, this, &GatewayDialog::check);
    for (QLineEdit *edit : { m_caFile, m_certificate, m_key, m_passphrase })
        connect(edit, &QLineEdit::textChanged, this, &GatewayDialog::check);
    // The problem is said once the user has typed: an empty dialog opens without one.
    for (QLineEdit *edit : { m_url, m_token, m_caFile, m_certificate, m_key, m_passphrase }) {
        connect(edit, &QLineEdit::textEdited, this, [this] {
            m_spoken = true;
            check();
        });
    }
    check();
    resize(560, sizeHint().height());
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

QWidget *GatewayDialog::withBrowse(QLineEdit *edit, const QString &title, const QString &filter)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(edit->objectName() + u"Browse"_s);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, title, filter] {
        const QString start = edit->text().trimmed().isEmpty()
            ? QDir::homePath()
            : QFileInfo(edit->text().trimmed()).absolutePath();
        const QString chosen = QFileDialog::getOpenFileName(this, title, start, filter);
        if (chosen.isEmpty())
            return;
        edit->setText(QDir::toNativeSeparators(chosen));
        m_spoken = true;
        check();
    });
    return row;
}

void GatewayDialog::setTls(const core::TlsFiles &files)
{
    m_caFile->setText(files.caCertificates);
    m_certificate->setText(files.clientCertificate);
    m_key->setText(files.clientKey);
}

core::TlsFiles GatewayDialog::tls() const
{
    core::TlsFiles files;
    const auto path = [](const QLineEdit *edit) {
        const QString text = edit->text().trimmed();
        return text.isEmpty() ? QString()
                              : QFileInfo(QDir::fromNativeSeparators(text)).absoluteFilePath();
    };
    files.caCertificates = path(m_caFile);
    files.clientCertificate = path(m_certificate);
    files.clientKey = path(m_key);
    return files;
}

QByteArray GatewayDialog::passphrase() const
{
    return m_passphrase->text().toUtf8();
}

QString GatewayDialog::tlsProblem() const
{
    const core::TlsFiles files = tls();
    m_tlsNote->hide();
    if (!files.caCertificates.isEmpty()) {
        if (const auto ca = core::loadCaCertificates(files.caCertificates); !ca)
            return ca.error().message;
    }
    if (files.clientCertificate.isEmpty())
        return files.clientKey.isEmpty() ? QString()
                                         : tr("A client key needs its client certificate.");
    const QString locked = core::fileNeedingPassphrase(files.clientCertificate, files.clientKey);
    if (!locked.isEmpty() && passphrase().isEmpty()) {
        // The keyring may keep it already; the request says so if it does not.
        const QString note = tr("%1 is encrypted: its passphrase comes from the keyring. Type "
                                "it above if the keyring does not have it yet.");
        m_tlsNote->setText(note.arg(QDir::toNativeSeparators(locked)));
        m_tlsNote->show();
        return {};
    }
    const auto identity
        = core::loadClientIdentity(files.clientCertificate, files.clientKey, passphrase());
    return identity ? QString() : identity.error().message;
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
    return tlsProblem();
}

void GatewayDialog::check()
{
    const QString p = problem();
    m_problem->setText(m_spoken ? p : QString());
    m_problem->setVisible(m_spoken && !p.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

} // namespace gs::ui
