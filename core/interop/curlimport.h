#pragma once

#include "core/httpfile/variables.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"

#include <QStringList>

namespace gs::core {

//! A curl command line read into the request it sends.
struct CurlImport
{
    WireRequest request;
    //! A body curl would read from a file ("-d @file"): written as "< file" in .http.
    QString bodyFile;
    //! Everything in the command that the request cannot carry, one line each:
    //! display options, TLS and proxy settings, multipart forms, unknown options.
    //! Nothing is dropped without a line here.
    QStringList notes;
};

//! Splits a shell command into words the way a POSIX shell would: '...' literal,
//! "..." with \" \\ \$ \` escapes, $'...' with C escapes (\n, \t, \xHH, \uHHHH, ...),
//! backslash escapes and line continuations (backslash-newline, and the ^ of
//! Windows cmd). Fails on an unterminated quote.
Result<QStringList> splitShellWords(const QString &command);

//! Reads a curl command (as copied from a browser's developer tools, an API's
//! documentation or another client): -X/--request, -H/--header, -d/--data,
//! --data-raw/--data-binary/--data-ascii/--data-urlencode, --json, -u/--user,
//! -A, -e, -b, --url, -G/--get and the URL. The method, headers and body are what
//! curl would send (a form Content-Type for -d without one, POST with a body).
Result<CurlImport> importCurl(const QString &command);

//! The .http text of an imported request (see templateRequest()): it reads back as
//! exactly the request curl would send. Credentials are replaced by {{variables}}
//! ({{token}} for a bearer token) unless \a keepSecrets; \a secrets, when given,
//! receives their values. Fails on what a .http file cannot carry (a method that is
//! not one word, a URL with blanks or line breaks, a header with a line break).
Result<QString> toHttpText(
    const CurlImport &import, bool keepSecrets = false, Variables *secrets = nullptr);

} // namespace gs::core
