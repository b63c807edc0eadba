#pragma once

#include "core/model/error.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace gs::core {

//! A JSON value as it was written: object members in document order (QJsonObject
//! sorts them), numbers with their original text. For showing what a gateway sent.
struct JsonNode
{
    enum class Type {
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };
    Type type = Type::Null;
    QString key; //!< the member name in an object; empty for array elements and the root
    QString scalar; //!< Bool/Number: the JSON text ("true", "1e3"); String: the string
    QList<JsonNode> children; //!< members or elements, in document order

    bool isContainer() const { return type == Type::Array || type == Type::Object; }
    //! The value as compact JSON text (strings quoted and escaped).
    QString toJson() const;
    //! "object", "array", "string", "number", "boolean" or "null".
    QString typeName() const;
};

//! Parses one JSON document. Fails on invalid JSON, with the parser's message.
Result<JsonNode> parseJsonTree(QByteArrayView json);

} // namespace gs::core
