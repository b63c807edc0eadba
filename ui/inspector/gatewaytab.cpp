#include "ui/inspector/gatewaytab.h"

#include "core/stream/gatewayresponse.h"
#include "ui/inspector/viewhelpers.h"
#include "ui/jsontreemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

namespace {

// A tree as tall as its shown rows (four at least): a short configuration leaves no
// empty box above the lines under it; a long one scrolls in the room there is.
class FittedTree final : public QTreeView
{
public:
    FittedTree()
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
        connect(this, &QTreeView::expanded, this, &QWidget::updateGeometry);
        connect(this, &QTreeView::collapsed, this, &QWidget::updateGeometry);
    }

    void setModel(QAbstractItemModel *model) override
    {
        QTreeView::setModel(model);
        connect(model, &QAbstractItemModel::modelReset, this, &QWidget::updateGeometry);
        connect(model, &QAbstractItemModel::layoutChanged, this, &QWidget::updateGeometry);
        connect(model, &QAbstractItemModel::rowsInserted, this, &QWidget::updateGeometry);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &QWidget::updateGeometry);
    }

    QSize sizeHint() const override
    {
        // Rows beyond a screenful do not change the answer: counting stops there.
        constexpr int kEnough = 80;
        int rows = 0;
        QModelIndex row = model() ? model()->index(0, 0) : QModelIndex();
        while (row.isValid() && rows < kEnough) {
            ++rows;
            row = indexBelow(row);
        }
        const int rowHeight = std::max(sizeHintForRow(0), fontMetrics().height() + 4);
        const int height
            = header()->sizeHint().height() + std::max(rows, 4) * rowHeight + 2 * frameWidth() + 4;
        return { QTreeView::sizeHint().width(), height };
    }
};

} // namespace

GatewayTab::GatewayTab(QWidget *parent)
    : QWidget(parent)
    , m_models(new QLabel)
    , m_filter(new QLineEdit)
    , m_applied(new JsonTreeModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new FittedTree)
    , m_note(new QLabel)
    , m_feedback(new QLabel)
    , m_errors(readOnlyText(u"gatewayErrors"_s))
{
    m_models->setObjectName(u"models"_s);
    m_models->setTextFormat(Qt::RichText);
    // A long model id breaks after a "/" or a "-" rather than widening the pane.
    m_models->setWordWrap(true);
    m_models->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_filter->setObjectName(u"appliedFilter"_s);
    m_filter->setPlaceholderText(tr("Filter applied configurations"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_applied);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_view->setObjectName(u"appliedTree"_s);
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        m_view->expandAll();
    });
    const auto copyRole = [this](int role) {
        const QModelIndex index = m_view->currentIndex();
        if (index.isValid())
            QApplication::clipboard()->setText(index.siblingAtColumn(0).data(role).toString());
    };
    auto *copyValue = new QAction(tr("Copy Value"), m_view);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValue, &QAction::triggered, this,
        [copyRole] { copyRole(JsonTreeModel::JsonTextRole); });
    auto *copyPath = new QAction(tr("Copy JSON Path"), m_view);
    copyPath->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copyPath->setShortcutContext(Qt::WidgetShortcut);
    connect(
        copyPath, &QAction::triggered, this, [copyRole] { copyRole(JsonTreeModel::JsonPathRole); });
    m_view->addActions({ copyValue, copyPath });
    new CopyKey(m_view, [copyRole] { copyRole(JsonTreeModel::JsonTextRole); });
    auto *expand = new QPushButton(tr("Expand All"));
    connect(expand, &QPushButton::clicked, m_view, &QTreeView::expandAll);
    auto *collapse = new QPushButton(tr("Collapse All"));
    connect(collapse, &QPushButton::clicked, m_view, &QTreeView::collapseAll);
    m_note->setWordWrap(true);
    m_feedback->setObjectName(u"feedback"_s);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_feedback->setWordWrap(true);
    m_errors->setMaximumHeight(140);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(expand);
    filterRow->addWidget(collapse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_models);
    layout->addWidget(
        new QLabel(tr("<b>Applied configurations</b> (x-tfy-applied-configurations)")));
    layout->addLayout(filterRow);
    layout->addWidget(m_view);
    layout->addWidget(m_note);
    layout->addWidget(m_feedback);
    layout->addWidget(m_errors);
    layout->addStretch(1);
}

void GatewayTab::clear()
{
    m_models->clear();
    m_models->setProperty("rerouted", false);
    m_applied->setTree({});
    m_note->clear();
    m_feedback->clear();
    m_errors->clear();
    m_errors->hide();
}

void GatewayTab::showHeaders(const HttpHeaders &headers, const QString &requestedModel)
{
    const GatewayResponseInfo info = GatewayResponseInfo::fromHeaders(headers);
    const QString resolved = info.resolvedModel;
    QString models
        = tr("Requested model: <b>%1</b>")
              .arg(requestedModel.isEmpty() ? tr("(none)") : requestedModel.toHtmlEscaped());
    if (resolved.isEmpty()) {
        models += u"<br>"_s + tr("Resolved model: (no x-tfy-resolved-model header)");
    } else {
        models += u"<br>"_s + tr("Resolved model: <b>%1</b>").arg(resolved.toHtmlEscaped());
        if (resolved != requestedModel)
            models
                += u" &nbsp; <span style='background:#e67e22;color:white'>&nbsp;%1&nbsp;</span>"_s
                       .arg(tr("rerouted"));
    }
    if (const QString cache = info.cacheText(); !cache.isEmpty())
        models += u"<br>"_s + tr("Cache: %1").arg(cache.toHtmlEscaped());
    // The attempts the Timing tab draws, in words: the two tabs tell one story.
    if (info.attempts.size() > 1) {
        QStringList steps;
        for (const GatewayAttempt &a : info.attempts)
            steps << u"%1 → %2"_s
                         .arg((a.target.isEmpty() ? tr("target") : a.target).toHtmlEscaped())
                         .arg(a.status);
        models += u"<br>"_s
            + tr("Attempts (%1): %2").arg(info.attempts.size()).arg(steps.join(u", "_s));
    }
    m_models->setText(models);
    m_models->setProperty("rerouted", !resolved.isEmpty() && resolved != requestedModel);
    if (!info.appliedConfigurationsError.isEmpty()) {
        m_applied->setTree({});
        m_note->setText(info.appliedConfigurationsError + u"\n"_s + info.appliedConfigurationsRaw);
    } else if (info.appliedConfigurationsRaw.isEmpty()) {
        m_applied->setTree({});
        m_note->setText(tr("The gateway sent no x-tfy-applied-configurations header."));
    } else {
        m_note->setText(m_applied->setJsonText(info.appliedConfigurationsRaw.toUtf8()));
        m_view->expandAll();
    }
    if (info.feedbackTarget) {
        const FeedbackTarget &f = *info.feedbackTarget;
        m_feedback->setText(f.error.isEmpty()
                ? tr("Feedback target: trace %1, span %2").arg(f.traceId, f.spanId)
                : tr("Feedback target: %1 (%2)").arg(f.raw, f.error));
    } else {
        m_feedback->setText(tr("No feedback target (x-tfy-feedback-target-id)."));
    }
}

void GatewayTab::setFeedbackText(const QString &text)
{
    m_feedback->setText(text);
}

void GatewayTab::showErrors(const QStringList &errors)
{
    m_errors->setPlainText(errors.join(u"\n\n"_s));
    m_errors->setVisible(!errors.isEmpty());
}

} // namespace gs::ui::inspector
