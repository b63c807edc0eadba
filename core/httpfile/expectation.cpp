#include "core/httpfile/expectation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gs::core {

namespace {

QString compact(const QJsonValue &v)
{
    if (v.isUndefined())
        return u"nothing"_s;
    // A value wrapped in an array gives its JSON text, strings quoted.
    const QByteArray text = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.sliced(1, text.size() - 2));
}

// The right side of "==": JSON when it reads as JSON ("text", 3, true, null, {...}),
// otherwise the bare text as a string.
QJsonValue literal(const QString &text)
{
    const QByteArray wrapped = "[" + text.toUtf8() + "]";
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().first();
    return text;
}

Error usage(const QString &text, const QString &why)
{
    return Error { Error::Kind::Parse, u"@expect %1: %2"_s.arg(text, why), {} };
}

} // namespace

Result<Expectation> Expectation::parse(const QString &raw)
{
    const QString text = raw.trimmed();
    Expectation e;
    e.text = text;
    const QString what = text.section(u' ', 0, 0, QString::SectionSkipEmpty).toLower();
    const QString rest = text.section(u' ', 1, -1, QString::SectionSkipEmpty).trimmed();
    if (what == "status"_L1) {
        static const QRegularExpression kStatus(
            u"^([1-5])(\\d\\d|xx)$"_s, QRegularExpression::CaseInsensitiveOption);
        const auto m = kStatus.match(rest);
        if (!m.hasMatch())
            return std::unexpected(usage(text, u"expected a status such as 200 or 2xx"_s));
        e.kind = Kind::Status;
        e.statusClass = m.captured(2).compare("xx"_L1, Qt::CaseInsensitive) == 0;
        e.status = e.statusClass ? m.captured(1).toInt() : rest.toInt();
        return e;
    }
    if (what == "model"_L1) {
        if (rest.isEmpty() || rest.contains(u' '))
            return std::unexpected(usage(text, u"expected one model name"_s));
        e.kind = Kind::Model;
        e.model = rest;
        return e;
    }
    if (what == "json"_L1) {
        // The path ends at the first space outside [...] (names in brackets may have spaces).
        qsizetype end = 0;
        QChar quote;
        for (int depth = 0; end < rest.size(); ++end) {
            const QChar c = rest[end];
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (depth > 0 && (c == u'\'' || c == u'"')) {
                quote = c;
            } else if (c == u'[') {
                ++depth;
            } else if (c == u']') {
                --depth;
            } else if (c.isSpace() && depth == 0) {
                break;
            }
        }
        e.path = rest.left(end);
        const QString condition = rest.mid(end).trimmed();
        QString error;
        jsonAtPath(QJsonObject {}, e.path, &error);
        if (!error.isEmpty())
            return std::unexpected(usage(text, error));
        if (condition == "exists"_L1) {
            e.kind = Kind::JsonExists;
            return e;
        }
        if (condition.startsWith("=="_L1)) {
            e.kind = Kind::JsonEquals;
            e.value = literal(condition.mid(2).trimmed());
            return e;
        }
        return std::unexpected(usage(text, u"expected \"PATH exists\" or \"PATH == VALUE\""_s));
    }
    if (what == "ttft"_L1) {
        static const QRegularExpression kBound(u"^<\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)$"_s);
        const auto m = kBound.match(rest);
        if (!m.hasMatch())
            return std::unexpected(
                usage(text, u"expected a bound such as \"< 800ms\" or \"< 2s\""_s));
        e.kind = Kind::TtftBelow;
        e.ttftMs = m.captured(1).toDouble() * (m.captured(2) == "s"_L1 ? 1000.0 : 1.0);
        return e;
    }
    return std::unexpected(
        usage(text, u"unknown expectation; there are status, model, json and ttft"_s));
}

ExpectationResult check(const Expectation &e, const ExchangeFacts &facts)
{
    switch (e.kind) {
    case Expectation::Kind::Status: {
        const bool passed = facts.status > 0
            && (e.statusClass ? facts.status / 100 == e.status : facts.status == e.status);
        return { passed, facts.status > 0 ? QString::number(facts.status) : u"no response"_s };
    }
    case Expectation::Kind::Model:
        return { facts.resolvedModel == e.model,
            facts.resolvedModel.isEmpty() ? u"no model named"_s : facts.resolvedModel };
    case Expectation::Kind::JsonExists:
    case Expectation::Kind::JsonEquals: {
        if (facts.json.isUndefined())
            return { false, u"the body is not JSON"_s };
        const auto found = jsonAtPath(facts.json, e.path);
        if (!found)
            return { false, u"nothing at %1"_s.arg(e.path) };
        if (e.kind == Expectation::Kind::JsonExists)
            return { true, compact(*found) };
        // Numbers compare by value (1 == 1.0).
        const bool equal = found->isDouble() && e.value.isDouble()
            ? found->toDouble() == e.value.toDouble()
            : *found == e.value;
        return { equal, compact(*found) };
    }
    case Expectation::Kind::TtftBelow:
        if (facts.ttftMs < 0)
            return { false, u"no token arrived"_s };
        return { facts.ttftMs < e.ttftMs, QString::number(facts.ttftMs, 'f', 1) + u" ms"_s };
    }
    return {};
}

std::optional<QJsonValue> jsonAtPath(const QJsonValue &root, const QString &path, QString *error)
{
    const auto bad = [&](const QString &why) -> std::optional<QJsonValue> {
        if (error)
            *error = u"bad JSON path %1: %2"_s.arg(path, why);
        return std::nullopt;
    };
    if (!path.startsWith(u'$'))
        return bad(u"it starts with $"_s);
    // The whole path is read even past a missing step, so that a malformed path is
    // reported as such and not as a value that is not there.
    QJsonValue current = root;
    qsizetype i = 1;
    while (i < path.size()) {
        if (path[i] == u'.') {
            qsizetype end = i + 1;
            while (end < path.size() && path[end] != u'.' && path[end] != u'[')
                ++end;
            const QString key = path.mid(i + 1, end - i - 1);
            if (key.isEmpty())
                return bad(u"empty name after '.'"_s);
            current = current.toObject().value(key);
            i = end;
        } else if (path[i] == u'[') {
            const qsizetype close = path.indexOf(u']', i);
            if (close < 0)
                return bad(u"'[' without ']'"_s);
            const QString inside = path.mid(i + 1, close - i - 1).trimmed();
            if (inside.size() >= 2 && (inside.startsWith(u'\'') || inside.startsWith(u'"'))
                && inside.back() == inside.front()) {
                current = current.toObject().value(inside.mid(1, inside.size() - 2));
            } else {
                bool ok = false;
                const int index = inside.toInt(&ok);
                if (!ok)
                    return bad(u"expected an index or a quoted name in [...]"_s);
                const QJsonArray array = current.toArray();
                const qsizetype at = index < 0 ? array.size() + index : index;
                current = at >= 0 && at < array.size() ? array.at(at) : QJsonValue::Undefined;
            }
            i = close + 1;
        } else {
            return bad(u"unexpected '%1'"_s.arg(path[i]));
        }
    }
    if (current.isUndefined())
        return std::nullopt;
    return current;
}

QJsonValue assembledAsJson(const AssembledResponse &r)
{
    QJsonArray choices;
    for (const AssembledChoice &c : r.choices) {
        QJsonObject message { { u"role"_s, c.role.isEmpty() ? u"assistant"_s : c.role },
            { u"content"_s, c.text.isEmpty() && !c.toolCalls.isEmpty() ? QJsonValue() : c.text } };
        if (!c.reasoning.isEmpty())
            message.insert(u"reasoning_content"_s, c.reasoning);
        if (!c.refusal.isEmpty())
            message.insert(u"refusal"_s, c.refusal);
        if (!c.toolCalls.isEmpty()) {
            QJsonArray calls;
            for (const ToolCall &t : c.toolCalls)
                calls.append(QJsonObject { { u"id"_s, t.id },
                    { u"type"_s, t.type.isEmpty() ? u"function"_s : t.type },
                    { u"function"_s,
                        QJsonObject { { u"name"_s, t.name }, { u"arguments"_s, t.arguments } } } });
            message.insert(u"tool_calls"_s, calls);
        }
        choices.append(QJsonObject { { u"index"_s, c.index }, { u"message"_s, message },
            { u"finish_reason"_s, c.finishReason.isEmpty() ? QJsonValue() : c.finishReason } });
    }
    QJsonObject out { { u"id"_s, r.id }, { u"object"_s, u"chat.completion"_s },
        { u"model"_s, r.model }, { u"choices"_s, choices } };
    if (!r.usage.isUndefined())
        out.insert(u"usage"_s, r.usage);
    if (!r.errors.isEmpty())
        out.insert(u"error"_s, r.errors.first().raw);
    return out;
}

} // namespace gs::core
