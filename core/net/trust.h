#pragma once

#include "core/model/error.h"

#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace gs::core {

//! The certificates of a PEM file (one or more: a private CA and its intermediates),
//! to trust in addition to the system's store (--cacert, a gateway's CA file). An
//! error names the file and why: unreadable, or no certificate in it.
Result<QList<QSslCertificate>> loadCaCertificates(const QString &path);

//! A client certificate (PEM) and its private key (PEM, RSA or EC, not encrypted)
//! for mTLS. An error names the file and why.
struct ClientIdentity
{
    QSslCertificate certificate;
    QSslKey key;
};
Result<ClientIdentity> loadClientIdentity(const QString &certificatePath, const QString &keyPath);

//! The certificates that SSL_CERT_FILE (a PEM file) and SSL_CERT_DIR (folders,
//! separated by ':', of PEM files) name, as OpenSSL-based tools read them: trusted in
//! addition to the system's store. Files that cannot be read are passed over.
QList<QSslCertificate> caCertificatesFromEnvironment();

//! A certificate as a user checks it: who it names, who issued it, the names it is
//! valid for, when, and its SHA-256 fingerprint.
struct CertificateSummary
{
    QString subject;
    QString issuer;
    QStringList names; //!< subject alternative names (DNS and IP)
    QDateTime notBefore;
    QDateTime notAfter;
    QString sha256; //!< hex, colon-separated
};
CertificateSummary summarize(const QSslCertificate &certificate);
//! "expires in 3 days (2026-12-06)" when \a certificate expires within 14 days of
//! \a now (or has expired); empty otherwise.
QString expiryWarning(const QSslCertificate &certificate, const QDateTime &now);

//! Adds caCertificatesFromEnvironment() to the default TLS configuration of this
//! process; returns how many certificates it added. Called once at start.
qsizetype trustEnvironmentCaCertificates();

} // namespace gs::core
