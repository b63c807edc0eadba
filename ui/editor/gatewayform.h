#pragma once

#include "core/model/gatewayrequest.h"

#include <QScrollArea>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace gs::ui::editor {

class FieldMessages;

//! The "Gateway" page of the request editor: a field for every documented x-tfy-*
//! header (metadata as a table, provider, strict OpenAI, retries with status-code
//! chips, timeouts, logging, guardrails), extra headers, and whether certificate
//! problems are accepted. It reads and writes the request's headers; what the
//! validator says about them appears under its fields through FieldMessages.
class GatewayForm final : public QScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayForm)

public:
    explicit GatewayForm(FieldMessages *messages, QWidget *parent = nullptr);

    //! Shows what \a request's headers say. A field the user is typing in keeps its
    //! text. Emits no edited().
    void showRequest(const core::GatewayRequest &request);
    //! Writes the form into \a request: each gateway header whose text the form
    //! changes, and the extra headers. The bearer token stays as it is.
    void applyTo(core::GatewayRequest &request);
    //! Text in the other-codes field that is not an HTTP status code (as of the last
    //! applyTo()): the form's own problem, never sent.
    QStringList badRetryCodes() const { return m_badCodes; }
    //! Accept certificate problems for this request (still reported). Off by default.
    bool allowInsecureTls() const;

Q_SIGNALS:
    //! The user changed a field.
    void edited();

private:
    QWidget *buildMetadata();
    QWidget *buildRetries();
    QWidget *buildExtraHeaders();
    QLineEdit *addLineField(const QString &field, const QString &label, const QString &placeholder);
    //! The retry config the fields describe (nullopt when not sent); bad codes kept.
    std::optional<core::RetryConfig> retryConfig();
    void showRetries(const core::GatewayRequest &request);
    void onEdited();

    FieldMessages *m_messages;
    QFormLayout *m_form;
    bool m_showing = false;
    QStringList m_badCodes;

    QCheckBox *m_metadataEnabled;
    QTableWidget *m_metadata;
    QLineEdit *m_provider;
    QComboBox *m_strict;
    QCheckBox *m_retryEnabled;
    QSpinBox *m_retryAttempts;
    QList<QToolButton *> m_codeChips;
    QLineEdit *m_otherCodes;
    QCheckBox *m_retryAfter;
    QLineEdit *m_requestTimeout;
    QLineEdit *m_ttftTimeout;
    QLineEdit *m_vertexBucket; //!< a Vertex account's files and batches
    QLineEdit *m_vertexRegion;
    QLineEdit *m_providerModel;
    QComboBox *m_logging;
    QLineEdit *m_inputGuardrails;
    QLineEdit *m_outputGuardrails;
    QTableWidget *m_extraHeaders;
    QCheckBox *m_insecure;
};

} // namespace gs::ui::editor
