#pragma once

#include <QByteArray>
#include <QIcon>
#include <QImage>
#include <QList>
#include <QString>

namespace gs::ui {

//! The SVG at \a svgPath drawn into a \a size x \a size image (transparent where the
//! SVG draws nothing). A null image when the file is not a valid SVG.
//! Uses Qt Svg directly, so it works without Qt's SVG image plugins installed.
QImage renderSvg(const QString &svgPath, int size);

//! The application's icon at the sizes desktops ask for, drawn from the SVG built
//! into the executable.
QIcon applicationIcon();

//! The icon theme's \a name, or where the theme has none (Windows, macOS, a bare
//! desktop) the bundled SVG :/icons/\a name.svg drawn at the usual sizes.
QIcon themedIcon(const QString &name);

//! A Windows .ico holding \a images (square, at most 256 px) as PNG entries.
QByteArray icoFile(const QList<QImage> &images);

//! A macOS .icns holding \a images as PNG entries. Each image's size must be one the
//! format names (16, 32, 64, 128, 256, 512, 1024); 32, 64, 256, 512 and 1024 also
//! serve as the double-density entries of the size half theirs.
//! Empty when an image has a size the format has no entry for.
QByteArray icnsFile(const QList<QImage> &images);

} // namespace gs::ui
