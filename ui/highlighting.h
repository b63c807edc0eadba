#pragma once

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QTextDocument>

namespace gs::ui {

//! A highlighter for \a document. It gets its theme and definition before the
//! document: given the other way round, the text can end up drawn invisibly.
inline KSyntaxHighlighting::SyntaxHighlighter *attachHighlighter(QTextDocument *document,
    const KSyntaxHighlighting::Theme &theme, const KSyntaxHighlighting::Definition &definition)
{
    auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter;
    highlighter->setTheme(theme);
    highlighter->setDefinition(definition);
    highlighter->setDocument(document);
    return highlighter;
}

} // namespace gs::ui
