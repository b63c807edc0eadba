#pragma once

#include <QMainWindow>

class QListWidget;
class QPlainTextEdit;
class QTreeWidget;
class QLabel;
class QTimer;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace gs::ui {

//! The main window. For now: bundled example requests on the left, the .http editor
//! in the middle, and on the right the exact wire request with every validation
//! problem, recomputed as you type.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Opens one of the bundled examples by file name ("chat-stream.http").
    bool openExample(const QString &fileName);
    QStringList exampleNames() const;

    //! The wire text shown right now, and the problems listed (for tests).
    QString wireText() const;
    QStringList problems() const;

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void recompute();
    void applyTheme();

    KSyntaxHighlighting::Repository *m_repository;
    QListWidget *m_examples;
    QPlainTextEdit *m_editor;
    QPlainTextEdit *m_wire;
    QTreeWidget *m_problems;
    KSyntaxHighlighting::SyntaxHighlighter *m_editorHighlighter = nullptr;
    KSyntaxHighlighting::SyntaxHighlighter *m_wireHighlighter = nullptr;
    QTimer *m_recomputeTimer;
};

} // namespace gs::ui
