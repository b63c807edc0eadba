#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QDialogButtonBox;

namespace gs::ui {

//! Sets up a gateway profile: base URL and token. The token is masked (with a toggle
//! to show it) and never written to a file by this dialog.
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
    //! Why the input cannot be used; empty when it can.
    QString problem() const;

private:
    void check();

    QLineEdit *m_url;
    QLineEdit *m_token;
    QLabel *m_problem;
    bool m_spoken = false; //!< the user has typed: problems are said
    QDialogButtonBox *m_buttons;
};

} // namespace gs::ui
