#include "core/net/gatewaysession.h"
#include "core/store/secretstore.h"
#include "demo/demogateway.h"
#include "demo/demorouter.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

// A store that answers from the event loop, as a keyring does.
class LaterStore final : public SecretStore
{
public:
    QString description() const override { return u"later"_s; }
    void read(const SecretKey &key, Callback done) override
    {
        const auto it = m_values.constFind(key.account());
        const SecretReply reply = it == m_values.cend()
            ? SecretReply { SecretReply::Status::NotFound, {}, {} }
            : SecretReply { SecretReply::Status::Ok, *it, {} };
        later([done, reply] { done(reply); });
    }
    void write(const SecretKey &key, const QString &value, Callback done) override
    {
        m_values.insert(key.account(), value);
        later([done] { done({}); });
    }
    void remove(const SecretKey &key, Callback done) override
    {
        m_values.remove(key.account());
        later([done] { done({}); });
    }

private:
    void later(std::function<void()> call)
    {
        QMetaObject::invokeMethod(&m_context, std::move(call), Qt::QueuedConnection);
    }
    QObject m_context;
    QHash<QString, QString> m_values;
};

} // namespace

class TestGatewaySession final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void remembersTheAddressAndKeepsTheTokenInTheVault();
    void aLateTokenForAnotherGatewayIsIgnored();
    void demoOnlyWhenTheProgramHasOne();
    void listsTheDemoGatewaysModels();
    void saysWhenNoModelListCame();
    void theDemoKeepsItsPortWhenItCan();
};

void TestGatewaySession::initTestCase()
{
    QCoreApplication::setOrganizationName(u"GatescopeTests"_s);
    QCoreApplication::setApplicationName(u"tst_gatewaysession"_s);
}

void TestGatewaySession::remembersTheAddressAndKeepsTheTokenInTheVault()
{
    QNetworkAccessManager network;
    SecretVault vault(std::make_unique<LaterStore>());
    {
        GatewaySession session(&network, &vault);
        // An address nothing listens on: the model list fails, which is fine here.
        session.setGateway(u"http://127.0.0.1:9/api/llm"_s, u"sk-remembered-1"_s);
        QCOMPARE(session.variables(),
            Variables({ { u"baseUrl"_s, u"http://127.0.0.1:9/api/llm"_s },
                { u"token"_s, u"sk-remembered-1"_s } }));
    }
    QCOMPARE(QSettings().value(u"gateway/baseUrl"_s).toString(), u"http://127.0.0.1:9/api/llm"_s);
    QVERIFY(!QSettings().allKeys().join(u' ').contains(u"sk-remembered"_s));

    GatewaySession next(&network, &vault);
    QSignalSpy changed(&next, &GatewaySession::changed);
    next.restore();
    QCOMPARE(next.baseUrl(), u"http://127.0.0.1:9/api/llm"_s);
    QVERIFY(next.token().isEmpty()); // the vault has not answered yet
    QTRY_COMPARE(next.token(), u"sk-remembered-1"_s);
    QCOMPARE(changed.size(), 2); // the address, then the token
}

void TestGatewaySession::aLateTokenForAnotherGatewayIsIgnored()
{
    QNetworkAccessManager network;
    SecretVault vault(std::make_unique<LaterStore>());
    {
        GatewaySession first(&network, &vault);
        first.setGateway(u"http://127.0.0.1:9/old"_s, u"sk-old"_s);
    }
    GatewaySession session(&network, &vault);
    session.restore();
    // The user sets another gateway (without a token) before the vault answered.
    session.setGateway(u"http://127.0.0.1:9/new"_s, QString());
    bool answered = false;
    vault.read({ u"gateway"_s, u"http://127.0.0.1:9/old"_s, u"token"_s }, this,
        [&answered](const SecretReply &) { answered = true; });
    QTRY_VERIFY(answered); // answers come in order: the session's came first
    QCOMPARE(session.baseUrl(), u"http://127.0.0.1:9/new"_s);
    QVERIFY(session.token().isEmpty());
}

void TestGatewaySession::demoOnlyWhenTheProgramHasOne()
{
    QNetworkAccessManager network;
    SecretVault vault(std::make_unique<SessionSecretStore>());
    GatewaySession session(&network, &vault);
    QVERIFY(!session.canStartDemo());
    const auto none = session.useDemo();
    QVERIFY(!none);
    QVERIFY(none.error().message.contains(u"no demo gateway"_s));
    QVERIFY(!session.isSet());

    int started = 0;
    session.setDemoFactory([&started]() -> Result<LocalGateway> {
        ++started;
        return gs::demo::startLocalGateway();
    });
    QVERIFY(session.useDemo());
    QVERIFY(session.isDemo());
    QCOMPARE(session.token(), QString::fromLatin1(gs::demo::kDemoToken));
    // Another gateway and back: the same demo, started once.
    session.setGateway(u"http://127.0.0.1:9/api/llm"_s, {});
    QVERIFY(!session.isDemo());
    QVERIFY(session.demoRunning());
    QVERIFY(session.useDemo());
    QCOMPARE(started, 1);
    // Only an address the user set is remembered for the next start, never the demo's.
    QCOMPARE(QSettings().value(u"gateway/baseUrl"_s).toString(), u"http://127.0.0.1:9/api/llm"_s);
}

void TestGatewaySession::listsTheDemoGatewaysModels()
{
    QNetworkAccessManager network;
    SecretVault vault(std::make_unique<SessionSecretStore>());
    GatewaySession session(&network, &vault);
    session.setDemoFactory(gs::demo::startLocalGateway);
    QSignalSpy models(&session, &GatewaySession::modelsChanged);
    QVERIFY(session.useDemo());
    QTRY_COMPARE(models.size(), 1);
    QStringList expected = gs::demo::DemoRouter::modelIds();
    expected.sort();
    QVERIFY(!expected.isEmpty());
    QCOMPARE(session.models(), expected);
}

void TestGatewaySession::saysWhenNoModelListCame()
{
    // A port that refuses connections: taken and closed again.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    QNetworkAccessManager network;
    SecretVault vault(std::make_unique<SessionSecretStore>());
    GatewaySession session(&network, &vault);
    QSignalSpy message(&session, &GatewaySession::message);
    const QString url = u"http://127.0.0.1:%1/api/llm"_s.arg(port);
    session.setGateway(url, u"sk-x"_s);
    QTRY_COMPARE(message.size(), 1);
    QVERIFY2(message.first().first().toString().startsWith(u"No model list from "_s + url),
        qPrintable(message.first().first().toString()));
    QVERIFY(session.models().isEmpty());
}

// The window's demo gateway takes the examples' port when it is free (so what was sent
// to it in one run reaches it in the next), and another when something holds that one.
void TestGatewaySession::theDemoKeepsItsPortWhenItCan()
{
    const QString preferred = u":%1/"_s.arg(gs::demo::kDemoPreferredPort);
    {
        QTcpServer holder;
        if (holder.listen(QHostAddress::LocalHost, gs::demo::kDemoPreferredPort)) {
            const auto demo = gs::demo::startLocalGateway();
            QVERIFY(demo);
            QVERIFY2(!demo->baseUrl.contains(preferred), qPrintable(demo->baseUrl));
        }
    }
    const auto demo = gs::demo::startLocalGateway();
    QVERIFY(demo);
    if (!demo->baseUrl.contains(preferred)) {
        // Only because another program (another test, run at the same time) has it now.
        QTcpServer probe;
        QVERIFY2(!probe.listen(QHostAddress::LocalHost, gs::demo::kDemoPreferredPort),
            qPrintable(demo->baseUrl));
    }
}

QTEST_GUILESS_MAIN(TestGatewaySession)
#include "tst_gatewaysession.moc"
