#include "core/store/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

namespace {

QByteArray contentOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

// Atomic writes and the stamps that tell whether someone else changed a file.
// (tst_collection kills a writing process mid-save; this is the contract itself.)
class TestAtomicFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndStamps();
    void sameBytesWriteNothing();
    void aChangeOnDiskIsAConflict();
    void aFileThatWasDeletedIsAConflictToo();
    void ownerOnlyFromTheFirstByte();
    void unwritableFolderIsAnError();
};

void TestAtomicFile::writesAndStamps()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"a/b/file.http"_s);
    QDir().mkpath(QFileInfo(path).absolutePath());
    const auto stamp = saveFileAtomically(path, "GET https://x\n");
    QVERIFY2(stamp, qPrintable(stamp ? QString() : stamp.error().message));
    QCOMPARE(contentOf(path), "GET https://x\n"_ba);
    QVERIFY(stamp->exists);
    QCOMPARE(stamp->size, 14);
    QVERIFY(stamp->sameContent(FileStamp::of(path)));
    QVERIFY(stamp->sameContent(FileStamp::ofBytes("GET https://x\n")));
    QVERIFY(!stamp->sameContent(FileStamp::ofBytes("GET https://y\n")));
    // No temporary file is left beside it.
    QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden),
        QStringList { u"file.http"_s });
    QVERIFY(!FileStamp::of(dir.filePath(u"none"_s)).exists);
}

void TestAtomicFile::sameBytesWriteNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f"_s);
    QVERIFY(saveFileAtomically(path, "one"));
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(old, QFileDevice::FileModificationTime));
    }
    QVERIFY(saveFileAtomically(path, "one"));
    QCOMPARE(QFileInfo(path).lastModified().toSecsSinceEpoch(), old.toSecsSinceEpoch());
    QVERIFY(saveFileAtomically(path, "two"));
    QVERIFY(QFileInfo(path).lastModified().toSecsSinceEpoch() > old.toSecsSinceEpoch());
}

void TestAtomicFile::aChangeOnDiskIsAConflict()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f"_s);
    const auto mine = saveFileAtomically(path, "mine");
    QVERIFY(mine);
    {
        QFile f(path); // another editor, git pull, ...
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("theirs");
    }
    const auto again = saveFileAtomically(path, "mine, edited", *mine);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::Conflict);
    QCOMPARE(contentOf(path), "theirs"_ba); // nothing written
    // Against what is there now, it goes.
    QVERIFY(saveFileAtomically(path, "mine, edited", FileStamp::of(path)));
    QCOMPARE(contentOf(path), "mine, edited"_ba);
}

void TestAtomicFile::aFileThatWasDeletedIsAConflictToo()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f"_s);
    const auto stamp = saveFileAtomically(path, "x");
    QVERIFY(stamp);
    QVERIFY(QFile::remove(path));
    const auto again = saveFileAtomically(path, "y", *stamp);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::Conflict);
    QVERIFY(!QFile::exists(path));
}

void TestAtomicFile::ownerOnlyFromTheFirstByte()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"secrets.json"_s);
    QVERIFY(saveOwnerOnlyFileAtomically(path, R"({"k":"v"})"));
    QCOMPARE(contentOf(path), R"({"k":"v"})"_ba);
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // A file that was readable by others becomes owner-only on the next write.
    QVERIFY(QFile::setPermissions(
        path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QVERIFY(saveOwnerOnlyFileAtomically(path, R"({"k":"w"})"));
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), 0);
#endif
}

void TestAtomicFile::unwritableFolderIsAnError()
{
    const auto written = saveFileAtomically(u"/nonexistent-gatescope-dir/f"_s, "x");
    QVERIFY(!written);
    QCOMPARE(written.error().kind, Error::Kind::Io);
    QVERIFY(!written.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
