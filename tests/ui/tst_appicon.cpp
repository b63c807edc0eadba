// The application icon in each platform's file format, read back by an independent
// parser of the format here and, for .ico, by Qt's own ICO reader.
#include "tests/testfiles.h"
#include "ui/appicon.h"

#include <QBuffer>
#include <QImageReader>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <map>

using namespace gs::ui;
using namespace Qt::StringLiterals;

class TestAppIcon final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rendersTheSvgAtAnySize();
    void invalidSvgGivesNoImage();
    void windowIconHasDesktopSizes();
    void icoHoldsEverySizeAsPng();
    void icnsHoldsEverySizeUnderItsTypes();
    void icnsRefusesSizesItHasNoEntryFor();

private:
    static QString svgPath() { return u":/icons/" GATESCOPE_APP_ID ".svg"_s; }
    static QList<QImage> render(const QList<int> &sizes);
};

QList<QImage> TestAppIcon::render(const QList<int> &sizes)
{
    QList<QImage> images;
    for (int size : sizes)
        images.append(renderSvg(svgPath(), size));
    return images;
}

void TestAppIcon::rendersTheSvgAtAnySize()
{
    for (int size : { 16, 48, 256 }) {
        const QImage image = renderSvg(svgPath(), size);
        QCOMPARE(image.size(), QSize(size, size));
        // The icon draws something, and leaves its corners transparent (rounded tile).
        int opaque = 0;
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x)
                opaque += qAlpha(image.pixel(x, y)) == 255;
        QVERIFY2(opaque > size * size / 2,
            qPrintable(u"%1 opaque of %2"_s.arg(opaque).arg(size * size)));
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    }
}

void TestAppIcon::invalidSvgGivesNoImage()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"broken.svg"_s);
    gs::tests::writeFile(path, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect");
    QVERIFY(renderSvg(path, 32).isNull());
    QVERIFY(renderSvg(dir.filePath(u"missing.svg"_s), 32).isNull());
}

void TestAppIcon::windowIconHasDesktopSizes()
{
    const QIcon icon = applicationIcon();
    const QList<QSize> sizes = icon.availableSizes();
    for (int size : { 16, 24, 32, 48, 64, 128, 256 })
        QVERIFY2(sizes.contains(QSize(size, size)), qPrintable(u"no %1 px"_s.arg(size)));
    QVERIFY(!icon.pixmap(32).toImage().isNull());
}

void TestAppIcon::icoHoldsEverySizeAsPng()
{
    const QList<int> sizes { 16, 24, 32, 48, 64, 128, 256 };
    const QByteArray ico = icoFile(render(sizes));

    // ICONDIR: reserved 0, type 1 (icon), count.
    QVERIFY(ico.size() > 6);
    const auto *bytes = reinterpret_cast<const uchar *>(ico.constData());
    QCOMPARE(qFromLittleEndian<quint16>(bytes), quint16(0));
    QCOMPARE(qFromLittleEndian<quint16>(bytes + 2), quint16(1));
    QCOMPARE(qFromLittleEndian<quint16>(bytes + 4), quint16(sizes.size()));
    for (int i = 0; i < sizes.size(); ++i) {
        const uchar *entry = bytes + 6 + 16 * i;
        const int width = entry[0] == 0 ? 256 : entry[0];
        const int height = entry[1] == 0 ? 256 : entry[1];
        QCOMPARE(width, sizes[i]);
        QCOMPARE(height, sizes[i]);
        QCOMPARE(qFromLittleEndian<quint16>(entry + 6), quint16(32));
        const quint32 length = qFromLittleEndian<quint32>(entry + 8);
        const quint32 offset = qFromLittleEndian<quint32>(entry + 12);
        QVERIFY(offset + length <= quint32(ico.size()));
        const QImage image = QImage::fromData(ico.mid(offset, length), "PNG");
        QCOMPARE(image.size(), QSize(sizes[i], sizes[i]));
    }

    // Qt's ICO reader agrees.
    QBuffer buffer;
    buffer.setData(ico);
    QImageReader reader(&buffer, "ico");
    QVERIFY2(reader.canRead(), qPrintable(reader.errorString()));
    QCOMPARE(reader.imageCount(), int(sizes.size()));
    QList<int> read;
    for (int i = 0; i < reader.imageCount(); ++i) {
        QVERIFY(reader.jumpToImage(i));
        read.append(reader.read().width());
    }
    QCOMPARE(read, sizes);
}

void TestAppIcon::icnsHoldsEverySizeUnderItsTypes()
{
    const QByteArray icns = icnsFile(render({ 16, 32, 64, 128, 256, 512, 1024 }));
    QVERIFY(icns.startsWith("icns"));
    const auto *bytes = reinterpret_cast<const uchar *>(icns.constData());
    QCOMPARE(qFromBigEndian<quint32>(bytes + 4), quint32(icns.size()));

    // Apple's element types holding PNG data, by pixel size (double-density types
    // included: ic11 is 16 pt at 2x, 32 px).
    const std::map<QByteArray, int> expected { { "icp4", 16 }, { "icp5", 32 }, { "ic11", 32 },
        { "icp6", 64 }, { "ic12", 64 }, { "ic07", 128 }, { "ic08", 256 }, { "ic13", 256 },
        { "ic09", 512 }, { "ic14", 512 }, { "ic10", 1024 } };
    std::map<QByteArray, int> found;
    qsizetype at = 8;
    while (at < icns.size()) {
        QVERIFY(at + 8 <= icns.size());
        const QByteArray type = icns.mid(at, 4);
        const quint32 length = qFromBigEndian<quint32>(bytes + at + 4);
        QVERIFY(length > 8 && at + length <= quint32(icns.size()));
        const QImage image = QImage::fromData(icns.mid(at + 8, length - 8), "PNG");
        QCOMPARE(image.width(), image.height());
        found[type] = image.width();
        at += length;
    }
    QCOMPARE(at, icns.size());
    QCOMPARE(found, expected);
}

void TestAppIcon::icnsRefusesSizesItHasNoEntryFor()
{
    QVERIFY(icnsFile(render({ 16, 48 })).isEmpty());
}

QTEST_MAIN(TestAppIcon)
#include "tst_appicon.moc"
