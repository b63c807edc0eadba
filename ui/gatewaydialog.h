#pragma once

#include "core/net/trust.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QDialogButtonBox;

namespace gs::ui {

//! Sets up a gateway profile: base URL and token, and for a self-hosted gateway its
//! private CA and a client certificate. The token and a key's passphrase are masked
//! and never written to a file by this dialog.
class GatewayDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayDialog)

public:
    explicit GatewayDialog(QWidget *parent = nullptr);

    void setBaseUrl(const QString &url);
    QString baseUrl() const;
    void setToken(const QString &token);
    QString token() const;
    //! TLS for a self-hosted gateway: a private CA, a client certificate and its key.
    void setTls(const core::TlsFiles &files);
    core::TlsFiles tls() const;
    //! The passphrase typed for an encrypted key or PKCS#12 file; empty: the one the
    //! keyring keeps.
    QByteArray passphrase() const;
    //! Why the input cannot be used; empty when it can.
    QString problem() const;

private:
    void check();
    QString tlsProblem() const;
    //! A line edit for a file path with a Browse button beside it, in \a form.
    QWidget *withBrowse(QLineEdit *edit, const QString &title, const QString &filter);

    QLineEdit *m_url;
    QLineEdit *m_token;
    QLineEdit *m_caFile;
    QLineEdit *m_certificate;
    QLineEdit *m_key;
    QLineEdit *m_passphrase;
    QLabel *m_tlsNote;
    QLabel *m_problem;
    bool m_spoken = false; //!< the user has typed: problems are said
    QDialogButtonBox *m_buttons;
};

} // namespace gs::ui
