#include "core/compare/textdiff.h"

#include <QHash>

#include <optional>
#include <vector>

namespace gs::core {

namespace {

enum class CharClass {
    Word,
    Space,
    Other
};

CharClass classOf(char32_t c)
{
    if (QChar::isLetterOrNumber(c) || c == U'_')
        return CharClass::Word;
    if (QChar::isSpace(c))
        return CharClass::Space;
    return CharClass::Other;
}

//! \a text cut into tokens (views into it).
std::vector<QStringView> tokens(const QString &text)
{
    std::vector<QStringView> out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    const auto codePoint = [&text, n](qsizetype at, qsizetype *length) {
        const QChar c = text.at(at);
        if (c.isHighSurrogate() && at + 1 < n && text.at(at + 1).isLowSurrogate()) {
            *length = 2;
            return QChar::surrogateToUcs4(c, text.at(at + 1));
        }
        *length = 1;
        return char32_t(c.unicode());
    };
    while (i < n) {
        qsizetype length = 0;
        const CharClass kind = classOf(codePoint(i, &length));
        qsizetype end = i + length;
        if (kind != CharClass::Other) {
            while (end < n) {
                qsizetype next = 0;
                if (classOf(codePoint(end, &next)) != kind)
                    break;
                end += next;
            }
        }
        out.push_back(QStringView(text).sliced(i, end - i));
        i = end;
    }
    return out;
}

//! Myers' O(ND) difference in linear space (the middle snake, divide and conquer),
//! over token ids.
class Myers
{
public:
    Myers(const std::vector<int> &a, const std::vector<int> &b, const std::atomic<bool> *cancel,
        qint64 budget)
        : m_a(a)
        , m_b(b)
        , m_cancel(cancel)
        , m_budget(budget)
    {
        const size_t size = 2 * (a.size() + b.size()) + 3;
        m_forward.assign(size, 0);
        m_backward.assign(size, 0);
    }

    //! Calls \a emit(kind, fromA, toA, fromB, toB) for each run, in order.
    template <typename Emit> void run(Emit &&emit)
    {
        diff(0, qsizetype(m_a.size()), 0, qsizetype(m_b.size()), emit);
    }

private:
    struct Snake
    {
        qsizetype x = 0;
        qsizetype y = 0;
        qsizetype u = 0;
        qsizetype v = 0;
    };

    template <typename Emit>
    void diff(qsizetype aLo, qsizetype aHi, qsizetype bLo, qsizetype bHi, Emit &emit)
    {
        // The common beginning and end first.
        qsizetype head = 0;
        while (aLo + head < aHi && bLo + head < bHi
            && m_a[size_t(aLo + head)] == m_b[size_t(bLo + head)])
            ++head;
        if (head > 0)
            emit(TextSegment::Kind::Equal, aLo, aLo + head, bLo, bLo + head);
        aLo += head;
        bLo += head;
        qsizetype tail = 0;
        while (aHi - tail > aLo && bHi - tail > bLo
            && m_a[size_t(aHi - tail - 1)] == m_b[size_t(bHi - tail - 1)])
            ++tail;
        aHi -= tail;
        bHi -= tail;
        if (aLo == aHi) {
            if (bLo < bHi)
                emit(TextSegment::Kind::Added, aLo, aLo, bLo, bHi);
        } else if (bLo == bHi) {
            emit(TextSegment::Kind::Removed, aLo, aHi, bLo, bLo);
        } else if (const std::optional<Snake> found = middleSnake(aLo, aHi, bLo, bHi); !found) {
            // Past the budget (or canceled): the stretch as one removal and one addition.
            emit(TextSegment::Kind::Removed, aLo, aHi, bLo, bLo);
            emit(TextSegment::Kind::Added, aHi, aHi, bLo, bHi);
        } else {
            const Snake s = *found;
            diff(aLo, s.x, bLo, s.y, emit);
            if (s.u > s.x)
                emit(TextSegment::Kind::Equal, s.x, s.u, s.y, s.v);
            diff(s.u, aHi, s.v, bHi, emit);
        }
        if (tail > 0)
            emit(TextSegment::Kind::Equal, aHi, aHi + tail, bHi, bHi + tail);
    }

    //! Nullopt when the budget ran out or the search was canceled.
    std::optional<Snake> middleSnake(qsizetype aLo, qsizetype aHi, qsizetype bLo, qsizetype bHi)
    {
        const qsizetype n = aHi - aLo;
        const qsizetype m = bHi - bLo;
        const qsizetype delta = n - m;
        const bool odd = (delta & 1) != 0;
        const qsizetype offset = qsizetype(m_forward.size() / 2);
        const qsizetype most = (n + m + 1) / 2;
        auto &vf = m_forward;
        auto &vb = m_backward;
        vf[size_t(offset + 1)] = 0;
        vb[size_t(offset + 1)] = 0;
        for (qsizetype d = 0; d <= most; ++d) {
            m_budget -= 2 * d + 2;
            if (m_budget < 0 || (m_cancel && m_cancel->load(std::memory_order_relaxed)))
                return std::nullopt;
            for (qsizetype k = -d; k <= d; k += 2) {
                qsizetype x
                    = (k == -d
                          || (k != d && vf[size_t(offset + k - 1)] < vf[size_t(offset + k + 1)]))
                    ? vf[size_t(offset + k + 1)]
                    : vf[size_t(offset + k - 1)] + 1;
                qsizetype y = x - k;
                const qsizetype x0 = x;
                const qsizetype y0 = y;
                while (x < n && y < m && m_a[size_t(aLo + x)] == m_b[size_t(bLo + y)]) {
                    ++x;
                    ++y;
                }
                vf[size_t(offset + k)] = x;
                const qsizetype kr = delta - k;
                if (odd && kr >= -(d - 1) && kr <= d - 1 && x + vb[size_t(offset + kr)] >= n)
                    return Snake { aLo + x0, bLo + y0, aLo + x, bLo + y };
            }
            for (qsizetype k = -d; k <= d; k += 2) {
                qsizetype x
                    = (k == -d
                          || (k != d && vb[size_t(offset + k - 1)] < vb[size_t(offset + k + 1)]))
                    ? vb[size_t(offset + k + 1)]
                    : vb[size_t(offset + k - 1)] + 1;
                qsizetype y = x - k;
                const qsizetype x0 = x;
                const qsizetype y0 = y;
                while (x < n && y < m && m_a[size_t(aHi - 1 - x)] == m_b[size_t(bHi - 1 - y)]) {
                    ++x;
                    ++y;
                }
                vb[size_t(offset + k)] = x;
                const qsizetype kf = delta - k;
                if (!odd && kf >= -d && kf <= d && x + vf[size_t(offset + kf)] >= n)
                    return Snake { aHi - x, bHi - y, aHi - x0, bHi - y0 };
            }
        }
        // Not reached: a path of at most n + m edits always meets.
        return std::nullopt;
    }

    const std::vector<int> &m_a;
    const std::vector<int> &m_b;
    const std::atomic<bool> *m_cancel;
    qint64 m_budget;
    std::vector<qsizetype> m_forward;
    std::vector<qsizetype> m_backward;
};

} // namespace

QList<TextSegment> diffWords(
    const QString &a, const QString &b, const std::atomic<bool> *cancel, qint64 budget)
{
    // Words and other characters are matched; the blanks after each ride along. Were
    // blanks tokens of their own, two unrelated sentences would match space for space
    // and leave every word apart.
    struct Token
    {
        QStringView core;
        QStringView blank; //!< the white space after it
    };
    struct Split
    {
        QStringView lead; //!< white space before the first token
        std::vector<Token> tokens;
    };
    const auto split = [](const QString &text) {
        Split out;
        for (const QStringView t : tokens(text)) {
            if (!t.isEmpty() && t.front().isSpace()) {
                if (out.tokens.empty())
                    out.lead = t;
                else
                    out.tokens.back().blank = t;
            } else {
                out.tokens.push_back({ t, {} });
            }
        }
        return out;
    };
    const Split sa = split(a);
    const Split sb = split(b);
    QHash<QStringView, int> ids;
    const auto idsOf = [&ids](const std::vector<Token> &list) {
        std::vector<int> out;
        out.reserve(list.size());
        for (const Token &t : list) {
            auto it = ids.constFind(t.core);
            if (it == ids.cend())
                it = ids.insert(t.core, int(ids.size()));
            out.push_back(*it);
        }
        return out;
    };
    const std::vector<int> ia = idsOf(sa.tokens);
    const std::vector<int> ib = idsOf(sb.tokens);

    QList<TextSegment> out;
    const auto add = [&out](TextSegment::Kind kind, QStringView text) {
        if (text.isEmpty())
            return;
        if (out.isEmpty() || out.last().kind != kind)
            out.append({ kind, {} });
        out.last().text += text;
    };
    const auto blanks = [&add](QStringView x, QStringView y) {
        if (x == y) {
            add(TextSegment::Kind::Equal, x);
        } else {
            add(TextSegment::Kind::Removed, x);
            add(TextSegment::Kind::Added, y);
        }
    };
    blanks(sa.lead, sb.lead);
    Myers(ia, ib, cancel, budget)
        .run([&](TextSegment::Kind kind, qsizetype fromA, qsizetype toA, qsizetype fromB,
                 qsizetype toB) {
            if (kind == TextSegment::Kind::Equal) {
                for (qsizetype k = 0; k < toA - fromA; ++k) {
                    const Token &x = sa.tokens[size_t(fromA + k)];
                    const Token &y = sb.tokens[size_t(fromB + k)];
                    add(TextSegment::Kind::Equal, x.core);
                    blanks(x.blank, y.blank);
                }
                return;
            }
            const bool removed = kind == TextSegment::Kind::Removed;
            const std::vector<Token> &list = removed ? sa.tokens : sb.tokens;
            for (qsizetype i = removed ? fromA : fromB; i < (removed ? toA : toB); ++i) {
                add(kind, list[size_t(i)].core);
                add(kind, list[size_t(i)].blank);
            }
        });
    // A change reads as what went, then what came: each run of changes as one removal
    // and one addition.
    QList<TextSegment> runs;
    for (qsizetype i = 0; i < out.size();) {
        if (out[i].kind == TextSegment::Kind::Equal) {
            runs.append(std::move(out[i++]));
            continue;
        }
        TextSegment removed { TextSegment::Kind::Removed, {} };
        TextSegment added { TextSegment::Kind::Added, {} };
        for (; i < out.size() && out[i].kind != TextSegment::Kind::Equal; ++i)
            (out[i].kind == TextSegment::Kind::Removed ? removed : added).text += out[i].text;
        for (TextSegment *piece : { &removed, &added })
            if (!piece->text.isEmpty())
                runs.append(std::move(*piece));
    }
    out = std::move(runs);
    // "[-café -]{+cafe +}crème" reads better as "[-café-]{+cafe+} crème": a removal
    // and an addition that end in the same blank before an equal stretch give it to it.
    for (qsizetype i = 0; i + 2 < out.size(); ++i) {
        TextSegment &x = out[i];
        TextSegment &y = out[i + 1];
        if (x.kind != TextSegment::Kind::Removed || y.kind != TextSegment::Kind::Added
            || out[i + 2].kind != TextSegment::Kind::Equal)
            continue;
        qsizetype blank = 0;
        while (blank < std::min(x.text.size(), y.text.size()) - 1
            && x.text[x.text.size() - 1 - blank] == y.text[y.text.size() - 1 - blank]
            && x.text[x.text.size() - 1 - blank].isSpace())
            ++blank;
        if (blank == 0)
            continue;
        out[i + 2].text.prepend(x.text.last(blank));
        x.text.chop(blank);
        y.text.chop(blank);
    }
    return out;
}

} // namespace gs::core
