#pragma once

#include "core/net/exchange.h"
#include "core/net/trust.h"
#include "core/store/secretstore.h"

#include <QCommandLineOption>

class QCommandLineParser;

namespace gs::cli {

//! The TLS options of every command that sends: --insecure, --cacert, --cert, --key.
//! They override the environment's "SSLConfiguration".
struct TlsOptions
{
    QCommandLineOption insecure { QStringLiteral("insecure"),
        QStringLiteral(
            "Accept certificate problems (self-hosted gateways); they are still reported.") };
    QCommandLineOption cacert { QStringLiteral("cacert"),
        QStringLiteral(
            "Also trust the CA certificates in FILE (PEM): a self-hosted gateway's private CA."),
        QStringLiteral("FILE") };
    QCommandLineOption cert { QStringLiteral("cert"),
        QStringLiteral("Present the client certificate in FILE to a gateway that requires one: "
                       "PEM (with --key, or holding its key) or PKCS#12 (.p12, .pfx). A "
                       "passphrase comes from the keyring (gatescope-cli passphrase FILE)."),
        QStringLiteral("FILE") };
    QCommandLineOption key { QStringLiteral("key"),
        QStringLiteral("The client certificate's private key (PEM; encrypted or not)."),
        QStringLiteral("FILE") };

    void addTo(QCommandLineParser &parser) const;
    //! What the command line names (paths from the working folder), or what is wrong.
    core::Result<core::TlsFiles> read(const QCommandLineParser &parser) const;
};

//! Reads \a files (an environment's SSLConfiguration with the command line over it)
//! into \a options; the passphrase of an encrypted key comes from the keyring.
core::Result<void> applyTls(const core::TlsFiles &files, core::ExchangeOptions &options);

} // namespace gs::cli
