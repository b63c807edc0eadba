#include "core/net/trust.h"

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
