#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"

namespace gs::core {

enum class ExportFormat {
    Curl, //!< a curl command line (bash quoting)
    Python, //!< the openai Python SDK with extra_headers, as the gateway's docs show
    JavaScript, //!< the openai npm package, headers in the request options
    Http, //!< the .http request text
};

//! Parses "curl", "python", "javascript" (or "js") and "http".
std::optional<ExportFormat> exportFormatFromName(QStringView name);

//! \a request as code for another tool. Unless \a showSecrets, credentials (by
//! header or query parameter name, a URL's userinfo, and the values of
//! \a secretVariables wherever they stand) are read from the environment (TFY_API_KEY for the
//! token) or, in .http text, written as variables: those \a source wrote, else named after them.
//! Python and JavaScript cover the endpoints the SDKs have methods for (chat
//! completions, completions, embeddings, responses, models); others fail with a
//! message that says to use curl.
Result<QString> exportRequest(const GatewayRequest &request, ExportFormat format,
    bool showSecrets = false, const Variables &secretVariables = {},
    const HttpFileRequest *source = nullptr);

} // namespace gs::core
