#include "core/net/gatewaysession.h"

#include "core/store/secretstore.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSslConfiguration>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

const auto kBaseUrlSetting = u"gateway/baseUrl"_s;
const auto kCaSetting = u"gateway/caCertificates"_s;
const auto kCertificateSetting = u"gateway/clientCertificate"_s;
const auto kKeySetting = u"gateway/clientKey"_s;

SecretKey tokenKey(const QString &baseUrl)
{
    return { u"gateway"_s, baseUrl, u"token"_s };
}

void ignoreReply(const SecretReply &reply)
{
    Q_UNUSED(reply);
}

} // namespace

GatewaySession::GatewaySession(QNetworkAccessManager *network, SecretVault *vault, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_vault(vault)
{ }

GatewaySession::~GatewaySession() = default;

void GatewaySession::setDemoFactory(LocalGatewayFactory factory)
{
    m_demoFactory = std::move(factory);
}

void GatewaySession::restore()
{
    const QSettings settings;
    m_tls.caCertificates = settings.value(kCaSetting).toString();
    m_tls.clientCertificate = settings.value(kCertificateSetting).toString();
    m_tls.clientKey = settings.value(kKeySetting).toString();
    m_baseUrl = settings.value(kBaseUrlSetting).toString();
    if (m_baseUrl.isEmpty())
        return;
    Q_EMIT changed();
    const QString asked = m_baseUrl;
    m_vault->read(tokenKey(asked), this, [this, asked](const SecretReply &r) {
        // Another gateway chosen, or a token typed, while the vault looked.
        if (r.status != SecretReply::Status::Ok || m_baseUrl != asked || !m_token.isEmpty())
            return;
        m_token = r.value;
        Q_EMIT changed();
    });
}

void GatewaySession::setGateway(const QString &baseUrl, const QString &token)
{
    m_baseUrl = baseUrl;
    m_token = token;
    QSettings().setValue(kBaseUrlSetting, baseUrl);
    // The token in the system keyring (or this session only, which the vault says).
    if (!token.isEmpty())
        m_vault->write(tokenKey(baseUrl), token, this, ignoreReply);
    Q_EMIT changed();
    fetchModels();
}

Result<void> GatewaySession::useDemo()
{
    if (!m_demo.server) {
        if (!m_demoFactory)
            return fail(Error::Kind::Usage, u"This program has no demo gateway."_s);
        auto started = m_demoFactory();
        if (!started)
            return std::unexpected(started.error());
        m_demo = std::move(*started);
    }
    m_baseUrl = m_demo.baseUrl;
    m_token = m_demo.token;
    Q_EMIT changed();
    fetchModels();
    return {};
}

Variables GatewaySession::variables() const
{
    Variables out;
    if (!m_baseUrl.isEmpty())
        out.insert(u"baseUrl"_s, m_baseUrl);
    if (!m_token.isEmpty())
        out.insert(u"token"_s, m_token);
    return out;
}

void GatewaySession::setTls(const TlsFiles &files, const QByteArray &passphrase)
{
    m_tls = TlsFiles().overriddenBy(files); // paths absolute
    m_tls.base.clear();
    QSettings settings;
    settings.setValue(kCaSetting, m_tls.caCertificates);
    settings.setValue(kCertificateSetting, m_tls.clientCertificate);
    settings.setValue(kKeySetting, m_tls.clientKey);
    const QString key = m_tls.clientKey.isEmpty() ? QString() : m_tls.clientKey;
    const QString locked = fileNeedingPassphrase(m_tls.clientCertificate, key);
    if (!passphrase.isEmpty() && !locked.isEmpty()) {
        m_passphrases.insert(locked, passphrase);
        m_vault->write(passphraseKey(locked), QString::fromUtf8(passphrase), this, ignoreReply);
    }
    Q_EMIT changed();
}

void GatewaySession::loadTls(const TlsFiles &environment, const QObject *context,
    std::function<void(const Result<TlsMaterial> &)> done)
{
    const TlsFiles files = m_tls.overriddenBy(environment);
    if (files.isEmpty()) {
        done(TlsMaterial {});
        return;
    }
    const QString certificate
        = files.clientCertificate.isEmpty() ? QString() : files.resolve(files.clientCertificate);
    const QString key = files.clientKey.isEmpty() ? QString() : files.resolve(files.clientKey);
    const QString locked = certificate.isEmpty()
        ? QString()
        : QFileInfo(fileNeedingPassphrase(certificate, key)).absoluteFilePath();
    const auto load = [this, files] {
        return loadTlsFiles(files, [this](const QString &path) {
            const auto it = m_passphrases.constFind(path);
            return it == m_passphrases.constEnd() ? std::nullopt : std::optional(*it);
        });
    };
    if (locked.isEmpty() || m_passphrases.contains(locked)) {
        done(load());
        return;
    }
    m_vault->read(passphraseKey(locked), context,
        [this, locked, load, done = std::move(done)](const SecretReply &reply) {
            if (reply.status == SecretReply::Status::Ok)
                m_passphrases.insert(locked, reply.value.toUtf8());
            done(load());
        });
}

QNetworkAccessManager *GatewaySession::networkFor(const TlsMaterial &material)
{
    if (material.caCertificates.isEmpty() && material.client.isNull())
        return m_network;
    QCryptographicHash key(QCryptographicHash::Sha256);
    for (const QSslCertificate &ca : material.caCertificates)
        key.addData(ca.digest(QCryptographicHash::Sha256));
    key.addData("|");
    key.addData(material.client.certificate.digest(QCryptographicHash::Sha256));
    QNetworkAccessManager *&network = m_networks[key.result()];
    if (!network)
        network = new QNetworkAccessManager(this);
    return network;
}

void GatewaySession::fetchModels()
{
    if (m_baseUrl.isEmpty())
        return;
    // Only the answer for the gateway asked last counts.
    if (m_modelsReply)
        m_modelsReply->abort();
    QNetworkRequest request(QUrl(m_baseUrl + u"/models"_s));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setTransferTimeout(15000);
    // The gateway's own TLS files (a private CA, a client certificate), as requests use.
    loadTls({}, this, [this, request](const Result<TlsMaterial> &tls) mutable {
        if (!tls) {
            Q_EMIT message(tr("No model list from %1: %2").arg(m_baseUrl, tls.error().message));
            return;
        }
        applyTls(*tls, request);
        getModels(networkFor(*tls), request);
    });
}

void GatewaySession::getModels(QNetworkAccessManager *network, QNetworkRequest request)
{
    QNetworkReply *reply = network->get(request);
    m_modelsReply = reply;
    const QString asked = m_baseUrl;
    connect(reply, &QNetworkReply::finished, this, [this, reply, asked] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::OperationCanceledError)
            return;
        const QJsonArray list
            = QJsonDocument::fromJson(reply->readAll()).object().value("data"_L1).toArray();
        if (reply->error() != QNetworkReply::NoError || list.isEmpty()) {
            Q_EMIT message(tr("No model list from %1: %2").arg(asked, reply->errorString()));
            return;
        }
        m_models.clear();
        for (const QJsonValue &m : list)
            m_models << m.toObject().value("id"_L1).toString();
        m_models.sort();
        Q_EMIT modelsChanged(m_models);
    });
}

} // namespace gs::core
