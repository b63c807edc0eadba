#include "core/compare/textdiff.h"

#include <QHash>

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
    Myers(const std::vector<int> &a, const std::vector<int> &b)
        : m_a(a)
        , m_b(b)
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
        } else {
            const Snake s = middleSnake(aLo, aHi, bLo, bHi);
            diff(aLo, s.x, bLo, s.y, emit);
            if (s.u > s.x)
                emit(TextSegment::Kind::Equal, s.x, s.u, s.y, s.v);
            diff(s.u, aHi, s.v, bHi, emit);
        }
        if (tail > 0)
            emit(TextSegment::Kind::Equal, aHi, aHi + tail, bHi, bHi + tail);
    }

    Snake middleSnake(qsizetype aLo, qsizetype aHi, qsizetype bLo, qsizetype bHi)
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
                    return { aLo + x0, bLo + y0, aLo + x, bLo + y };
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
                    return { aHi - x, bHi - y, aHi - x0, bHi - y0 };
            }
        }
        // Not reached: a path of at most n + m edits always meets.
        return { aLo, bLo, aLo, bLo };
    }

    const std::vector<int> &m_a;
    const std::vector<int> &m_b;
    std::vector<qsizetype> m_forward;
    std::vector<qsizetype> m_backward;
};

} // namespace

QList<TextSegment> diffWords(const QString &a, const QString &b)
{
    const std::vector<QStringView> ta = tokens(a);
    const std::vector<QStringView> tb = tokens(b);
    QHash<QStringView, int> ids;
    const auto idsOf = [&ids](const std::vector<QStringView> &list) {
        std::vector<int> out;
        out.reserve(list.size());
        for (const QStringView t : list) {
            auto it = ids.constFind(t);
            if (it == ids.cend())
                it = ids.insert(t, int(ids.size()));
            out.push_back(*it);
        }
        return out;
    };
    const std::vector<int> ia = idsOf(ta);
    const std::vector<int> ib = idsOf(tb);

    QList<TextSegment> out;
    const auto add = [&out](TextSegment::Kind kind, const std::vector<QStringView> &list,
                         qsizetype from, qsizetype to) {
        if (from >= to)
            return;
        if (out.isEmpty() || out.last().kind != kind)
            out.append({ kind, {} });
        for (qsizetype i = from; i < to; ++i)
            out.last().text += list[size_t(i)];
    };
    Myers(ia, ib).run([&](TextSegment::Kind kind, qsizetype fromA, qsizetype toA, qsizetype fromB,
                          qsizetype toB) {
        if (kind == TextSegment::Kind::Added)
            add(kind, tb, fromB, toB);
        else
            add(kind, ta, fromA, toA);
    });
    return out;
}

} // namespace gs::core
