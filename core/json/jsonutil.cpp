#include "core/json/jsonutil.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gs::core {

QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes exactly as JSON requires; strip the array around it.
    const QByteArray array = QJsonDocument(QJsonArray { s }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

std::optional<QJsonObject> parseJsonObject(QByteArrayView text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

bool isWholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && d == std::trunc(d) && std::abs(d) < 9.0e15;
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

void appendUtf8Exact(QString &target, QByteArrayView utf8)
{
    static constexpr QByteArrayView kBom("\xEF\xBB\xBF");
    while (utf8.startsWith(kBom)) {
        target += QChar(0xFEFF);
        utf8 = utf8.sliced(kBom.size());
    }
    target.append(QUtf8StringView(utf8));
}

QString fromUtf8Exact(QByteArrayView utf8)
{
    QString out;
    appendUtf8Exact(out, utf8);
    return out;
}

} // namespace gs::core
