#pragma once

#include "error.h"
#include "gatewayrequest.h"

namespace gs::core {

enum class ExportFormat {
    Curl, //!< a curl command line (bash quoting)
    Python, //!< the openai Python SDK with extra_headers, as the gateway's docs show
    JavaScript, //!< the openai npm package, headers in the request options
    Http, //!< the .http request text
};

//! Parses "curl", "python", "javascript" (or "js") and "http".
std::optional<ExportFormat> exportFormatFromName(QStringView name);

//! The .http text of a request: request line, headers, a blank line, the body (or
//! "< bodyFile"). Unless \a keepSecrets, a bearer token is written {{token}}, other
//! credentials as {{header_name}}, and a URL starting with \a baseUrl as {{baseUrl}}.
QString writeHttpRequest(const WireRequest &request, bool keepSecrets, const QString &baseUrl = {},
    const QString &bodyFile = {});

//! \a request as code for another tool. Unless \a showSecrets, credentials are read
//! from the environment (TFY_API_KEY for the token) instead of being written out.
//! Python and JavaScript cover the endpoints the SDKs have methods for (chat
//! completions, completions, embeddings, responses, models); others fail with a
//! message that says to use curl.
Result<QString> exportRequest(
    const GatewayRequest &request, ExportFormat format, bool showSecrets = false);

} // namespace gs::core
