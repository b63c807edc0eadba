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

QColor markBackground(Mark mark, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (mark) {
    case Mark::Removed:
        return dark ? QColor(0x5c, 0x2b, 0x2b) : QColor(0xff, 0xd7, 0xd5);
    case Mark::Added:
        return dark ? QColor(0x24, 0x4a, 0x2c) : QColor(0xd2, 0xf4, 0xd8);
    case Mark::Changed:
        break;
    }
    return dark ? QColor(0x4d, 0x41, 0x1f) : QColor(0xfb, 0xee, 0xc4);
}

QPalette darkPalette()
{
    const QColor window(0x2a, 0x2c, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x84);
    QPalette p(window);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x33, 0x35, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x6e));
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4d));
    p.setColor(QPalette::Midlight, QColor(0x3b, 0x3d, 0x42));
    p.setColor(QPalette::Mid, QColor(0x24, 0x25, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xe8));
    for (const QPalette::ColorRole role :
        { QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x47, 0x4d));
    return p;
}

} // namespace gs::ui
