#include "requesttabs.h"

#include "requesteditor.h"
#include "requestpage.h"

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

const auto kSplittersGroup = u"splitters"_s;

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

    QSettings settings;
    settings.beginGroup(kSplittersGroup);
    for (const QString &key : settings.childKeys())
        m_splitterStates.insert(key, settings.value(key).toByteArray());
}

RequestTabs::~RequestTabs()
{
    // Pages hold highlighters with themes from the repository: they go first.
    closeAll();
}

void RequestTabs::closeAll()
{
    const QSignalBlocker quiet(this);
    while (count() > 0)
        closePage(0);
}

RequestPage *RequestTabs::addPage(const QString &title)
{
    auto *page = new RequestPage(m_repository.get(), m_network);
    page->setTitle(title);
    page->setTheme(m_repository->themeForPalette(palette()));
    page->editor()->setModelSuggestions(m_models);
    rememberSplitters(page);
    setCurrentIndex(addTab(page, title));
    Q_EMIT pageAdded(page);
    Q_EMIT pagesChanged();
    return page;
}

void RequestTabs::rememberSplitters(RequestPage *page)
{
    for (QSplitter *splitter : page->findChildren<QSplitter *>()) {
        const QString key = splitter->objectName();
        if (key.isEmpty())
            continue;
        if (m_splitterStates.contains(key))
            splitter->restoreState(m_splitterStates.value(key));
        connect(splitter, &QSplitter::splitterMoved, this,
            [this, splitter, key] { m_splitterStates.insert(key, splitter->saveState()); });
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

void RequestTabs::closePage(int index)
{
    RequestPage *closing = page(index);
    if (!closing)
        return;
    removeTab(index);
    delete closing;
    Q_EMIT pagesChanged();
}

void RequestTabs::updateTitle(RequestPage *page)
{
    setTabText(indexOf(page), page->title());
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

void RequestTabs::saveSplitters() const
{
    QSettings settings;
    settings.beginGroup(kSplittersGroup);
    for (auto it = m_splitterStates.cbegin(); it != m_splitterStates.cend(); ++it)
        settings.setValue(it.key(), it.value());
}

} // namespace gs::ui
