#pragma once

#include "core/model/httpheader.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace gs::ui {
class JsonTreeModel;
}

namespace gs::ui::inspector {

//! The Gateway tab: the requested model against the one that served (rerouted when
//! they differ), the applied configurations as a filterable tree, the feedback
//! target, and errors the gateway sent.
class GatewayTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayTab)

public:
    explicit GatewayTab(QWidget *parent = nullptr);
    void clear();
    //! What the gateway's response headers say, against \a requestedModel.
    void showHeaders(const core::HttpHeaders &headers, const QString &requestedModel);
    //! Replaces what the feedback line says (a recorded exchange keeps no target).
    void setFeedbackText(const QString &text);
    //! Error objects the gateway sent, as JSON texts; none hides the box.
    void showErrors(const QStringList &errors);

    //! Where the errors are shown (the inspector highlights it as JSON).
    QPlainTextEdit *errorsView() const { return m_errors; }

private:
    QLabel *m_models;
    QLineEdit *m_filter;
    JsonTreeModel *m_applied;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
    QLabel *m_note;
    QLabel *m_feedback;
    QPlainTextEdit *m_errors;
};

} // namespace gs::ui::inspector
