#pragma once

// The window's parts found by their object names, and what the response inspector
// shows read from its widgets as a user reads the screen, so that the editor, the
// inspector and their tabs need no getters that only tests call. Each function takes
// any widget that holds the part (the editor, the inspector, the window, or a tab on
// its own) and fails the test when the part is missing.

#include "ui/jsontreemodel.h"
#include "ui/largetextview.h"
#include "ui/streamtextedit.h"
#include "ui/waterfallwidget.h"

#include <QAbstractItemModel>
#include <QAbstractProxyModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

namespace gs::tests::view {

//! \a root or its child called \a name; a missing part fails the test that reads it.
template <typename W> W *part(const QWidget *root, const char *name)
{
    auto *self = qobject_cast<W *>(const_cast<QWidget *>(root));
    W *w = self && self->objectName() == QLatin1StringView(name)
        ? self
        : root->findChild<W *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no %s called %s", W::staticMetaObject.className(), name);
    return w;
}

//! The button labelled \a text beside \a table (Add, Remove); null when there is none.
inline QPushButton *buttonBeside(const QWidget *table, const QString &text)
{
    for (QPushButton *b : table->parentWidget()->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

inline QString answerText(const QWidget *root)
{
    return part<ui::StreamTextEdit>(root, "answer")->text();
}

inline QString reasoningText(const QWidget *root)
{
    return part<ui::StreamTextEdit>(root, "reasoning")->text();
}

//! The status line above the tabs ("200 OK  HTTP/1.1").
inline QString statusText(const QWidget *root)
{
    return part<QLabel>(root, "responseStatus")->text();
}

//! Rows in the Events table.
inline int eventCount(const QWidget *root)
{
    return part<QTableView>(root, "eventsTable")->model()->rowCount();
}

//! Tool call cards on the Stream tab.
inline int toolCallCards(const QWidget *root)
{
    return int(root->findChildren<QWidget *>(QStringLiteral("toolCallCard")).size());
}

//! Headers on the Headers tab (the group rows not counted).
inline int headerCount(const QWidget *root)
{
    const auto *tree = part<QTreeWidget>(root, "headers");
    int n = 0;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        n += tree->topLevelItem(i)->childCount();
    return n;
}

//! The Gateway tab's requested/resolved model line.
inline QString modelsText(const QWidget *root)
{
    return part<QLabel>(root, "models")->text();
}

//! Whether the models line is marked as rerouted.
inline bool reroutedShown(const QWidget *root)
{
    return part<QLabel>(root, "models")->property("rerouted").toBool();
}

//! The applied configurations as the tree holds them (under the filter).
inline const ui::JsonTreeModel *appliedConfigurations(const QWidget *root)
{
    const QAbstractItemModel *model = part<QTreeView>(root, "appliedTree")->model();
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model))
        model = proxy->sourceModel();
    const auto *tree = qobject_cast<const ui::JsonTreeModel *>(model);
    if (!tree)
        qFatal("the applied configurations tree shows no JSON tree");
    return tree;
}

inline ui::WaterfallWidget *waterfall(const QWidget *root)
{
    return part<ui::WaterfallWidget>(root, "waterfall");
}

inline ui::LargeTextView *bodyView(const QWidget *root)
{
    return part<ui::LargeTextView>(root, "body");
}

} // namespace gs::tests::view
