#pragma once

#include <QPlainTextEdit>

namespace gs::ui {

//! A read-only text view for text that streams in token by token, however long.
//!
//! QPlainTextEdit lays out a whole paragraph again whenever it grows, so one
//! paragraph of 600,000 characters (a long answer without line breaks) costs more
//! per token the longer it gets. This view starts a new display block at a sentence
//! end (or a space) once a paragraph passes a few thousand characters, so each
//! append lays out a bounded amount of text. The seams are display-only: text(),
//! copying and dragging give the text exactly as it arrived.
class StreamTextEdit final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamTextEdit)

public:
    static constexpr qsizetype kSoftBlockLength = 2000;

    explicit StreamTextEdit(QWidget *parent = nullptr);

    //! Appends \a text at the end, keeping the view pinned to the end unless the
    //! user scrolled away from it.
    void appendStreamed(const QString &text);
    //! The text as it arrived (display seams removed).
    QString text() const;

protected:
    QMimeData *createMimeDataFromSelection() const override;

private:
    void appendPiece(QString piece);
    //! The exact text between two document positions.
    QString exactText(int from, int to) const;
};

} // namespace gs::ui
