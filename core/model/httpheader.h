#pragma once

#include <QByteArray>
#include <QList>

namespace gs::core {

//! One header as it stands on the wire: spelling and order are kept.
struct HttpHeader
{
    QByteArray name;
    QByteArray value;

    friend bool operator==(const HttpHeader &, const HttpHeader &) = default;
};

using HttpHeaders = QList<HttpHeader>;

//! Case-insensitive comparison of header names (RFC 9110 5.1).
bool headerNameEquals(QByteArrayView a, QByteArrayView b);

//! The first header called \a name, or a null QByteArray.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);
//! The parameter \a name (any case) of a header value such as a Content-Type
//! ("multipart/form-data; boundary=\"b\"" gives b for "boundary"), unquoted; empty
//! when it has none.
QByteArray headerParameter(QByteArrayView value, QByteArrayView name);

//! Every value of \a name joined by ", " (RFC 9110 5.3), or a null QByteArray.
QByteArray combinedHeaderValue(const HttpHeaders &headers, QByteArrayView name);

//! Whether \a name is an HTTP token (RFC 9110 5.6.2).
bool isHttpToken(QByteArrayView name);

//! Whether \a c may appear in an HTTP token.
constexpr bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

} // namespace gs::core
