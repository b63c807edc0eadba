// Benchmark (not a test): a 1 GB multipart upload from disk through Exchange (the
// file streamed by BodyDevice) against curl -F with the same file to the same sink on
// loopback, alternating, median of RUNS. The sink is a separate process that reads
// and discards the body in 1 MiB reads, so that neither client shares its bottleneck.
// Prints both times, the ratio, and this process's resident memory before and at
// its peak during our uploads.
//
//   benchupload [SIZE_MIB] [RUNS]      (tools/bench-upload builds and runs it)
//   benchupload --sink PORTFILE        (the sink, started by the benchmark)
#include "benchutil.h"
#include "core/net/exchange.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <cstdio>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

// One connection: the headers, "100 Continue" when asked (curl asks for large bodies),
// the body read and dropped, then 200.
void serve(int client)
{
    std::string head;
    char c = 0;
    while (head.find("\r\n\r\n") == std::string::npos && ::read(client, &c, 1) == 1)
        head += c;
    std::string lower = head;
    for (char &ch : lower)
        ch = char(std::tolower(static_cast<unsigned char>(ch)));
    long long length = 0;
    if (const auto at = lower.find("content-length:"); at != std::string::npos)
        length = std::stoll(lower.substr(at + 15));
    if (lower.find("expect: 100-continue") != std::string::npos) {
        const char *go = "HTTP/1.1 100 Continue\r\n\r\n";
        (void)!::write(client, go, std::strlen(go));
    }
    std::vector<char> buffer(1 << 20);
    while (length > 0) {
        const ssize_t n
            = ::read(client, buffer.data(), std::min<size_t>(buffer.size(), size_t(length)));
        if (n <= 0)
            break;
        length -= n;
    }
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    (void)!::write(client, ok, std::strlen(ok));
    ::close(client);
}

int runSink(const QString &portFile)
{
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(server, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(server, 8) != 0)
        return 1;
    socklen_t size = sizeof address;
    ::getsockname(server, reinterpret_cast<sockaddr *>(&address), &size);
    QFile out(portFile);
    if (!out.open(QIODevice::WriteOnly))
        return 1;
    out.write(QByteArray::number(ntohs(address.sin_port)));
    out.close();
    for (;;) {
        const int client = ::accept(server, nullptr, nullptr);
        if (client >= 0)
            serve(client);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.value(0) == "--sink"_L1)
        return runSink(args.value(1));
    const qint64 mib = args.value(0, u"1024"_s).toLongLong();
    const int runs = args.value(1, u"3"_s).toInt();

    QTemporaryDir dir(QDir::current().filePath(u"build/tmp/bench-upload-XXXXXX"_s));
    const QString path = dir.filePath(u"upload.bin"_s);
    {
        // Bytes that do not repeat in a way anything could exploit.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        QByteArray block(1 << 20, Qt::Uninitialized);
        quint64 x = 88172645463325252ULL;
        for (qint64 i = 0; i < mib; ++i) {
            for (qsizetype k = 0; k + 8 <= block.size(); k += 8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                std::memcpy(block.data() + k, &x, 8);
            }
            file.write(block);
        }
    }
    QProcess sink;
    const QString portFile = dir.filePath(u"port"_s);
    sink.start(app.applicationFilePath(), { u"--sink"_s, portFile });
    for (int i = 0; i < 100 && !QFile::exists(portFile); ++i)
        QThread::msleep(50);
    QFile portIn(portFile);
    if (!portIn.open(QIODevice::ReadOnly))
        return 1;
    const QString url = u"http://127.0.0.1:%1/files"_s.arg(QString::fromLatin1(portIn.readAll()));

    QNetworkAccessManager network;
    const qint64 size = QFileInfo(path).size();
    WireRequest wire { "POST", url,
        { { "Content-Type", "multipart/form-data; boundary=gatescope-bench" } }, {} };
    wire.body = "--gatescope-bench\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                "batch\r\n--gatescope-bench\r\nContent-Disposition: form-data; name=\"file\"; "
                "filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    wire.bodyFiles = { BodyFile { wire.body.size(), path, size } };
    wire.body += "\r\n--gatescope-bench--\r\n";

    const long long idleKib = gs::bench::residentKib();
    QList<double> ours;
    QList<double> curl;
    for (int run = 0; run < runs; ++run) {
        {
            Exchange exchange(&network);
            QSignalSpy finished(&exchange, &Exchange::finished);
            QElapsedTimer timer;
            timer.start();
            exchange.start(wire);
            if (!exchange.isFinished() && !finished.wait(600'000))
                return 1;
            ours << double(timer.nsecsElapsed()) / 1e9;
            if (exchange.status() != 200) {
                std::fprintf(stderr, "upload failed: %d %s\n", exchange.status(),
                    qPrintable(exchange.error().message));
                return 1;
            }
        }
        QProcess process;
        QElapsedTimer timer;
        timer.start();
        process.start(u"curl"_s,
            { u"-sS"_s, u"-o"_s, u"/dev/null"_s, u"-F"_s, u"purpose=batch"_s, u"-F"_s,
                u"file=@"_s + path, url });
        process.waitForFinished(600'000);
        curl << double(timer.nsecsElapsed()) / 1e9;
        if (process.exitCode() != 0) {
            std::fprintf(stderr, "curl failed: %s\n", process.readAllStandardError().constData());
            return 1;
        }
    }
    const long long peakKib = gs::bench::residentKib(u"VmHWM:"_s);
    sink.kill();
    sink.waitForFinished();
    const double o = gs::bench::median(ours);
    const double c = gs::bench::median(curl);
    std::printf("upload of %lld MiB, multipart, loopback, median of %d\n", mib, runs);
    std::printf("  gatescope (Exchange, UploadReply): %.2f s  (%.0f MiB/s)\n", o, double(mib) / o);
    std::printf("  curl -F:                           %.2f s  (%.0f MiB/s)\n", c, double(mib) / c);
    std::printf("  ratio gatescope / curl:            %.2fx (goal at most 1.5x)\n", o / c);
    std::printf(
        "  resident memory: %.1f MiB idle, %.1f MiB at the peak: +%.1f MiB (goal < 50 MB)\n",
        double(idleKib) / 1024, double(peakKib) / 1024, double(peakKib - idleKib) / 1024);
    return 0;
}
