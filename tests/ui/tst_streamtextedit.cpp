#include "ui/streamtextedit.h"

#include <QApplication>
#include <QClipboard>
#include <QTest>
#include <QTextBlock>

using namespace gs::ui;
using namespace Qt::StringLiterals;

class TestStreamTextEdit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longParagraphStaysInBoundedBlocks();
    void lineBreaksAndSeamsAreTold();
    void copyGivesTheTextAsItArrived();
};

void TestStreamTextEdit::longParagraphStaysInBoundedBlocks()
{
    StreamTextEdit edit;
    QString expected;
    // 60,000 characters of sentences and no line break, a token at a time.
    for (int i = 0; i < 12'000; ++i) {
        const QString token = i % 9 == 8 ? u"end. "_s : u"word "_s;
        edit.appendStreamed(token);
        expected += token;
    }
    QCOMPARE(edit.text(), expected);
    QVERIFY(edit.document()->blockCount() > 20);
    for (QTextBlock b = edit.document()->begin(); b.isValid(); b = b.next())
        QVERIFY(b.length() <= StreamTextEdit::kSoftBlockLength * 2);
}

void TestStreamTextEdit::lineBreaksAndSeamsAreTold()
{
    StreamTextEdit edit;
    const QString text = u"first line\nsecond line\n\nafter a blank line "_s;
    for (const QChar c : text)
        edit.appendStreamed(QString(c));
    QCOMPARE(edit.text(), text);
    // A run without any space is cut too, but only when very long, and nothing is lost.
    StreamTextEdit run;
    const QString blob(StreamTextEdit::kSoftBlockLength * 5, u'x');
    run.appendStreamed(blob);
    QCOMPARE(run.text(), blob);
    QVERIFY(run.document()->blockCount() >= 2);
}

void TestStreamTextEdit::copyGivesTheTextAsItArrived()
{
    StreamTextEdit edit;
    QString expected;
    for (int i = 0; i < 2'000; ++i) {
        const QString token = u"Sentence %1. "_s.arg(i);
        edit.appendStreamed(token);
        expected += token;
    }
    edit.appendStreamed(u"\nlast"_s);
    expected += u"\nlast"_s;
    edit.selectAll();
    edit.copy();
    QCOMPARE(QApplication::clipboard()->text(), expected);
}

QTEST_MAIN(TestStreamTextEdit)
#include "tst_streamtextedit.moc"
