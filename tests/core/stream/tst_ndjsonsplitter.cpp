#include "core/stream/ndjsonsplitter.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

class TestNdjsonSplitter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_data();
    void split();
};

void TestNdjsonSplitter::split_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArrayList>("expected");

    QTest::newRow("two lines") << "{\"a\":1}\n{\"a\":2}\n"_ba
                               << QByteArrayList { "{\"a\":1}", "{\"a\":2}" };
    QTest::newRow("crlf") << "{\"a\":1}\r\n{\"a\":2}\r\n"_ba
                          << QByteArrayList { "{\"a\":1}", "{\"a\":2}" };
    QTest::newRow("last line without newline")
        << "{\"a\":1}\n{\"done\":true}"_ba << QByteArrayList { "{\"a\":1}", "{\"done\":true}" };
    QTest::newRow("blank lines skipped")
        << "\n{\"a\":1}\n\n  \n{\"a\":2}\n"_ba << QByteArrayList { "{\"a\":1}", "{\"a\":2}" };
    QTest::newRow("utf-8 kept") << "{\"t\":\"\xE2\x9C\x93\"}\n"_ba
                                << QByteArrayList { "{\"t\":\"\xE2\x9C\x93\"}" };
    QTest::newRow("invalid utf-8 replaced")
        << "{\"t\":\"\xFF\"}\n"_ba << QByteArrayList { "{\"t\":\"\xEF\xBF\xBD\"}" };
    QTest::newRow("not json still a record") << "oops\n"_ba << QByteArrayList { "oops" };
    QTest::newRow("empty") << QByteArray() << QByteArrayList {};
}

void TestNdjsonSplitter::split()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArrayList, expected);
    for (qsizetype size = 1; size <= std::max<qsizetype>(1, stream.size()); ++size) {
        NdjsonSplitter splitter;
        QByteArrayList out;
        for (qsizetype i = 0; i < stream.size(); i += size)
            splitter.feed(QByteArrayView(stream).sliced(i, std::min(size, stream.size() - i)), out);
        splitter.finish(out);
        QVERIFY2(out == expected, qPrintable(u"chunk size %1"_s.arg(size)));
    }
}

QTEST_GUILESS_MAIN(TestNdjsonSplitter)
#include "tst_ndjsonsplitter.moc"
