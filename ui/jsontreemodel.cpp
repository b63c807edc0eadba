#include "jsontreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gs::ui {

namespace {

using core::JsonNode;

// What the value column shows: scalars as JSON, containers as a count.
QString displayValue(const JsonNode &n)
{
    const qsizetype count = n.children.size();
    if (n.type == JsonNode::Type::Object)
        return count == 1 ? u"{1 key}"_s : u"{%1 keys}"_s.arg(count);
    if (n.type == JsonNode::Type::Array)
        return count == 1 ? u"[1 item]"_s : u"[%1 items]"_s.arg(count);
    return n.toJson();
}

QString childPath(const QString &parent, const QString &key)
{
    static const QRegularExpression identifier(u"^[A-Za-z_$][A-Za-z0-9_$]*$"_s);
    if (identifier.match(key).hasMatch())
        return parent + u'.' + key;
    JsonNode quoted;
    quoted.type = JsonNode::Type::String;
    quoted.scalar = key;
    return parent + u'[' + quoted.toJson() + u']';
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{ }

JsonTreeModel::~JsonTreeModel() = default;

QString JsonTreeModel::setJsonText(QByteArrayView json)
{
    auto tree = core::parseJsonTree(json);
    setTree(tree ? std::move(*tree) : JsonNode {});
    return tree ? QString() : tree.error().message;
}

void JsonTreeModel::setJson(const QJsonValue &value)
{
    QByteArray text;
    if (value.isObject())
        text = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else if (value.isArray())
        text = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (text.isEmpty())
        setTree({});
    else
        setJsonText(text);
}

void JsonTreeModel::setTree(JsonNode root)
{
    beginResetModel();
    m_tree = std::move(root);
    m_root = std::make_unique<Node>();
    m_root->json = &m_tree;
    m_root->path = u"$"_s;
    build(*m_root);
    endResetModel();
}

void JsonTreeModel::build(Node &node)
{
    const JsonNode &json = *node.json;
    if (!json.isContainer())
        return;
    const bool object = json.type == JsonNode::Type::Object;
    node.children.reserve(std::size_t(json.children.size()));
    for (qsizetype i = 0; i < json.children.size(); ++i) {
        auto child = std::make_unique<Node>();
        child->json = &json.children[i];
        child->key = object ? json.children[i].key : u"[%1]"_s.arg(i);
        child->path = object ? childPath(node.path, json.children[i].key)
                             : u"%1[%2]"_s.arg(node.path).arg(i);
        child->parent = &node;
        child->row = int(i);
        build(*child);
        node.children.push_back(std::move(child));
    }
}

JsonTreeModel::Node *JsonTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeFor(parent);
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = nodeFor(child);
    Node *p = n->parent;
    if (!p || p == m_root.get())
        return {};
    return createIndex(p->row, 0, p);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            return n->key;
        case ValueColumn:
            return displayValue(*n->json);
        case TypeColumn:
            return n->json->typeName();
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == ValueColumn ? n->json->toJson().left(2000) : n->path;
    case JsonPathRole:
        return n->path;
    case JsonTextRole:
        return n->json->toJson();
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

} // namespace gs::ui
