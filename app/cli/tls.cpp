#include "tls.h"

#include "commands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <iostream>
#include <string>

#if defined(Q_OS_UNIX)
#include <termios.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <windows.h>
#endif

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::cli {

void TlsOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ insecure, cacert, cert, key });
}

Result<TlsFiles> TlsOptions::read(const QCommandLineParser &parser) const
{
    if (parser.isSet(key) && !parser.isSet(cert))
        return std::unexpected(Error { Error::Kind::Usage,
            u"--key goes with --cert: the client certificate the key belongs to"_s, {} });
    TlsFiles files;
    files.base = QDir::currentPath();
    files.caCertificates = parser.value(cacert);
    files.clientCertificate = parser.value(cert);
    files.clientKey = parser.value(key);
    files.verifyHost = !parser.isSet(insecure);
    return files;
}

namespace {

//! The store passphrases live in: the system keyring, never a file; the session
//! with GATESCOPE_SECRET_STORE=session (tests that must not touch the user's keyring).
std::unique_ptr<SecretVault> passphraseVault()
{
    if (qEnvironmentVariable("GATESCOPE_SECRET_STORE") == "session"_L1)
        return std::make_unique<SecretVault>(std::make_unique<SessionSecretStore>());
    return std::make_unique<SecretVault>(std::make_unique<KeychainSecretStore>());
}

} // namespace

Result<void> applyTls(const TlsFiles &files, ExchangeOptions &options)
{
    if (files.isEmpty())
        return {};
    std::unique_ptr<SecretVault> vault;
    const auto material = loadTlsFiles(files, [&vault](const QString &path) {
        if (!vault)
            vault = passphraseVault();
        const SecretReply reply = vault->readNow(passphraseKey(path));
        return reply.status == SecretReply::Status::Ok ? std::optional(reply.value.toUtf8())
                                                       : std::nullopt;
    });
    if (!material)
        return std::unexpected(material.error());
    options.useTls(*material);
    return {};
}

namespace {

//! One line from standard input; not echoed when it is a terminal.
QByteArray readSecretLine()
{
#if defined(Q_OS_UNIX)
    termios saved {};
    const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
#elif defined(Q_OS_WIN)
    const HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0;
    const bool terminal = GetConsoleMode(in, &mode) != 0;
    if (terminal)
        SetConsoleMode(in, mode & ~DWORD(ENABLE_ECHO_INPUT));
#endif
    std::string line;
    std::getline(std::cin, line);
#if defined(Q_OS_UNIX)
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << '\n';
    }
#elif defined(Q_OS_WIN)
    if (terminal) {
        SetConsoleMode(in, mode);
        std::cerr << '\n';
    }
#endif
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QByteArray::fromStdString(line);
}

} // namespace

int runPassphrase(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Keep the passphrase of an encrypted client key (PEM) or PKCS#12 file in the system "
        "keyring, where send, run and the window find it; never in a file. The passphrase is "
        "read from standard input (not echoed on a terminal) and checked against FILE first."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"FILE"_s, u"The encrypted key or PKCS#12 file."_s);
    const QCommandLineOption forget(u"forget"_s, u"Remove the kept passphrase instead."_s);
    parser.addOption(forget);
    if (!parser.parse(arguments)) {
        err << "gatescope-cli passphrase: " << parser.errorText() << '\n';
        return kFailure;
    }
    if (parser.isSet(u"help"_s)) {
        out << commandHelp(parser, u"passphrase"_s);
        return kOk;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "gatescope-cli passphrase: expected one FILE (an encrypted key or PKCS#12 file)\n";
        return kFailure;
    }
    const QString path = QFileInfo(parser.positionalArguments().first()).absoluteFilePath();
    const std::unique_ptr<SecretVault> vault = passphraseVault();
    if (parser.isSet(forget)) {
        const SecretReply reply = vault->removeNow(passphraseKey(path));
        if (reply.status != SecretReply::Status::Ok
            && reply.status != SecretReply::Status::NotFound) {
            err << "gatescope-cli passphrase: " << reply.message << '\n';
            return kFailure;
        }
        out << "The keyring keeps no passphrase for " << path << ".\n";
        return kOk;
    }
    if (!QFileInfo(path).isReadable()) {
        err << "gatescope-cli passphrase: cannot read " << path << '\n';
        return kFailure;
    }
    if (passphraseOpens(path, {})) {
        err << "gatescope-cli passphrase: " << path
            << " opens without a passphrase; nothing to keep\n";
        return kFailure;
    }
    err << "Passphrase for " << path << ": ";
    err.flush();
    const QByteArray passphrase = readSecretLine();
    if (!passphraseOpens(path, passphrase)) {
        err << "gatescope-cli passphrase: that passphrase does not open " << path
            << "; nothing was kept\n";
        return kFailure;
    }
    const SecretReply reply = vault->writeNow(passphraseKey(path), QString::fromUtf8(passphrase));
    if (reply.status != SecretReply::Status::Ok || !vault->fallbackReason().isEmpty()) {
        err << "gatescope-cli passphrase: no keyring kept it ("
            << (reply.message.isEmpty() ? vault->fallbackReason() : reply.message)
            << "); nothing was kept\n";
        return kFailure;
    }
    out << "The passphrase for " << path << " is in " << vault->description() << ".\n";
    return kOk;
}

} // namespace gs::cli
