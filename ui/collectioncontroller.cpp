#include "ui/collectioncontroller.h"

#include "core/httpfile/httpwriter.h"
#include "core/model/gatewayrequest.h"
#include "core/model/redaction.h"
#include "core/net/gatewaysession.h"
#include "core/store/collection.h"
#include "core/store/secretstore.h"
#include "ui/collectiontree.h"
#include "ui/requesteditor.h"
#include "ui/requestpage.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

// "baseUrl = https://… · token = •••• · team: not set" for the variables a collection
// request uses. Secrets (the collection's, and whatever goes into a credential
// header) are masked.
QString variablePreview(
    const HttpFileRequest &request, const Variables &variables, const QStringList &secrets)
{
    QStringList parts;
    for (const QString &name : referencedVariables(request)) {
        const bool secret = secrets.contains(name)
            || std::ranges::any_of(request.headers, [&name](const auto &h) {
                   return isSecretHeader(h.first.toUtf8())
                       && h.second.contains(u"{{"_s + name + u"}}"_s);
               });
        if (!variables.contains(name))
            parts << QCoreApplication::translate("CollectionController", "%1: not set").arg(name);
        else if (secret)
            parts << name + u" = ••••••"_s;
        else
            parts << name + u" = "_s + variables.value(name);
    }
    return parts.join(u"  ·  "_s);
}

} // namespace

CollectionController::CollectionController(CollectionTree *collections, SecretVault *vault,
    GatewaySession *session, Pages pages, QObject *parent)
    : QObject(parent)
    , m_collections(collections)
    , m_vault(vault)
    , m_session(session)
    , m_pages(std::move(pages))
{
    connect(
        m_collections, &CollectionTree::changedOnDisk, this, &CollectionController::onFilesChanged);
}

QString CollectionController::environment(const QString &root) const
{
    const Collection *c = m_collections->collection(root);
    if (!c)
        return {};
    // A choice (none is one) made in this session, or at an earlier one.
    const QString key = u"collections/environment/"_s + c->settings().id;
    const QSettings settings;
    std::optional<QString> chosen;
    if (m_environments.contains(c->root()))
        chosen = m_environments.value(c->root());
    else if (settings.contains(key))
        chosen = settings.value(key).toString();
    if (chosen && (chosen->isEmpty() || c->environments().environments.contains(*chosen)))
        return *chosen;
    if (c->environments().environments.contains(c->settings().defaultEnvironment))
        return c->settings().defaultEnvironment;
    // Without a choice, the first environment (no environment when there is none).
    return c->environments().environments.isEmpty() ? QString()
                                                    : c->environments().environments.firstKey();
}

void CollectionController::setEnvironment(const QString &root, const QString &name)
{
    const Collection *c = m_collections->collection(root);
    if (!c)
        return;
    m_environments.insert(c->root(), name);
    QSettings().setValue(u"collections/environment/"_s + c->settings().id, name);
    Q_EMIT environmentsChanged();
    const QString shown = name.isEmpty() ? tr("(none)") : name;
    Q_EMIT message(
        tr("Environment %1 for %2: requests opened from now on use it").arg(shown, c->name()));
}

std::optional<HttpFile> CollectionController::loadFile(
    const QString &root, const QString &relativePath)
{
    Collection *c = m_collections->collection(root);
    if (!c)
        return std::nullopt;
    auto parsed = c->load(relativePath);
    // Changed on disk before the watcher told us: read the collection again first.
    if (!parsed && parsed.error().kind == Error::Kind::Conflict) {
        m_collections->refresh(root);
        parsed = c->load(relativePath);
    }
    if (!parsed) {
        Q_EMIT message(parsed.error().message);
        return std::nullopt;
    }
    return std::move(*parsed);
}

namespace {

const auto kOpenCollections = u"collections/open"_s;

} // namespace

bool CollectionController::openCollection(const QString &root)
{
    if (auto opened = m_collections->open(root); !opened) {
        Q_EMIT message(opened.error().message);
        return false;
    }
    QSettings settings;
    QStringList open = settings.value(kOpenCollections).toStringList();
    const QString canonical = QFileInfo(root).canonicalFilePath();
    if (!open.contains(canonical)) {
        open << canonical;
        settings.setValue(kOpenCollections, open);
    }
    const Collection *c = m_collections->collection(root);
    if (c && c->problems().isEmpty()) {
        const QString counts
            = tr("%1 requests in %2 files").arg(c->requestCount()).arg(c->files().size());
        Q_EMIT message(tr("Opened %1: %2").arg(c->name(), counts));
    }
    Q_EMIT environmentsChanged();
    return true;
}

void CollectionController::reopenRemembered()
{
    for (const QString &root : QSettings().value(kOpenCollections).toStringList())
        if (QFileInfo(root).isDir())
            openCollection(root);
}

bool CollectionController::openRequest(
    const QString &root, const QString &relativePath, qsizetype index)
{
    const Collection *c = m_collections->collection(root);
    const CollectionFile *file = c ? c->file(relativePath) : nullptr;
    if (!file || file->isBroken() || index < 0 || index >= file->requests().size()) {
        Q_EMIT message(
            file && file->error ? file->error->message : tr("No such request in the collection"));
        return false;
    }
    // Loading may rescan the collection (a file changed on disk): nothing of \a file
    // is used after this.
    const QString directory = QFileInfo(file->path).absolutePath();
    file = nullptr;
    const auto parsed = loadFile(root, relativePath);
    if (!parsed || index >= parsed->requests().size())
        return false;
    if (focusTab(c->root(), relativePath, index))
        return true;
    const QString env = environment(root);
    const HttpFileRequest request = parsed->requests().at(index);
    // The keyring may take its time (or ask the user to unlock it): the window goes
    // on, and the tab opens when the answers are in.
    return resolveEnvironment(root, env, parsed->fileVariables(), this,
        [this, root, relativePath, index, request, env, directory](const Variables &variables) {
            showRequest(root, relativePath, index, request, env, variables, directory);
        });
}

bool CollectionController::resolveRequests(const QString &root, const QString &relativePath,
    QObject *context,
    std::function<void(const QList<std::pair<QString, WireRequest>> &, const QStringList &)> done)
{
    const Collection *c = m_collections->collection(root);
    const CollectionFile *file = c ? c->file(relativePath) : nullptr;
    if (!file || file->isBroken())
        return false;
    const QString directory = QFileInfo(file->path).absolutePath();
    const auto parsed = loadFile(root, relativePath);
    if (!parsed)
        return false;
    const QStringList secretNames = c->settings().secrets;
    return resolveEnvironment(root, environment(root), parsed->fileVariables(), context,
        [requests = parsed->requests(), directory, secretNames, done = std::move(done)](
            const Variables &variables) {
            QList<std::pair<QString, WireRequest>> out;
            for (const HttpFileRequest &r : requests) {
                const auto wire = resolve(r, variables, directory);
                if (wire)
                    out.append({ r.name.isEmpty() ? u"line %1"_s.arg(r.line) : r.name, *wire });
            }
            done(out, secretValues(variables, secretNames));
        });
}

bool CollectionController::resolveEnvironment(const QString &root, const QString &environment,
    const Variables &file, QObject *context, std::function<void(const Variables &)> done,
    bool underGateway)
{
    const Collection *c = m_collections->collection(root);
    if (!c)
        return false;
    VariableLayers layers;
    if (underGateway)
        layers.gateway = m_session->variables();
    if (const auto own = c->variables(environment); own)
        layers.environment = *own;
    layers.file = file;
    QList<SecretKey> keys;
    for (const QString &name : layers.unsetSecrets(c->settings().secrets))
        keys << SecretKey { c->settings().id, environment, name };
    m_vault->readAll(keys, context,
        [layers, done = std::move(done)](const QHash<QString, SecretReply> &replies) mutable {
            for (auto it = replies.begin(); it != replies.end(); ++it)
                if (it->status == SecretReply::Status::Ok)
                    layers.secrets.insert(it.key(), it->value);
            done(layers.merged());
        });
    return true;
}

bool CollectionController::focusTab(
    const QString &root, const QString &relativePath, qsizetype index)
{
    for (RequestPage *page : m_pages.all()) {
        const auto &src = page->source();
        if (src && src->root == root && src->relativePath == relativePath && src->index == index) {
            m_pages.focus(page);
            return true;
        }
    }
    return false;
}

void CollectionController::showRequest(const QString &root, const QString &relativePath,
    qsizetype index, const HttpFileRequest &request, const QString &environment,
    const Variables &variables, const QString &directory)
{
    // While the vault answered, the collection may have closed or the same request
    // opened in another tab.
    const Collection *c = m_collections->collection(root);
    if (!c || focusTab(c->root(), relativePath, index))
        return;
    RequestPage::Source source;
    source.root = c->root();
    source.relativePath = relativePath;
    source.index = index;
    source.environment = environment;
    source.tls = c->environments().tlsFor(environment);
    source.request = request;
    source.variables = variables;

    std::optional<BodyInclude> include;
    const auto resolved = resolve(source.request, variables, directory, &include);
    if (!resolved) {
        Q_EMIT message(resolved.error().message);
        return;
    }
    const QString title = source.request.name.isEmpty() ? QFileInfo(relativePath).completeBaseName()
                                                        : source.request.name;
    RequestPage *page = m_pages.add(title);
    page->editor()->setRequest(decode(*resolved));
    if (include)
        page->setBodyInclude(include->path, include->size);
    source.opened = compose(page->editor()->request());
    page->setSource(source);
    const QString preview = variablePreview(source.request, variables, c->settings().secrets);
    if (!preview.isEmpty())
        page->setVariablePreview(
            (environment.isEmpty() ? tr("Variables: ") : tr("Variables (%1): ").arg(environment))
                + preview,
            tr("What the {{variables}} of this request resolved to: the active gateway, then "
               "the collection's defaults and environment, then the file's @variables. "
               "Secrets are masked."));
    m_pages.setToolTip(page, c->name() + u" › "_s + relativePath);
    Q_EMIT environmentsChanged();
}

bool CollectionController::save(RequestPage *page)
{
    RequestPage::Source src = *page->source();
    Collection *c = m_collections->collection(src.root);
    if (!c) {
        Q_EMIT message(tr("The collection of this request is no longer open"));
        return false;
    }
    const WireRequest edited = compose(page->editor()->request());
    Variables newSecrets;
    const HttpFileRequest back
        = unresolve(src.request, src.opened, edited, src.variables, &newSecrets);
    if (!storeSecrets(c, src.environment, newSecrets))
        return false;
    auto saved = c->saveRequest(src.relativePath, src.index, back);
    if (!saved && saved.error().kind == Error::Kind::Conflict) {
        const QString question = tr("%1 was changed on disk since you opened this request. "
                                    "Keep your edits (written over the file's version of this "
                                    "request) or take the file's version?")
                                     .arg(src.relativePath);
        if (!m_pages.keepMyEdits(question)) {
            m_collections->refresh(src.root);
            reload(page);
            return false;
        }
        if (auto reloaded = c->reload(src.relativePath); reloaded)
            saved = c->saveRequest(src.relativePath, src.index, back);
    }
    if (!saved) {
        Q_EMIT message(saved.error().message);
        return false;
    }
    for (auto it = newSecrets.begin(); it != newSecrets.end(); ++it)
        src.variables.insert(it.key(), it.value());
    src.request = back;
    src.opened = edited;
    page->setSource(src);
    m_collections->refresh(src.root);
    Q_EMIT message(newSecrets.isEmpty()
            ? tr("Saved %1").arg(src.relativePath)
            : tr("Saved %1; the credential goes to %2, the file says {{%3}}")
                  .arg(src.relativePath, m_vault->description(), newSecrets.firstKey()));
    return true;
}

void CollectionController::reload(RequestPage *page)
{
    const RequestPage::Source src = *page->source();
    const Collection *c = m_collections->collection(src.root);
    const CollectionFile *file = c ? c->file(src.relativePath) : nullptr;
    if (file && file->isBroken()) {
        // Saving stays refused (Gatescope never writes a broken file) until it is fixed.
        const QString why = file->error ? file->error->message : QString();
        Q_EMIT message(
            tr("%1 no longer parses (%2); the tab keeps what it shows").arg(src.relativePath, why));
        return;
    }
    // Loading may rescan the collection: nothing of \a file is used after this.
    const QString directory = file ? QFileInfo(file->path).absolutePath() : QString();
    const auto parsed = file ? loadFile(src.root, src.relativePath) : std::nullopt;
    if (!parsed || src.index >= parsed->requests().size()) {
        Q_EMIT message(
            tr("%1 no longer has this request; the tab keeps what it shows").arg(src.relativePath));
        page->setSource(std::nullopt);
        return;
    }
    RequestPage::Source fresh = src;
    fresh.request = parsed->requests().at(src.index);
    const auto resolved = resolve(fresh.request, fresh.variables, directory);
    if (!resolved)
        return;
    page->editor()->setRequest(decode(*resolved));
    fresh.opened = compose(page->editor()->request());
    page->setSource(fresh);
}

void CollectionController::onFilesChanged(const QString &root, const QStringList &paths)
{
    for (RequestPage *page : m_pages.all()) {
        const auto &src = page->source();
        if (!src || src->root != root || !paths.contains(src->relativePath))
            continue;
        const QString question = tr("%1 changed on disk, and \"%2\" has edits you have not "
                                    "saved. Keep your edits or take the file's version?");
        if (page->isModified()
            && m_pages.keepMyEdits(question.arg(src->relativePath, page->title())))
            continue;
        reload(page);
    }
    Q_EMIT message(tr("Reloaded what changed on disk: %1").arg(paths.join(", "_L1)));
}

bool CollectionController::storeSecrets(
    Collection *c, const QString &environment, const Variables &secrets)
{
    // A credential typed into the editor goes to the keyring, and its name into the
    // collection's list of secrets (the settings file gets an id of its own for that).
    if (secrets.isEmpty())
        return true;
    CollectionSettings settings = c->settings();
    for (auto it = secrets.begin(); it != secrets.end(); ++it)
        if (!settings.secrets.contains(it.key()))
            settings.secrets << it.key();
    if (auto saved = c->saveSettings(settings); !saved) {
        Q_EMIT message(saved.error().message);
        return false;
    }
    // The keyring answers later; the file only ever says {{name}}, so nothing waits.
    const QString id = c->settings().id;
    for (auto it = secrets.begin(); it != secrets.end(); ++it) {
        m_vault->write(
            { id, environment, it.key() }, it.value(), this, [this](const SecretReply &reply) {
                // Kept somewhere else than asked (the session, a file), or not at all.
                if (!reply.message.isEmpty())
                    Q_EMIT message(reply.message);
            });
    }
    return true;
}

bool CollectionController::saveAsNew(
    RequestPage *page, const QString &root, const QString &folder, const QString &name)
{
    Collection *c = m_collections->collection(root);
    if (!page || !c)
        return false;
    // As Save does: the token and the gateway's address as {{variables}}.
    const GatewayRequest &request = page->editor()->request();
    const QString baseUrl = request.baseUrl.isEmpty() ? m_session->baseUrl() : request.baseUrl;
    TemplateOptions options;
    options.baseUrl = baseUrl;
    const auto written = httpFileTextOf(compose(request), options);
    if (!written) {
        const QString why = written.error().message;
        Q_EMIT message(tr("This request cannot be written as a .http file: %1").arg(why));
        return false;
    }
    // The writer checked that its text reads back as exactly one request.
    HttpFileRequest fileRequest = HttpFile::parse(written->text)->requests().first();
    fileRequest.name = page->title();
    QString fileName = name;
    fileName.replace(u'/', u'-');
    // Credentials other than the gateway's own token (which stays the gateway's) go to
    // the keyring, the file says their {{names}}.
    Variables secrets = written->templated.secrets;
    if (secrets.value(u"token"_s) == m_session->token())
        secrets.remove(u"token"_s);
    if (!storeSecrets(c, environment(root), secrets))
        return false;
    const auto created = c->createFile(folder, fileName, fileRequest);
    if (!created) {
        Q_EMIT message(created.error().message);
        return false;
    }
    m_collections->refresh(root);
    // The tab now edits the new file's request.
    RequestPage::Source source;
    source.root = c->root();
    source.relativePath = *created;
    source.index = 0;
    source.environment = environment(root);
    source.tls = c->environments().tlsFor(source.environment);
    source.request = fileRequest;
    if (!baseUrl.isEmpty())
        source.variables.insert(u"baseUrl"_s, baseUrl);
    if (!request.bearerToken.isEmpty())
        source.variables.insert(u"token"_s, request.bearerToken);
    for (auto it = secrets.begin(); it != secrets.end(); ++it)
        source.variables.insert(it.key(), it.value());
    source.opened = compose(request);
    page->setSource(source);
    Q_EMIT message(
        tr("Saved to %1 › %2 (the token is written as {{token}})").arg(c->name(), *created));
    return true;
}

bool CollectionController::setSecret(const QString &root, const QString &name, const QString &value)
{
    Collection *c = m_collections->collection(root);
    static const QRegularExpression kName(u"^[A-Za-z_][\\w.-]*$"_s);
    if (!c || !kName.match(name).hasMatch()) {
        Q_EMIT message(tr("\"%1\" cannot be a variable name").arg(name));
        return false;
    }
    CollectionSettings settings = c->settings();
    if (!settings.secrets.contains(name))
        settings.secrets << name;
    if (auto saved = c->saveSettings(settings); !saved) {
        Q_EMIT message(saved.error().message);
        return false;
    }
    const QString env = environment(root);
    const QString where = env.isEmpty() ? c->name() : c->name() + u" / "_s + env;
    m_vault->write({ c->settings().id, env, name }, value, this,
        [this, name, where](const SecretReply &reply) {
            if (reply.status != SecretReply::Status::Ok) {
                Q_EMIT message(reply.message);
                return;
            }
            const QString kept = tr("{{%1}} of %2 is kept in %3");
            Q_EMIT message(kept.arg(name, where, m_vault->description()));
        });
    return true;
}

} // namespace gs::ui
