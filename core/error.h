#pragma once

#include <QString>

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

inline std::unexpected<Error> fail(Error::Kind kind, QString message, QString detail = {})
{
    return std::unexpected(Error { kind, std::move(message), std::move(detail) });
}

} // namespace gs::core
