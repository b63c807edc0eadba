#pragma once

#include <QFileDialog>
#include <QMenu>

#include <functional>

namespace gs::ui {

//! Adds \a text to an Export button's \a menu: it asks where to save (\a caption, the
//! \a suggested file name, \a filter) and hands the path to \a save.
inline QAction *addSaveAction(QMenu *menu, const QString &text, const QString &caption,
    const QString &suggested, const QString &filter, std::function<void(const QString &)> save)
{
    return menu->addAction(text, menu, [menu, caption, suggested, filter, save = std::move(save)] {
        const QString path
            = QFileDialog::getSaveFileName(menu->parentWidget(), caption, suggested, filter);
        if (!path.isEmpty())
            save(path);
    });
}

} // namespace gs::ui
