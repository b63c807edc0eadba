#include "core/store/secretstore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

// For the vault's own logic: a store that answers the way a machine without any
// credential store does, later, from the event loop.
class SilentStore final : public SecretStore
{
public:
    QString description() const override { return u"nothing"_s; }
    void read(const SecretKey &, Callback done) override { answer(std::move(done)); }
    void write(const SecretKey &, const QString &, Callback done) override
    {
        answer(std::move(done));
    }
    void remove(const SecretKey &, Callback done) override { answer(std::move(done)); }

private:
    static void answer(Callback done)
    {
        QTimer::singleShot(0, [done = std::move(done)] {
            done({ SecretReply::Status::Unavailable, {}, u"No store here."_s });
        });
    }
};

const SecretKey kToken { u"2f8c-collection"_s, u"prod"_s, u"token"_s };

// Which credential store the test runs against, set by CTest: "secret-service" (a
// private D-Bus session with an unlocked gnome-keyring), "locked" (a D-Bus session
// whose keyring nobody unlocked) or "none" (no D-Bus at all).
QString mode()
{
    return qEnvironmentVariable("GATESCOPE_KEYCHAIN_TEST");
}

} // namespace

class TestSecrets final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountNamesCollectionEnvironmentAndName();
    void vaultKeepsSecretsForTheSessionWhenNoStoreAnswers();
    void fileFallbackOnlyWhenAskedAndOwnerOnly();
    void fileStoreLeavesAForeignFileAlone();
    void answersNeverReachAContextThatIsGone();
    void readAllAnswersOnceWithEveryName();
    void realCredentialStore();
};

void TestSecrets::accountNamesCollectionEnvironmentAndName()
{
    QCOMPARE(kToken.account(), u"2f8c-collection/prod/token"_s);
}

void TestSecrets::vaultKeepsSecretsForTheSessionWhenNoStoreAnswers()
{
    SecretVault vault(std::make_unique<SilentStore>());
    QSignalSpy changed(&vault, &SecretVault::fallbackChanged);
    QVERIFY(vault.fallbackReason().isEmpty());

    const SecretReply written = vault.writeNow(kToken, u"sk-session-1"_s);
    QCOMPARE(written.status, SecretReply::Status::Ok);
    QVERIFY2(written.message.contains(u"No store here."_s)
            && written.message.contains(u"for this session only"_s),
        qPrintable(written.message));
    QCOMPARE(changed.size(), 1);
    QVERIFY(vault.fallbackReason().contains(u"for this session only"_s));
    QVERIFY(vault.description().contains(u"session"_s));

    QCOMPARE(vault.readNow(kToken).value, u"sk-session-1"_s);
    const SecretReply other = vault.readNow({ kToken.collection, u"demo"_s, kToken.name });
    QCOMPARE(other.status, SecretReply::Status::NotFound);

    // The next session has nothing: nothing was written anywhere.
    SecretVault next(std::make_unique<SilentStore>());
    QCOMPARE(next.readNow(kToken).status, SecretReply::Status::NotFound);

    QCOMPARE(vault.writeNow(kToken, u"sk-session-2"_s).status, SecretReply::Status::Ok);
    QCOMPARE(vault.readNow(kToken).value, u"sk-session-2"_s);
    QCOMPARE(changed.size(), 1); // the same reason is not announced twice
}

void TestSecrets::fileFallbackOnlyWhenAskedAndOwnerOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"secrets.json"_s);
    {
        SecretVault vault(std::make_unique<SilentStore>());
        QVERIFY(vault.writeNow(kToken, u"sk-file-1"_s).status == SecretReply::Status::Ok);
        QVERIFY(!QFile::exists(path)); // never a file unless asked
        vault.setFileFallback(std::make_unique<FileSecretStore>(path));
        const SecretReply written = vault.writeNow(kToken, u"sk-file-2"_s);
        QCOMPARE(written.status, SecretReply::Status::Ok);
        QVERIFY2(written.message.contains(u"readable by you only"_s), qPrintable(written.message));
    }
#ifdef Q_OS_UNIX
    // Mode 0600. (Windows has no such bits: Qt reports a writable file there as
    // readable by all, and the folder's ACL is what keeps it private.)
    QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner);
#endif
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("sk-file-2"));

    // A later session that asks for the file again finds the secret there.
    SecretVault later(std::make_unique<SilentStore>());
    later.setFileFallback(std::make_unique<FileSecretStore>(path));
    QCOMPARE(later.readNow(kToken).value, u"sk-file-2"_s);
    std::optional<SecretReply> removed;
    later.remove(kToken, this, [&](const SecretReply &r) { removed = r; });
    QTRY_VERIFY(removed);
    QCOMPARE(removed->status, SecretReply::Status::Ok);
    QCOMPARE(later.readNow(kToken).status, SecretReply::Status::NotFound);
}

void TestSecrets::fileStoreLeavesAForeignFileAlone()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"notes.txt"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("my notes, not JSON");
    }
    FileSecretStore store(path);
    SecretReply reply;
    store.write(kToken, u"x"_s, [&](const SecretReply &r) { reply = r; });
    QCOMPARE(reply.status, SecretReply::Status::Failed);
    QVERIFY(reply.message.contains(u"left as it is"_s));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("my notes, not JSON"));
}

void TestSecrets::answersNeverReachAContextThatIsGone()
{
    // The store answers later, in the order it was asked: once the second answer is
    // in, the first one has been delivered or dropped.
    SecretVault vault(std::make_unique<SilentStore>());
    auto *closedWindow = new QObject;
    bool late = false;
    vault.read(kToken, closedWindow, [&late](const SecretReply &) { late = true; });
    vault.write(kToken, u"x"_s, closedWindow, [&late](const SecretReply &) { late = true; });
    delete closedWindow;
    QObject window;
    std::optional<SecretReply> answered;
    vault.read(kToken, &window, [&answered](const SecretReply &r) { answered = r; });
    QTRY_VERIFY(answered);
    QVERIFY(!late);
    // The write was still kept (for the session), only its answer went nowhere.
    QCOMPARE(vault.readNow(kToken).value, u"x"_s);
}

void TestSecrets::readAllAnswersOnceWithEveryName()
{
    SecretVault vault(std::make_unique<SilentStore>());
    QCOMPARE(vault.writeNow(kToken, u"sk-1"_s).status, SecretReply::Status::Ok);
    const SecretKey other { kToken.collection, kToken.environment, u"x_auth"_s };
    const SecretKey missing { kToken.collection, kToken.environment, u"missing"_s };
    QCOMPARE(vault.writeNow(other, u"xa-2"_s).status, SecretReply::Status::Ok);

    int calls = 0;
    QHash<QString, SecretReply> replies;
    vault.readAll({ kToken, other, missing }, this, [&](const QHash<QString, SecretReply> &r) {
        ++calls;
        replies = r;
    });
    QTRY_COMPARE(calls, 1);
    QCOMPARE(replies.size(), 3);
    QCOMPARE(replies.value(u"token"_s).value, u"sk-1"_s);
    QCOMPARE(replies.value(u"x_auth"_s).value, u"xa-2"_s);
    QCOMPARE(replies.value(u"missing"_s).status, SecretReply::Status::NotFound);

    // Nothing to read still answers, once.
    int empty = 0;
    vault.readAll(
        {}, this, [&empty](const QHash<QString, SecretReply> &r) { empty += 1 + r.size(); });
    QCOMPARE(empty, 1);
}

void TestSecrets::realCredentialStore()
{
    if (mode().isEmpty())
        QSKIP("run by CTest as core/secrets-secret-service and core/secrets-no-store");
    SecretVault vault(std::make_unique<KeychainSecretStore>(u"Gatescope-test"_s));
    QElapsedTimer clock;
    clock.start();
    const SecretReply written = vault.writeNow(kToken, u"sk-real-store-77"_s);
    qInfo("write answered in %lld ms: %s", clock.elapsed(), qPrintable(written.message));
    QCOMPARE(written.status, SecretReply::Status::Ok);

    if (mode() == "secret-service"_L1) {
        QVERIFY2(written.message.isEmpty(), qPrintable(written.message));
        QVERIFY(vault.fallbackReason().isEmpty());
        // Another program (libsecret's own tool) finds it in the Secret Service.
        QProcess lookup;
        lookup.start(u"secret-tool"_s,
            { u"lookup"_s, u"server"_s, u"Gatescope-test"_s, u"user"_s, kToken.account() });
        QVERIFY(lookup.waitForFinished(30'000));
        QCOMPARE(lookup.readAllStandardOutput(), QByteArray("sk-real-store-77"));
        // And a second vault (a new session of the app) reads it back.
        SecretVault next(std::make_unique<KeychainSecretStore>(u"Gatescope-test"_s));
        QCOMPARE(next.readNow(kToken).value, u"sk-real-store-77"_s);
        bool removed = false;
        next.remove(kToken, this, [&](const SecretReply &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 30'000);
        QCOMPARE(next.readNow(kToken).status, SecretReply::Status::NotFound);
    } else {
        // "none": no D-Bus at all; "locked": D-Bus starts a keyring nobody can unlock
        // (it says the collection is missing or locked, depending on its files).
        QVERIFY(mode() == "none"_L1 || mode() == "locked"_L1);
        const QString expected = written.message.section(u'(', 0, 0);
        QVERIFY2(expected == "No system credential store answered "_L1
                || (mode() == "locked"_L1
                    && expected.startsWith("The system credential store refused"_L1)),
            qPrintable(written.message));
        QVERIFY2(
            written.message.endsWith(u"The secret was kept in memory, for this session only."_s),
            qPrintable(written.message));
        QVERIFY(vault.fallbackReason().contains(u"for this session only"_s));
        QCOMPARE(vault.readNow(kToken).value, u"sk-real-store-77"_s);
        SecretVault next(std::make_unique<KeychainSecretStore>(u"Gatescope-test"_s));
        const SecretReply nothing = next.readNow(kToken);
        QCOMPARE(nothing.status, SecretReply::Status::NotFound);
        if (mode() == "none"_L1)
            QVERIFY(nothing.message.startsWith(expected));
    }
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
