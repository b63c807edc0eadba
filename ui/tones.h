#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace gs::ui {

//! What a coloured text means.
enum class Tone {
    Error, //!< keeps a request from going out, or went wrong
    Warning, //!< worth knowing, sends anyway
};

//! The colour of text in \a tone, from one place: it follows \a palette, darker on a
//! light base and lighter on a dark one, so that it reads in dark mode too.
QColor toneColor(Tone tone, const QPalette &palette);
//! "color: #rrggbb;" in \a tone, for a style sheet.
QString toneStyle(Tone tone, const QPalette &palette);
//! What a highlighted stretch of a comparison is.
enum class Mark {
    Removed, //!< only on the first side
    Added, //!< only on the second
    Changed, //!< on both, another value
};
//! The background of a \a mark, light or dark as \a palette is; the palette's text
//! colour reads on it.
QColor markBackground(Mark mark, const QPalette &palette);

//! A complete dark palette (every role, every group), as a desktop's dark mode gives
//! the Fusion style: for pictures and tests of the window in dark mode.
QPalette darkPalette();

} // namespace gs::ui
