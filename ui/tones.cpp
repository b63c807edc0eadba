#include "ui/tones.h"

using namespace Qt::StringLiterals;

namespace gs::ui {

QColor toneColor(Tone tone, const QPalette &palette)
{
    // The house rule for light or dark: the lightness of the base colour.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (tone) {
    case Tone::Error:
        return dark ? QColor(0xff, 0x7b, 0x6e) : QColor(0xc0, 0x39, 0x2b);
    case Tone::Warning:
        return dark ? QColor(0xf5, 0xb9, 0x4a) : QColor(0xb9, 0x77, 0x0e);
    }
    return palette.color(QPalette::Text);
}

QString toneStyle(Tone tone, const QPalette &palette)
{
    return u"color: %1;"_s.arg(toneColor(tone, palette).name());
}

} // namespace gs::ui
