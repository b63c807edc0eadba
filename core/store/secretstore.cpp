#include "core/store/secretstore.h"

#include "core/store/atomicfile.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSettings>
#include <QTimer>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace gs::core {

QString SecretKey::account() const
{
    return collection + u'/' + environment + u'/' + name;
}

// --- the OS credential store -------------------------------------------------

namespace {

SecretReply replyFrom(const QKeychain::Job &job, const QString &value = {})
{
    using S = SecretReply::Status;
    switch (job.error()) {
    case QKeychain::NoError:
        return { S::Ok, value, {} };
    case QKeychain::EntryNotFound:
        return { S::NotFound, {}, {} };
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    // Without D-Bus or a Secret Service, QtKeychain answers OtherError (and its
    // isAvailable() still says yes): the store did not answer.
    case QKeychain::OtherError:
        return { S::Unavailable, {},
            u"No system credential store answered (%1)."_s.arg(job.errorString()) };
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::CouldNotDeleteEntry:
        break;
    }
    return { S::Failed, {}, u"The system credential store refused: %1"_s.arg(job.errorString()) };
}

template <typename Job> void run(Job *job, std::function<void(const SecretReply &)> done)
{
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)] {
        if constexpr (std::is_same_v<Job, QKeychain::ReadPasswordJob>)
            done(replyFrom(*job, job->textData()));
        else
            done(replyFrom(*job));
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{ }

QString KeychainSecretStore::description() const
{
#if defined(Q_OS_MACOS)
    return u"the macOS Keychain"_s;
#elif defined(Q_OS_WIN)
    return u"the Windows Credential Manager"_s;
#else
    return u"the system keyring (Secret Service or KWallet)"_s;
#endif
}

void KeychainSecretStore::read(const SecretKey &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key.account());
    run(job, std::move(done));
}

void KeychainSecretStore::write(const SecretKey &key, const QString &value, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key.account());
    job->setTextData(value);
    run(job, std::move(done));
}

void KeychainSecretStore::remove(const SecretKey &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key.account());
    run(job, std::move(done));
}

// --- memory --------------------------------------------------------------------

QString SessionSecretStore::description() const
{
    return u"memory, for this session only"_s;
}

void SessionSecretStore::read(const SecretKey &key, Callback done)
{
    const auto it = m_values.constFind(key.account());
    done(it == m_values.cend() ? SecretReply { SecretReply::Status::NotFound, {}, {} }
                               : SecretReply { SecretReply::Status::Ok, *it, {} });
}

void SessionSecretStore::write(const SecretKey &key, const QString &value, Callback done)
{
    m_values.insert(key.account(), value);
    done({});
}

void SessionSecretStore::remove(const SecretKey &key, Callback done)
{
    m_values.remove(key.account());
    done({});
}

// --- a user-only file --------------------------------------------------------------

namespace {

QJsonObject readSecretsFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.exists())
        return {};
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read %1: %2"_s.arg(path, f.errorString());
        return {};
    }
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        *error = u"%1 is not a JSON object; it was left as it is."_s.arg(path);
    return doc.object();
}

SecretReply writeSecretsFile(const QString &path, const QJsonObject &secrets)
{
    const auto saved
        = saveOwnerOnlyFileAtomically(path, QJsonDocument(secrets).toJson(QJsonDocument::Indented));
    if (!saved)
        return { SecretReply::Status::Failed, {}, saved.error().message };
    return {};
}

} // namespace

FileSecretStore::FileSecretStore(QString path)
    : m_path(std::move(path))
{ }

QString FileSecretStore::description() const
{
    return u"the file %1 (plain text, readable by you only)"_s.arg(m_path);
}

void FileSecretStore::read(const SecretKey &key, Callback done)
{
    QString error;
    const QJsonObject secrets = readSecretsFile(m_path, &error);
    if (!error.isEmpty())
        return done({ SecretReply::Status::Failed, {}, error });
    const QJsonValue v = secrets.value(key.account());
    done(v.isString() ? SecretReply { SecretReply::Status::Ok, v.toString(), {} }
                      : SecretReply { SecretReply::Status::NotFound, {}, {} });
}

void FileSecretStore::write(const SecretKey &key, const QString &value, Callback done)
{
    QString error;
    QJsonObject secrets = readSecretsFile(m_path, &error);
    if (!error.isEmpty())
        return done({ SecretReply::Status::Failed, {}, error });
    secrets.insert(key.account(), value);
    done(writeSecretsFile(m_path, secrets));
}

void FileSecretStore::remove(const SecretKey &key, Callback done)
{
    QString error;
    QJsonObject secrets = readSecretsFile(m_path, &error);
    if (!error.isEmpty())
        return done({ SecretReply::Status::Failed, {}, error });
    if (!secrets.contains(key.account()))
        return done({});
    secrets.remove(key.account());
    done(writeSecretsFile(m_path, secrets));
}

// --- the vault -------------------------------------------------------------------

namespace {

void ignoreReply(const SecretReply &reply)
{
    Q_UNUSED(reply);
}

} // namespace

SecretVault::SecretVault(std::unique_ptr<SecretStore> primary, QObject *parent)
    : QObject(parent)
    , m_primary(std::move(primary))
{ }

SecretVault::~SecretVault() = default;

std::unique_ptr<SecretVault> SecretVault::forThisUser()
{
    std::unique_ptr<SecretStore> primary;
    if (qEnvironmentVariable("GATESCOPE_SECRET_STORE") == "session"_L1)
        primary = std::make_unique<SessionSecretStore>();
    else
        primary = std::make_unique<KeychainSecretStore>();
    auto vault = std::make_unique<SecretVault>(std::move(primary));
    if (const QString file = QSettings().value(u"secrets/file"_s).toString(); !file.isEmpty())
        vault->setFileFallback(std::make_unique<FileSecretStore>(file));
    return vault;
}

void SecretVault::setFileFallback(std::unique_ptr<SecretStore> store)
{
    m_file = std::move(store);
}

QString SecretVault::description() const
{
    if (m_fallbackReason.isEmpty())
        return m_primary->description();
    return m_file ? m_file->description() : m_session.description();
}

SecretStore &SecretVault::fallback()
{
    return m_file ? *m_file : static_cast<SecretStore &>(m_session);
}

void SecretVault::noteUnavailable(const QString &message)
{
    const QString reason = message + u" Secrets are kept in "_s
        + (m_file ? m_file->description() : m_session.description()) + u'.';
    if (reason == m_fallbackReason)
        return;
    m_fallbackReason = reason;
    Q_EMIT fallbackChanged(reason);
}

namespace {

// \a done, or nothing once \a context is gone.
SecretStore::Callback guarded(const QObject *context, SecretStore::Callback done)
{
    return
        [context = QPointer<const QObject>(context), done = std::move(done)](const SecretReply &r) {
            if (context)
                done(r);
        };
}

} // namespace

void SecretVault::read(const SecretKey &key, const QObject *context, SecretStore::Callback done)
{
    read(key, guarded(context, std::move(done)));
}

void SecretVault::write(
    const SecretKey &key, const QString &value, const QObject *context, SecretStore::Callback done)
{
    write(key, value, guarded(context, std::move(done)));
}

void SecretVault::remove(const SecretKey &key, const QObject *context, SecretStore::Callback done)
{
    remove(key, guarded(context, std::move(done)));
}

void SecretVault::readAll(const QList<SecretKey> &keys, const QObject *context,
    std::function<void(const QHash<QString, SecretReply> &)> done)
{
    struct Pending
    {
        QHash<QString, SecretReply> replies;
        qsizetype waiting = 0;
        std::function<void(const QHash<QString, SecretReply> &)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->waiting = keys.size();
    pending->done = std::move(done);
    if (keys.isEmpty()) {
        if (QPointer<const QObject>(context))
            pending->done({});
        return;
    }
    for (const SecretKey &key : keys) {
        read(key, context, [pending, name = key.name](const SecretReply &r) {
            pending->replies.insert(name, r);
            if (--pending->waiting == 0)
                pending->done(pending->replies);
        });
    }
}

void SecretVault::read(const SecretKey &key, SecretStore::Callback done)
{
    // A secret set in this session while the store did not answer comes first.
    SecretReply session;
    m_session.read(key, [&](const SecretReply &r) { session = r; });
    if (session.status == SecretReply::Status::Ok)
        return done(session);
    m_primary->read(
        key, [self = QPointer(this), key, done = std::move(done)](const SecretReply &r) {
            if (!self)
                return done(r);
            self->readAnswered(key, r, done);
        });
}

void SecretVault::readAnswered(
    const SecretKey &key, const SecretReply &r, const SecretStore::Callback &done)
{
    using S = SecretReply::Status;
    if (r.status == S::Ok || r.status == S::NotFound) {
        // The store answers (again).
        if (!m_fallbackReason.isEmpty()) {
            m_fallbackReason.clear();
            Q_EMIT fallbackChanged({});
        }
        if (r.status == S::Ok || !m_file)
            return done(r);
    } else {
        // No answer, or a refusal (a locked keyring nobody can unlock on a headless
        // machine): what was kept elsewhere this session is all there is.
        noteUnavailable(r.message);
    }
    if (!m_file)
        return done({ S::NotFound, {}, r.message });
    m_file->read(key, done);
}

void SecretVault::write(const SecretKey &key, const QString &value, SecretStore::Callback done)
{
    m_primary->write(key, value,
        [self = QPointer(this), key, value, done = std::move(done)](const SecretReply &r) {
            if (!self)
                return done(r);
            self->writeAnswered(key, value, r, done);
        });
}

void SecretVault::writeAnswered(const SecretKey &key, const QString &value, const SecretReply &r,
    const SecretStore::Callback &done)
{
    if (r.status == SecretReply::Status::Ok) {
        m_session.remove(key, ignoreReply);
        return done(r);
    }
    // Not stored: keep it anyway rather than lose what the user typed, and say where.
    noteUnavailable(r.message);
    SecretStore &store = fallback();
    const QString where = store.description();
    store.write(key, value, [where, r, done](const SecretReply &w) {
        if (w.status != SecretReply::Status::Ok)
            return done(w);
        done({ SecretReply::Status::Ok, {},
            r.message + u" The secret was kept in "_s + where + u'.' });
    });
}

void SecretVault::remove(const SecretKey &key, SecretStore::Callback done)
{
    m_session.remove(key, ignoreReply);
    if (m_file)
        m_file->remove(key, ignoreReply);
    m_primary->remove(key, [done = std::move(done)](const SecretReply &r) {
        // Nothing to remove, or nowhere to remove it from: it is gone either way.
        if (r.status == SecretReply::Status::NotFound
            || r.status == SecretReply::Status::Unavailable)
            return done({});
        done(r);
    });
}

namespace {

SecretReply wait(const std::function<void(SecretStore::Callback)> &call)
{
    // The reply may come after the wait gave up: it then lands in shared state.
    auto reply = std::make_shared<std::optional<SecretReply>>();
    QEventLoop loop;
    QPointer<QEventLoop> waiting(&loop);
    call([reply, waiting](const SecretReply &r) {
        *reply = r;
        if (waiting)
            waiting->quit();
    });
    if (!*reply) {
        // A credential store that never answers is as good as none.
        QTimer::singleShot(30'000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return reply->value_or(SecretReply { SecretReply::Status::Unavailable, {},
        u"The system credential store did not answer within 30 seconds."_s });
}

} // namespace

SecretReply SecretVault::readNow(const SecretKey &key)
{
    return wait([&](SecretStore::Callback done) { read(key, std::move(done)); });
}

SecretReply SecretVault::writeNow(const SecretKey &key, const QString &value)
{
    return wait([&](SecretStore::Callback done) { write(key, value, std::move(done)); });
}

SecretReply SecretVault::removeNow(const SecretKey &key)
{
    return wait([&](SecretStore::Callback done) { remove(key, std::move(done)); });
}

} // namespace gs::core
