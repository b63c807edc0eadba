#pragma once

#include "core/model/error.h"

#include <QDateTime>
#include <QList>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace gs::core {

//! The certificates of a PEM file (one or more: a private CA and its intermediates),
//! to trust in addition to the system's store (--cacert, a gateway's CA file). An
//! error names the file and why: unreadable, or no certificate in it.
Result<QList<QSslCertificate>> loadCaCertificates(const QString &path);

//! A client certificate with its key, for mTLS: the certificate a gateway checks, the
//! intermediates that lead to its CA (sent along), the private key.
struct ClientIdentity
{
    QSslCertificate certificate { QByteArray() }; //!< null: no client certificate
    QList<QSslCertificate> intermediates;
    QSslKey key;

    bool isNull() const { return certificate.isNull(); }
};

//! Reads a client identity: \a certificatePath is PEM (the certificate first, then any
//! intermediates, and the key too when \a keyPath is empty) or PKCS#12 (.p12/.pfx,
//! holding the key); \a keyPath is a PEM private key (RSA or EC), encrypted or not.
//! \a passphrase opens an encrypted key or PKCS#12 file. An error names the file and
//! why (unreadable, no certificate, no key, a key that needs a passphrase, a
//! passphrase that does not open it, a key that is not the certificate's).
Result<ClientIdentity> loadClientIdentity(
    const QString &certificatePath, const QString &keyPath, const QByteArray &passphrase = {});

//! The file whose passphrase loadClientIdentity() needs, or empty when it needs none:
//! the key file when its PEM key is encrypted, the certificate file when it is a
//! PKCS#12 file that does not open without one.
QString fileNeedingPassphrase(const QString &certificatePath, const QString &keyPath);

//! Whether \a passphrase opens \a path: an encrypted PEM private key (alone or next
//! to certificates) or a PKCS#12 file.
bool passphraseOpens(const QString &path, const QByteArray &passphrase);

//! TLS files as a user names them: on the command line (--cacert, --cert, --key,
//! --insecure) or in an environment's "SSLConfiguration" (the JetBrains HTTP Client's
//! keys, plus caCertificate). Paths as written; relative ones are read from \a base.
struct TlsFiles
{
    QString base; //!< the folder relative paths start from (the environment file's)
    QString caCertificates; //!< caCertificate: PEM, trusted besides the system's store
    QString clientCertificate; //!< clientCertificate: PEM or PKCS#12
    QString clientKey; //!< clientCertificateKey: PEM; empty when the certificate holds it
    bool verifyHost = true; //!< verifyHostCertificate: false accepts certificate problems

    bool isEmpty() const
    {
        return caCertificates.isEmpty() && clientCertificate.isEmpty() && clientKey.isEmpty()
            && verifyHost;
    }
    //! \a path from base, absolute.
    QString resolve(const QString &path) const;
    //! Each field of \a over that is set replaces this one's.
    TlsFiles overriddenBy(const TlsFiles &over) const;
    friend bool operator==(const TlsFiles &, const TlsFiles &) = default;
};

//! What reading TlsFiles gives an exchange.
struct TlsMaterial
{
    QList<QSslCertificate> caCertificates;
    ClientIdentity client;
    bool verifyHost = true;
};

//! Puts \a material into \a request's TLS configuration: the CAs trusted besides the
//! system's store, the client certificate with its intermediates and key.
void applyTls(const TlsMaterial &material, QNetworkRequest &request);

//! Reads \a files. A passphrase for an encrypted key or PKCS#12 file comes from
//! \a passphraseFor(absolute path): nullopt when none is kept, and the error then says
//! where it goes (the keyring, never a file).
Result<TlsMaterial> loadTlsFiles(const TlsFiles &files,
    const std::function<std::optional<QByteArray>(const QString &path)> &passphraseFor);

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

    //! The subject, or for a certificate without one (as ACME and Caddy issue them)
    //! the names it is valid for.
    QString title() const
    {
        if (!subject.isEmpty())
            return subject;
        return names.isEmpty() ? QStringLiteral("(no subject)") : names.join(u", ");
    }
};
CertificateSummary summarize(const QSslCertificate &certificate);
//! "expires in 3 days (2026-12-06)" when \a certificate expires within 14 days of
//! \a now (or has expired); empty otherwise.
QString expiryWarning(const QSslCertificate &certificate, const QDateTime &now);

//! What a TLS alert the gateway sent means, from the text of Qt's error ("...tlsv13
//! alert certificate required"): which side refused and why, with what to do; empty
//! when the text names no alert. \a client is the certificate presented, if any.
QString explainTlsAlert(const QString &errorText, const ClientIdentity &client);

//! Adds caCertificatesFromEnvironment() to the default TLS configuration of this
//! process; returns how many certificates it added. Called once at start.
qsizetype trustEnvironmentCaCertificates();

} // namespace gs::core
