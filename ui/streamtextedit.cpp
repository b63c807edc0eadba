#include "streamtextedit.h"

#include <QMimeData>
#include <QScrollBar>
#include <QTextBlock>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

// A block that continues the paragraph before it (a display seam, not a newline).
constexpr int kContinuation = 1;

} // namespace

StreamTextEdit::StreamTextEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setUndoRedoEnabled(false);
}

void StreamTextEdit::appendStreamed(const QString &text)
{
    if (text.isEmpty())
        return;
    QScrollBar *bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    const QStringList paragraphs = text.split(u'\n');
    for (qsizetype i = 0; i < paragraphs.size(); ++i) {
        if (i > 0) {
            QTextCursor c(document());
            c.movePosition(QTextCursor::End);
            c.insertBlock(); // a real line break: not a continuation
        }
        appendPiece(paragraphs[i]);
    }
    if (atEnd)
        bar->setValue(bar->maximum());
}

void StreamTextEdit::appendPiece(QString piece)
{
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    while (!piece.isEmpty()) {
        const qsizetype length = c.block().length() - 1;
        if (length + piece.size() <= kSoftBlockLength) {
            c.insertText(piece);
            return;
        }
        // Past the soft length: end the block after a sentence if this piece ends
        // one, after any space once it is well past, and mid-word only when a run
        // of text has no space at all for a long while.
        qsizetype cut = -1;
        const qsizetype sentence = piece.lastIndexOf(u". "_s);
        if (sentence >= 0)
            cut = sentence + 2;
        else if (length + piece.size() > kSoftBlockLength * 3 / 2 && piece.lastIndexOf(u' ') >= 0)
            cut = piece.lastIndexOf(u' ') + 1;
        else if (length + piece.size() > kSoftBlockLength * 4)
            cut = std::max<qsizetype>(1, kSoftBlockLength * 4 - length);
        if (cut < 0 || cut >= piece.size()) {
            c.insertText(piece);
            if (cut >= piece.size()) {
                c.insertBlock();
                c.block().setUserState(kContinuation);
            }
            return;
        }
        c.insertText(piece.left(cut));
        c.insertBlock();
        c.block().setUserState(kContinuation);
        piece = piece.mid(cut);
    }
}

QString StreamTextEdit::exactText(int from, int to) const
{
    QString out;
    QTextBlock b = document()->findBlock(from);
    for (; b.isValid() && b.position() <= to; b = b.next()) {
        if (b.position() > from && b.userState() != kContinuation)
            out += u'\n';
        const int start = std::max(from - b.position(), 0);
        const int end = std::min(to - b.position(), b.length() - 1);
        if (end > start)
            out += b.text().mid(start, end - start);
    }
    return out;
}

QString StreamTextEdit::text() const
{
    return exactText(0, document()->characterCount());
}

QMimeData *StreamTextEdit::createMimeDataFromSelection() const
{
    const QTextCursor c = textCursor();
    auto *mime = new QMimeData;
    mime->setText(exactText(c.selectionStart(), c.selectionEnd()));
    return mime;
}

} // namespace gs::ui
