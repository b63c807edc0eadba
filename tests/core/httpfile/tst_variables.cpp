#include "core/httpfile/httpfile.h"
#include "core/httpfile/httpwriter.h"
#include "core/httpfile/variables.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// {{variable}} expansion: chains, cycles, runaway growth, and the escapes the .http
// writer uses for text that must stay literal.
class TestVariables final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chainsOfAnyReasonableDepth();
    void cyclesAreNamed_data();
    void cyclesAreNamed();
    void exponentialGrowthStopsAtTheLimit();
    void valuesAreNotReadAgain();
    void unknownNamesStay();
    void escapesExpandToTheirCharacter();
    void dynamicVariablesWithArguments();
    void escapedBodiesReadBack_data();
    void escapedBodiesReadBack();
};

void TestVariables::chainsOfAnyReasonableDepth()
{
    // Eight plain references, then 60: every link is defined, so the end resolves.
    for (const int length : { 8, 60 }) {
        Variables vars { { u"v0"_s, u"end"_s } };
        for (int i = 1; i <= length; ++i)
            vars.insert(u"v%1"_s.arg(i), u"{{v%1}}"_s.arg(i - 1));
        const auto r = expandVariables(u"[{{v%1}}]"_s.arg(length), vars);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(*r, u"[end]"_s);
    }
    // Past the documented depth, an error that says so.
    Variables deep { { u"v0"_s, u"end"_s } };
    for (int i = 1; i <= expansion::kMaxDepth + 1; ++i)
        deep.insert(u"v%1"_s.arg(i), u"{{v%1}}"_s.arg(i - 1));
    const auto r = expandVariables(u"{{v%1}}"_s.arg(expansion::kMaxDepth + 1), deep);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(u"deep"_s), qPrintable(r.error().message));
}

void TestVariables::cyclesAreNamed_data()
{
    QTest::addColumn<Variables>("variables");
    QTest::addColumn<QString>("message");
    QTest::newRow("itself") << Variables { { u"a"_s, u"{{a}}"_s } }
                            << u"The variable a refers to itself."_s;
    QTest::newRow("two") << Variables { { u"a"_s, u"x{{b}}"_s }, { u"b"_s, u"{{a}}"_s } }
                         << u"Variables refer to each other in a loop: a → b → a."_s;
    QTest::newRow("three, entered in the middle")
        << Variables { { u"a"_s, u"{{b}}"_s }, { u"b"_s, u"{{c}}"_s }, { u"c"_s, u"{{b}}"_s } }
        << u"Variables refer to each other in a loop: b → c → b."_s;
}

void TestVariables::cyclesAreNamed()
{
    QFETCH(Variables, variables);
    QFETCH(QString, message);
    const auto r = expandVariables(u"<{{a}}>"_s, variables);
    QVERIFY(!r);
    QCOMPARE(r.error().message, message);
    QCOMPARE(r.error().kind, Error::Kind::Validation);
    // The lenient form leaves the text as it was.
    QCOMPARE(substituteVariables(u"<{{a}}>"_s, variables), u"<{{a}}>"_s);
}

void TestVariables::exponentialGrowthStopsAtTheLimit()
{
    // Each level refers sixteen times to the one below: 16^12 characters if nothing
    // stopped it. It must fail quickly, with a message, well inside memory.
    Variables vars { { u"a0"_s, u"xxxxxxxxxxxxxxxx"_s } };
    for (int i = 1; i <= 12; ++i)
        vars.insert(u"a%1"_s.arg(i), u"{{a%1}}"_s.arg(i - 1).repeated(16));
    QElapsedTimer timer;
    timer.start();
    const auto r = expandVariables(u"{{a12}}"_s, vars);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(u"8 MiB"_s), qPrintable(r.error().message));
    // A generous bound: the point is "not 12 s and 2.4 GB", not a benchmark.
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));

    // Just inside the limit is fine.
    const auto fits = expandVariables(u"{{a4}}"_s, vars);
    QVERIFY(fits);
    QCOMPARE(fits->size(), 16 * 16 * 16 * 16 * 16);
}

void TestVariables::valuesAreNotReadAgain()
{
    // A value that builds "{{secret}}" out of its neighbours stays literal text.
    const Variables vars { { u"open"_s, u"{"_s }, { u"secret"_s, u"LEAKED"_s },
        { u"name"_s, u"{{secret}}"_s } };
    QCOMPARE(expandVariables(u"{{open}}{secret}}"_s, vars).value(), u"{{secret}}"_s);
    // ...while a value's own references are expanded.
    QCOMPARE(expandVariables(u"{{name}}"_s, vars).value(), u"LEAKED"_s);
}

void TestVariables::unknownNamesStay()
{
    QCOMPARE(expandVariables(u"a {{missing}} b {{ $nope }}"_s, {}).value(),
        u"a {{missing}} b {{ $nope }}"_s);
}

void TestVariables::escapesExpandToTheirCharacter()
{
    for (const QChar c : { u'{', u'<', u'>', u'#', u'/', u'\n', u'\r', u' ', u'\t' }) {
        const QString escape = literalEscape(c);
        QVERIFY(escape.startsWith(u"{{$char."_s));
        QCOMPARE(expandVariables(escape, {}).value(), QString(c));
    }
    QVERIFY(literalEscape(u'a').isNull());
    QCOMPARE(codePointEscape(u'P'), u"{{$char.u0050}}"_s);
    QCOMPARE(expandVariables(u"{{$char.u0050}}{{$char.u20ac}}"_s, {}).value(), u"P\u20ac"_s);
    // Not an escape: left as written.
    QCOMPARE(expandVariables(u"{{$char.u0000}}{{$char.uzzzz}}"_s, {}).value(),
        u"{{$char.u0000}}{{$char.uzzzz}}"_s);
}

// The dynamic variables VS Code REST Client documents and httpyac runs, with their
// arguments: times with formats and offsets, a random integer in a range, an
// environment variable (directly or named by a variable).
void TestVariables::dynamicVariablesWithArguments()
{
    const auto expand = [](const QString &text, const Variables &variables = {}) {
        return expandVariables(text, variables).value_or(u"(failed)"_s);
    };
    const QDateTime before = QDateTime::currentDateTimeUtc();
    // Seconds since the epoch, moved by an offset.
    const qint64 now = expand(u"{{$timestamp}}"_s).toLongLong();
    const qint64 dayAgo = expand(u"{{$timestamp -1 d}}"_s).toLongLong();
    QVERIFY(now >= before.toSecsSinceEpoch());
    QVERIFY(std::abs(now - dayAgo - 86400) <= 2);
    // ISO 8601 and RFC 1123 in UTC, parsed back.
    const QDateTime iso
        = QDateTime::fromString(expand(u"{{$datetime iso8601}}"_s), Qt::ISODateWithMs);
    QVERIFY(iso.isValid());
    QVERIFY(std::abs(iso.secsTo(before)) <= 2);
    const QString rfc = expand(u"{{$datetime rfc1123 1 h}}"_s);
    QVERIFY2(rfc.endsWith(u" GMT"_s), qPrintable(rfc));
    const QDateTime rfcTime = QLocale::c().toDateTime(rfc, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    QVERIFY2(rfcTime.isValid(), qPrintable(rfc));
    // A Day.js format, quoted, with text in brackets kept.
    const QString custom = expand(u"{{$datetime \"YYYY-MM-DD[T]HH:mm\" 2 w}}"_s);
    QVERIFY2(QRegularExpression(u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$"_s).match(custom).hasMatch(),
        qPrintable(custom));
    const QDate inTwoWeeks = QDateTime::currentDateTimeUtc().addDays(14).date();
    QVERIFY2(custom.startsWith(inTwoWeeks.toString(u"yyyy-MM-dd"_s))
            || custom.startsWith(inTwoWeeks.addDays(-1).toString(u"yyyy-MM-dd"_s)),
        qPrintable(custom));
    const QString local = expand(u"{{$localDatetime 'DD.MM.YYYY Z'}}"_s);
    QVERIFY2(QRegularExpression(u"^\\d{2}\\.\\d{2}\\.\\d{4} [+-]\\d{2}:\\d{2}$"_s)
                 .match(local)
                 .hasMatch(),
        qPrintable(local));
    // A random integer from the low bound up to the high one, left out.
    for (int i = 0; i < 200; ++i) {
        const int n = expand(u"{{$randomInt 5 8}}"_s).toInt();
        QVERIFY(n >= 5 && n < 8);
    }
    // The process environment: by name, or by the name a variable holds.
    qputenv("GATESCOPE_TEST_ENV_VALUE", "from-env");
    QCOMPARE(expand(u"{{$processEnv GATESCOPE_TEST_ENV_VALUE}}"_s), u"from-env"_s);
    QCOMPARE(expand(u"{{$processEnv %which}}"_s, { { u"which"_s, u"GATESCOPE_TEST_ENV_VALUE"_s } }),
        u"from-env"_s);
    // What cannot be read stays as written, for validation to name.
    for (const QString &kept :
        { u"{{$processEnv GATESCOPE_TEST_NOT_SET}}"_s, u"{{$randomInt 9 3}}"_s,
            u"{{$timestamp 1 fortnight}}"_s, u"{{$datetime}}"_s, u"{{$uuid extra}}"_s })
        QCOMPARE(expand(kept), kept);
}

void TestVariables::escapedBodiesReadBack_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("include") << u"< /etc/passwd"_s;
    QTest::newRow("separator") << u"a\n### b\nGET https://evil/"_s;
    QTest::newRow("handler") << u"a\n> {% x %}\n>> out\n<> old"_s;
    QTest::newRow("comments") << u"# a\n  // b\n/ c"_s;
    QTest::newRow("trailing") << u"a\n\n \t\r\n"_s;
    QTest::newRow("blanks only") << u" \t "_s;
    QTest::newRow("breaks only") << u"\r\n\n"_s;
    QTest::newRow("braces") << u"{{{a}}} {{$uuid}}"_s;
    QTest::newRow("escape text") << u"{{$char.lt}}"_s;
    QTest::newRow("request lines") << u"a\nPOST https://evil/\n  get /x\nhttps://evil/\nGRPC x"_s;
}

// The writer's escapes put together: any body, written and parsed, expands to itself.
void TestVariables::escapedBodiesReadBack()
{
    QFETCH(QString, body);
    HttpFileRequest r;
    r.method = u"POST"_s;
    r.target = u"https://a.example/"_s;
    r.body = escapeBodyLines(escapeLiteralBraces(body));
    const auto text = formatHttpRequest(r);
    QVERIFY2(text, qPrintable(text ? QString() : text.error().message));
    const auto file = HttpFile::parse(*text);
    QVERIFY(file);
    QCOMPARE(file->requests().size(), 1);
    const auto resolved = resolve(file->requests().first(), { { u"a"_s, u"LEAKED"_s } });
    QVERIFY(resolved);
    QCOMPARE(QString::fromUtf8(resolved->body), body);
}

QTEST_GUILESS_MAIN(TestVariables)
#include "tst_variables.moc"
