#include "requesttabs.h"

#include "requesteditor.h"
#include "requestpage.h"
#include "sharesplitter.h"

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>
#include <QMessageBox>
#include <QSettings>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

const auto kSplittersGroup = u"splitterShares"_s;

} // namespace

RequestTabs::RequestTabs(QNetworkAccessManager *network, QWidget *parent)
    : QTabWidget(parent)
    , m_repository(std::make_unique<KSyntaxHighlighting::Repository>())
    , m_network(network)
{
    // Our own definition for .http text.
    m_repository->addCustomSearchPath(u":/gatescope"_s);
    setObjectName(u"requestTabs"_s);
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    connect(this, &QTabWidget::tabCloseRequested, this, &RequestTabs::closePage);
    askUnsaved = [this](RequestPage *page) {
        const auto answer = QMessageBox::question(this, tr("Unsaved Changes"),
            tr("%1 has changes that are not saved. Save them?").arg(page->title()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        return answer == QMessageBox::Save   ? Unsaved::Save
            : answer == QMessageBox::Discard ? Unsaved::Discard
                                             : Unsaved::Cancel;
    };

    QSettings settings;
    settings.beginGroup(kSplittersGroup);
    for (const QString &key : settings.childKeys()) {
        QList<int> shares;
        for (const QString &share : settings.value(key).toString().split(u','))
            shares << share.toInt();
        m_splitterShares.insert(key, shares);
    }
}

RequestTabs::~RequestTabs()
{
    // Pages hold highlighters with themes from the repository: they go first.
    closeAll();
}

void RequestTabs::closeAll()
{
    const QSignalBlocker quiet(this);
    while (count() > 0) {
        RequestPage *closing = page(0);
        removeTab(0);
        delete closing;
    }
}

RequestPage *RequestTabs::addPage(const QString &title)
{
    auto *page = new RequestPage(m_repository.get(), m_network);
    page->setGatewaySession(m_session);
    page->setTitle(title);
    page->setTheme(m_repository->themeForPalette(palette()));
    page->editor()->setModelSuggestions(m_models);
    page->setPlacement(m_placement);
    rememberSplitters(page);
    setCurrentIndex(addTab(page, title));
    connect(page, &RequestPage::modifiedChanged, this, [this, page] { updateTitle(page); });
    Q_EMIT pageAdded(page);
    Q_EMIT pagesChanged();
    return page;
}

void RequestTabs::rememberSplitters(RequestPage *page)
{
    for (ShareSplitter *splitter : page->findChildren<ShareSplitter *>()) {
        const QString key = splitter->objectName();
        if (key.isEmpty())
            continue;
        splitter->setShares(m_splitterShares.value(key));
        // One ratio for every tab: a drag in one page moves the others' too.
        connect(
            splitter, &ShareSplitter::sharesChanged, this, [this, key](const QList<int> &shares) {
                m_splitterShares.insert(key, shares);
                for (RequestPage *other : pages()) {
                    for (ShareSplitter *s : other->findChildren<ShareSplitter *>(key))
                        s->setShares(shares);
                }
            });
    }
}

RequestPage *RequestTabs::currentPage() const
{
    return static_cast<RequestPage *>(currentWidget());
}

RequestPage *RequestTabs::page(int index) const
{
    return static_cast<RequestPage *>(widget(index));
}

QList<RequestPage *> RequestTabs::pages() const
{
    QList<RequestPage *> all;
    for (int i = 0; i < count(); ++i)
        all << page(i);
    return all;
}

bool RequestTabs::closePage(int index)
{
    RequestPage *closing = page(index);
    if (!closing)
        return true;
    if (!settleUnsaved(closing))
        return false;
    removeTab(indexOf(closing));
    delete closing;
    Q_EMIT pagesChanged();
    return true;
}

bool RequestTabs::settleUnsaved(RequestPage *page)
{
    if (!page->isModified())
        return true;
    setCurrentWidget(page);
    switch (askUnsaved ? askUnsaved(page) : Unsaved::Discard) {
    case Unsaved::Discard:
        return true;
    case Unsaved::Save:
        return save && save(page);
    case Unsaved::Cancel:
        return false;
    }
    return false;
}

bool RequestTabs::mayCloseAll()
{
    for (RequestPage *p : pages()) {
        if (!settleUnsaved(p))
            return false;
    }
    return true;
}

void RequestTabs::updateTitle(RequestPage *page)
{
    // A modified request says so on its tab, as editors do.
    const int index = indexOf(page);
    setTabText(index, page->isModified() ? page->title() + u" ●"_s : page->title());
}

void RequestTabs::setThemeFor(const QPalette &palette)
{
    const KSyntaxHighlighting::Theme theme = m_repository->themeForPalette(palette);
    for (RequestPage *p : pages())
        p->setTheme(theme);
}

void RequestTabs::setModelSuggestions(const QStringList &models)
{
    m_models = models;
    for (RequestPage *p : pages())
        p->editor()->setModelSuggestions(models);
}

void RequestTabs::setPlacement(RequestPage::Placement placement)
{
    m_placement = placement;
    for (RequestPage *p : pages())
        p->setPlacement(placement);
}

void RequestTabs::saveSplitters() const
{
    QSettings settings;
    settings.beginGroup(kSplittersGroup);
    for (auto it = m_splitterShares.cbegin(); it != m_splitterShares.cend(); ++it) {
        QStringList shares;
        for (const int share : it.value())
            shares << QString::number(share);
        settings.setValue(it.key(), shares.join(u','));
    }
}

} // namespace gs::ui
