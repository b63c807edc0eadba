#include "ui/appicon.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgRenderer>
#include <QtEndian>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

QImage render(QSvgRenderer &svg, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter);
    painter.end();
    return image;
}

QByteArray png(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

void appendLE16(QByteArray &out, quint16 value)
{
    const quint16 le = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&le), sizeof le);
}

void appendLE32(QByteArray &out, quint32 value)
{
    const quint32 le = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&le), sizeof le);
}

void appendBE32(QByteArray &out, quint32 value)
{
    const quint32 be = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&be), sizeof be);
}

} // namespace

QImage renderSvg(const QString &svgPath, int size)
{
    QSvgRenderer svg(svgPath);
    if (!svg.isValid() || size <= 0)
        return {};
    return render(svg, size);
}

QIcon themedIcon(const QString &name)
{
    if (QIcon::hasThemeIcon(name))
        return QIcon::fromTheme(name);
    QSvgRenderer svg(u":/icons/"_s + name + u".svg"_s);
    QIcon icon;
    if (!svg.isValid())
        return icon;
    for (int size : { 16, 22, 24, 32, 48 })
        icon.addPixmap(QPixmap::fromImage(render(svg, size)));
    return icon;
}

QIcon applicationIcon()
{
    QSvgRenderer svg(QStringLiteral(":/icons/" GATESCOPE_APP_ID ".svg"));
    QIcon icon;
    for (int size : { 16, 24, 32, 48, 64, 128, 256 })
        icon.addPixmap(QPixmap::fromImage(render(svg, size)));
    return icon;
}

QByteArray icoFile(const QList<QImage> &images)
{
    // ICONDIR, then one ICONDIRENTRY per image, then the images; a PNG entry is
    // read by every Windows since Vista. 256 is written as 0 in the one-byte sizes.
    constexpr int headerSize = 6;
    constexpr int entrySize = 16;
    QByteArray out;
    appendLE16(out, 0); // reserved
    appendLE16(out, 1); // type: icon
    appendLE16(out, quint16(images.size()));
    QList<QByteArray> pngs;
    quint32 offset = headerSize + entrySize * quint32(images.size());
    for (const QImage &image : images) {
        pngs.append(png(image));
        out.append(char(image.width() >= 256 ? 0 : image.width()));
        out.append(char(image.height() >= 256 ? 0 : image.height()));
        out.append(char(0)); // no palette
        out.append(char(0)); // reserved
        appendLE16(out, 1); // colour planes
        appendLE16(out, 32); // bits per pixel
        appendLE32(out, quint32(pngs.last().size()));
        appendLE32(out, offset);
        offset += quint32(pngs.last().size());
    }
    for (const QByteArray &bytes : pngs)
        out.append(bytes);
    return out;
}

QByteArray icnsFile(const QList<QImage> &images)
{
    // The element types that hold PNG data, by pixel size (Apple's icns format).
    struct Slot
    {
        int pixels;
        std::array<const char *, 2> types;
    };
    static constexpr std::array<Slot, 7> slots { {
        { 16, { "icp4", nullptr } },
        { 32, { "icp5", "ic11" } },
        { 64, { "icp6", "ic12" } },
        { 128, { "ic07", nullptr } },
        { 256, { "ic08", "ic13" } },
        { 512, { "ic09", "ic14" } },
        { 1024, { "ic10", nullptr } },
    } };
    QByteArray body;
    for (const QImage &image : images) {
        const auto slot = std::find_if(slots.begin(), slots.end(),
            [&](const Slot &s) { return s.pixels == image.width() && s.pixels == image.height(); });
        if (slot == slots.end())
            return {};
        const QByteArray data = png(image);
        for (const char *type : slot->types) {
            if (!type)
                continue;
            body.append(type, 4);
            appendBE32(body, quint32(8 + data.size()));
            body.append(data);
        }
    }
    QByteArray out = "icns"_ba;
    appendBE32(out, quint32(8 + body.size()));
    out.append(body);
    return out;
}

} // namespace gs::ui
