#include "core/json/jsonedit.h"

#include "core/json/jsonutil.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gs::core {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

//! Reads the text of a valid JSON document (checked before), one token at a time.
class Scanner
{
public:
    explicit Scanner(QByteArrayView text)
        : m_text(text)
    { }

    qsizetype at() const { return m_at; }
    char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }
    void skipSpace()
    {
        while (m_at < m_text.size() && isSpace(m_text[m_at]))
            ++m_at;
    }
    void take() { ++m_at; }
    //! Past a string (at its opening quote); returns its text with the quotes.
    QByteArrayView string()
    {
        const qsizetype start = m_at++;
        while (m_at < m_text.size() && m_text[m_at] != '"')
            m_at += m_text[m_at] == '\\' ? 2 : 1;
        ++m_at;
        return m_text.sliced(start, m_at - start);
    }
    //! Past one value of any kind.
    void value()
    {
        if (peek() == '"') {
            string();
            return;
        }
        if (peek() == '{' || peek() == '[') {
            int depth = 0;
            do {
                const char c = peek();
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '{' || c == '[')
                    ++depth;
                else if (c == '}' || c == ']')
                    --depth;
                take();
            } while (depth > 0 && m_at < m_text.size());
            return;
        }
        while (m_at < m_text.size() && !isSpace(peek()) && peek() != ',' && peek() != '}'
            && peek() != ']')
            take();
    }

private:
    QByteArrayView m_text;
    qsizetype m_at = 0;
};

//! The member name a quoted key stands for (escapes read as JSON reads them).
QByteArray keyOf(QByteArrayView quoted)
{
    if (!quoted.contains('\\'))
        return quoted.sliced(1, quoted.size() - 2).toByteArray();
    const QJsonDocument doc = QJsonDocument::fromJson("[" + quoted.toByteArray() + "]");
    return doc.array().first().toString().toUtf8();
}

} // namespace

std::optional<QByteArray> withTopLevelMember(
    QByteArrayView json, QByteArrayView key, QByteArrayView valueJson)
{
    if (!parseJsonObject(json))
        return std::nullopt;
    Scanner scan(json);
    scan.skipSpace();
    scan.take(); // {
    const qsizetype open = scan.at();
    qsizetype firstKey = -1;
    QByteArray separator = ":";
    qsizetype valueStart = -1;
    qsizetype valueEnd = -1;
    std::optional<QByteArray> afterComma; //!< the space between the first two members
    scan.skipSpace();
    while (scan.peek() == '"') {
        const qsizetype keyStart = scan.at();
        if (firstKey < 0)
            firstKey = keyStart;
        const QByteArray name = keyOf(scan.string());
        const qsizetype afterKey = scan.at();
        scan.skipSpace();
        scan.take(); // :
        scan.skipSpace();
        if (keyStart == firstKey)
            separator = json.sliced(afterKey, scan.at() - afterKey).toByteArray();
        const qsizetype start = scan.at();
        scan.value();
        if (name == key) {
            valueStart = start;
            valueEnd = scan.at();
        }
        scan.skipSpace();
        if (scan.peek() != ',')
            break;
        scan.take();
        const qsizetype comma = scan.at();
        scan.skipSpace();
        if (!afterComma)
            afterComma = json.sliced(comma, scan.at() - comma).toByteArray();
    }

    QByteArray out = json.toByteArray();
    if (valueStart >= 0) {
        out.replace(valueStart, valueEnd - valueStart, valueJson.toByteArray());
        return out;
    }
    const QByteArray member = jsonString(QString::fromUtf8(key)) + separator + valueJson;
    if (firstKey < 0) {
        // An empty object: the member alone, inside whatever space it had.
        out.insert(open, member);
        return out;
    }
    // Before the first member, on a line of its own with the first member's indent
    // when the object spans lines, else spaced as the members are.
    const QByteArrayView before = json.sliced(open, firstKey - open);
    const QByteArray gap
        = before.contains('\n') ? before.toByteArray() : afterComma.value_or(before.toByteArray());
    out.insert(firstKey, member + "," + gap);
    return out;
}

} // namespace gs::core
