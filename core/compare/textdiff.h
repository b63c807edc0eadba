#pragma once

#include <QList>
#include <QString>

#include <atomic>

namespace gs::core {

//! Steps of diffWords' search before it settles for a coarser answer.
inline constexpr qint64 kWordDiffBudget = 200'000'000;

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

//! The two texts as words (letters and digits, in any script) and single other
//! characters (a surrogate pair kept whole), each with the white space after it,
//! aligned with Myers' algorithm in linear space on the words and characters alone:
//! the fewest removed and added (white space that differs after an equal word is a
//! removal and an addition of its own). Adjacent pieces of
//! one kind are merged; the Equal and Removed pieces spell \a a, the Equal and Added
//! ones \a b.
//!
//! Two long texts that differ almost everywhere would cost the product of their
//! lengths: past \a budget steps of the search (about a second's work by default)
//! what is left of a stretch is one removal and one addition, still spelling both
//! texts, no longer the fewest words. \a cancel, set from another thread, ends the
//! search the same way at once (the caller drops the result).
QList<TextSegment> diffWords(const QString &a, const QString &b,
    const std::atomic<bool> *cancel = nullptr, qint64 budget = kWordDiffBudget);

} // namespace gs::core
