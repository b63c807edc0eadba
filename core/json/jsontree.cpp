#include "core/json/jsontree.h"

#include "core/json/jsonutil.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <simdjson.h>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

using simdjson::ondemand::json_type;

QString fromView(std::string_view s)
{
    return fromUtf8Exact(QByteArrayView(s.data(), qsizetype(s.size())));
}

// The number's text as written, without the whitespace that may follow it.
QString numberText(std::string_view raw)
{
    while (!raw.empty()
        && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
    return fromView(raw);
}

simdjson::error_code read(simdjson::ondemand::value value, JsonNode &node, int depth);

template <typename Container>
simdjson::error_code readObject(Container &&object, JsonNode &node, int depth)
{
    node.type = JsonNode::Type::Object;
    for (auto field : object) {
        std::string_view key;
        simdjson::ondemand::value value;
        if (auto e = field.unescaped_key().get(key); e)
            return e;
        if (auto e = field.value().get(value); e)
            return e;
        JsonNode child;
        child.key = fromView(key);
        if (auto e = read(value, child, depth + 1); e)
            return e;
        node.children.append(std::move(child));
    }
    return simdjson::SUCCESS;
}

template <typename Container>
simdjson::error_code readArray(Container &&array, JsonNode &node, int depth)
{
    node.type = JsonNode::Type::Array;
    for (auto element : array) {
        simdjson::ondemand::value value;
        if (auto e = element.get(value); e)
            return e;
        JsonNode child;
        if (auto e = read(value, child, depth + 1); e)
            return e;
        node.children.append(std::move(child));
    }
    return simdjson::SUCCESS;
}

simdjson::error_code read(simdjson::ondemand::value value, JsonNode &node, int depth)
{
    if (depth > 512)
        return simdjson::DEPTH_ERROR;
    json_type type;
    if (auto e = value.type().get(type); e)
        return e;
    switch (type) {
    case json_type::object: {
        simdjson::ondemand::object object;
        if (auto e = value.get_object().get(object); e)
            return e;
        return readObject(object, node, depth);
    }
    case json_type::array: {
        simdjson::ondemand::array array;
        if (auto e = value.get_array().get(array); e)
            return e;
        return readArray(array, node, depth);
    }
    case json_type::string: {
        std::string_view s;
        if (auto e = value.get_string().get(s); e)
            return e;
        node.type = JsonNode::Type::String;
        node.scalar = fromView(s);
        return simdjson::SUCCESS;
    }
    case json_type::number: {
        // Validate it as a number, keep the text as written.
        double d;
        if (auto e = value.get_double().get(d); e && e != simdjson::NUMBER_OUT_OF_RANGE)
            return e;
        node.type = JsonNode::Type::Number;
        node.scalar = numberText(value.raw_json_token());
        return simdjson::SUCCESS;
    }
    case json_type::boolean: {
        bool b;
        if (auto e = value.get_bool().get(b); e)
            return e;
        node.type = JsonNode::Type::Bool;
        node.scalar = b ? u"true"_s : u"false"_s;
        return simdjson::SUCCESS;
    }
    case json_type::null: {
        bool isNull = false;
        if (auto e = value.is_null().get(isNull); e)
            return e;
        if (!isNull)
            return simdjson::N_ATOM_ERROR;
        node.type = JsonNode::Type::Null;
        return simdjson::SUCCESS;
    }
    default:
        return simdjson::TAPE_ERROR;
    }
}

QString quoted(const QString &s)
{
    const QByteArray text = QJsonDocument(QJsonArray { s }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.sliced(1, text.size() - 2));
}

void write(const JsonNode &node, QString &out)
{
    switch (node.type) {
    case JsonNode::Type::Null:
        out += u"null"_s;
        return;
    case JsonNode::Type::Bool:
    case JsonNode::Type::Number:
        out += node.scalar;
        return;
    case JsonNode::Type::String:
        out += quoted(node.scalar);
        return;
    case JsonNode::Type::Array:
    case JsonNode::Type::Object: {
        const bool object = node.type == JsonNode::Type::Object;
        out += object ? u'{' : u'[';
        for (qsizetype i = 0; i < node.children.size(); ++i) {
            if (i > 0)
                out += u',';
            if (object)
                out += quoted(node.children[i].key) + u':';
            write(node.children[i], out);
        }
        out += object ? u'}' : u']';
        return;
    }
    }
}

} // namespace

QString JsonNode::toJson() const
{
    QString out;
    write(*this, out);
    return out;
}

QString JsonNode::typeName() const
{
    switch (type) {
    case Type::Null:
        return u"null"_s;
    case Type::Bool:
        return u"boolean"_s;
    case Type::Number:
        return u"number"_s;
    case Type::String:
        return u"string"_s;
    case Type::Array:
        return u"array"_s;
    case Type::Object:
        return u"object"_s;
    }
    return {};
}

Result<JsonNode> parseJsonTree(QByteArrayView json)
{
    const simdjson::padded_string padded(json.data(), std::size_t(json.size()));
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    JsonNode root;
    simdjson::error_code error = parser.iterate(padded).get(doc);
    if (!error) {
        // The document itself: a scalar root needs the document's own accessors.
        json_type type;
        error = doc.type().get(type);
        if (!error && type == json_type::object) {
            simdjson::ondemand::object object;
            error = doc.get_object().get(object);
            if (!error)
                error = readObject(object, root, 0);
        } else if (!error && type == json_type::array) {
            simdjson::ondemand::array array;
            error = doc.get_array().get(array);
            if (!error)
                error = readArray(array, root, 0);
        } else if (!error) {
            // A scalar document: wrap it so that the value reader can be reused.
            const QByteArray wrapped = '[' + json.toByteArray() + ']';
            auto tree = parseJsonTree(wrapped);
            if (!tree)
                return tree;
            if (tree->children.size() != 1)
                return fail(Error::Kind::Parse, u"Not one JSON value."_s);
            return tree->children.first();
        }
        if (!error && !doc.at_end())
            error = simdjson::TRAILING_CONTENT;
    }
    if (error)
        return fail(Error::Kind::Parse,
            u"Not valid JSON: %1"_s.arg(QString::fromUtf8(simdjson::error_message(error))));
    return root;
}

} // namespace gs::core
