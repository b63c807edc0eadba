#pragma once

#include "core/store/collection.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

class QFileSystemWatcher;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace gs::ui {

//! The collections part of the sidebar: one top-level item per open collection with
//! its folders, files and requests; files that do not parse are shown with their
//! error and cannot be opened. Keeps the collections in step with the disk (a file
//! watcher) and carries out what the user asks in the context menu or by drag and
//! drop: new request, new folder, rename, duplicate, move, delete to the trash.
class CollectionTree final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectionTree)

public:
    //! What an item stands for.
    struct Location
    {
        QString root; //!< the collection's root
        QString relativePath; //!< folder or file; empty for the collection itself
        qsizetype index = -1; //!< the request in the file, or -1
        bool isFolder = false;
    };

    explicit CollectionTree(QTreeWidget *tree, QObject *parent = nullptr);
    ~CollectionTree() override;

    //! Opens the folder \a root as a collection (or selects it when open already).
    core::Result<void> open(const QString &root);
    void close(const QString &root);
    QStringList roots() const;
    core::Collection *collection(const QString &root) const;

    //! The location of \a item, if it belongs to a collection.
    std::optional<Location> locationOf(const QTreeWidgetItem *item) const;
    //! The item of a location (nullptr when not shown).
    QTreeWidgetItem *itemAt(const Location &location) const;
    //! Hides every request whose name, file or URL does not contain \a text; returns
    //! how many stay visible.
    int filter(const QString &text);

    // The sidebar's operations, also for tests. Each reports failures through
    // message() and returns false; the tree is rebuilt after each.
    bool newRequest(const Location &at, const QString &name);
    bool newFolder(const Location &at, const QString &name);
    bool rename(const Location &at, const QString &name);
    bool duplicate(const Location &at);
    bool remove(const Location &at);
    bool move(const Location &from, const Location &intoFolder);
    //! What a drop on \a target does: the current item (where the drag started) moves
    //! into that folder, or into the folder of the file or request dropped on.
    bool dropOn(QTreeWidgetItem *target);

    //! Re-reads the collection from disk and rebuilds its items (keeping what was
    //! expanded); emits changedOnDisk() for the files that differ.
    void refresh(const QString &root);

    //! Asked before a delete: true to go ahead. Tests replace the dialog.
    std::function<bool(const QString &question)> confirm;
    //! Asked for a name (new request, new folder, rename); empty: canceled.
    std::function<QString(const QString &label, const QString &suggestion)> askName;

Q_SIGNALS:
    void requestActivated(const QString &root, const QString &relativePath, qsizetype index);
    //! Files of \a root whose content changed on disk (edited elsewhere, git pull).
    void changedOnDisk(const QString &root, const QStringList &relativePaths);
    void message(const QString &text);
    //! The user asked to set a secret variable of \a root's collection.
    void secretRequested(const QString &root);
    //! The user asked to replay the requests of file \a relativePath elsewhere.
    void replayRequested(const QString &root, const QString &relativePath);
    //! A collection was opened, closed or rebuilt.
    void collectionsChanged();

private:
    struct Open;
    Open *find(const QString &root) const;
    void build(Open &open);
    //! build() and watch() after a change, and says so (collectionsChanged).
    void rebuild(Open &open);
    void watch(Open &open);
    void onDiskChange();
    void showMenu(const QPoint &pos);
    bool report(const core::Error &error);

    QTreeWidget *m_tree;
    std::vector<std::unique_ptr<Open>> m_open;
    QFileSystemWatcher *m_watcher;
    QTimer *m_debounce;
    bool m_writing = false; //!< our own writes are not external changes
    friend class DropFilter;
};

} // namespace gs::ui
