#pragma once

#include <KSyntaxHighlighting/Theme>
#include <QAbstractScrollArea>
#include <QByteArray>
#include <QFuture>

#include <atomic>
#include <memory>

namespace gs::ui {

//! A read-only view of a body of any size: only the visible lines are laid out and
//! coloured, so a 100 MB body shows its first screen at once and scrolls smoothly.
//!
//! Pretty mode re-indents JSON, and the JSON of an event stream's "data:" lines (or
//! NDJSON's lines), on a worker thread and shows lines as they are formatted (any
//! other text is shown line by line as it is); Raw mode shows text as it is, and a
//! binary body as a hex dump, 16 bytes a row, which needs no preparation at all. Click selects a
//! line, Shift+click extends, Ctrl+C copies the selected lines.
class LargeTextView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LargeTextView)

public:
    enum class Mode {
        Pretty,
        Raw
    };
    //! What the bytes are, for Pretty.
    enum class Kind {
        Text,
        Json,
        Events //!< an event stream or NDJSON: JSON a line
    };

    explicit LargeTextView(QWidget *parent = nullptr);
    ~LargeTextView() override;

    //! Shows \a bytes (shared, not copied).
    void setContent(const QByteArray &bytes, Kind kind);
    //! Whether Raw shows a hex dump: the bytes do not read as UTF-8 text.
    bool isBinary() const { return m_binary; }
    static bool looksBinary(QByteArrayView bytes);
    void clear();
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setTheme(const KSyntaxHighlighting::Theme &theme);

    //! Lines ready to show (grows while a Pretty body is being formatted).
    qint64 lineCount() const;
    //! The text of line \a index (without its line break).
    QString lineText(qint64 index) const;
    //! Whether Pretty formatting is still running.
    bool isFormatting() const { return m_formatting; }
    QString selectedText() const;

    struct Batch; //!< text formatted by the worker, with its line starts (internal)

Q_SIGNALS:
    //! Pretty formatting advanced: \a done of \a total input bytes.
    void formattingProgress(qint64 done, qint64 total);
    //! The first lines are ready to paint.
    void firstLinesReady();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    //! (Re)builds the lines for the content and the mode.
    void prepareLines();
    bool showsHex() const { return m_mode == Mode::Raw && m_binary; }
    void startFormatting();
    void stopFormatting();
    void acceptBatch(const std::shared_ptr<Batch> &batch);
    void updateScrollBars();
    QByteArrayView line(qint64 index) const;
    qint64 rowAt(int y) const;

    QByteArray m_source;
    Kind m_kind = Kind::Text;
    bool m_binary = false;
    Mode m_mode = Mode::Pretty;
    KSyntaxHighlighting::Theme m_theme;

    // Pretty lines: the worker's batches, in order, and the index of the first line
    // of each (a line is found by binary search: taking a batch costs nothing).
    QList<std::shared_ptr<Batch>> m_batches;
    QList<qint64> m_firstLine;
    qint64 m_lineTotal = 0;
    qint64 m_longestLine = 0;
    bool m_formatting = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFuture<void> m_worker;

    qint64 m_anchor = -1;
    qint64 m_cursor = -1;
};

} // namespace gs::ui
