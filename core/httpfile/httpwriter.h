#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"

namespace gs::core {

//! How a request is written into a .http file so that it reads back as exactly that
//! request, in Gatescope and safely in other tools (docs/http-files.md, "Writing
//! requests safely"). Every importer and exporter writes through here.

//! \a text with each '{' that starts a "{{" written as {{$char.lbrace}}: literal
//! text that no variable may enter.
QString escapeLiteralBraces(QStringView text);

//! What happens to the line breaks and blanks that end a body.
enum class BodyEnd {
    Exact, //!< escaped, so that they are sent (imports: the request as it was)
    Trimmed, //!< left bare, so that a file drops them as it does a hand-written body's
};

//! \a body with what a .http file would misread escaped (literalEscape()): the
//! first non-blank character of a line when it is '<' (a file include), '>' (a
//! response handler), '#' or "//" (a comment, or "###", the next request); with
//! BodyEnd::Exact, the line breaks and blanks after the last line with text, and a
//! body of blanks only. "{{" is left alone: see escapeLiteralBraces().
QString escapeBodyLines(QStringView body, BodyEnd end = BodyEnd::Exact);

struct HttpWriteOptions
{
    bool separator = false; //!< start with "### NAME" (or "###"), as between requests
    QStringList comments; //!< "# " lines before the request
};

//! The .http text of \a request, whose fields are file text (variables as {{name}},
//! escapes already made). Names and comments have their control characters turned
//! into spaces. Fails, saying why, on what no .http file can carry: a method that is
//! not an upper-case token, a URL that is empty or has blanks or control characters,
//! a header name that is not a token (or starts with '#'), a header value with a line
//! break or a control character, and, as a last guard, anything that does not parse
//! back to exactly \a request.
Result<QString> formatHttpRequest(
    const HttpFileRequest &request, const HttpWriteOptions &options = {});

//! A request read from elsewhere (a curl command, a composed request) as file text.
struct TemplatedRequest
{
    HttpFileRequest request;
    //! The credentials moved out into {{variables}}, by variable name: they belong in
    //! http-client.private.env.json or the credential store, never in the file.
    Variables secrets;
};

struct TemplateOptions
{
    bool keepSecrets = false; //!< write credentials as they are
    QString baseUrl; //!< a URL starting with it is written {{baseUrl}}...
    QString bodyFile; //!< the body is "< bodyFile" (curl's -d @file)
    //! How the request's own file wrote it: a credential written there as a variable
    //! is written as that same variable again.
    const HttpFileRequest *source = nullptr;
};

//! \a wire, whose every byte is literal, as a .http request: "{{" and lines that a file
//! would misread are escaped; unless keepSecrets, the credentials are moved into
//! variables: a bearer token to {{token}}, other Authorization values to
//! {{credentials}}, headers and query parameters named like credentials to
//! {{their_name}}, a URL's user:password to an Authorization: Basic header.
TemplatedRequest templateRequest(const WireRequest &wire, const TemplateOptions &options = {});

//! What a .http file gets for a request: its text, and the credentials the text names
//! as {{variables}} instead of carrying them.
struct HttpFileText
{
    QString text;
    TemplatedRequest templated;
};

//! templateRequest() then formatHttpRequest().
Result<HttpFileText> httpFileTextOf(const WireRequest &wire, const TemplateOptions &options = {});

} // namespace gs::core
