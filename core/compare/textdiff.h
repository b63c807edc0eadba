#pragma once

#include <QList>
#include <QString>

namespace gs::core {

//! A piece of a word-level difference between two texts.
struct TextSegment
{
    enum class Kind {
        Equal,
        Removed, //!< only in the first text
        Added, //!< only in the second
    };
    Kind kind = Kind::Equal;
    QString text;

    friend bool operator==(const TextSegment &, const TextSegment &) = default;
};

//! The two texts as words (letters and digits, in any script), runs of white space
//! and single other characters (a surrogate pair kept whole), aligned with Myers'
//! algorithm in linear space: the fewest words removed and added. Adjacent pieces of
//! one kind are merged; the Equal and Removed pieces spell \a a, the Equal and Added
//! ones \a b.
QList<TextSegment> diffWords(const QString &a, const QString &b);

} // namespace gs::core
