#include "core/stream/servertiming.h"

#include "core/model/httpheader.h"

#include <cmath>
#include <optional>

namespace gs::core {

namespace {

class Cursor
{
public:
    explicit Cursor(QByteArrayView text)
        : m_text(text)
    { }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool consume(char c)
    {
        if (peek() != c || atEnd())
            return false;
        ++m_pos;
        return true;
    }
    void skipWhitespace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    QByteArrayView token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }
    //! At an opening quote: the unescaped content, or nullopt when the string never
    //! closes (the rest of the text is then consumed).
    std::optional<QByteArray> quotedString()
    {
        ++m_pos; // the opening quote
        QByteArray out;
        while (!atEnd()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (c == '\\') {
                if (atEnd())
                    break;
                out += m_text[m_pos++];
                continue;
            }
            out += c;
        }
        return std::nullopt;
    }
    //! Skips anything up to the next ';' or ',' (whichever is in \a stops), stepping
    //! over quoted strings as a whole so that a quoted comma does not end the metric.
    void skipUntil(QByteArrayView stops)
    {
        while (!atEnd() && !stops.contains(peek())) {
            if (peek() == '"')
                quotedString();
            else
                ++m_pos;
        }
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

double parseDuration(const QByteArray &value)
{
    bool ok = false;
    const double d = value.toDouble(&ok);
    return ok && std::isfinite(d) ? d : 0.0;
}

} // namespace

QList<ServerTimingMetric> parseServerTiming(QByteArrayView value)
{
    QList<ServerTimingMetric> metrics;
    Cursor in(value);
    while (!in.atEnd()) {
        in.skipWhitespace();
        const QByteArrayView name = in.token();
        if (name.isEmpty()) {
            // Not a metric: drop everything up to the next list element.
            in.skipUntil(",");
            in.consume(',');
            continue;
        }
        ServerTimingMetric metric { QString::fromLatin1(name), 0, {} };
        in.skipWhitespace();
        if (!in.atEnd() && in.peek() != ';' && in.peek() != ',') {
            // Text right after a name: browsers keep the name without parameters and
            // read no further (web-platform-tests parsing cases 67 and 68).
            metrics.append(std::move(metric));
            break;
        }
        bool haveDuration = false;
        bool haveDescription = false;
        for (;;) {
            in.skipUntil(";,");
            if (!in.consume(';'))
                break;
            in.skipWhitespace();
            const QByteArray param = in.token().toByteArray().toLower();
            in.skipWhitespace();
            QByteArray paramValue;
            if (in.consume('=')) {
                in.skipWhitespace();
                if (in.peek() == '"')
                    paramValue = in.quotedString().value_or(QByteArray());
                else
                    paramValue = in.token().toByteArray();
            }
            // The first occurrence counts, even when its value is invalid.
            if (param == "dur" && !haveDuration) {
                haveDuration = true;
                metric.duration = parseDuration(paramValue);
            } else if (param == "desc" && !haveDescription) {
                haveDescription = true;
                metric.description = QString::fromUtf8(paramValue);
            }
        }
        metrics.append(std::move(metric));
        in.consume(',');
    }
    return metrics;
}

} // namespace gs::core

namespace gs::core {

QList<PlacedMetric> inferPlacement(const QList<ServerTimingMetric> &metrics)
{
    qsizetype envelope = -1;
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        if (metrics[i].name.compare(QLatin1StringView("total"), Qt::CaseInsensitive) == 0) {
            envelope = i;
            break;
        }
    }
    if (envelope < 0 && metrics.size() > 2) {
        double sum = 0;
        qsizetype longest = 0;
        for (qsizetype i = 0; i < metrics.size(); ++i) {
            sum += metrics[i].duration;
            if (metrics[i].duration > metrics[longest].duration)
                longest = i;
        }
        if (metrics[longest].duration > 0
            && metrics[longest].duration > sum - metrics[longest].duration)
            envelope = longest;
    }
    QList<PlacedMetric> placed;
    double cursor = 0;
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        PlacedMetric p { metrics[i], 0, i == envelope, true };
        if (!p.envelope) {
            p.start = cursor;
            cursor += std::max(0.0, metrics[i].duration);
        }
        placed.append(p);
    }
    return placed;
}

} // namespace gs::core
