#include "core/net/trust.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
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

Result<ClientIdentity> loadClientIdentity(const QString &certificatePath, const QString &keyPath)
{
    const auto certificates = loadCaCertificates(certificatePath);
    if (!certificates)
        return std::unexpected(certificates.error());
    QFile file(keyPath);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(Error { Error::Kind::Io,
            u"Cannot read the key file %1: %2."_s.arg(keyPath, file.errorString()), {} });
    const QByteArray pem = file.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return std::unexpected(Error { Error::Kind::Usage,
            u"The key file %1 holds no unencrypted PEM private key (RSA or EC)."_s.arg(keyPath),
            {} });
    return ClientIdentity { certificates->first(), key };
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
