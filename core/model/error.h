#pragma once

#include <QString>

#include <algorithm>
#include <expected>

namespace gs::core {

//! A failure as a value: what kind, a message a user understands, and the raw detail
//! (OS error text, parser offset, ...) for the curious.
struct Error
{
    enum class Kind {
        Io, //!< a file could not be read or written
        Parse, //!< input was not in the expected format
        Validation, //!< a request is not fit to be sent
        Usage, //!< a caller (often a command line) asked for something impossible
        Conflict, //!< a file changed on disk since it was read; nothing was written
    };

    Kind kind = Kind::Parse;
    QString message;
    QString detail;
};

template <typename T> using Result = std::expected<T, Error>;

//! \a text as a message may quote it: at most \a limit characters (then "… (N
//! characters)"), control characters shown as '?', so that neither a 5 MB line nor a
//! terminal escape from a file reaches the terminal whole.
inline QString quotedForMessage(QStringView text, qsizetype limit = 80)
{
    QString out = text.first(std::min(text.size(), limit)).toString();
    for (QChar &c : out)
        if (c.category() == QChar::Other_Control)
            c = u'?';
    if (text.size() > limit)
        out += QStringLiteral("… (%1 characters)").arg(text.size());
    return out;
}

inline std::unexpected<Error> fail(Error::Kind kind, QString message, QString detail = {})
{
    return std::unexpected(Error { kind, std::move(message), std::move(detail) });
}

} // namespace gs::core
