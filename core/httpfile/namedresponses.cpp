#include "core/httpfile/namedresponses.h"

#include "core/httpfile/expectation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QString asText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    // A number, boolean or null: its JSON text, as an array of one shows it.
    const QByteArray one = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(one.mid(1, one.size() - 2));
}

//! The value at JSON \a path in \a response's body, or why there is none.
std::expected<QString, QString> jsonValue(const NamedResponse &response, const QString &path)
{
    if (response.json.isUndefined())
        return std::unexpected(u"did not answer JSON, so it has no %1"_s.arg(path));
    QString error;
    const auto found = jsonAtPath(response.json, path, &error);
    if (!error.isEmpty())
        return std::unexpected(error);
    if (!found)
        return std::unexpected(u"has no %1"_s.arg(path));
    return asText(*found);
}

//! The value \a rest (what follows the name) picks from \a response, or why not.
std::expected<QString, QString> valueAt(const NamedResponse &response, const QString &rest)
{
    if (rest.isEmpty() || rest == ".response.body.*"_L1)
        return response.json.isUndefined() ? response.text : asText(response.json);
    const auto httpyac = [&] { return jsonValue(response, u'$' + rest); };
    // REST Client's forms, unless the body itself has what the path names.
    if (rest.startsWith(".response.headers."_L1)) {
        const QString name = rest.mid(18);
        const QByteArray value = headerValue(response.headers, name.toUtf8());
        if (!value.isNull())
            return QString::fromUtf8(value);
        const auto own = httpyac();
        return own ? own : std::unexpected(u"has no header %1"_s.arg(name));
    }
    if (rest.startsWith(".response.body.$"_L1)) {
        const auto found = jsonValue(response, rest.mid(15));
        if (found)
            return found;
        const auto own = httpyac();
        return own ? own : found;
    }
    return httpyac();
}

} // namespace

ResponseReferences responseReferences(const QStringList &texts, const NamedResponses &responses)
{
    ResponseReferences out;
    if (responses.isEmpty())
        return out;
    // {{name}}, {{name.path}}, {{name[0]...}}: the name as "# @name" allows it.
    static const QRegularExpression kReference(
        u"\\{\\{\\s*([A-Za-z_][\\w-]*)((?:[.\\[][^{}\\s]*)?)\\s*\\}\\}"_s);
    for (const QString &text : texts) {
        for (auto it = kReference.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const QString name = m.captured(1);
            const QString reference = name + m.captured(2);
            const auto response = responses.constFind(name);
            if (response == responses.cend() || out.values.contains(reference))
                continue;
            const auto value = valueAt(*response, m.captured(2));
            if (value) {
                out.values.insert(reference, *value);
            } else {
                const QString problem = u"{{%1}}: the response named %2 (status %3) %4"_s.arg(
                    reference, name, QString::number(response->status), value.error());
                if (!out.problems.contains(problem))
                    out.problems << problem;
            }
        }
    }
    return out;
}

} // namespace gs::core
