#include "core/compare/jsondiff.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <vector>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

//! The ignore list made ready: bare names, and paths as patterns.
class Ignored
{
public:
    explicit Ignored(const QStringList &patterns)
    {
        for (const QString &p : patterns) {
            const QString t = p.trimmed();
            if (t.isEmpty())
                continue;
            if (!t.startsWith(u'$')) {
                m_names.insert(t);
                continue;
            }
            QString rx = QRegularExpression::escape(t);
            rx.replace(u"\\[\\*\\]"_s, u"\\[\\d+\\]"_s);
            m_paths << QRegularExpression(u'^' + rx + u'$');
        }
    }
    bool key(const QString &name, const QString &path) const
    {
        if (m_names.contains(name))
            return true;
        return this->path(path);
    }
    bool path(const QString &path) const
    {
        for (const QRegularExpression &rx : m_paths)
            if (rx.match(path).hasMatch())
                return true;
        return false;
    }

private:
    QSet<QString> m_names;
    QList<QRegularExpression> m_paths;
};

//! \a v without its ignored fields, as compact JSON (a QJsonObject keeps its keys
//! sorted, so equal values give equal bytes): what array alignment compares.
QJsonValue stripped(const QJsonValue &v, const QString &path, const Ignored &ignored)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        QJsonObject out;
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString child = jsonChildPath(path, it.key());
            if (!ignored.key(it.key(), child))
                out.insert(it.key(), stripped(it.value(), child, ignored));
        }
        return out;
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        QJsonArray out;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString child = jsonChildPath(path, i);
            if (!ignored.path(child))
                out.append(stripped(a.at(i), child, ignored));
        }
        return out;
    }
    return v;
}

QByteArray canonical(const QJsonValue &v, const QString &path, const Ignored &ignored)
{
    // A mark for the kind first: a scalar is written inside an array (so that 1 and
    // 1.0, equal numbers, give the same bytes) and must not equal an array of it.
    const QJsonValue s = stripped(v, path, ignored);
    if (s.isObject())
        return 'o' + QJsonDocument(s.toObject()).toJson(QJsonDocument::Compact);
    if (s.isArray())
        return 'a' + QJsonDocument(s.toArray()).toJson(QJsonDocument::Compact);
    return 's' + QJsonDocument(QJsonArray { s }).toJson(QJsonDocument::Compact);
}

class Differ
{
public:
    Differ(const JsonDiffOptions &options)
        : m_ignored(options.ignore)
        , m_alignLimit(options.alignLimit)
        , m_cancel(options.cancel)
    { }

    void value(const QJsonValue &a, const QJsonValue &b, const QString &pathA, const QString &pathB)
    {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed))
            return;
        if (a.isObject() && b.isObject()) {
            object(a.toObject(), b.toObject(), pathA, pathB);
            return;
        }
        if (a.isArray() && b.isArray()) {
            array(a.toArray(), b.toArray(), pathA, pathB);
            return;
        }
        if (a != b)
            m_out.append(
                { JsonChange::Kind::Changed, pathA, pathB == pathA ? QString() : pathB, a, b });
    }

    QList<JsonChange> result() { return std::move(m_out); }

private:
    void object(
        const QJsonObject &a, const QJsonObject &b, const QString &pathA, const QString &pathB)
    {
        // Both key lists are sorted: one merge walk.
        const QStringList ka = a.keys();
        const QStringList kb = b.keys();
        qsizetype i = 0;
        qsizetype j = 0;
        while (i < ka.size() || j < kb.size()) {
            const int order = i == ka.size() ? 1 : j == kb.size() ? -1 : ka[i].compare(kb[j]);
            const QString &key = order <= 0 ? ka[i] : kb[j];
            const QString childA = jsonChildPath(pathA, key);
            const QString childB = jsonChildPath(pathB, key);
            if (!m_ignored.key(key, childA)) {
                if (order < 0)
                    m_out.append({ JsonChange::Kind::Removed, childA, {}, a.value(key), {} });
                else if (order > 0)
                    m_out.append({ JsonChange::Kind::Added, childB, {}, {}, b.value(key) });
                else
                    value(a.value(key), b.value(key), childA, childB);
            }
            if (order <= 0)
                ++i;
            if (order >= 0)
                ++j;
        }
    }

    void array(const QJsonArray &a, const QJsonArray &b, const QString &pathA, const QString &pathB)
    {
        const qsizetype n = a.size();
        const qsizetype m = b.size();
        std::vector<QByteArray> ca(static_cast<size_t>(n));
        std::vector<QByteArray> cb(static_cast<size_t>(m));
        for (qsizetype i = 0; i < n; ++i)
            ca[size_t(i)] = canonical(a.at(i), jsonChildPath(pathA, i), m_ignored);
        for (qsizetype j = 0; j < m; ++j)
            cb[size_t(j)] = canonical(b.at(j), jsonChildPath(pathB, j), m_ignored);

        // Pairs (i, j) of equal elements in order: a longest common subsequence of the
        // part between the common beginning and end.
        std::vector<std::pair<qsizetype, qsizetype>> equal;
        qsizetype head = 0;
        while (head < n && head < m && ca[size_t(head)] == cb[size_t(head)]) {
            equal.push_back({ head, head });
            ++head;
        }
        qsizetype tail = 0;
        while (tail < n - head && tail < m - head
            && ca[size_t(n - 1 - tail)] == cb[size_t(m - 1 - tail)])
            ++tail;
        const qsizetype rows = n - head - tail;
        const qsizetype cols = m - head - tail;
        const bool aligned
            = rows == 0 || cols == 0 || (rows <= m_alignLimit && cols <= m_alignLimit);
        if (rows > 0 && cols > 0 && aligned) {
            // lengths[i][j]: the common subsequence of rows i.. and cols j..
            std::vector<quint16> lengths(size_t((rows + 1) * (cols + 1)), 0);
            const auto at = [cols](qsizetype i, qsizetype j) { return size_t(i * (cols + 1) + j); };
            for (qsizetype i = rows - 1; i >= 0; --i) {
                for (qsizetype j = cols - 1; j >= 0; --j) {
                    lengths[at(i, j)] = ca[size_t(head + i)] == cb[size_t(head + j)]
                        ? quint16(lengths[at(i + 1, j + 1)] + 1)
                        : std::max(lengths[at(i + 1, j)], lengths[at(i, j + 1)]);
                }
            }
            qsizetype i = 0;
            qsizetype j = 0;
            while (i < rows && j < cols) {
                if (ca[size_t(head + i)] == cb[size_t(head + j)]) {
                    equal.push_back({ head + i, head + j });
                    ++i;
                    ++j;
                } else if (lengths[at(i + 1, j)] >= lengths[at(i, j + 1)]) {
                    ++i;
                } else {
                    ++j;
                }
            }
        }
        for (qsizetype t = tail; t > 0; --t)
            equal.push_back({ n - t, m - t });

        // What is left between the equal pairs; an element equal to one left on the
        // other side is a move.
        std::vector<bool> usedA(size_t(n), false);
        std::vector<bool> usedB(size_t(m), false);
        for (const auto &[i, j] : equal) {
            usedA[size_t(i)] = true;
            usedB[size_t(j)] = true;
        }
        // (Arrays too long to align are compared index by index, moves included.)
        QMultiHash<QByteArray, qsizetype> leftB;
        for (qsizetype j = m - 1; j >= 0 && aligned; --j)
            if (!usedB[size_t(j)])
                leftB.insert(cb[size_t(j)], j);
        for (qsizetype i = 0; i < n && aligned; ++i) {
            if (usedA[size_t(i)])
                continue;
            const auto it = leftB.find(ca[size_t(i)]);
            if (it == leftB.end())
                continue;
            const qsizetype j = it.value();
            leftB.erase(it);
            usedA[size_t(i)] = true;
            usedB[size_t(j)] = true;
            m_out.append({ JsonChange::Kind::Moved, jsonChildPath(pathA, i),
                jsonChildPath(pathB, j), a.at(i), b.at(j) });
        }
        // Between two equal pairs, the elements left on both sides are paired in order
        // (a changed element), the rest removed or added.
        equal.push_back({ n, m });
        qsizetype fromA = 0;
        qsizetype fromB = 0;
        for (const auto &[toA, toB] : equal) {
            QList<qsizetype> gapA;
            QList<qsizetype> gapB;
            for (qsizetype i = fromA; i < toA; ++i)
                if (!usedA[size_t(i)])
                    gapA << i;
            for (qsizetype j = fromB; j < toB; ++j)
                if (!usedB[size_t(j)])
                    gapB << j;
            const qsizetype paired = std::min(gapA.size(), gapB.size());
            for (qsizetype k = 0; k < paired; ++k)
                value(a.at(gapA[k]), b.at(gapB[k]), jsonChildPath(pathA, gapA[k]),
                    jsonChildPath(pathB, gapB[k]));
            for (qsizetype k = paired; k < gapA.size(); ++k)
                m_out.append({ JsonChange::Kind::Removed, jsonChildPath(pathA, gapA[k]), {},
                    a.at(gapA[k]), {} });
            for (qsizetype k = paired; k < gapB.size(); ++k)
                m_out.append({ JsonChange::Kind::Added, jsonChildPath(pathB, gapB[k]), {}, {},
                    b.at(gapB[k]) });
            fromA = toA + 1;
            fromB = toB + 1;
        }
    }

    Ignored m_ignored;
    qsizetype m_alignLimit;
    const std::atomic<bool> *m_cancel;
    QList<JsonChange> m_out;
};

} // namespace

QString jsonValueText(const QJsonValue &v, qsizetype most)
{
    const auto cut = [most](QStringView text) {
        return text.size() <= most ? text.toString() : text.first(most).toString() + u"…"_s;
    };
    if (v.isUndefined())
        return {};
    if (v.isString()) {
        // Converted once (a long one is costly), and only the part shown is copied.
        const QString s = v.toString();
        return s.size() + 2 <= most
            ? u'"' + s + u'"'
            : cut(QString(u'"' + QStringView(s).first(std::min(s.size(), most))));
    }
    QString text;
    if (v.isObject())
        text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    else if (v.isArray())
        text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    else
        text = QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))
                   .chopped(1)
                   .sliced(1);
    return cut(text);
}

QString jsonChildPath(const QString &parent, const QString &key)
{
    static const QRegularExpression plain(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (plain.match(key).hasMatch())
        return parent + u'.' + key;
    QString quoted = key;
    quoted.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    return parent + u"[\""_s + quoted + u"\"]"_s;
}

QString jsonChildPath(const QString &parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

QList<JsonChange> diffJson(const QJsonValue &a, const QJsonValue &b, const JsonDiffOptions &options)
{
    Differ differ(options);
    differ.value(a, b, u"$"_s, u"$"_s);
    return differ.result();
}

} // namespace gs::core
