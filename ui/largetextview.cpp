#include "largetextview.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QPointer>
#include <QScrollBar>
#include <QStringDecoder>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <functional>

using namespace Qt::StringLiterals;

namespace gs::ui {

struct LargeTextView::Batch
{
    QByteArray text; //!< lines, each ending in '\n'
    QList<qint32> starts; //!< where each line starts in text
    qint64 longest = 0;
    qint64 consumed = 0; //!< input bytes formatted so far, for progress
};

namespace {

constexpr qint64 kHexBytesPerRow = 16;
constexpr qsizetype kFirstBatchBytes = 32 * 1024; // the first screen, as soon as possible
constexpr qsizetype kBatchBytes = 2 * 1024 * 1024;
constexpr qsizetype kMaxLexedBytes = 16 * 1024; // colour at most this much of one line

// Re-indents JSON text byte by byte (two spaces a level), handing lines over in
// batches. Does not validate: text that is not quite JSON comes out re-indented as
// well as it goes, never dropped.
class JsonFormatter
{
public:
    using Publish = std::function<void(std::shared_ptr<LargeTextView::Batch>)>;

    JsonFormatter(QByteArrayView input, const std::atomic<bool> &cancel, Publish publish)
        : m_input(input)
        , m_cancel(cancel)
        , m_publish(std::move(publish))
    {
        startBatch();
    }

    void run(LargeTextView::Kind kind)
    {
        if (kind == LargeTextView::Kind::Json)
            formatJson(m_input, 0);
        else if (kind == LargeTextView::Kind::Events)
            formatEvents();
        else
            splitLines();
        if (m_cancel)
            return;
        if (m_lineStart < m_batch->text.size())
            newline(false);
        publish(m_input.size()); // the last batch says that everything is done
    }

private:
    void startBatch()
    {
        m_batch = std::make_shared<LargeTextView::Batch>();
        m_batch->text.reserve(m_published == 0 ? kFirstBatchBytes + 4096 : kBatchBytes + 4096);
        m_batch->starts.append(0);
        m_lineStart = 0;
    }

    void publish(qint64 consumed)
    {
        m_batch->starts.removeLast(); // the start of a line that is not in this batch
        m_batch->consumed = consumed;
        m_publish(m_batch);
        ++m_published;
        startBatch();
    }

    void newline(bool mayPublish, qint64 consumed = 0)
    {
        QByteArray &t = m_batch->text;
        m_batch->longest = std::max<qint64>(m_batch->longest, t.size() - m_lineStart);
        t += '\n';
        m_lineStart = t.size();
        m_batch->starts.append(qint32(m_lineStart));
        const qsizetype limit = m_published == 0 ? kFirstBatchBytes : kBatchBytes;
        if (mayPublish && t.size() >= limit)
            publish(consumed);
    }

    void indent() { m_batch->text.append(QByteArray(qsizetype(m_depth) * 2, ' ')); }

    // \a input is a part of m_input starting at \a base (for the progress).
    void formatJson(QByteArrayView input, qsizetype base)
    {
        const char *p = input.data();
        const qsizetype n = input.size();
        bool inString = false;
        m_depth = 0;
        for (qsizetype i = 0; i < n; ++i) {
            if ((i & 0xFFFF) == 0 && m_cancel)
                return;
            const char c = p[i];
            QByteArray &t = m_batch->text;
            if (inString) {
                // Copy the string up to its closing quote in one go.
                qsizetype j = i;
                while (j < n && p[j] != '"' && p[j] != '\\')
                    ++j;
                t.append(p + i, j - i);
                if (j >= n) {
                    i = j;
                    break;
                }
                if (p[j] == '\\') {
                    t.append(p + j, std::min<qsizetype>(2, n - j));
                    i = j + 1;
                } else {
                    t += '"';
                    inString = false;
                    i = j;
                }
                continue;
            }
            switch (c) {
            case ' ':
            case '\t':
            case '\n':
            case '\r':
                break;
            case '"':
                t += '"';
                inString = true;
                break;
            case '{':
            case '[': {
                // An empty container stays on its line.
                qsizetype j = i + 1;
                while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\n' || p[j] == '\r'))
                    ++j;
                const char close = c == '{' ? '}' : ']';
                if (j < n && p[j] == close) {
                    t += c;
                    t += close;
                    i = j;
                    break;
                }
                t += c;
                ++m_depth;
                newline(true, base + i);
                indent();
                break;
            }
            case '}':
            case ']':
                m_depth = std::max(0, m_depth - 1);
                newline(true, base + i);
                indent();
                m_batch->text += c;
                break;
            case ',':
                t += ',';
                newline(true, base + i);
                indent();
                break;
            case ':':
                t += ": ";
                break;
            default:
                t += c;
                break;
            }
        }
    }

    // An object, or an array of JSON values: not "[DONE]".
    static bool startsJson(QByteArrayView text)
    {
        if (text.startsWith('{'))
            return true;
        if (!text.startsWith('['))
            return false;
        const QByteArrayView rest = text.sliced(1).trimmed();
        return !rest.isEmpty() && QByteArrayView("{[\"]-0123456789tfn").contains(rest.front());
    }

    // An event stream (or NDJSON): each "data:" line, or line, that holds a JSON
    // object or array comes out re-indented under its field; the rest as it is.
    void formatEvents()
    {
        eachLine([this](QByteArrayView whole) {
            QByteArrayView line = whole;
            QByteArrayView field;
            if (line.startsWith("data:")) {
                field = line.first(5);
                line = line.sliced(5);
                if (line.startsWith(' '))
                    line = line.sliced(1);
            }
            const QByteArrayView trimmed = line.trimmed();
            if (!startsJson(trimmed)) {
                m_batch->text.append(whole.data(), whole.size());
                return;
            }
            if (!field.isEmpty()) {
                m_batch->text.append(field.data(), field.size());
                m_batch->text += ' ';
            }
            formatJson(trimmed, trimmed.data() - m_input.data());
        });
    }

    void splitLines()
    {
        eachLine([this](QByteArrayView line) { m_batch->text.append(line.data(), line.size()); });
    }

    // Hands \a write each line of the input (without its CR LF or LF) and ends it.
    void eachLine(const std::function<void(QByteArrayView)> &write)
    {
        const char *p = m_input.data();
        const qsizetype n = m_input.size();
        qsizetype i = 0;
        while (i < n) {
            if (m_cancel)
                return;
            const void *nl = std::memchr(p + i, '\n', std::size_t(n - i));
            const qsizetype end = nl ? static_cast<const char *>(nl) - p : n;
            qsizetype lineEnd = end;
            if (lineEnd > i && p[lineEnd - 1] == '\r')
                --lineEnd;
            write(QByteArrayView(p + i, lineEnd - i));
            i = end + 1;
            if (nl)
                newline(true, i);
        }
    }

    QByteArrayView m_input;
    const std::atomic<bool> &m_cancel;
    Publish m_publish;
    std::shared_ptr<LargeTextView::Batch> m_batch;
    qsizetype m_lineStart = 0;
    int m_depth = 0;
    int m_published = 0;
};

enum class Token {
    Plain,
    Key,
    String,
    Number,
    Literal,
    Punctuation
};

struct Span
{
    qsizetype from;
    qsizetype to;
    Token token;
};

// JSON colouring of one line, from its start: strings (keys apart), numbers,
// literals, punctuation.
QList<Span> lexJson(QByteArrayView line)
{
    QList<Span> spans;
    const qsizetype n = std::min<qsizetype>(line.size(), kMaxLexedBytes);
    qsizetype i = 0;
    while (i < n) {
        const char c = line[i];
        if (c == '"') {
            qsizetype j = i + 1;
            while (j < n && line[j] != '"')
                j += line[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, n);
            qsizetype k = j;
            while (k < n && line[k] == ' ')
                ++k;
            spans.append({ i, j, k < n && line[k] == ':' ? Token::Key : Token::String });
            i = j;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            qsizetype j = i + 1;
            while (j < n
                && (std::isdigit(static_cast<unsigned char>(line[j])) || line[j] == '.'
                    || line[j] == 'e' || line[j] == 'E' || line[j] == '+' || line[j] == '-'))
                ++j;
            spans.append({ i, j, Token::Number });
            i = j;
        } else if (c == 't' || c == 'f' || c == 'n') {
            qsizetype j = i;
            while (j < n && std::isalpha(static_cast<unsigned char>(line[j])))
                ++j;
            spans.append({ i, j, Token::Literal });
            i = j;
        } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
            spans.append({ i, i + 1, Token::Punctuation });
            ++i;
        } else {
            ++i;
        }
    }
    if (n < line.size())
        spans.append({ n, line.size(), Token::Plain });
    return spans;
}

QByteArray hexRow(QByteArrayView bytes, qint64 offset)
{
    QByteArray row = QByteArray::number(offset, 16).rightJustified(8, '0');
    row += "  ";
    for (qint64 i = 0; i < kHexBytesPerRow; ++i) {
        if (i < bytes.size()) {
            const auto b = static_cast<unsigned char>(bytes[i]);
            row += "0123456789abcdef"[b >> 4];
            row += "0123456789abcdef"[b & 15];
        } else {
            row += "  ";
        }
        row += i == 7 ? "  " : " ";
    }
    row += " |";
    for (const char ch : bytes)
        row += (ch >= 0x20 && ch < 0x7F) ? ch : '.';
    row += '|';
    return row;
}

} // namespace

LargeTextView::LargeTextView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    setAccessibleName(tr("Response body"));
}

LargeTextView::~LargeTextView()
{
    stopFormatting();
}

void LargeTextView::clear()
{
    setContent({}, Kind::Text);
}

bool LargeTextView::looksBinary(QByteArrayView bytes)
{
    // The beginning decides: a NUL, or bytes that are not UTF-8.
    constexpr qsizetype kSample = 64 * 1024;
    QByteArrayView sample = bytes.first(std::min(bytes.size(), kSample));
    if (sample.contains('\0'))
        return true;
    // A sample cut inside a character is not an error: its last bytes are left out.
    if (sample.size() < bytes.size())
        sample.chop(std::min<qsizetype>(3, sample.size()));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(sample);
    return decoder.hasError();
}

void LargeTextView::setContent(const QByteArray &bytes, Kind kind)
{
    m_source = bytes;
    m_kind = kind;
    m_binary = looksBinary(m_source);
    prepareLines();
}

void LargeTextView::prepareLines()
{
    stopFormatting();
    m_batches.clear();
    m_firstLine.clear();
    m_lineTotal = 0;
    m_longestLine = 0;
    m_anchor = m_cursor = -1;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    // A hex dump needs no preparation; lines do (on the worker).
    if (!showsHex() && !m_source.isEmpty())
        startFormatting();
    updateScrollBars();
    viewport()->update();
}

void LargeTextView::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    prepareLines();
}

void LargeTextView::setTheme(const KSyntaxHighlighting::Theme &theme)
{
    m_theme = theme;
    viewport()->update();
}

void LargeTextView::startFormatting()
{
    m_formatting = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const QByteArray source = m_source; // shared, not copied
    // Raw text is shown line by line as it is; Pretty re-indents what it can.
    const Kind kind = m_mode == Mode::Raw ? Kind::Text : m_kind;
    auto cancel = m_cancel;
    QPointer<LargeTextView> self(this);
    m_worker = QtConcurrent::run([source, kind, cancel, self] {
        JsonFormatter formatter(source, *cancel, [&](std::shared_ptr<Batch> batch) {
            if (*cancel)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, cancel, batch] {
                    if (self && !*cancel)
                        self->acceptBatch(batch);
                },
                Qt::QueuedConnection);
        });
        formatter.run(kind);
    });
}

void LargeTextView::stopFormatting()
{
    if (m_cancel)
        *m_cancel = true;
    if (m_worker.isRunning())
        m_worker.waitForFinished();
    m_formatting = false;
}

void LargeTextView::acceptBatch(const std::shared_ptr<Batch> &batch)
{
    const bool first = m_lineTotal == 0 && !batch->starts.isEmpty();
    const qint64 before = m_lineTotal;
    m_batches.append(batch);
    m_firstLine.append(m_lineTotal);
    m_lineTotal += batch->starts.size();
    m_longestLine = std::max(m_longestLine, batch->longest);
    const qint64 total = m_source.size();
    if (batch->consumed >= total)
        m_formatting = false;
    updateScrollBars();
    // Repaint only when the new lines can be on screen.
    if (before < verticalScrollBar()->value() + verticalScrollBar()->pageStep() + 1)
        viewport()->update();
    Q_EMIT formattingProgress(batch->consumed, total);
    if (first)
        Q_EMIT firstLinesReady();
}

qint64 LargeTextView::lineCount() const
{
    if (showsHex())
        return (m_source.size() + kHexBytesPerRow - 1) / kHexBytesPerRow;
    return m_lineTotal;
}

QByteArrayView LargeTextView::line(qint64 index) const
{
    if (showsHex() || index < 0 || index >= m_lineTotal)
        return {};
    const auto it = std::ranges::upper_bound(m_firstLine, index);
    const auto batchIndex = qsizetype(std::distance(m_firstLine.cbegin(), it)) - 1;
    const Batch &b = *m_batches[batchIndex];
    const auto local = qsizetype(index - m_firstLine[batchIndex]);
    const qsizetype start = b.starts[local];
    const qsizetype end = local + 1 < b.starts.size() ? b.starts[local + 1] - 1 : b.text.size() - 1;
    return QByteArrayView(b.text).sliced(start, std::max<qsizetype>(0, end - start));
}

QString LargeTextView::lineText(qint64 index) const
{
    if (showsHex()) {
        const qint64 offset = index * kHexBytesPerRow;
        if (index < 0 || offset >= m_source.size())
            return {};
        return QString::fromLatin1(hexRow(QByteArrayView(m_source).sliced(offset,
                                              std::min(kHexBytesPerRow, m_source.size() - offset)),
            offset));
    }
    return QString::fromUtf8(line(index));
}

QString LargeTextView::selectedText() const
{
    if (m_anchor < 0)
        return {};
    const qint64 from = std::min(m_anchor, m_cursor);
    const qint64 to = std::max(m_anchor, m_cursor);
    QStringList lines;
    for (qint64 i = from; i <= to && i < lineCount(); ++i)
        lines << lineText(i);
    return lines.join(u'\n');
}

void LargeTextView::updateScrollBars()
{
    const QFontMetrics fm(font());
    const int lineHeight = std::max(1, fm.height());
    const int visible = std::max(1, viewport()->height() / lineHeight);
    const qint64 lines = lineCount();
    verticalScrollBar()->setRange(0, int(std::clamp<qint64>(lines - visible, 0, INT_MAX)));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
    const qint64 longest
        = showsHex() ? 8 + 2 + kHexBytesPerRow * 3 + 2 + kHexBytesPerRow + 3 : m_longestLine;
    const qint64 gutter = showsHex() ? 0 : QString::number(lines).size() + 2;
    const qint64 width = (longest + gutter + 2) * fm.horizontalAdvance(u'M');
    horizontalScrollBar()->setRange(
        0, int(std::clamp<qint64>(width - viewport()->width(), 0, INT_MAX / 2)));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(fm.horizontalAdvance(u'M') * 4);
}

qint64 LargeTextView::rowAt(int y) const
{
    const int lineHeight = std::max(1, QFontMetrics(font()).height());
    return verticalScrollBar()->value() + y / lineHeight;
}

void LargeTextView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &pal = palette();
    const bool themed = m_theme.isValid();
    const auto editorColor
        = [&](KSyntaxHighlighting::Theme::EditorColorRole role, QColor fallback) {
              return themed ? QColor::fromRgba(m_theme.editorColor(role)) : fallback;
          };
    const QColor background
        = editorColor(KSyntaxHighlighting::Theme::BackgroundColor, pal.color(QPalette::Base));
    painter.fillRect(viewport()->rect(), background);
    painter.setFont(font());
    const QFontMetrics fm(font());
    const int lineHeight = std::max(1, fm.height());
    const int charWidth = fm.horizontalAdvance(u'M');
    const qint64 first = verticalScrollBar()->value();
    const qint64 rows = viewport()->height() / lineHeight + 1;
    const qint64 lines = lineCount();
    const int hscroll = horizontalScrollBar()->value();

    const QColor normal = themed
        ? QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::Normal))
        : pal.color(QPalette::Text);
    const auto colorFor = [&](Token t) -> QColor {
        if (!themed)
            return normal;
        switch (t) {
        case Token::Key:
            return QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::DataType));
        case Token::String:
            return QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::String));
        case Token::Number:
            return QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::DecVal));
        case Token::Literal:
            return QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::Keyword));
        case Token::Punctuation:
        case Token::Plain:
            break;
        }
        return normal;
    };
    const QColor gutterColor = editorColor(
        KSyntaxHighlighting::Theme::LineNumbers, pal.color(QPalette::PlaceholderText));
    const QColor selection
        = editorColor(KSyntaxHighlighting::Theme::TextSelection, pal.color(QPalette::Highlight));

    if (lines == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(8, 4, 0, 0), Qt::AlignLeft | Qt::AlignTop,
            m_formatting ? tr("Formatting…") : tr("No body."));
        return;
    }
    const int gutterChars = showsHex() ? 0 : int(QString::number(lines).size()) + 2;
    const int textLeft = gutterChars * charWidth + 4 - hscroll;
    const qint64 selFrom = m_anchor < 0 ? -1 : std::min(m_anchor, m_cursor);
    const qint64 selTo = m_anchor < 0 ? -1 : std::max(m_anchor, m_cursor);
    // Only the bytes of a line that can be on screen are drawn.
    const qint64 firstColumn
        = std::max<qint64>(0, (hscroll - gutterChars * charWidth) / charWidth - 1);
    const qint64 columns = viewport()->width() / charWidth + 3;

    for (qint64 r = 0; r < rows && first + r < lines; ++r) {
        const qint64 index = first + r;
        const int y = int(r) * lineHeight;
        if (index >= selFrom && index <= selTo)
            painter.fillRect(QRect(0, y, viewport()->width(), lineHeight), selection);
        const int baseline = y + fm.ascent();
        if (showsHex()) {
            painter.setPen(normal);
            painter.drawText(textLeft, baseline, lineText(index));
            continue;
        }
        const QByteArrayView text = line(index);
        const auto drawSlice = [&](qsizetype from, qsizetype to, const QColor &color) {
            from = std::max<qsizetype>(from, firstColumn);
            to = std::min<qsizetype>(to, firstColumn + columns);
            if (from >= to)
                return;
            painter.setPen(color);
            painter.drawText(textLeft + int(from) * charWidth, baseline,
                QString::fromUtf8(text.sliced(from, to - from)));
        };
        if (m_kind != Kind::Text) {
            qsizetype at = 0;
            for (const Span &s : lexJson(text)) {
                if (s.from > at)
                    drawSlice(at, s.from, normal);
                drawSlice(s.from, s.to, colorFor(s.token));
                at = s.to;
            }
            if (at < text.size())
                drawSlice(at, text.size(), normal);
        } else {
            drawSlice(0, text.size(), normal);
        }
    }
    if (gutterChars > 0) {
        const int gutterWidth = gutterChars * charWidth;
        painter.fillRect(QRect(0, 0, gutterWidth, viewport()->height()), background);
        painter.setPen(gutterColor);
        for (qint64 r = 0; r < rows && first + r < lines; ++r) {
            painter.drawText(QRect(0, int(r) * lineHeight, gutterWidth - charWidth, lineHeight),
                Qt::AlignRight | Qt::AlignVCenter, QString::number(first + r + 1));
        }
    }
}

void LargeTextView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LargeTextView::mousePressEvent(QMouseEvent *event)
{
    const qint64 row = std::min(rowAt(int(event->position().y())), lineCount() - 1);
    if (row < 0)
        return;
    if (event->modifiers().testFlag(Qt::ShiftModifier) && m_anchor >= 0) {
        m_cursor = row;
    } else {
        m_anchor = m_cursor = row;
    }
    viewport()->update();
}

void LargeTextView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(selectedText());
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        m_anchor = 0;
        m_cursor = lineCount() - 1;
        viewport()->update();
        return;
    }
    QScrollBar *v = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Down:
        v->setValue(v->value() + 1);
        break;
    case Qt::Key_Up:
        v->setValue(v->value() - 1);
        break;
    case Qt::Key_PageDown:
        v->setValue(v->value() + v->pageStep());
        break;
    case Qt::Key_PageUp:
        v->setValue(v->value() - v->pageStep());
        break;
    case Qt::Key_Home:
        v->setValue(0);
        break;
    case Qt::Key_End:
        v->setValue(v->maximum());
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void LargeTextView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        updateScrollBars();
}

} // namespace gs::ui
