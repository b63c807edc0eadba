#pragma once

#include "core/model/error.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace gs::core {

//! The certificates of a PEM file (one or more: a private CA and its intermediates),
//! to trust in addition to the system's store (--cacert, a gateway's CA file). An
//! error names the file and why: unreadable, or no certificate in it.
Result<QList<QSslCertificate>> loadCaCertificates(const QString &path);

//! The certificates that SSL_CERT_FILE (a PEM file) and SSL_CERT_DIR (folders,
//! separated by ':', of PEM files) name, as OpenSSL-based tools read them: trusted in
//! addition to the system's store. Files that cannot be read are passed over.
QList<QSslCertificate> caCertificatesFromEnvironment();

//! Adds caCertificatesFromEnvironment() to the default TLS configuration of this
//! process; returns how many certificates it added. Called once at start.
qsizetype trustEnvironmentCaCertificates();

} // namespace gs::core
