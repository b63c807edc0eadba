#include "collectiontree.h"

#include "ui/sidebar.h"

#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHash>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSet>
#include <QStyle>
#include <QTimer>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

// The sidebar's roles for collection items (Sidebar::Role has every section's).
constexpr int kRootRole = Sidebar::CollectionRootRole;
constexpr int kPathRole = Sidebar::CollectionPathRole;
constexpr int kIndexRole = Sidebar::CollectionIndexRole;
constexpr int kFolderRole = Sidebar::CollectionFolderRole;

QString parentFolder(const QString &relativePath)
{
    return relativePath.contains(u'/') ? relativePath.section(u'/', 0, -2) : QString();
}

} // namespace

struct CollectionTree::Open
{
    std::unique_ptr<Collection> collection;
    QTreeWidgetItem *item = nullptr;
};

// Drops on the tree move files and folders on disk; Qt's own item moving is not used.
class DropFilter final : public QObject
{
public:
    explicit DropFilter(CollectionTree *owner)
        : QObject(owner)
        , m_owner(owner)
    { }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Drop)
            return QObject::eventFilter(watched, event);
        // The drop comes to the viewport, or to the view itself when Qt passes it up.
        auto *drop = static_cast<QDropEvent *>(event);
        QWidget *viewport = m_owner->m_tree->viewport();
        QPoint at = drop->position().toPoint();
        if (watched != viewport)
            at = viewport->mapFrom(m_owner->m_tree, at);
        QTreeWidgetItem *target = m_owner->m_tree->itemAt(at);
        if (m_owner->dropOn(target))
            drop->acceptProposedAction();
        else
            drop->ignore();
        return true;
    }

private:
    CollectionTree *m_owner;
};

CollectionTree::CollectionTree(QTreeWidget *tree, QObject *parent)
    : QObject(parent)
    , m_tree(tree)
    , m_watcher(new QFileSystemWatcher(this))
    , m_debounce(new QTimer(this))
{
    m_tree->setDragEnabled(true);
    m_tree->setAcceptDrops(true);
    m_tree->setDropIndicatorShown(true);
    m_tree->setDragDropMode(QAbstractItemView::InternalMove);
    auto *drops = new DropFilter(this);
    m_tree->installEventFilter(drops);
    m_tree->viewport()->installEventFilter(drops);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &CollectionTree::showMenu);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const auto at = locationOf(item);
        if (at && at->index >= 0)
            Q_EMIT requestActivated(at->root, at->relativePath, at->index);
    });
    // Editors and git write in bursts: one refresh a little after the last change.
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &CollectionTree::onDiskChange);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(
        m_watcher, &QFileSystemWatcher::directoryChanged, m_debounce, qOverload<>(&QTimer::start));

    confirm = [this](const QString &question) {
        return QMessageBox::question(m_tree->window(), tr("Gatescope"), question)
            == QMessageBox::Yes;
    };
    askName = [this](const QString &label, const QString &suggestion) {
        return QInputDialog::getText(
            m_tree->window(), tr("Gatescope"), label, QLineEdit::Normal, suggestion);
    };
}

CollectionTree::~CollectionTree() = default;

CollectionTree::Open *CollectionTree::find(const QString &root) const
{
    const QString canonical = QFileInfo(root).canonicalFilePath();
    for (const auto &o : m_open)
        if (o->collection->root() == canonical || o->collection->root() == root)
            return o.get();
    return nullptr;
}

Result<void> CollectionTree::open(const QString &root)
{
    if (Open *existing = find(root)) {
        m_tree->setCurrentItem(existing->item);
        return {};
    }
    auto collection = Collection::open(root);
    if (!collection)
        return std::unexpected(collection.error());
    auto open = std::make_unique<Open>();
    open->collection = std::make_unique<Collection>(std::move(*collection));
    open->item = new QTreeWidgetItem;
    m_tree->insertTopLevelItem(int(m_open.size()), open->item);
    build(*open);
    open->item->setExpanded(true);
    watch(*open);
    const QList<Error> problems = open->collection->problems();
    m_open.push_back(std::move(open));
    if (!problems.isEmpty())
        Q_EMIT message(problems.size() == 1 ? problems.first().message
                                            : tr("%1 files do not parse; the first: %2")
                                                  .arg(problems.size())
                                                  .arg(problems.first().message));
    Q_EMIT collectionsChanged();
    return {};
}

void CollectionTree::close(const QString &root)
{
    const auto it = std::ranges::find_if(
        m_open, [o = find(root)](const auto &open) { return open.get() == o; });
    if (it == m_open.end())
        return;
    delete (*it)->item;
    m_open.erase(it);
    m_watcher->removePaths(m_watcher->files() + m_watcher->directories());
    for (const auto &o : m_open)
        watch(*o);
    Q_EMIT collectionsChanged();
}

QStringList CollectionTree::roots() const
{
    QStringList out;
    for (const auto &o : m_open)
        out << o->collection->root();
    return out;
}

Collection *CollectionTree::collection(const QString &root) const
{
    Open *o = find(root);
    return o ? o->collection.get() : nullptr;
}

void CollectionTree::build(Open &open)
{
    const Collection &c = *open.collection;
    // What was expanded stays expanded.
    QSet<QString> expanded;
    const auto inCollection
        = [&open](QTreeWidgetItem *item) { return item && (item == open.item || item->parent()); };
    for (QTreeWidgetItemIterator it(open.item); inCollection(*it); ++it) {
        if ((*it)->isExpanded() && (*it)->data(0, kRootRole).toString() == c.root())
            expanded.insert((*it)->data(0, kPathRole).toString());
    }
    const bool rebuilt = open.item->childCount() > 0;
    qDeleteAll(open.item->takeChildren());

    const QString root = c.root();
    const auto setLocation
        = [&root](QTreeWidgetItem *item, const QString &path, qsizetype index, bool folder) {
              item->setData(0, kRootRole, root);
              item->setData(0, kPathRole, path);
              item->setData(0, kIndexRole, qint64(index));
              item->setData(0, kFolderRole, folder);
          };
    open.item->setText(0, c.name());
    open.item->setToolTip(0, root);
    open.item->setIcon(0, m_tree->style()->standardIcon(QStyle::SP_DirHomeIcon));
    open.item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled);
    setLocation(open.item, {}, -1, true);

    const QIcon folderIcon = m_tree->style()->standardIcon(QStyle::SP_DirIcon);
    const QIcon fileIcon = m_tree->style()->standardIcon(QStyle::SP_FileIcon);
    const QIcon brokenIcon = m_tree->style()->standardIcon(QStyle::SP_MessageBoxWarning);
    QHash<QString, QTreeWidgetItem *> folders { { QString(), open.item } };
    for (const QString &folder : c.folders()) {
        auto *item = new QTreeWidgetItem(
            folders.value(parentFolder(folder)), { folder.section(u'/', -1) });
        item->setIcon(0, folderIcon);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled
            | Qt::ItemIsDropEnabled);
        setLocation(item, folder, -1, true);
        folders.insert(folder, item);
    }
    for (const CollectionFile &f : c.files()) {
        const QString fileName = f.relativePath.section(u'/', -1);
        auto *fileItem
            = new QTreeWidgetItem(folders.value(parentFolder(f.relativePath)), { fileName });
        fileItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        setLocation(fileItem, f.relativePath, -1, false);
        if (f.isBroken()) {
            fileItem->setIcon(0, brokenIcon);
            fileItem->setText(0, tr("%1 (does not parse)").arg(fileName));
            fileItem->setToolTip(0, f.error ? f.error->message : QString());
            continue;
        }
        fileItem->setIcon(0, fileIcon);
        fileItem->setToolTip(0, f.path);
        const QList<HttpFileRequest> requests = f.requests();
        for (qsizetype i = 0; i < requests.size(); ++i) {
            const HttpFileRequest &r = requests[i];
            auto *item = new QTreeWidgetItem(fileItem, { r.label() });
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            setLocation(item, f.relativePath, i, false);
            item->setToolTip(0, (r.method.isEmpty() ? u"GET"_s : r.method) + u' ' + r.target);
        }
    }
    // A first build shows the folders, and the requests too when there are few files;
    // later ones keep what the user opened.
    const bool few = c.files().size() <= 12;
    for (QTreeWidgetItemIterator it(open.item); inCollection(*it); ++it) {
        if ((*it)->data(0, kRootRole).toString() != root)
            break;
        const QString path = (*it)->data(0, kPathRole).toString();
        if (rebuilt)
            (*it)->setExpanded(expanded.contains(path));
        else
            (*it)->setExpanded((*it)->data(0, kFolderRole).toBool() || few);
    }
    open.item->setExpanded(true);
}

void CollectionTree::watch(Open &open)
{
    const Collection &c = *open.collection;
    QStringList paths { c.root() };
    for (const QString &folder : c.folders())
        paths << QDir(c.root()).filePath(folder);
    for (const CollectionFile &f : c.files())
        paths << f.path;
    for (const QString &name : { u"http-client.env.json"_s, u"http-client.private.env.json"_s,
             QString::fromLatin1(CollectionSettings::kFileName) }) {
        if (QFileInfo::exists(QDir(c.root()).filePath(name)))
            paths << QDir(c.root()).filePath(name);
    }
    const QStringList watched = m_watcher->files() + m_watcher->directories();
    QStringList missing;
    for (const QString &p : std::as_const(paths))
        if (!watched.contains(p))
            missing << p;
    if (!missing.isEmpty())
        m_watcher->addPaths(missing);
}

void CollectionTree::rebuild(Open &open)
{
    build(open);
    watch(open);
    Q_EMIT collectionsChanged();
}

void CollectionTree::refresh(const QString &root)
{
    Open *o = find(root);
    if (!o)
        return;
    const QStringList changed = o->collection->changedOnDisk();
    if (auto r = o->collection->rescan(); !r) {
        Q_EMIT message(r.error().message);
        return;
    }
    rebuild(*o);
    if (!changed.isEmpty())
        Q_EMIT changedOnDisk(o->collection->root(), changed);
}

void CollectionTree::onDiskChange()
{
    for (const QString &root : roots())
        refresh(root);
}

std::optional<CollectionTree::Location> CollectionTree::locationOf(
    const QTreeWidgetItem *item) const
{
    if (!item || !item->data(0, kRootRole).isValid())
        return std::nullopt;
    return Location { item->data(0, kRootRole).toString(), item->data(0, kPathRole).toString(),
        item->data(0, kIndexRole).toLongLong(), item->data(0, kFolderRole).toBool() };
}

QTreeWidgetItem *CollectionTree::itemAt(const Location &at) const
{
    Open *o = find(at.root);
    if (!o)
        return nullptr;
    for (QTreeWidgetItemIterator it(o->item); *it; ++it) {
        if ((*it)->data(0, kRootRole).toString() != o->collection->root())
            break;
        if ((*it)->data(0, kPathRole).toString() == at.relativePath
            && (*it)->data(0, kIndexRole).toLongLong() == at.index)
            return *it;
    }
    return nullptr;
}

int CollectionTree::filter(const QString &text)
{
    const QString needle = text.trimmed();
    int visible = 0;
    for (const auto &o : m_open) {
        // Post-order: an item is shown when it or anything below it matches.
        std::function<bool(QTreeWidgetItem *)> apply = [&](QTreeWidgetItem *item) {
            bool any = false;
            for (int i = 0; i < item->childCount(); ++i)
                any = apply(item->child(i)) || any;
            const bool request = item->data(0, kIndexRole).toLongLong() >= 0;
            // Name, file and URL (the tooltip holds the method and URL).
            const auto has = [&needle](const QString &haystack) {
                return haystack.contains(needle, Qt::CaseInsensitive);
            };
            const bool self = needle.isEmpty()
                || (request
                    && (has(item->text(0)) || has(item->toolTip(0))
                        || has(item->data(0, kPathRole).toString())));
            const bool show = self || any || item == o->item;
            item->setHidden(!show);
            if (!needle.isEmpty() && any)
                item->setExpanded(true);
            visible += request && show;
            return self || any;
        };
        apply(o->item);
    }
    return visible;
}

bool CollectionTree::report(const Error &error)
{
    Q_EMIT message(error.message);
    return false;
}

bool CollectionTree::newRequest(const Location &at, const QString &name)
{
    Open *o = find(at.root);
    if (!o || name.trimmed().isEmpty())
        return false;
    HttpFileRequest request;
    request.name = name.trimmed();
    request.method = u"POST"_s;
    request.target = u"{{baseUrl}}/chat/completions"_s;
    request.headers = { { u"Authorization"_s, u"Bearer {{token}}"_s },
        { u"Content-Type"_s, u"application/json"_s } };
    request.body
        = u"{\n  \"model\": \"\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"\"}]\n}"_s;
    Location created = at;
    if (at.isFolder) {
        // A new file in the folder, named after the request.
        QString fileName = request.name.toLower();
        fileName.replace(QRegularExpression(u"[^a-z0-9._-]+"_s), u"-"_s);
        const auto path = o->collection->createFile(at.relativePath, fileName, request);
        if (!path)
            return report(path.error());
        created = { at.root, *path, 0, false };
    } else {
        if (auto r = o->collection->appendRequest(at.relativePath, request); !r)
            return report(r.error());
        created.index = o->collection->file(at.relativePath)->requests().size() - 1;
    }
    rebuild(*o);
    if (QTreeWidgetItem *item = itemAt(created))
        m_tree->setCurrentItem(item);
    Q_EMIT requestActivated(created.root, created.relativePath, created.index);
    return true;
}

bool CollectionTree::newFolder(const Location &at, const QString &name)
{
    Open *o = find(at.root);
    if (!o || !at.isFolder)
        return false;
    const auto path = o->collection->createFolder(at.relativePath, name.trimmed());
    if (!path)
        return report(path.error());
    rebuild(*o);
    return true;
}

bool CollectionTree::rename(const Location &at, const QString &name)
{
    Open *o = find(at.root);
    if (!o || at.relativePath.isEmpty())
        return false;
    if (at.index >= 0) {
        const auto parsed = o->collection->load(at.relativePath);
        if (!parsed)
            return report(parsed.error());
        if (at.index >= parsed->requests().size())
            return false;
        HttpFileRequest r = parsed->requests().at(at.index);
        r.name = name.trimmed();
        if (auto saved = o->collection->saveRequest(at.relativePath, at.index, r); !saved)
            return report(saved.error());
    } else if (auto path = o->collection->renamePath(at.relativePath, name.trimmed()); !path) {
        return report(path.error());
    }
    rebuild(*o);
    return true;
}

bool CollectionTree::duplicate(const Location &at)
{
    Open *o = find(at.root);
    if (!o || at.relativePath.isEmpty())
        return false;
    if (at.index >= 0) {
        if (auto r = o->collection->duplicateRequest(at.relativePath, at.index); !r)
            return report(r.error());
    } else if (auto path = o->collection->duplicatePath(at.relativePath); !path) {
        return report(path.error());
    }
    rebuild(*o);
    return true;
}

bool CollectionTree::remove(const Location &at)
{
    Open *o = find(at.root);
    if (!o || at.relativePath.isEmpty())
        return false;
    if (at.index >= 0) {
        const CollectionFile *f = o->collection->file(at.relativePath);
        const QString name = f ? f->requests().value(at.index).label() : QString();
        if (confirm
            && !confirm(tr("Remove the request \"%1\" from %2?").arg(name, at.relativePath)))
            return false;
        if (auto r = o->collection->removeRequest(at.relativePath, at.index); !r)
            return report(r.error());
    } else {
        if (confirm && !confirm(tr("Move %1 to the trash?").arg(at.relativePath)))
            return false;
        if (auto r = o->collection->trashPath(at.relativePath); !r)
            return report(r.error());
    }
    rebuild(*o);
    return true;
}

bool CollectionTree::move(const Location &from, const Location &intoFolder)
{
    Open *o = find(from.root);
    if (!o || from.root != intoFolder.root || !intoFolder.isFolder || from.index >= 0
        || from.relativePath.isEmpty())
        return false;
    const auto path = o->collection->movePath(from.relativePath, intoFolder.relativePath);
    if (!path)
        return report(path.error());
    rebuild(*o);
    return true;
}

bool CollectionTree::dropOn(QTreeWidgetItem *target)
{
    const auto from = locationOf(m_tree->currentItem());
    auto into = locationOf(target);
    if (!from || !into)
        return false;
    // Dropped on a file or request: into the folder that holds it.
    if (!into->isFolder)
        into = Location { into->root, parentFolder(into->relativePath), -1, true };
    return move(*from, *into);
}

void CollectionTree::showMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    const auto at = locationOf(item);
    if (!at)
        return;
    QMenu menu(m_tree);
    const Collection *c = collection(at->root);
    const CollectionFile *file = c && !at->isFolder ? c->file(at->relativePath) : nullptr;
    const bool broken = file && file->isBroken();
    if (at->isFolder || (at->index < 0 && !broken)) {
        menu.addAction(tr("New Request…"), this, [this, at] {
            const QString name = askName(tr("Name of the new request:"), tr("New request"));
            if (!name.isEmpty())
                newRequest(*at, name);
        });
    }
    if (at->isFolder) {
        menu.addAction(tr("New Folder…"), this, [this, at] {
            const QString name = askName(tr("Name of the new folder:"), tr("New folder"));
            if (!name.isEmpty())
                newFolder(*at, name);
        });
    }
    if (!at->relativePath.isEmpty()) {
        menu.addSeparator();
        // The tree may be rebuilt while the menu is open: no item is kept past here.
        const QString current
            = at->index >= 0 ? item->text(0) : QFileInfo(at->relativePath).completeBaseName();
        menu.addAction(tr("Rename…"), this, [this, at, current] {
            const QString name = askName(tr("New name:"), current);
            if (!name.isEmpty())
                rename(*at, name);
        });
        menu.addAction(tr("Duplicate"), this, [this, at] { duplicate(*at); });
        if (!at->isFolder && at->index < 0 && !broken)
            menu.addAction(tr("Replay Requests…"), this,
                [this, at] { Q_EMIT replayRequested(at->root, at->relativePath); });
        menu.addAction(at->index >= 0 ? tr("Delete Request") : tr("Move to Trash"), this,
            [this, at] { remove(*at); });
    } else {
        menu.addSeparator();
        menu.addAction(
            tr("Set a Secret Variable…"), this, [this, at] { Q_EMIT secretRequested(at->root); });
        menu.addAction(tr("Close Collection"), this, [this, at] { close(at->root); });
    }
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace gs::ui
