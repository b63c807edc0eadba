#include "filecontroller.h"

#include "core/httpfile/httpwriter.h"
#include "core/model/gatewayrequest.h"
#include "core/net/gatewaysession.h"
#include "historycontroller.h"
#include "requesteditor.h"
#include "requestpage.h"
#include "requesttabs.h"
#include "responseinspector.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

const auto kExamplesPath = u":/examples"_s;

} // namespace

FileController::FileController(
    GatewaySession *session, RequestTabs *tabs, HistoryController *history, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_tabs(tabs)
    , m_history(history)
{ }

QStringList FileController::exampleNames()
{
    return QDir(kExamplesPath).entryList({ u"*.http"_s }, QDir::Files, QDir::Name);
}

VariableLayers FileController::gatewayVariables(const QString &directory) const
{
    VariableLayers layers;
    layers.gateway = m_session->variables();
    if (auto envs = HttpEnvironments::loadFromDirectory(directory); envs) {
        layers.environment = envs->shared;
        // Without an active gateway, the first environment (the demo one for the
        // bundled examples) fills in the rest.
        if (!m_session->isSet() && !envs->environments.isEmpty()) {
            if (auto v = envs->variables(envs->environments.firstKey()); v)
                layers.environment = *v;
        }
    }
    return layers;
}

RequestPage *FileController::openRequest(const HttpFileRequest &request, const Variables &variables,
    const QString &directory, const QString &title)
{
    std::optional<BodyInclude> include;
    const auto resolved = resolve(request, variables, directory, &include);
    if (!resolved) {
        Q_EMIT message(tr("%1: %2").arg(title, resolved.error().message));
        return nullptr;
    }
    RequestPage *page = m_tabs->addPage(title);
    page->editor()->setRequest(decode(*resolved));
    page->markSaved();
    if (include)
        page->setBodyInclude(include->path, include->size);
    return page;
}

RequestPage *FileController::openText(const QString &text, const QString &title)
{
    const auto file = HttpFile::parse(text);
    if (!file || file->requests().isEmpty()) {
        Q_EMIT message(tr("%1 could not be brought back").arg(title));
        return nullptr;
    }
    VariableLayers layers;
    layers.gateway = m_session->variables();
    return openRequest(file->requests().first(), layers.merged(), QString(), title);
}

bool FileController::openExample(const QString &fileName, const QString &name)
{
    const auto file = HttpFile::load(kExamplesPath + u'/' + fileName);
    if (!file) {
        Q_EMIT message(tr("Cannot open example %1: %2").arg(fileName, file.error().message));
        return false;
    }
    const QList<HttpFileRequest> requests = file->requests();
    const qsizetype index = name.isEmpty() ? 0 : file->indexOf(name);
    if (index < 0 || index >= requests.size()) {
        Q_EMIT message(tr("No request %1 in %2").arg(name, fileName));
        return false;
    }
    const HttpFileRequest &request = requests[index];
    const QString title = request.name.isEmpty() ? fileName : request.name;
    for (RequestPage *page : m_tabs->pages()) {
        if (page->title() == title && page->filePath().isEmpty() && !page->source()) {
            m_tabs->setCurrentWidget(page);
            return true;
        }
    }
    VariableLayers layers = gatewayVariables(kExamplesPath);
    layers.file = file->fileVariables();
    openRequest(request, layers.merged(), kExamplesPath, title);
    return true;
}

bool FileController::openFile(const QString &path)
{
    const auto file = HttpFile::load(path);
    if (!file) {
        Q_EMIT message(tr("%1: %2").arg(path, file.error().message));
        return false;
    }
    const QString directory = QFileInfo(path).absolutePath();
    VariableLayers layers = gatewayVariables(HttpEnvironments::directoryFor(path));
    layers.file = file->fileVariables();
    const Variables variables = layers.merged();
    const QList<HttpFileRequest> requests = file->requests();
    for (const HttpFileRequest &r : requests) {
        openRequest(r, variables, directory,
            r.name.isEmpty() ? QFileInfo(path).completeBaseName() : r.name);
        // A file of one request is this tab's to save; several stay read-only here
        // until collections can write one request back into its file.
        if (requests.size() == 1 && m_tabs->currentPage())
            m_tabs->currentPage()->setFilePath(path);
    }
    if (requests.isEmpty())
        Q_EMIT message(tr("%1 has no requests").arg(path));
    return !requests.isEmpty();
}

RequestPage *FileController::newRequest()
{
    RequestPage *page = m_tabs->addPage(tr("New request"));
    GatewayRequest r;
    r.baseUrl = m_session->baseUrl();
    r.bearerToken = m_session->token();
    r.body = "{\n  \"model\": \"\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"\"}]\n}";
    page->editor()->setRequest(r);
    page->markSaved();
    // Nothing is wrong yet with what the user has not written yet.
    page->editor()->holdProblemsUntilEdited();
    page->editor()->focusUrl();
    return page;
}

bool FileController::openHistoryEntry(qint64 id)
{
    const auto e = m_history->entry(id);
    if (!e)
        return false;
    const QLocale locale;
    return openRecorded(*e,
        tr("History %1").arg(locale.toString(e->at.toLocalTime().time(), QLocale::ShortFormat)));
}

bool FileController::openRecorded(
    const HistoryEntry &e, const QString &title, const QString &origin)
{
    const auto file = HttpFile::parse(e.requestText);
    const auto resolved = file && !file->requests().isEmpty()
        ? resolve(file->requests().first(), {})
        : Result<ResolvedRequest>(std::unexpected(Error { Error::Kind::Parse, u"empty"_s, {} }));
    if (!resolved) {
        Q_EMIT message(tr("%1 cannot be reopened: %2").arg(title, resolved.error().message));
        return false;
    }
    GatewayRequest request = decode(*resolved);
    // The history keeps no token: the active gateway's stands in for the mask.
    request.bearerToken = m_session->token();
    // It goes to the active gateway (a demo of an earlier run is gone); the page offers
    // the recorded address instead.
    const QString recorded = request.baseUrl;
    const bool elsewhere = m_session->isSet() && recorded != m_session->baseUrl();
    if (elsewhere)
        request.baseUrl = m_session->baseUrl();
    const QDateTime at = e.at.toLocalTime();
    const QLocale locale;
    RequestPage *page = m_tabs->addPage(title);
    page->editor()->setRequest(request);
    page->markSaved();
    page->inspector()->showRecorded(e, origin);
    if (elsewhere)
        page->offerAddresses(recorded, m_session->baseUrl());
    const QString message = tr("Reopened a request sent at %1 (%2 %3)");
    Q_EMIT this->message(message.arg(
        locale.toString(at, QLocale::ShortFormat), QString::number(e.status), e.resolvedModel));
    return true;
}

bool FileController::save(RequestPage *page, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    // The token and the gateway's address as {{variables}}: a saved file carries no secret.
    const GatewayRequest &request = page->editor()->request();
    TemplateOptions options;
    options.baseUrl = request.baseUrl.isEmpty() ? m_session->baseUrl() : request.baseUrl;
    const auto written = httpFileTextOf(compose(request), options);
    if (!written) {
        Q_EMIT message(written.error().message);
        return false;
    }
    file.write(written->text.toUtf8());
    if (!file.commit()) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    page->setFilePath(path);
    page->markSaved();
    page->setTitle(QFileInfo(path).completeBaseName());
    m_tabs->updateTitle(page);
    // A file outside a collection has no keyring entry: the user defines the names.
    QStringList names;
    for (const QString &name : written->templated.secrets.keys())
        names << u"{{"_s + name + u"}}"_s;
    Q_EMIT message(names.isEmpty()
            ? tr("Saved %1").arg(path)
            : tr("Saved %1 (credentials are written as %2, never as themselves; define them in "
                 "http-client.private.env.json)")
                  .arg(path, names.join(u", "_s)));
    return true;
}

} // namespace gs::ui
