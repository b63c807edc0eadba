#include "core/compare/textdiff.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace Qt::StringLiterals;
using namespace gs::core;
using Kind = TextSegment::Kind;

namespace {

QString describe(const QList<TextSegment> &segments)
{
    QString out;
    for (const TextSegment &s : segments)
        out += s.kind == Kind::Equal  ? s.text
            : s.kind == Kind::Removed ? u"[-"_s + s.text + u"-]"_s
                                      : u"{+"_s + s.text + u"+}"_s;
    return out;
}

QString side(const QList<TextSegment> &segments, Kind other)
{
    QString out;
    for (const TextSegment &s : segments)
        if (s.kind == Kind::Equal || s.kind == other)
            out += s.text;
    return out;
}

//! The longest common subsequence of two word lists, by dynamic programming: what
//! Myers' algorithm must keep equal.
qsizetype lcsLength(const QStringList &a, const QStringList &b)
{
    std::vector<qsizetype> row(size_t(b.size() + 1), 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        qsizetype diagonal = 0;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype up = row[size_t(j)];
            row[size_t(j)] = a[i - 1] == b[j - 1] ? diagonal + 1 : std::max(up, row[size_t(j - 1)]);
            diagonal = up;
        }
    }
    return row[size_t(b.size())];
}

} // namespace

// The word-level text diff: words, spaces and punctuation as tokens, Unicode kept whole,
// both texts spelled back, and as few words changed as possible (against a dynamic
// programming reference on random texts).
class TestTextDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cases_data();
    void cases();
    void randomTextsAreMinimalAndWhole();
    void pastTheBudgetOrCanceledStillWhole();
    void wordsNotBlanksAreMatched();
};

void TestTextDiff::cases_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QString>("expected");
    QTest::newRow("equal") << u"An AI gateway routes requests."_s
                           << u"An AI gateway routes requests."_s
                           << u"An AI gateway routes requests."_s;
    QTest::newRow("one word") << u"the quick brown fox"_s << u"the slow brown fox"_s
                              << u"the [-quick-]{+slow+} brown fox"_s;
    QTest::newRow("added at the end") << u"Hello"_s << u"Hello, world."_s << u"Hello{+, world.+}"_s;
    QTest::newRow("from nothing") << QString() << u"new text"_s << u"{+new text+}"_s;
    QTest::newRow("to nothing") << u"old text"_s << QString() << u"[-old text-]"_s;
    QTest::newRow("punctuation alone")
        << u"It works."_s << u"It works!"_s << u"It works[-.-]{+!+}"_s;
    QTest::newRow("emoji kept whole")
        << u"I like 🍕 a lot"_s << u"I like 🍣 a lot"_s << u"I like [-🍕-]{+🍣+} a lot"_s;
    QTest::newRow("other scripts") << u"東京は 大きい 都市"_s << u"東京は 小さい 都市"_s
                                   << u"東京は [-大きい-]{+小さい+} 都市"_s;
    QTest::newRow("accents") << u"café crème"_s << u"cafe crème"_s << u"[-café-]{+cafe+} crème"_s;
    QTest::newRow("moved sentence") << u"one two three four"_s << u"three four one two"_s
                                    << u"[-one two -]three four{+ one two+}"_s;
}

void TestTextDiff::cases()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QString, expected);
    const QList<TextSegment> segments = diffWords(a, b);
    QCOMPARE(describe(segments), expected);
    QCOMPARE(side(segments, Kind::Removed), a);
    QCOMPARE(side(segments, Kind::Added), b);
}

void TestTextDiff::randomTextsAreMinimalAndWhole()
{
    QRandomGenerator random(99);
    const QStringList vocabulary { u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"ü"_s, u"🍕"_s };
    for (int round = 0; round < 2000; ++round) {
        QStringList wa;
        QStringList wb;
        for (int i = int(random.bounded(30)); i > 0; --i)
            wa << vocabulary[random.bounded(vocabulary.size())];
        for (int i = int(random.bounded(30)); i > 0; --i)
            wb << vocabulary[random.bounded(vocabulary.size())];
        const QString a = wa.join(u' ');
        const QString b = wb.join(u' ');
        const QList<TextSegment> segments = diffWords(a, b);
        QCOMPARE(side(segments, Kind::Removed), a);
        QCOMPARE(side(segments, Kind::Added), b);
        // The words kept equal are the LCS of the word lists (blanks are not matched).
        qsizetype equalTokens = 0;
        for (const TextSegment &s : segments) {
            if (s.kind == Kind::Equal)
                equalTokens += s.text.split(u' ', Qt::SkipEmptyParts).size();
        }
        QCOMPARE(equalTokens, lcsLength(wa, wb));
        // Adjacent pieces are never of one kind.
        for (qsizetype i = 1; i < segments.size(); ++i)
            QVERIFY(segments[i].kind != segments[i - 1].kind);
    }
}

void TestTextDiff::pastTheBudgetOrCanceledStillWhole()
{
    // Two long texts that differ almost everywhere: with a small budget, or canceled,
    // the answer is coarse but still spells both texts; a common head and tail stay
    // equal.
    QRandomGenerator random(7);
    QStringList wa;
    QStringList wb;
    for (int i = 0; i < 50'000; ++i) {
        wa << QString::number(random.bounded(1000));
        wb << QString::number(random.bounded(1000));
    }
    const QString a = u"Same start. "_s + wa.join(u' ') + u" Same end."_s;
    const QString b = u"Same start. "_s + wb.join(u' ') + u" Same end."_s;
    const QList<TextSegment> coarse = diffWords(a, b, nullptr, 10'000);
    QCOMPARE(side(coarse, Kind::Removed), a);
    QCOMPARE(side(coarse, Kind::Added), b);
    QCOMPARE(coarse.first().kind, Kind::Equal);
    QVERIFY(coarse.first().text.startsWith(u"Same start. "_s));
    QCOMPARE(coarse.last().kind, Kind::Equal);
    QVERIFY(coarse.last().text.endsWith(u" Same end."_s));
    // A small difference inside a long text stays exact under the same small budget.
    const QString c = a;
    QString d = a;
    d.replace(u"Same end."_s, u"Other end."_s);
    const QList<TextSegment> exact = diffWords(c, d, nullptr, 10'000);
    QVERIFY(describe(exact).endsWith(u"[-Same-]{+Other+} end."_s));
    const std::atomic<bool> canceled { true };
    const QList<TextSegment> stopped = diffWords(a, b, &canceled);
    QCOMPARE(side(stopped, Kind::Removed), a);
    QCOMPARE(side(stopped, Kind::Added), b);
}

void TestTextDiff::wordsNotBlanksAreMatched()
{
    // Two unrelated stretches share their spaces; matched space for space they would
    // leave every word apart. Blanks are not matched: the stretch is one change.
    const QString a = u"Yes. It routes each request, then stops."_s;
    const QString b = u"Yes. One endpoint speaks request, then stops."_s;
    const QList<TextSegment> segments = diffWords(a, b);
    QCOMPARE(describe(segments),
        u"Yes. [-It routes each-]{+One endpoint speaks+} request, then stops."_s);
    // White space that differs after an equal word is a change of its own.
    QCOMPARE(describe(diffWords(u"a  b"_s, u"a b"_s)), u"a[-  -]{+ +}b"_s);
    QCOMPARE(describe(diffWords(u"  lead"_s, u"lead"_s)), u"[-  -]lead"_s);
}

QTEST_GUILESS_MAIN(TestTextDiff)
#include "tst_textdiff.moc"
