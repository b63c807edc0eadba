#include "ui/sidebar.h"

#include "core/httpfile/httpfile.h"
#include "core/store/history.h"
#include "ui/collectiontree.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

Sidebar::Sidebar(const QString &examplesPath, QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget)
    , m_search(new QLineEdit)
    , m_environment(new QComboBox)
{
    m_tree->setObjectName(u"sidebar"_s);
    m_tree->setHeaderLabel(tr("Requests"));
    m_tree->setRootIsDecorated(true);
    // Two history entries are selected for a comparison (Ctrl+click, Shift+arrows).
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    for (const QString &fileName :
        QDir(examplesPath).entryList({ u"*.http"_s }, QDir::Files, QDir::Name)) {
        auto *fileItem = new QTreeWidgetItem(m_tree, { fileName });
        fileItem->setToolTip(0, tr("Bundled example %1").arg(fileName));
        fileItem->setData(0, ExampleFileRole, fileName);
        const auto parsed = HttpFile::load(examplesPath + u'/' + fileName);
        if (!parsed)
            continue;
        for (const HttpFileRequest &r : parsed->requests()) {
            auto *item = new QTreeWidgetItem(fileItem, { r.label() });
            item->setData(0, ExampleFileRole, fileName);
            item->setData(0, ExampleNameRole, r.name);
            item->setToolTip(0, r.method + u' ' + r.target);
        }
        fileItem->setExpanded(true);
        m_examples << fileItem;
    }
    m_collections = new CollectionTree(m_tree, this);

    m_search->setObjectName(u"historySearch"_s);
    m_search->setPlaceholderText(tr("Search requests and history"));
    m_search->setClearButtonEnabled(true);
    // Examples and collections filter in memory, at once; the history is searched after
    // a pause.
    auto *typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, this, [this, typing](const QString &text) {
        filterExamples(text);
        m_collections->filter(text);
        typing->start();
    });
    connect(typing, &QTimer::timeout, this, [this] { Q_EMIT searchSettled(m_search->text()); });

    m_environment->setObjectName(u"environmentPicker"_s);
    m_environment->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_environment->setMinimumContentsLength(8);
    m_environment->setToolTip(tr("The environment whose variables fill in the {{variables}} of "
                                 "the requests you open from this collection"));

    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, HistoryIdRole).isValid())
            Q_EMIT historyActivated(item->data(0, HistoryIdRole).toLongLong());
        else if (!item->data(0, ExampleFileRole).toString().isEmpty())
            Q_EMIT exampleActivated(item->data(0, ExampleFileRole).toString(),
                item->data(0, ExampleNameRole).toString());
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *environmentRow = new QHBoxLayout;
    environmentRow->setContentsMargins(4, 2, 4, 2);
    auto *environmentLabel = new QLabel(tr("&Environment:"));
    environmentLabel->setBuddy(m_environment);
    environmentRow->addWidget(environmentLabel);
    environmentRow->addWidget(m_environment, 1);
    layout->addLayout(environmentRow);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
}

void Sidebar::showHistory(const QList<HistoryEntry> &entries)
{
    if (!m_historyRoot) {
        m_historyRoot = new QTreeWidgetItem(m_tree, { tr("History") });
        m_historyRoot->setExpanded(true);
    }
    qDeleteAll(m_historyRoot->takeChildren());
    for (const HistoryEntry &e : entries) {
        // Time and status first: in a narrow sidebar the path is what gets elided.
        const QString path = QUrl(e.url).path().section(u'/', -1);
        const QString time = e.at.toLocalTime().toString(u"HH:mm:ss"_s);
        // A load run is one entry: its summary stands where a status would.
        const bool load = e.method == kLoadRunMethod;
        const QString what = load ? tr("load run")
            : e.status > 0        ? QString::number(e.status)
                                  : u"✕"_s;
        auto *item = new QTreeWidgetItem(m_historyRoot, { u"%1 · %2 %3"_s.arg(time, what, path) });
        item->setData(0, HistoryIdRole, e.id);
        item->setToolTip(0,
            u"%1 %2\n%3 → %4\n%5"_s.arg(e.method, e.url, e.requestedModel, e.resolvedModel,
                e.at.toLocalTime().toString(Qt::ISODate))
                + (load ? u'\n' + e.error : QString()));
    }
    m_historyRoot->setText(0, tr("History (%1)").arg(entries.size()));
}

void Sidebar::filterExamples(const QString &text)
{
    const QString needle = text.trimmed();
    const auto has = [&needle](const QString &haystack) {
        return haystack.contains(needle, Qt::CaseInsensitive);
    };
    for (QTreeWidgetItem *file : std::as_const(m_examples)) {
        // A file that matches shows all its requests; otherwise those that match
        // by name, method or URL (the tooltip).
        const bool wholeFile = needle.isEmpty() || has(file->text(0));
        bool any = false;
        for (int i = 0; i < file->childCount(); ++i) {
            QTreeWidgetItem *request = file->child(i);
            const bool show = wholeFile || has(request->text(0)) || has(request->toolTip(0));
            request->setHidden(!show);
            any = any || show;
        }
        file->setHidden(!any && !wholeFile);
    }
}

void Sidebar::showEnvironments(
    const std::optional<QStringList> &environments, const QString &current)
{
    m_environment->clear();
    m_environment->setEnabled(environments.has_value());
    if (!environments) {
        m_environment->addItem(tr("(no collection)"));
        return;
    }
    m_environment->addItem(tr("(none)"), QString());
    for (const QString &name : *environments)
        m_environment->addItem(name, name);
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(current)));
}

} // namespace gs::ui
