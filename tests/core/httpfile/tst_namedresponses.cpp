#include "core/httpfile/httpfile.h"
#include "core/httpfile/namedresponses.h"

#include <QJsonDocument>
#include <QTest>

using namespace gs::core;
using namespace Qt::StringLiterals;

// Values from the responses of named requests ({{upload.id}}), in the forms httpyac
// and VS Code REST Client document, and the response handlers a run keeps but does
// not run.
class TestNamedResponses final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void references_data();
    void references();
    void problemsNameTheReference();
    void expandsInTheResolvedRequest();
    void responseHandlersAreListed();
};

namespace {

NamedResponses uploadAndBatch()
{
    const QByteArray file = R"({"id":"file-demo-1","bytes":42,"ok":true,"none":null,
        "data":[{"id":"x"},{"id":"y"}],"response":{"inner":"body's own"},"name":"a \"q\""})";
    return {
        { u"upload"_s,
            NamedResponse { 200, { { "Location", "/files/file-demo-1" } },
                QJsonDocument::fromJson(file).object(), QString::fromUtf8(file) } },
        { u"plain"_s, NamedResponse { 200, {}, QJsonValue::Undefined, u"just text"_s } },
    };
}

} // namespace

void TestNamedResponses::references_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("value");
    QTest::newRow("httpyac path") << u"{{upload.id}}"_s << u"upload.id"_s << u"file-demo-1"_s;
    QTest::newRow("spaces inside")
        << u"x {{ upload.id }} y"_s << u"upload.id"_s << u"file-demo-1"_s;
    QTest::newRow("number") << u"{{upload.bytes}}"_s << u"upload.bytes"_s << u"42"_s;
    QTest::newRow("boolean") << u"{{upload.ok}}"_s << u"upload.ok"_s << u"true"_s;
    QTest::newRow("null") << u"{{upload.none}}"_s << u"upload.none"_s << u"null"_s;
    QTest::newRow("index") << u"{{upload.data[1].id}}"_s << u"upload.data[1].id"_s << u"y"_s;
    QTest::newRow("from the end") << u"{{upload.data[-1].id}}"_s << u"upload.data[-1].id"_s
                                  << u"y"_s;
    QTest::newRow("array as JSON")
        << u"{{upload.data}}"_s << u"upload.data"_s << uR"([{"id":"x"},{"id":"y"}])"_s;
    QTest::newRow("quotes kept") << u"{{upload.name}}"_s << u"upload.name"_s << uR"(a "q")"_s;
    QTest::newRow("REST Client path") << u"{{upload.response.body.$.data[0].id}}"_s
                                      << u"upload.response.body.$.data[0].id"_s << u"x"_s;
    QTest::newRow("REST Client header, any case")
        << u"{{upload.response.headers.location}}"_s << u"upload.response.headers.location"_s
        << u"/files/file-demo-1"_s;
    QTest::newRow("a body member called response")
        << u"{{upload.response.inner}}"_s << u"upload.response.inner"_s << u"body's own"_s;
    QTest::newRow("whole text body") << u"{{plain}}"_s << u"plain"_s << u"just text"_s;
    QTest::newRow("REST Client whole body")
        << u"{{plain.response.body.*}}"_s << u"plain.response.body.*"_s << u"just text"_s;
}

void TestNamedResponses::references()
{
    QFETCH(QString, text);
    QFETCH(QString, reference);
    QFETCH(QString, value);
    const ResponseReferences r = responseReferences({ text }, uploadAndBatch());
    QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(u'\n')));
    QCOMPARE(r.values.keys(), QStringList { reference });
    QCOMPARE(r.values.value(reference), value);
}

void TestNamedResponses::problemsNameTheReference()
{
    const ResponseReferences r = responseReferences(
        { u"{{upload.idx}} {{plain.id}} {{upload.data[x]}} {{upload.response.headers.Etag}}"
          " {{other.id}} {{$uuid}} {{baseUrl}}"_s },
        uploadAndBatch());
    QVERIFY(r.values.isEmpty());
    QCOMPARE(r.problems.size(), 4);
    QVERIFY(r.problems[0].startsWith(u"{{upload.idx}}: the response named upload (status 200) "
                                     "has no $.idx"_s));
    QVERIFY(r.problems[1].contains(u"did not answer JSON"_s));
    QVERIFY(r.problems[2].contains(u"bad JSON path"_s));
    QVERIFY(r.problems[3].contains(u"has no header Etag"_s));
    // Nothing to refer to: nothing found, nothing refused.
    QVERIFY(responseReferences({ u"{{upload.id}}"_s }, {}).values.isEmpty());
}

void TestNamedResponses::expandsInTheResolvedRequest()
{
    const auto file = HttpFile::parse(u"POST https://gw/api/llm/batches/{{upload.data[0].id}}\n"
                                      "Content-Type: application/json\n\n"
                                      "{\"input_file_id\": \"{{upload.id}}\"}\n"_s);
    QVERIFY(file);
    const HttpFileRequest request = file->requests().first();
    const ResponseReferences r
        = responseReferences({ request.target, request.body }, uploadAndBatch());
    const auto resolved = resolve(request, r.values);
    QVERIFY(resolved);
    QCOMPARE(resolved->url, u"https://gw/api/llm/batches/x"_s);
    QCOMPARE(resolved->body, QByteArray(R"({"input_file_id": "file-demo-1"})"));
}

void TestNamedResponses::responseHandlersAreListed()
{
    const QString text = u"# @name upload\nPOST https://gw/files\n\nbody\n\n"
                         "> {%\n  client.global.set(\"id\", response.body.id);\n%}\n"
                         ">> ./saved.json\n\n###\nGET https://gw/models\n"_s;
    const auto file = HttpFile::parse(text);
    QVERIFY(file);
    const auto handlers = file->requests().first().responseHandlers;
    QCOMPARE(handlers.size(), 2);
    QCOMPARE(handlers[0].first, 6);
    QCOMPARE(handlers[0].second, u"> {%"_s);
    QCOMPARE(handlers[1], std::pair(9, u">> ./saved.json"_s));
    QCOMPARE(file->requests().first().body, u"body"_s);
    QVERIFY(file->requests().last().responseHandlers.isEmpty());
    // Kept as written.
    QCOMPARE(file->toText(), text);
}

QTEST_GUILESS_MAIN(TestNamedResponses)
#include "tst_namedresponses.moc"
