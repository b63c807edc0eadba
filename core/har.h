#pragma once

#include "gatewayrequest.h"
#include "timeline.h"

#include <QDateTime>
#include <QJsonObject>

namespace gs::core {

class Exchange;

//! One request and what came back, as a HAR entry needs it.
struct HarEntry
{
    WireRequest request;
    QDateTime startedAt;
    Timeline timeline;
    int status = 0; //!< 0: no response (a transport failure)
    QByteArray reason;
    QByteArray httpVersion;
    HttpHeaders responseHeaders;
    QByteArray responseBody;
    QString comment; //!< a transport error, redirects, TLS problems
};

//! What an exchange sent and received, for HAR.
HarEntry harEntry(const Exchange &exchange, const WireRequest &request);

//! An HTTP Archive 1.2 log of \a entries, with timings from the client's monotonic
//! clock (phases that did not happen, as on a reused connection, are -1). Unless
//! \a showSecrets, credentials are masked wherever they stand (see Redactor): in
//! headers by name, in the URL and query string, in the comment, and each of
//! \a secretValues in the request's body and the response.
QJsonObject toHar(const QList<HarEntry> &entries, bool showSecrets = false,
    const QStringList &secretValues = {});

} // namespace gs::core
