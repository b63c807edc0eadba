#include "core/httpfile/variables.h"

#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStringList>
#include <QUuid>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gs::core {

Variables VariableLayers::merged() const
{
    Variables out = gateway;
    for (const Variables *layer : { &environment, &file, &overrides })
        out.insert(*layer);
    for (auto it = secrets.begin(); it != secrets.end(); ++it)
        if (!out.contains(it.key()))
            out.insert(it.key(), it.value());
    return out;
}

QStringList VariableLayers::unsetSecrets(const QStringList &secretNames) const
{
    QStringList out;
    for (const QString &name : secretNames) {
        const bool set = std::ranges::any_of(
            std::initializer_list<const Variables *> { &gateway, &environment, &file, &overrides },
            [&name](const Variables *layer) { return layer->contains(name); });
        if (!set && !out.contains(name))
            out << name;
    }
    return out;
}

namespace {

struct LiteralEscape
{
    QChar character;
    QLatin1StringView name;
};

constexpr std::array kLiteralEscapes { LiteralEscape { u'{', "$char.lbrace"_L1 },
    LiteralEscape { u'<', "$char.lt"_L1 }, LiteralEscape { u'>', "$char.gt"_L1 },
    LiteralEscape { u'#', "$char.hash"_L1 }, LiteralEscape { u'/', "$char.slash"_L1 },
    LiteralEscape { u'\n', "$char.lf"_L1 }, LiteralEscape { u'\r', "$char.cr"_L1 },
    LiteralEscape { u' ', "$char.space"_L1 }, LiteralEscape { u'\t', "$char.tab"_L1 } };

std::optional<QString> dynamicValue(const QString &name)
{
    if (name == "$uuid"_L1 || name == "$guid"_L1 || name == "$random.uuid"_L1)
        return QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (name == "$timestamp"_L1)
        return QString::number(QDateTime::currentSecsSinceEpoch());
    if (name == "$isoTimestamp"_L1)
        return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (name == "$randomInt"_L1)
        return QString::number(QRandomGenerator::global()->bounded(1000));
    for (const LiteralEscape &e : kLiteralEscapes) {
        if (name == e.name)
            return QString(e.character);
    }
    // {{$char.u0050}}: any character by its code point.
    if (name.size() == 11 && name.startsWith("$char.u"_L1)) {
        bool ok = false;
        const uint code = QStringView(name).sliced(7).toUInt(&ok, 16);
        if (ok && code > 0 && !QChar::isSurrogate(code))
            return QString(QChar(char16_t(code)));
    }
    return std::nullopt;
}

// One expansion: each variable is expanded once (so that values which refer to a
// variable many times cost its size, not a new expansion each time), and the stack of
// variables being expanded names a cycle when one comes back.
class Expander
{
public:
    explicit Expander(const Variables &variables)
        : m_variables(variables)
    { }

    Result<QString> expand(const QString &text)
    {
        static const QRegularExpression kReference(
            u"\\{\\{\\s*(\\$?[^{}\\s]+)((?:\\s+[^{}]*)?)\\s*\\}\\}"_s);
        QString out;
        qsizetype last = 0;
        for (auto it = kReference.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const auto value = valueOf(m.captured(1));
            if (!value)
                return std::unexpected(value.error());
            if (!*value)
                continue; // unknown: left in place
            out += QStringView(text).mid(last, m.capturedStart() - last);
            out += **value;
            last = m.capturedEnd();
            if (out.size() - last > expansion::kMaxAddedSize)
                return tooLarge(m.captured(1));
        }
        if (last == 0)
            return text;
        out += QStringView(text).mid(last);
        return out;
    }

private:
    Result<std::optional<QString>> valueOf(const QString &name)
    {
        if (!m_variables.contains(name))
            return dynamicValue(name);
        if (const auto done = m_done.constFind(name); done != m_done.cend())
            return std::optional(*done);
        if (const qsizetype at = m_stack.indexOf(name); at >= 0) {
            if (at == m_stack.size() - 1)
                return fail(Error::Kind::Validation,
                    u"The variable %1 refers to itself."_s.arg(name), name);
            const QString cycle = (m_stack.mid(at) << name).join(u" → "_s);
            return fail(Error::Kind::Validation,
                u"Variables refer to each other in a loop: %1."_s.arg(cycle), cycle);
        }
        if (m_stack.size() >= expansion::kMaxDepth)
            return fail(Error::Kind::Validation,
                u"Variables refer to variables more than %1 deep (from %2); a request stops there."_s
                    .arg(expansion::kMaxDepth)
                    .arg(m_stack.first()));
        m_stack.append(name);
        auto value = expand(m_variables.value(name));
        m_stack.removeLast();
        if (!value)
            return std::unexpected(value.error());
        if (value->size() > expansion::kMaxAddedSize)
            return tooLarge(name);
        m_done.insert(name, *value);
        return std::optional(*value);
    }

    static std::unexpected<Error> tooLarge(const QString &name)
    {
        return fail(Error::Kind::Validation,
            u"Variables expand to more than %1 MiB (at {{%2}}); a request stops there."_s
                .arg(expansion::kMaxAddedSize / (1024 * 1024))
                .arg(name),
            name);
    }

    const Variables &m_variables;
    QHash<QString, QString> m_done;
    QStringList m_stack;
};

} // namespace

Result<QString> expandVariables(const QString &text, const Variables &variables)
{
    return Expander(variables).expand(text);
}

QString substituteVariables(const QString &text, const Variables &variables)
{
    return expandVariables(text, variables).value_or(text);
}

QString literalEscape(QChar c)
{
    for (const LiteralEscape &e : kLiteralEscapes) {
        if (c == e.character)
            return u"{{"_s + e.name + u"}}"_s;
    }
    return {};
}

QString codePointEscape(QChar c)
{
    return u"{{$char.u%1}}"_s.arg(c.unicode(), 4, 16, QChar(u'0'));
}

} // namespace gs::core
