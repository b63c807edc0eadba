// Benchmark (not a test): a collection of 10,000 requests in 1,000 files, opened into
// the sidebar. Reports the time to a usable sidebar (folder read, every file parsed,
// the tree built and painted) against just reading the same bytes in this process,
// and the memory it holds. Goal: under 300 ms and under 50 MB.
#include "benchutil.h"
#include "core/store/collection.h"
#include "ui/collectiontree.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

using namespace Qt::StringLiterals;
using gs::bench::median;
using gs::bench::residentKib;
using namespace gs::core;

namespace {

// 50 folders of 20 files of 10 requests, written as teams write them: comments,
// names, expectations, gateway headers, JSON bodies.
qint64 generate(const QString &root)
{
    qint64 bytes = 0;
    for (int folder = 0; folder < 50; ++folder) {
        const QString dir = u"%1/team-%2/feature-%3"_s.arg(root).arg(folder / 10).arg(folder);
        QDir().mkpath(dir);
        for (int file = 0; file < 20; ++file) {
            QByteArray text = "# Requests of feature " + QByteArray::number(folder)
                + "\n@model = openai-main/gpt-4o-mini\n\n";
            for (int r = 0; r < 10; ++r) {
                text += "### request " + QByteArray::number(r) + " of file "
                    + QByteArray::number(file)
                    + "\n# @expect status 200\n# @expect json $.choices[0].message.role == "
                      "\"assistant\"\n"
                      "POST {{baseUrl}}/chat/completions\nAuthorization: Bearer {{token}}\n"
                      "Content-Type: application/json\n"
                      "x-tfy-metadata: {\"team\":\"platform\",\"feature\":\"f"
                    + QByteArray::number(folder)
                    + "\"}\nx-tfy-retry-config: {\"attempts\":3,\"onStatusCodes\":[429,500]}\n\n"
                      "{\n  \"model\": \"{{model}}\",\n  \"stream\": true,\n  \"messages\": [\n"
                      "    {\"role\": \"system\", \"content\": \"You are a concise assistant.\"},\n"
                      "    {\"role\": \"user\", \"content\": \"Question number "
                    + QByteArray::number(r) + "\"}\n  ]\n}\n\n";
            }
            QFile f(u"%1/requests-%2.http"_s.arg(dir).arg(file));
            if (!f.open(QIODevice::WriteOnly))
                qFatal("cannot write %s", qPrintable(f.fileName()));
            bytes += f.write(text);
        }
    }
    QFile env(root + u"/http-client.env.json"_s);
    if (env.open(QIODevice::WriteOnly))
        env.write(R"({"demo": {"baseUrl": "http://127.0.0.1:8787/api/llm"}})");
    return bytes;
}

// The reference: only reading every file's bytes.
double readAllMs(const Collection &c)
{
    QElapsedTimer t;
    t.start();
    qint64 total = 0;
    for (const CollectionFile &f : c.files()) {
        QFile file(f.path);
        if (file.open(QIODevice::ReadOnly))
            total += file.readAll().size();
    }
    if (total == 0)
        qFatal("nothing read");
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    // Child mode: the memory of a parsed collection alone, in a fresh process.
    if (argc == 3 && qstrcmp(argv[1], "--collection-only") == 0) {
        QCoreApplication app(argc, argv);
        const long long before = residentKib();
        const auto alone = Collection::open(QString::fromLocal8Bit(argv[2]));
        std::printf("%lld\n", alone ? residentKib() - before : -1);
        return 0;
    }
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const qint64 bytes = generate(dir.path());
    const long long baseKib = residentKib();
    QList<double> openMs;
    QList<double> sidebarMs;
    QList<double> referenceMs;
    long long heldKib = 0;
    long long trimmedKib = 0;
    qsizetype requests = 0;
    for (int round = 0; round < 7; ++round) {
        QTreeWidget tree;
        tree.resize(320, 900);
        gs::ui::CollectionTree collections(&tree);
        tree.show();
        QApplication::processEvents();
        const long long before = residentKib();
        QElapsedTimer t;
        t.start();
        if (auto opened = collections.open(dir.path()); !opened)
            qFatal("%s", qPrintable(opened.error().message));
        // Usable: the tree painted once with the collection in it.
        tree.repaint();
        QApplication::processEvents();
        sidebarMs << double(t.nsecsElapsed()) / 1e6;
        heldKib = std::max(heldKib, residentKib() - before);
        // What stays once the allocator returns what parsing freed.
        malloc_trim(0);
        trimmedKib = std::max(trimmedKib, residentKib() - before);
        const Collection *c = collections.collection(dir.path());
        requests = c->requestCount();

        // The same reading and parsing without the tree, and only the reading.
        QElapsedTimer o;
        o.start();
        const auto again = Collection::open(dir.path());
        openMs << double(o.nsecsElapsed()) / 1e6;
        referenceMs << readAllMs(*again);
    }
    // One file changed on disk (a save, a small git pull): the sidebar catches up.
    QList<double> refreshMs;
    {
        QTreeWidget tree;
        gs::ui::CollectionTree collections(&tree);
        if (!collections.open(dir.path()))
            qFatal("cannot open the collection");
        const QString root = collections.roots().first();
        const QString changed = collections.collection(root)->files().first().path;
        for (int round = 0; round < 7; ++round) {
            QFile f(changed);
            if (!f.open(QIODevice::Append))
                qFatal("cannot change %s", qPrintable(changed));
            f.write("\n### added\nGET {{baseUrl}}/models\n");
            f.close();
            QElapsedTimer t;
            t.start();
            collections.refresh(root);
            refreshMs << double(t.nsecsElapsed()) / 1e6;
        }
    }

    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), { u"--collection-only"_s, dir.path() });
    child.waitForFinished(60'000);
    const long long collectionKib = child.readAllStandardOutput().trimmed().toLongLong();
    const double sidebar = median(sidebarMs);
    const double reference = median(referenceMs);
    std::printf("collection: %lld requests in 1000 files, %.1f MB of .http text\n",
        static_cast<long long>(requests), double(bytes) / 1e6);
    std::printf("reading the bytes only (reference):  %7.1f ms\n", reference);
    std::printf("Collection::open (read + parse):      %7.1f ms  (%.1fx the reference)\n",
        median(openMs), median(openMs) / reference);
    std::printf(
        "sidebar usable (open + tree + paint): %7.1f ms  (%.1fx the reference; goal 300 ms)\n",
        sidebar, sidebar / reference);
    std::printf("sidebar after one file changed on disk:  %7.1f ms\n", median(refreshMs));
    std::printf("memory: RSS grew %.1f MiB while opening; %.1f MiB held after malloc_trim "
                "(goal 50 MB; process RSS %.1f MiB, %.1f MiB before)\n",
        double(heldKib) / 1024.0, double(trimmedKib) / 1024.0, double(residentKib()) / 1024.0,
        double(baseKib) / 1024.0);
    std::printf(
        "        of which the parsed collection alone (measured in a fresh process): %.1f MiB\n",
        double(collectionKib) / 1024.0);
    return 0;
}
