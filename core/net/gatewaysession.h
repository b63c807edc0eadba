#pragma once

#include "core/httpfile/variables.h"
#include "core/model/error.h"
#include "core/net/trust.h"

#include <QHash>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace gs::core {

class SecretVault;

//! A gateway running inside the application (the embedded demo): where it listens
//! and the token it accepts. It runs as long as \a server lives.
struct LocalGateway
{
    std::unique_ptr<QObject> server;
    QString baseUrl;
    QString token;
};
//! Starts a local gateway. Given by the program that links one (core does not know
//! the demo gateway: it is a target of its own).
using LocalGatewayFactory = std::function<Result<LocalGateway>()>;

//! The gateway requests go to: its base URL and token, remembered across starts (the
//! address in the settings, the token in the vault), the embedded demo gateway on
//! demand, and the models it lists (GET /models). The window shows it; nothing else
//! of it touches the network.
class GatewaySession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewaySession)

public:
    GatewaySession(QNetworkAccessManager *network, SecretVault *vault, QObject *parent = nullptr);
    ~GatewaySession() override;

    //! Offers the demo gateway (useDemo()); without a factory there is none.
    void setDemoFactory(LocalGatewayFactory factory);
    bool canStartDemo() const { return bool(m_demoFactory); }

    //! The gateway of the last session: its address at once, its token when the vault
    //! answers (changed() then).
    void restore();
    //! Makes \a baseUrl the gateway, remembered for the next start; \a token goes to
    //! the vault. Fetches its models.
    void setGateway(const QString &baseUrl, const QString &token);
    //! Starts the demo gateway (once) and makes it the gateway for this session.
    Result<void> useDemo();

    QString baseUrl() const { return m_baseUrl; }
    QString token() const { return m_token; }
    bool isSet() const { return !m_baseUrl.isEmpty(); }
    //! Whether the demo gateway runs (it stays running once started).
    bool demoRunning() const { return m_demo.server != nullptr; }
    //! Whether requests go to the demo gateway now.
    bool isDemo() const { return demoRunning() && m_baseUrl == m_demo.baseUrl; }
    //! baseUrl and token as {{variables}}, for what is set.
    Variables variables() const;
    //! The gateway's TLS files (a private CA, a client certificate and key), kept for
    //! the next start; paths absolute.
    TlsFiles tls() const { return m_tls; }
    //! Makes \a files the gateway's TLS files; \a passphrase, when given, opens the
    //! encrypted one among them and goes to the keyring (never a file).
    void setTls(const TlsFiles &files, const QByteArray &passphrase = {});
    //! The TLS material for a request: the gateway's files under \a environment's
    //! (its SSLConfiguration), a passphrase from the keyring when one is needed.
    //! \a done is called once, at once when the keyring need not be asked, and only
    //! while \a context lives.
    void loadTls(const TlsFiles &environment, const QObject *context,
        std::function<void(const Result<TlsMaterial> &)> done);

    //! The network requests with \a material go through. Qt reuses a connection by
    //! host and port alone, keeping the TLS settings it was made with: requests with
    //! other TLS settings (another CA, another client certificate) get a network of
    //! their own, one per distinct setting.
    QNetworkAccessManager *networkFor(const TlsMaterial &material);

    //! The model ids the gateway listed, sorted; empty until it answered.
    QStringList models() const { return m_models; }
    //! Asks the gateway for its models again.
    void fetchModels();

Q_SIGNALS:
    //! The address or token changed.
    void changed();
    void modelsChanged(const QStringList &models);
    //! Something the user should read (a model list that did not come).
    void message(const QString &text);

private:
    void getModels(QNetworkAccessManager *network, QNetworkRequest request);

    QNetworkAccessManager *m_network;
    SecretVault *m_vault;
    LocalGatewayFactory m_demoFactory;
    LocalGateway m_demo;
    QString m_baseUrl;
    QString m_token;
    QStringList m_models;
    QPointer<QNetworkReply> m_modelsReply;
    TlsFiles m_tls;
    QHash<QByteArray, QNetworkAccessManager *> m_networks; //!< by TLS settings, children
    //! Passphrases read from the keyring or typed this session, by absolute path.
    QHash<QString, QByteArray> m_passphrases;
};

} // namespace gs::core
