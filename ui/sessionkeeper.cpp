#include "sessionkeeper.h"

#include "core/httpfile/httpwriter.h"
#include "core/net/gatewaysession.h"
#include "core/store/atomicfile.h"
#include "filecontroller.h"
#include "requesteditor.h"
#include "requestpage.h"
#include "requesttabs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

constexpr qsizetype kLargestKeptBody = 1024 * 1024;

} // namespace

SessionKeeper::SessionKeeper(
    RequestTabs *tabs, FileController *files, GatewaySession *session, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_files(files)
    , m_session(session)
    , m_timer(new QTimer(this))
{
    // A burst of typing is written once, a moment after it stops.
    m_timer->setSingleShot(true);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &SessionKeeper::writeNow);
}

int SessionKeeper::keepIn(const QString &path)
{
    m_path = path;
    const int restored = restore();
    for (RequestPage *page : m_tabs->pages())
        follow(page);
    connect(m_tabs, &RequestTabs::pageAdded, this, &SessionKeeper::follow);
    connect(m_tabs, &RequestTabs::pagesChanged, this, &SessionKeeper::changed);
    changed();
    return restored;
}

void SessionKeeper::follow(RequestPage *page)
{
    connect(page->editor(), &RequestEditor::changed, this, &SessionKeeper::changed);
}

void SessionKeeper::changed()
{
    if (!m_path.isEmpty())
        m_timer->start();
}

void SessionKeeper::writeNow()
{
    if (m_path.isEmpty())
        return;
    m_timer->stop();
    QJsonArray tabs;
    for (RequestPage *page : m_tabs->pages()) {
        // A body that large came from a file (it says so above the editor), and is
        // not written again every second of typing.
        if (page->editor()->request().body.size() > kLargestKeptBody)
            continue;
        TemplateOptions options;
        options.baseUrl = m_session->baseUrl();
        const auto text = httpFileTextOf(compose(page->editor()->request()), options);
        if (!text)
            continue; // nothing a file can carry: it cannot come back either
        QJsonObject tab { { u"title"_s, page->title() }, { u"text"_s, text->text },
            { u"modified"_s, page->isModified() } };
        if (!page->filePath().isEmpty())
            tab.insert(u"file"_s, page->filePath());
        tabs.append(tab);
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const QJsonObject doc { { u"version"_s, 1 }, { u"tabs"_s, tabs } };
    // Owner-only: unsaved text is the user's, even without its credentials.
    (void)saveOwnerOnlyFileAtomically(m_path, QJsonDocument(doc).toJson());
}

void SessionKeeper::forget()
{
    m_timer->stop();
    if (!m_path.isEmpty())
        QFile::remove(m_path);
    m_path.clear();
}

int SessionKeeper::restore()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    if (doc.value("version"_L1).toInt() != 1)
        return 0;
    int restored = 0;
    for (const QJsonValue &value : doc.value("tabs"_L1).toArray()) {
        const QJsonObject tab = value.toObject();
        RequestPage *page
            = m_files->openText(tab.value("text"_L1).toString(), tab.value("title"_L1).toString());
        if (!page)
            continue;
        page->setFilePath(tab.value("file"_L1).toString());
        // What was unsaved then is unsaved now: closing the tab asks again.
        if (tab.value("modified"_L1).toBool())
            page->markUnsaved();
        ++restored;
    }
    return restored;
}

} // namespace gs::ui
