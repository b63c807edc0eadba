#pragma once

#include <QList>
#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace gs::core {
struct HistoryEntry;
}

namespace gs::ui {

class CollectionTree;

//! The window's left pane, and the one owner of its tree: the bundled examples, the
//! open collections (their items made by CollectionTree, in this tree) and the
//! history, each item carrying the roles below; above it the environment picker and
//! the search field that filters all three.
class Sidebar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sidebar)

public:
    //! What the tree's items hold. Every section's roles are here, so that no two
    //! parts of the window hand out the same slot.
    enum Role {
        ExampleFileRole = Qt::UserRole + 1, //!< a bundled example's file name
        ExampleNameRole, //!< the request's name in it (empty: the file)
        HistoryIdRole, //!< a history entry's id
        CollectionRootRole, //!< the collection an item belongs to
        CollectionPathRole, //!< its file or folder, relative to the collection
        CollectionIndexRole, //!< a request's index in its file
        CollectionFolderRole, //!< whether the item is a folder
    };

    //! Lists the bundled examples of \a examplesPath (a resource folder).
    explicit Sidebar(const QString &examplesPath, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    CollectionTree *collections() const { return m_collections; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *environmentPicker() const { return m_environment; }

    //! Offers \a environments (and "(none)") with \a current chosen; nullopt: there is
    //! no collection to choose one for.
    void showEnvironments(const std::optional<QStringList> &environments, const QString &current);
    //! Lists \a entries under History (the section appears with the first list).
    void showHistory(const QList<core::HistoryEntry> &entries);

Q_SIGNALS:
    void exampleActivated(const QString &fileName, const QString &name);
    void historyActivated(qint64 id);
    //! The search text, after a pause in typing (examples and collections are
    //! filtered at once).
    void searchSettled(const QString &text);

private:
    //! Shows the bundled examples that match \a text (all when it is empty).
    void filterExamples(const QString &text);

    QTreeWidget *m_tree;
    QLineEdit *m_search;
    QComboBox *m_environment;
    CollectionTree *m_collections;
    QTreeWidgetItem *m_historyRoot = nullptr;
    QList<QTreeWidgetItem *> m_examples; //!< one a bundled file
};

} // namespace gs::ui
