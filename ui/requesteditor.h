#pragma once

#include "core/model/gatewayrequest.h"
#include "core/model/validation.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStringListModel;
class QTabWidget;
class QTimer;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
class Theme;
} // namespace KSyntaxHighlighting

namespace gs::ui {

namespace editor {
class FieldMessages;
class GatewayForm;
} // namespace editor

//! Edits one gateway request three ways that stay in step: the request line and
//! body, a "Gateway" form with a field for every documented x-tfy-* header, and the
//! "Wire" text of exactly what will be sent (token masked), which is editable too.
//! Every edit goes through the core's compose/decode, so a header pasted into the
//! wire text shows up in the form and a form edit shows up on the wire. Problems from
//! the core validator are shown at their field and keep the request from being sent.
class RequestEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestEditor)

public:
    enum Page {
        GatewayPage,
        WirePage
    };

    explicit RequestEditor(KSyntaxHighlighting::Repository *repository, QWidget *parent = nullptr);
    ~RequestEditor() override;

    void setRequest(const core::GatewayRequest &request);
    const core::GatewayRequest &request() const { return m_request; }
    //! The core validator's findings plus the form's own (text that is not a number).
    QList<core::Issue> issues() const { return m_issues; }
    bool canSend() const;
    //! Why the request cannot be sent, for the status bar; empty when it can.
    QString blockReason() const;

    void setModelSuggestions(const QStringList &models);
    //! Accept certificate problems for this request (self-hosted gateways); they are
    //! still reported. Off unless the user ticks it.
    bool allowInsecureTls() const;
    void setTheme(const KSyntaxHighlighting::Theme &theme);
    void focusUrl();
    void showPage(Page page);
    //! Method, URL, Send, Model and API: the editor's own until a page takes it to
    //! span the whole page (the URL and the model get the width they need).
    QWidget *addressBar() const { return m_addressBar; }

    //! The wire text shown (token masked), and an edit of it as a user would type.
    QString wireText() const;
    void setWireText(const QString &text);
    //! For a request the user has not touched yet (a new one): its problems stay
    //! unsaid until the user edits the field they concern, edits the Gateway form or
    //! the wire, or tries to send (revealProblems()). canSend() is not affected.
    void holdProblemsUntilEdited();
    //! Shows every problem at its field.
    void revealProblems();
    //! The inline message shown at a form field ("requestTimeoutMs", "metadata", ...).
    QString fieldMessage(const QString &field) const;

Q_SIGNALS:
    //! The request changed (any view).
    void changed();
    void sendRequested();

private:
    QWidget *buildRequestArea();
    QWidget *buildWirePage();

    // Form -> request.
    void onUrlEdited();
    void onEndpointChosen();
    void onModelEdited();
    void onBodyEdited();
    void onWireEdited();

    // Request -> views.
    void refreshForm();
    QString wireNote() const;
    void refreshWire();
    void revalidate();
    void commit(bool fromWire);

    KSyntaxHighlighting::Repository *m_repository;
    core::GatewayRequest m_request;
    QList<core::Issue> m_issues;
    std::unique_ptr<editor::FieldMessages> m_messages;
    bool m_updating = false;

    QWidget *m_addressBar;
    QComboBox *m_method;
    QComboBox *m_endpoint;
    QLineEdit *m_url;
    QPushButton *m_send;
    QLineEdit *m_model;
    QStringListModel *m_modelList;
    QCompleter *m_completer;
    QPlainTextEdit *m_body;
    QTabWidget *m_pages;

    editor::GatewayForm *m_form;

    QPlainTextEdit *m_wire;
    QLabel *m_wireNote;
    QTimer *m_wireTimer;
    QTimer *m_bodyTimer;

    QList<KSyntaxHighlighting::SyntaxHighlighter *> m_highlighters;
};

} // namespace gs::ui
