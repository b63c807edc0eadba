#pragma once

#include "core/json/jsontree.h"

#include <QAbstractItemModel>
#include <QJsonValue>

#include <memory>
#include <vector>

namespace gs::ui {

//! A JSON value as a tree of (key, value, type) rows: objects and arrays are
//! branches, everything else a leaf. Members keep the order they were written in.
//! Read-only; built once per value.
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonTreeModel)

public:
    enum Column {
        KeyColumn,
        ValueColumn,
        TypeColumn,
        ColumnCount
    };
    enum Role {
        //! The JSON path of the row, as JavaScript would write it: $.a.b[0]["odd key"].
        JsonPathRole = Qt::UserRole + 1,
        //! The row's value as compact JSON text (strings quoted), for copying.
        JsonTextRole,
    };

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    //! Replaces the tree with one read from JSON text, in document order. Invalid
    //! text gives an empty model and the parser's message (empty when valid).
    QString setJsonText(QByteArrayView json);
    //! Replaces the tree (Qt's JSON has its object members sorted by name).
    void setJson(const QJsonValue &value);
    void setTree(core::JsonNode root);
    const core::JsonNode &tree() const { return m_tree; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node
    {
        const core::JsonNode *json = nullptr;
        QString key; //!< object key, or the index in brackets for an array element
        QString path;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    static void build(Node &node);
    Node *nodeFor(const QModelIndex &index) const;

    core::JsonNode m_tree;
    std::unique_ptr<Node> m_root;
};

} // namespace gs::ui
