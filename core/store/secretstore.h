#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace gs::core {

//! Where a secret belongs: a collection (its settings id), an environment, a name.
struct SecretKey
{
    QString collection;
    QString environment;
    QString name;

    //! The key in the credential store: "collection/environment/name".
    QString account() const;
    bool operator==(const SecretKey &) const = default;
};

//! The keyring entry that keeps the passphrase of the encrypted key or PKCS#12 file
//! at \a absolutePath: one per file, shared by the command line and the window.
inline SecretKey passphraseKey(const QString &absolutePath)
{
    return SecretKey { QStringLiteral("client-certificates"), QString(), absolutePath };
}

//! What a store said.
struct SecretReply
{
    enum class Status {
        Ok,
        NotFound, //!< the store answered: no such secret
        Unavailable, //!< no credential store answered (a headless machine, no D-Bus, ...)
        Failed, //!< the store answered with an error (access denied, ...)
    };
    Status status = Status::Ok;
    QString value; //!< for a read that succeeded
    QString message; //!< for the user, when not Ok
};

//! A place to keep secrets. Every call answers exactly once through its callback,
//! possibly later (an OS credential store is asynchronous).
class SecretStore
{
public:
    using Callback = std::function<void(const SecretReply &)>;
    virtual ~SecretStore() = default;
    //! Where the secrets go, for the user: "the system keychain", "this session only".
    virtual QString description() const = 0;
    virtual void read(const SecretKey &key, Callback done) = 0;
    virtual void write(const SecretKey &key, const QString &value, Callback done) = 0;
    virtual void remove(const SecretKey &key, Callback done) = 0;
};

//! The OS credential store through QtKeychain: Secret Service or KWallet on Linux,
//! the Keychain on macOS, the Credential Manager on Windows; service "Gatescope".
class KeychainSecretStore final : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("Gatescope"));
    QString description() const override;
    void read(const SecretKey &key, Callback done) override;
    void write(const SecretKey &key, const QString &value, Callback done) override;
    void remove(const SecretKey &key, Callback done) override;

private:
    QString m_service;
};

//! Secrets kept in memory until the program ends.
class SessionSecretStore final : public SecretStore
{
public:
    QString description() const override;
    void read(const SecretKey &key, Callback done) override;
    void write(const SecretKey &key, const QString &value, Callback done) override;
    void remove(const SecretKey &key, Callback done) override;

private:
    QHash<QString, QString> m_values;
};

//! Secrets in a JSON file only its owner may read (mode 0600), written atomically.
//! Plain text on disk: used only when the user explicitly asks for it.
class FileSecretStore final : public SecretStore
{
public:
    explicit FileSecretStore(QString path);
    QString description() const override;
    QString path() const { return m_path; }
    void read(const SecretKey &key, Callback done) override;
    void write(const SecretKey &key, const QString &value, Callback done) override;
    void remove(const SecretKey &key, Callback done) override;

private:
    QString m_path;
};

//! What the application uses: the credential store first; when it does not answer
//! or refuses (a locked keyring on a headless machine), secrets are kept for the
//! session only and the vault says so (fallbackReason()).
//! A file store is used instead of the session only after setFileFallback(), which
//! the user asks for explicitly.
class SecretVault final : public QObject
{
    Q_OBJECT

public:
    explicit SecretVault(std::unique_ptr<SecretStore> primary, QObject *parent = nullptr);
    ~SecretVault() override;

    //! The user's vault: the system keyring (or memory only, with
    //! GATESCOPE_SECRET_STORE=session: tests and scripted screenshot runs must not
    //! touch the user's keyring), and the file fallback the user chose earlier
    //! (setting "secrets/file").
    static std::unique_ptr<SecretVault> forThisUser();

    //! Keep secrets in \a store (a FileSecretStore) when the primary store does not
    //! answer. Null: the session only.
    void setFileFallback(std::unique_ptr<SecretStore> store);
    //! Empty while the credential store answers; otherwise why it did not and where
    //! secrets go instead.
    QString fallbackReason() const { return m_fallbackReason; }
    //! Where secrets are kept now.
    QString description() const;

    //! Each call answers exactly once, possibly later, and only while \a context
    //! lives: a window closed or a collection removed in between never hears back.
    void read(const SecretKey &key, const QObject *context, SecretStore::Callback done);
    //! The reply's message says where the secret went when it was not the credential
    //! store.
    void write(const SecretKey &key, const QString &value, const QObject *context,
        SecretStore::Callback done);
    void remove(const SecretKey &key, const QObject *context, SecretStore::Callback done);
    //! Reads every key in \a keys; \a done gets the replies by name once all answered.
    void readAll(const QList<SecretKey> &keys, const QObject *context,
        std::function<void(const QHash<QString, SecretReply> &)> done);

    //! Waits for the reply in a local event loop, for callers that may block (the
    //! command line and tests). Never in the window: it would stall for up to 30 s.
    SecretReply readNow(const SecretKey &key);
    SecretReply writeNow(const SecretKey &key, const QString &value);
    SecretReply removeNow(const SecretKey &key);

Q_SIGNALS:
    //! The credential store stopped answering (or answered again: empty reason).
    void fallbackChanged(const QString &reason);

private:
    void read(const SecretKey &key, SecretStore::Callback done);
    void write(const SecretKey &key, const QString &value, SecretStore::Callback done);
    void remove(const SecretKey &key, SecretStore::Callback done);
    SecretStore &fallback();
    void readAnswered(
        const SecretKey &key, const SecretReply &r, const SecretStore::Callback &done);
    void writeAnswered(const SecretKey &key, const QString &value, const SecretReply &r,
        const SecretStore::Callback &done);
    void noteUnavailable(const QString &message);

    std::unique_ptr<SecretStore> m_primary;
    std::unique_ptr<SecretStore> m_file;
    SessionSecretStore m_session;
    QString m_fallbackReason;
};

} // namespace gs::core
