#pragma once

#include "core/model/issue.h"

#include <QHash>
#include <QSet>
#include <QString>

class QLabel;
class QWidget;

namespace gs::ui::editor {

//! Where the validator's findings are shown in the editor: a message under each field
//! (red for errors, amber for warnings) and a red border on the field's widget with
//! the messages as its tool tip. Fields are named as the validator names them
//! ("model", "requestTimeoutMs"); "metadata.key" and the like go to their field.
class FieldMessages
{
public:
    //! Colours follow \a owner's palette.
    explicit FieldMessages(const QWidget *owner);

    //! A new, hidden message label for \a field, to place under it.
    QLabel *addLabel(const QString &field);
    //! \a widget shows \a field: it gets the border.
    void addWidget(const QString &field, QWidget *widget);
    //! Shows \a issues, and nothing where there is none (while holding, only at the
    //! fields touched since).
    void show(const QList<core::Issue> &issues);
    //! Says nothing until the user acts: from now on a field shows its findings once it
    //! is touched(), and every field once revealAll() is called (say, on a send).
    void hold();
    //! The user edited \a field: its findings show.
    void touch(const QString &field);
    //! Every finding shows, now and from now on.
    void revealAll();
    //! The palette changed: the next show() colours every field anew.
    void forgetColours();
    //! The message shown at \a field; empty when none is.
    QString message(const QString &field) const;

private:
    const QWidget *m_owner;
    QHash<QString, QLabel *> m_labels;
    QHash<QString, QWidget *> m_widgets;
    QList<core::Issue> m_issues; //!< the last shown
    bool m_holding = false;
    QSet<QString> m_touched;
};

} // namespace gs::ui::editor
