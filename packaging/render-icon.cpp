// Build tool: the application icon, drawn from its SVG, in the files each platform
// wants.
//   render-icon png  INPUT.svg OUTDIR SIZE...   OUTDIR/SIZExSIZE/apps/NAME.png each
//                                                (the hicolor theme's layout)
//   render-icon ico  INPUT.svg OUTPUT.ico       16-256 px (Windows)
//   render-icon icns INPUT.svg OUTPUT.icns      16-1024 px (macOS)
#include "ui/appicon.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSaveFile>

#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "render-icon: %s\n", qPrintable(message));
    return 1;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    return !bytes.isEmpty() && file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size()
        && file.commit();
}

QList<QImage> render(const QString &svg, const QList<int> &sizes)
{
    QList<QImage> images;
    for (int size : sizes)
        images.append(gs::ui::renderSvg(svg, size));
    return images;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 4)
        return fail(QStringLiteral("usage: render-icon png|ico|icns INPUT.svg OUTPUT [SIZE...]"));
    const QString &mode = args[1];
    const QString &svg = args[2];
    const QString &output = args[3];
    if (gs::ui::renderSvg(svg, 16).isNull())
        return fail(QStringLiteral("%1 is not a valid SVG").arg(svg));

    if (mode == QLatin1String("ico")) {
        if (!writeFile(output, gs::ui::icoFile(render(svg, { 16, 24, 32, 48, 64, 128, 256 }))))
            return fail(QStringLiteral("cannot write %1").arg(output));
        return 0;
    }
    if (mode == QLatin1String("icns")) {
        const QByteArray icns = gs::ui::icnsFile(render(svg, { 16, 32, 64, 128, 256, 512, 1024 }));
        if (!writeFile(output, icns))
            return fail(QStringLiteral("cannot write %1").arg(output));
        return 0;
    }
    if (mode != QLatin1String("png") || args.size() < 5)
        return fail(QStringLiteral("unknown mode %1 (png, ico, icns)").arg(mode));
    const QString name = QFileInfo(svg).completeBaseName();
    for (const QString &sizeText : args.mid(4)) {
        const int size = sizeText.toInt();
        if (size <= 0)
            return fail(QStringLiteral("not a size: %1").arg(sizeText));
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(output).arg(size);
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!QDir().mkpath(dir) || !gs::ui::renderSvg(svg, size).save(path))
            return fail(QStringLiteral("cannot write %1").arg(path));
    }
    return 0;
}
