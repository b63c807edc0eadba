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
        // Words and spaces alternate, so the tokens kept equal are the LCS of the
        // token lists: count the equal tokens.
        QStringList ta;
        QStringList tb;
        for (qsizetype i = 0; i < wa.size(); ++i)
            ta << wa[i] << (i + 1 < wa.size() ? u" "_s : QString());
        for (qsizetype i = 0; i < wb.size(); ++i)
            tb << wb[i] << (i + 1 < wb.size() ? u" "_s : QString());
        ta.removeAll(QString());
        tb.removeAll(QString());
        qsizetype equalTokens = 0;
        for (const TextSegment &s : segments) {
            if (s.kind != Kind::Equal)
                continue;
            // Count tokens in the equal text: words and single spaces.
            equalTokens += s.text.count(u' ');
            equalTokens += s.text.split(u' ', Qt::SkipEmptyParts).size();
        }
        QCOMPARE(equalTokens, lcsLength(ta, tb));
        // Adjacent pieces are never of one kind.
        for (qsizetype i = 1; i < segments.size(); ++i)
            QVERIFY(segments[i].kind != segments[i - 1].kind);
    }
}

QTEST_GUILESS_MAIN(TestTextDiff)
#include "tst_textdiff.moc"
