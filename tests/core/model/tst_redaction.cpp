#include "core/model/redaction.h"

#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// What counts as a credential, and how each place it can stand is masked.
class TestRedaction final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void credentialNames_data();
    void credentialNames();
    void urls_data();
    void urls();
    void valuesWhereverTheyStand();
    void secretValuesOfVariables();
};

void TestRedaction::credentialNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("credential");
    for (const char *yes : { "Authorization", "proxy-authorization", "api-key", "api_key", "apiKey",
             "X-API-Key", "token", "X-Auth-Token", "password", "secret", "access_token",
             "client_secret", "Cookie", "key", "x-goog-api-key", "refresh_token", "csrfToken" })
        QTest::newRow(yes) << QString::fromLatin1(yes) << true;
    for (const char *no : { "max_tokens", "tokens", "x-tfy-provider-name", "Content-Type", "model",
             "keyword", "monkey", "" })
        QTest::newRow(*no ? no : "(empty)") << QString::fromLatin1(no) << false;
}

void TestRedaction::credentialNames()
{
    QFETCH(QString, name);
    QFETCH(bool, credential);
    QCOMPARE(isCredentialName(name), credential);
}

void TestRedaction::urls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("masked");
    QTest::newRow("plain") << u"https://gw.example/v1?a=1"_s << u"https://gw.example/v1?a=1"_s;
    QTest::newRow("query") << u"https://gw.example/v1?api_key=k%2B1&n=2&token=t#frag"_s
                           << u"https://gw.example/v1?api_key=********&n=2&token=********#frag"_s;
    QTest::newRow("password") << u"https://user:pw@gw.example/"_s
                              << u"https://user:********@gw.example/"_s;
    QTest::newRow("lone user") << u"https://sk-abc@gw.example/"_s
                               << u"https://********@gw.example/"_s;
    QTest::newRow("@ in the path") << u"https://gw.example/a@b"_s << u"https://gw.example/a@b"_s;
    QTest::newRow("scheme-like text in the query")
        << u"x?q=https://u:p@h/"_s << u"x?q=https://u:p@h/"_s;
    QTest::newRow("empty userinfo") << u"http://@h/"_s << u"http://@h/"_s;
}

void TestRedaction::urls()
{
    QFETCH(QString, url);
    QFETCH(QString, masked);
    QCOMPARE(Redactor().url(url), masked);
}

void TestRedaction::valuesWhereverTheyStand()
{
    const Redactor r({ u"s3cr3t-value"_s, u"abc"_s /* too short to mask */ });
    QCOMPARE(r.text(u"x s3cr3t-value y abc"_s), u"x ******** y abc"_s);
    QCOMPARE(r.message(u"GET https://h/?api_key=k failed; s3cr3t-value"_s),
        u"GET https://h/?api_key=******** failed; ********"_s);
    const WireRequest masked = r.request(WireRequest { "POST", u"https://h/?token=t"_s,
        { { "Authorization", "Bearer tok" }, { "X-Auth-Token", "xt" },
            { "X-Other", "has s3cr3t-value" } },
        "body s3cr3t-value" });
    QCOMPARE(masked.url, u"https://h/?token=********"_s);
    QCOMPARE(masked.headers,
        (HttpHeaders { { "Authorization", "Bearer ********" }, { "X-Auth-Token", "********" },
            { "X-Other", "has ********" } }));
    QCOMPARE(masked.body, "body ********"_ba);
}

void TestRedaction::secretValuesOfVariables()
{
    const Variables vars { { u"token"_s, u"tok-{{suffix}}"_s }, { u"suffix"_s, u"1234"_s },
        { u"team"_s, u"platform"_s }, { u"private"_s, u"private-value"_s } };
    QStringList values = secretValues(vars, { u"private"_s });
    values.sort();
    // token by its name (expanded), private by the list, team by neither; suffix is
    // not a credential by name.
    QCOMPARE(values, (QStringList { u"private-value"_s, u"tok-1234"_s }));
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
