#include "core/httpfile/variables.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStringList>
#include <QUuid>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

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

//! The words of a dynamic variable's arguments: spaces separate them, and a quoted
//! word ("..." or '...') keeps its spaces.
QStringList argumentWords(const QString &text)
{
    QStringList words;
    QString word;
    QChar quote;
    bool inWord = false;
    for (const QChar c : text) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (c == u'"' || c == u'\'') {
            quote = c;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words << std::exchange(word, QString());
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words << word;
    return words;
}

//! \a time moved by "AMOUNT UNIT" (VS Code REST Client's offset: y, M, w, d, h, m, s,
//! ms), or nullopt when the words are no offset.
std::optional<QDateTime> offsetBy(QDateTime time, const QStringList &words)
{
    if (words.isEmpty())
        return time;
    if (words.size() != 2)
        return std::nullopt;
    bool ok = false;
    const qint64 amount = words[0].toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const QString &unit = words[1];
    if (unit == "y"_L1)
        return time.addYears(int(amount));
    if (unit == "M"_L1)
        return time.addMonths(int(amount));
    if (unit == "w"_L1)
        return time.addDays(amount * 7);
    if (unit == "d"_L1)
        return time.addDays(amount);
    if (unit == "h"_L1)
        return time.addSecs(amount * 3600);
    if (unit == "m"_L1)
        return time.addSecs(amount * 60);
    if (unit == "s"_L1)
        return time.addSecs(amount);
    if (unit == "ms"_L1)
        return time.addMSecs(amount);
    return std::nullopt;
}

//! A Day.js format ("YYYY-MM-DDTHH:mm:ss.SSSZ", as VS Code REST Client takes it) as
//! the text it gives for \a time; text in [brackets] is kept as it is.
QString dayjsFormat(const QDateTime &time, const QString &format)
{
    struct Token
    {
        QLatin1StringView dayjs;
        QLatin1StringView qt;
    };
    static constexpr std::array kTokens { Token { "YYYY"_L1, "yyyy"_L1 },
        Token { "YY"_L1, "yy"_L1 }, Token { "MMMM"_L1, "MMMM"_L1 }, Token { "MMM"_L1, "MMM"_L1 },
        Token { "MM"_L1, "MM"_L1 }, Token { "M"_L1, "M"_L1 }, Token { "DD"_L1, "dd"_L1 },
        Token { "D"_L1, "d"_L1 }, Token { "dddd"_L1, "dddd"_L1 }, Token { "ddd"_L1, "ddd"_L1 },
        Token { "HH"_L1, "HH"_L1 }, Token { "H"_L1, "H"_L1 }, Token { "hh"_L1, "hh"_L1 },
        Token { "h"_L1, "h"_L1 }, Token { "mm"_L1, "mm"_L1 }, Token { "m"_L1, "m"_L1 },
        Token { "ss"_L1, "ss"_L1 }, Token { "s"_L1, "s"_L1 }, Token { "SSS"_L1, "zzz"_L1 },
        Token { "A"_L1, "AP"_L1 }, Token { "a"_L1, "ap"_L1 } };
    const QLocale c = QLocale::c();
    QString out;
    for (qsizetype i = 0; i < format.size();) {
        if (format[i] == u'[') {
            const qsizetype close = format.indexOf(u']', i);
            const qsizetype end = close < 0 ? format.size() : close;
            out += QStringView(format).sliced(i + 1, end - i - 1);
            i = end + 1;
            continue;
        }
        if (format[i] == u'Z') {
            const bool compact = QStringView(format).sliced(i).startsWith(u"ZZ");
            const int offset = time.offsetFromUtc() / 60;
            const QString sign = offset < 0 ? u"-"_s : u"+"_s;
            out += u"%1%2%3%4"_s.arg(sign)
                       .arg(std::abs(offset) / 60, 2, 10, QChar(u'0'))
                       .arg(compact ? QString() : u":"_s)
                       .arg(std::abs(offset) % 60, 2, 10, QChar(u'0'));
            i += compact ? 2 : 1;
            continue;
        }
        const auto token = std::ranges::find_if(kTokens,
            [&](const Token &t) { return QStringView(format).sliced(i).startsWith(t.dayjs); });
        if (token == kTokens.end()) {
            out += format[i++];
            continue;
        }
        out += c.toString(time, token->qt);
        i += token->dayjs.size();
    }
    return out;
}

//! {{$datetime FORMAT [offset]}} and {{$localDatetime ...}}: rfc1123, iso8601 or a
//! Day.js format, as VS Code REST Client and httpyac write them.
std::optional<QString> datetimeValue(QDateTime time, const QStringList &words)
{
    if (words.isEmpty())
        return std::nullopt;
    const auto moved = offsetBy(time, words.mid(1));
    if (!moved)
        return std::nullopt;
    if (words[0] == "iso8601"_L1)
        return moved->timeSpec() == Qt::UTC
            ? moved->toString(Qt::ISODateWithMs)
            : moved->toOffsetFromUtc(moved->offsetFromUtc()).toString(Qt::ISODateWithMs);
    if (words[0] == "rfc1123"_L1)
        return QLocale::c().toString(moved->toUTC(), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    return dayjsFormat(*moved, words[0]);
}

std::optional<QString> dynamicValue(const QString &name, const QString &arguments,
    const Variables &variables, const Variables *dotenv)
{
    const QStringList words = argumentWords(arguments);
    const bool bare = words.isEmpty();
    if (bare && (name == "$uuid"_L1 || name == "$guid"_L1 || name == "$random.uuid"_L1))
        return QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (name == "$timestamp"_L1) {
        const auto at = offsetBy(QDateTime::currentDateTimeUtc(), words);
        return at ? std::optional(QString::number(at->toSecsSinceEpoch())) : std::nullopt;
    }
    if (bare && name == "$isoTimestamp"_L1)
        return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (name == "$datetime"_L1)
        return datetimeValue(QDateTime::currentDateTimeUtc(), words);
    if (name == "$localDatetime"_L1)
        return datetimeValue(QDateTime::currentDateTime(), words);
    if (name == "$randomInt"_L1) {
        if (words.isEmpty())
            return QString::number(QRandomGenerator::global()->bounded(1000));
        bool minOk = false;
        bool maxOk = false;
        const qint64 low = words.value(0).toLongLong(&minOk);
        const qint64 high = words.value(1).toLongLong(&maxOk);
        if (words.size() != 2 || !minOk || !maxOk || high <= low)
            return std::nullopt;
        // From low up to high, high left out, as VS Code REST Client draws it.
        return QString::number(QRandomGenerator::global()->bounded(low, high));
    }
    if (name == "$dotenv"_L1) {
        if (words.size() != 1 || !dotenv)
            return std::nullopt;
        // "%name": the .env entry that the variable name holds.
        const QString key = words[0].startsWith(u'%') ? variables.value(words[0].mid(1)) : words[0];
        const auto it = dotenv->constFind(key);
        return it == dotenv->constEnd() ? std::nullopt : std::optional(*it);
    }
    if (name == "$processEnv"_L1) {
        if (words.size() != 1)
            return std::nullopt;
        // "%name": the environment variable that the variable name holds.
        QString variable = words[0];
        if (variable.startsWith(u'%'))
            variable = variables.value(variable.mid(1));
        if (variable.isEmpty() || !qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
            return std::nullopt;
        return qEnvironmentVariable(variable.toLocal8Bit().constData());
    }
    if (!bare)
        return std::nullopt;
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
    Expander(const Variables &variables, const Variables *dotenv)
        : m_variables(variables)
        , m_dotenv(dotenv)
    { }

    Result<QString> expand(const QString &text)
    {
        static const QRegularExpression kReference(
            u"\\{\\{\\s*(\\$?[^{}\\s]+)((?:\\s+[^{}]*)?)\\s*\\}\\}"_s);
        QString out;
        qsizetype last = 0;
        for (auto it = kReference.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const auto value = valueOf(m.captured(1), m.captured(2));
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
    Result<std::optional<QString>> valueOf(const QString &name, const QString &arguments)
    {
        if (!m_variables.contains(name))
            return dynamicValue(name, arguments, m_variables, m_dotenv);
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
    const Variables *m_dotenv;
    QHash<QString, QString> m_done;
    QStringList m_stack;
};

} // namespace

Result<QString> expandVariables(
    const QString &text, const Variables &variables, const Variables *dotenv)
{
    return Expander(variables, dotenv).expand(text);
}

Variables readDotenv(const QString &directory)
{
    Variables out;
    QFile file(QDir(directory).filePath(u".env"_s));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return out;
    while (!file.atEnd()) {
        QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith("export "_L1))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue;
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'')
            && value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        out.insert(line.first(eq).trimmed(), value);
    }
    return out;
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
