// libFuzzer harness: an @expect line (the input's first line) parses or is refused
// with a reason, never crashes; one that parses is checked against the rest of the
// input as a JSON body, and a JSON path that finds a value finds the same value again
// when "== value" is asked of it.
#include "core/httpfile/expectation.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace gs::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype eol = input.indexOf('\n');
    const QString line = QString::fromUtf8(eol < 0 ? input : input.left(eol));
    ExchangeFacts facts;
    facts.status = 200;
    facts.ttftMs = 12.5;
    facts.resolvedModel = QStringLiteral("a/b");
    if (eol >= 0) {
        const QJsonDocument doc = QJsonDocument::fromJson(input.mid(eol + 1));
        if (doc.isObject())
            facts.json = doc.object();
        else if (doc.isArray())
            facts.json = doc.array();
    }
    const auto e = Expectation::parse(line);
    if (!e) {
        if (e.error().message.isEmpty())
            std::abort();
        return 0;
    }
    check(*e, facts);
    if (e->kind != Expectation::Kind::JsonExists || facts.json.isUndefined())
        return 0;
    const auto found = jsonAtPath(facts.json, e->path);
    if (!found)
        return 0;
    // "PATH == <what was found>" holds.
    const QByteArray wrapped = QJsonDocument(QJsonArray { *found }).toJson(QJsonDocument::Compact);
    const QString value = QString::fromUtf8(wrapped.sliced(1, wrapped.size() - 2));
    const auto equals
        = Expectation::parse(QStringLiteral("json ") + e->path + QStringLiteral(" == ") + value);
    if (!equals || !check(*equals, facts).passed)
        std::abort();
    return 0;
}
