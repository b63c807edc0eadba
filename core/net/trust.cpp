#include "core/net/trust.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSslConfiguration>

using namespace Qt::StringLiterals;

namespace gs::core {

Result<QList<QSslCertificate>> loadCaCertificates(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(Error { Error::Kind::Io,
            u"Cannot read the CA file %1: %2."_s.arg(path, file.errorString()), {} });
    const QList<QSslCertificate> certificates
        = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return std::unexpected(Error { Error::Kind::Usage,
            u"The CA file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)."_s.arg(path),
            {} });
    return certificates;
}

namespace {

Result<QByteArray> readWhole(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(Error { Error::Kind::Io,
            u"Cannot read the %1 file %2: %3."_s.arg(what, path, file.errorString()), {} });
    return file.readAll();
}

bool isPem(const QByteArray &data)
{
    return data.contains("-----BEGIN ");
}

//! The first PEM private key block of \a pem (of a file that may hold certificates
//! too), or empty.
QByteArray privateKeyBlock(const QByteArray &pem)
{
    static const QRegularExpression block(
        u"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?-----END \\1-----"_s,
        QRegularExpression::DotMatchesEverythingOption);
    const auto match = block.match(QString::fromLatin1(pem));
    return match.hasMatch() ? match.captured(0).toLatin1() + '\n' : QByteArray();
}

bool isEncryptedKey(const QByteArray &keyBlock)
{
    return keyBlock.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || keyBlock.contains("Proc-Type: 4,ENCRYPTED");
}

QSslKey pemKey(const QByteArray &keyBlock, const QByteArray &passphrase)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        const QSslKey key(keyBlock, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            return key;
    }
    return {};
}

struct Pkcs12
{
    bool opened = false;
    ClientIdentity identity;
};

QtMessageHandler g_previousHandler = nullptr;

// Qt's OpenSSL backend warns of every PKCS#12 file it cannot open ("mac verify
// failure"): trying without a passphrase is how Gatescope finds out whether one is
// needed, and a wrong one gets a message of its own.
void dropPkcs12Warnings(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (context.category && qstrcmp(context.category, "qt.tlsbackend.ossl") == 0
        && text.contains("PKCS#12"_L1))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, text);
}

Pkcs12 openPkcs12(QByteArray data, const QByteArray &passphrase)
{
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    Pkcs12 p;
    g_previousHandler = qInstallMessageHandler(dropPkcs12Warnings);
    p.opened = QSslCertificate::importPkcs12(
        &buffer, &p.identity.key, &p.identity.certificate, &p.identity.intermediates, passphrase);
    qInstallMessageHandler(g_previousHandler);
    return p;
}

Error unusable(const QString &message)
{
    return Error { Error::Kind::Usage, message, {} };
}

} // namespace

Result<ClientIdentity> loadClientIdentity(
    const QString &certificatePath, const QString &keyPath, const QByteArray &passphrase)
{
    const auto data = readWhole(certificatePath, u"client certificate"_s);
    if (!data)
        return std::unexpected(data.error());
    if (!isPem(*data)) {
        if (!keyPath.isEmpty())
            return std::unexpected(unusable(
                u"The client certificate file %1 is not PEM; a PKCS#12 file holds its key, so "
                "give no key file."_s.arg(certificatePath)));
        const Pkcs12 p = openPkcs12(*data, passphrase);
        if (p.opened && !p.identity.certificate.isNull() && !p.identity.key.isNull())
            return p.identity;
        if (p.opened)
            return std::unexpected(unusable(
                u"The PKCS#12 file %1 holds no certificate with its key."_s.arg(certificatePath)));
        const QString why = passphrase.isEmpty()
            ? u"%1 is neither PEM nor a PKCS#12 file that opens without a passphrase."_s
            : u"The passphrase does not open the PKCS#12 file %1 (or it is no PKCS#12 file)."_s;
        return std::unexpected(unusable(why.arg(certificatePath)));
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*data, QSsl::Pem);
    if (chain.isEmpty())
        return std::unexpected(unusable(
            u"The client certificate file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)."_s
                .arg(certificatePath)));
    QByteArray keyBlock;
    QString keyFile = keyPath;
    if (keyPath.isEmpty()) {
        keyFile = certificatePath;
        keyBlock = privateKeyBlock(*data);
        if (keyBlock.isEmpty())
            return std::unexpected(
                unusable(u"%1 holds a certificate but no private key; give the key file too."_s.arg(
                    certificatePath)));
    } else {
        const auto keyData = readWhole(keyPath, u"key"_s);
        if (!keyData)
            return std::unexpected(keyData.error());
        keyBlock = privateKeyBlock(*keyData);
        if (keyBlock.isEmpty())
            return std::unexpected(unusable(
                u"The key file %1 holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)."_s
                    .arg(keyPath)));
    }
    const bool encrypted = isEncryptedKey(keyBlock);
    if (encrypted && passphrase.isEmpty())
        return std::unexpected(unusable(
            u"The private key in %1 is encrypted: it needs its passphrase."_s.arg(keyFile)));
    const QSslKey key = pemKey(keyBlock, passphrase);
    if (key.isNull()) {
        const QString why = encrypted
            ? u"The passphrase does not open the private key in %1."_s
            : u"The private key in %1 is not an RSA, EC or DSA key Qt can read."_s;
        return std::unexpected(unusable(why.arg(keyFile)));
    }
    return ClientIdentity { chain.first(), chain.mid(1), key };
}

QString fileNeedingPassphrase(const QString &certificatePath, const QString &keyPath)
{
    if (!keyPath.isEmpty()) {
        const auto keyData = readWhole(keyPath, u"key"_s);
        return keyData && isEncryptedKey(privateKeyBlock(*keyData)) ? keyPath : QString();
    }
    const auto data = readWhole(certificatePath, u"client certificate"_s);
    if (!data)
        return {};
    if (isPem(*data))
        return isEncryptedKey(privateKeyBlock(*data)) ? certificatePath : QString();
    return openPkcs12(*data, {}).opened ? QString() : certificatePath;
}

bool passphraseOpens(const QString &path, const QByteArray &passphrase)
{
    const auto data = readWhole(path, u"key"_s);
    if (!data)
        return false;
    if (isPem(*data))
        return !pemKey(privateKeyBlock(*data), passphrase).isNull();
    return openPkcs12(*data, passphrase).opened;
}

QString explainTlsAlert(const QString &errorText, const ClientIdentity &client)
{
    static const QRegularExpression alertPattern(u"alert ([a-z][a-z ]*[a-z])"_s);
    const auto match = alertPattern.match(errorText);
    if (!match.hasMatch())
        return {};
    const QString alert = match.captured(1);
    const QString named = u"TLS alert \"%1\""_s.arg(alert);
    const QString giveOne = u"give one (--cert and --key, or the environment's SSLConfiguration)"_s;
    if (alert == "certificate required"_L1
        || (client.isNull() && alert == "handshake failure"_L1)) {
        if (!client.isNull())
            return u"The gateway wants a client certificate and did not take \"%1\" (%2)."_s.arg(
                client.certificate.subjectDisplayName(), named);
        return u"The gateway requires a client certificate and none was presented (%1); %2."_s.arg(
            named, giveOne);
    }
    static const QStringList refusals { u"unknown ca"_s, u"bad certificate"_s,
        u"certificate unknown"_s, u"access denied"_s, u"unsupported certificate"_s,
        u"certificate expired"_s, u"certificate revoked"_s, u"decrypt error"_s };
    if (refusals.contains(alert)) {
        const QString who = client.isNull()
            ? u"this client"_s
            : u"the client certificate \"%1\""_s.arg(client.certificate.subjectDisplayName());
        QString why;
        if (alert == "unknown ca"_L1)
            why = u": it does not trust the CA that issued it"_s;
        else if (alert == "certificate expired"_L1)
            why = u": it has expired"_s;
        else if (alert == "certificate revoked"_L1)
            why = u": it was revoked"_s;
        return u"The gateway refused %1 (%2)%3."_s.arg(who, named, why);
    }
    if (alert == "handshake failure"_L1 || alert == "protocol version"_L1
        || alert == "insufficient security"_L1)
        return u"The gateway ended the TLS handshake (%1): no protocol version or cipher both "
               "sides accept."_s.arg(named);
    return u"The gateway ended the TLS connection (%1)."_s.arg(named);
}

void applyTls(const TlsMaterial &material, QNetworkRequest &request)
{
    if (material.caCertificates.isEmpty() && material.client.isNull())
        return;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(material.caCertificates);
    if (!material.client.isNull()) {
        tls.setLocalCertificateChain(
            QList { material.client.certificate } + material.client.intermediates);
        tls.setPrivateKey(material.client.key);
    }
    request.setSslConfiguration(tls);
}

QString TlsFiles::resolve(const QString &path) const
{
    if (path.startsWith("~/"_L1))
        return QDir::home().filePath(path.mid(2));
    return QDir(base.isEmpty() ? QDir::currentPath() : base).absoluteFilePath(path);
}

TlsFiles TlsFiles::overriddenBy(const TlsFiles &over) const
{
    TlsFiles merged = *this;
    if (!over.caCertificates.isEmpty()) {
        merged.caCertificates = over.resolve(over.caCertificates);
    }
    if (!over.clientCertificate.isEmpty()) {
        merged.clientCertificate = over.resolve(over.clientCertificate);
        merged.clientKey = over.clientKey.isEmpty() ? QString() : over.resolve(over.clientKey);
    }
    if (!over.verifyHost)
        merged.verifyHost = false;
    return merged;
}

Result<TlsMaterial> loadTlsFiles(const TlsFiles &files,
    const std::function<std::optional<QByteArray>(const QString &path)> &passphraseFor)
{
    TlsMaterial material;
    material.verifyHost = files.verifyHost;
    if (!files.caCertificates.isEmpty()) {
        const auto ca = loadCaCertificates(files.resolve(files.caCertificates));
        if (!ca)
            return std::unexpected(ca.error());
        material.caCertificates = *ca;
    }
    if (files.clientCertificate.isEmpty()) {
        if (!files.clientKey.isEmpty())
            return std::unexpected(unusable(
                u"A client key (%1) without its client certificate."_s.arg(files.clientKey)));
        return material;
    }
    const QString certificate = files.resolve(files.clientCertificate);
    const QString key = files.clientKey.isEmpty() ? QString() : files.resolve(files.clientKey);
    QByteArray passphrase;
    const QString locked = fileNeedingPassphrase(certificate, key);
    if (!locked.isEmpty()) {
        const std::optional<QByteArray> kept
            = passphraseFor ? passphraseFor(QFileInfo(locked).absoluteFilePath()) : std::nullopt;
        if (!kept)
            return std::unexpected(unusable(
                u"%1 is encrypted and the keyring holds no passphrase for it; store one with "
                "\"gatescope-cli passphrase %1\" or in the window's Gateway settings."_s.arg(
                    locked)));
        passphrase = *kept;
    }
    const auto identity = loadClientIdentity(certificate, key, passphrase);
    if (!identity)
        return std::unexpected(identity.error());
    material.client = *identity;
    return material;
}

QList<QSslCertificate> caCertificatesFromEnvironment()
{
    QList<QSslCertificate> certificates;
    const QString file = qEnvironmentVariable("SSL_CERT_FILE");
    if (!file.isEmpty()) {
        if (const auto loaded = loadCaCertificates(file))
            certificates += *loaded;
    }
    const QString dirs = qEnvironmentVariable("SSL_CERT_DIR");
    for (const QString &dir : dirs.split(u':', Qt::SkipEmptyParts)) {
        const QDir folder(dir);
        for (const QString &name : folder.entryList(QDir::Files | QDir::Readable, QDir::Name)) {
            if (const auto loaded = loadCaCertificates(folder.filePath(name)))
                certificates += *loaded;
        }
    }
    return certificates;
}

CertificateSummary summarize(const QSslCertificate &certificate)
{
    CertificateSummary s;
    s.subject = certificate.subjectDisplayName();
    s.issuer = certificate.issuerDisplayName();
    const auto names = certificate.subjectAlternativeNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        s.names << it.value();
    s.notBefore = certificate.effectiveDate();
    s.notAfter = certificate.expiryDate();
    s.sha256 = QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'));
    return s;
}

QString expiryWarning(const QSslCertificate &certificate, const QDateTime &now)
{
    const QDateTime expiry = certificate.expiryDate();
    if (!expiry.isValid())
        return {};
    const qint64 days = now.daysTo(expiry);
    const QString date = expiry.toUTC().toString(Qt::ISODate).left(10);
    if (expiry < now)
        return u"expired on %1"_s.arg(date);
    if (days < 14)
        return u"expires in %1 day(s) (%2)"_s.arg(days).arg(date);
    return {};
}

qsizetype trustEnvironmentCaCertificates()
{
    const QList<QSslCertificate> extra = caCertificatesFromEnvironment();
    if (!extra.isEmpty()) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificates(extra);
        QSslConfiguration::setDefaultConfiguration(config);
    }
    return extra.size();
}

} // namespace gs::core
