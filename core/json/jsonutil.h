#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace gs::core {

//! \a s as a JSON string literal, quotes included.
QByteArray jsonString(const QString &s);

//! The JSON object in \a text, or nullopt when it is not exactly one JSON object.
std::optional<QJsonObject> parseJsonObject(QByteArrayView text);

//! Whether \a v is a JSON number without a fractional part.
bool isWholeNumber(const QJsonValue &v);

//! A user-facing name for a JSON value's type ("a number", "an array", ...).
QString jsonTypeName(const QJsonValue &v);

//! Appends UTF-8 text to \a target keeping a leading U+FEFF: QString::fromUtf8 and
//! QString::append(QUtf8StringView) drop it as a byte order mark, but inside a JSON
//! string (a token, a key) it is a character that was sent.
void appendUtf8Exact(QString &target, QByteArrayView utf8);
QString fromUtf8Exact(QByteArrayView utf8);

} // namespace gs::core
