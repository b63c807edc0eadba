#pragma once

#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/net/timeline.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>

namespace gs::core {

struct ExchangeSnapshot;

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
    //! Where the response body is when it was too large to keep in memory (the
    //! exchange's spill file); responseBody is empty then.
    QString responseBodyFile;
    std::shared_ptr<const void> bodyFileKeeper; //!< keeps responseBodyFile on disk
    QString comment; //!< a transport error, redirects, TLS problems
};

//! What an exchange sent and received, for HAR.
HarEntry harEntry(const ExchangeSnapshot &exchange);

//! An HTTP Archive 1.2 log of \a entries, with timings from the client's monotonic
//! clock (phases that did not happen, as on a reused connection, are -1). Unless
//! \a showSecrets, credentials are masked wherever they stand (see Redactor): in
//! headers by name, in the URL and query string, in the comment, and each of
//! \a secretValues in the request's body and the response.
QJsonObject toHar(
    const QList<HarEntry> &entries, bool showSecrets = false, const QStringList &secretValues = {});

//! toHar() written to \a out, with the response bodies kept in files read and written
//! a slice at a time: a large body is never held whole, neither as bytes nor as JSON.
Result<void> writeHar(QIODevice &out, const QList<HarEntry> &entries, bool showSecrets = false,
    const QStringList &secretValues = {});

} // namespace gs::core
