#include "ui/inspector/headerstab.h"

#include "ui/inspector/viewhelpers.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

HeadersTab::HeadersTab(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(u"headers"_s);
    setHeaderLabels({ tr("Name"), tr("Value") });
    setRootIsDecorated(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyLine = new QAction(tr("Copy"), this);
    copyLine->setShortcut(QKeySequence::Copy);
    copyLine->setShortcutContext(Qt::WidgetShortcut);
    connect(copyLine, &QAction::triggered, this, [this] { copySelected(2); });
    new CopyKey(this, [this] { copySelected(2); });
    auto *copyName = new QAction(tr("Copy Name"), this);
    connect(copyName, &QAction::triggered, this, [this] { copySelected(0); });
    auto *copyValue = new QAction(tr("Copy Value"), this);
    connect(copyValue, &QAction::triggered, this, [this] { copySelected(1); });
    addActions({ copyLine, copyName, copyValue });
}

void HeadersTab::copySelected(int part)
{
    QStringList lines;
    for (const QTreeWidgetItem *item : selectedItems()) {
        if (item->childCount() > 0)
            continue; // a group
        lines << (part == 0 ? item->text(0)
                : part == 1 ? item->text(1)
                            : item->text(0) + u": "_s + item->text(1));
    }
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(u'\n'));
}

void HeadersTab::showHeaders(const HttpHeaders &headers)
{
    clear();
    auto *gateway = new QTreeWidgetItem(this, { tr("Gateway (x-tfy-*)") });
    auto *other = new QTreeWidgetItem(this, { tr("Response") });
    for (const HttpHeader &h : headers) {
        const bool tfy = h.name.toLower().startsWith("x-tfy-");
        auto *item = new QTreeWidgetItem(
            tfy ? gateway : other, { QString::fromUtf8(h.name), QString::fromUtf8(h.value) });
        item->setToolTip(1, QString::fromUtf8(h.value.left(4000)));
    }
    for (QTreeWidgetItem *group : { gateway, other }) {
        QFont f = group->font(0);
        f.setBold(true);
        group->setFont(0, f);
        group->setText(1, tr("%n header(s)", nullptr, group->childCount()));
        group->setFirstColumnSpanned(false);
        group->setExpanded(true);
    }
    if (gateway->childCount() == 0)
        delete gateway;
}

} // namespace gs::ui::inspector
