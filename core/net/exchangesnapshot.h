#pragma once

#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/net/timeline.h"
#include "core/stream/openaiassembler.h"
#include "core/stream/responsebody.h"

#include <QDateTime>
#include <QStringList>

#include <memory>

namespace gs::core {

//! How an exchange failed on the transport level. An HTTP 4xx/5xx is not a failure.
struct ExchangeError
{
    enum class Kind {
        None,
        Canceled,
        Deadline,
        ConnectionRefused,
        HostNotFound,
        ConnectionReset,
        Timeout,
        Tls,
        TooManyRedirects,
        Protocol,
        Other
    };
    Kind kind = Kind::None;
    QString message; //!< for the user
    QString detail; //!< Qt's own words
};

//! A finished exchange as a value: what went out, what came back, what it decoded
//! to, and the body as a prefix plus the file that holds all of it. History, HAR
//! export and the inspector (and later comparisons and load runs) take this rather
//! than the live Exchange, so that none of them reads more of a large body than it
//! keeps, and a view can hold an exchange after the next one started.
struct ExchangeSnapshot
{
    WireRequest request; //!< as sent
    QDateTime startedAt;
    Timeline timeline;
    ExchangeError error;
    int status = 0; //!< 0: no response
    QByteArray reason;
    QByteArray httpVersion;
    HttpHeaders responseHeaders;
    BodyFraming framing = BodyFraming::Other;
    AssembledResponse assembled;
    bool unterminatedEvent = false;
    QString incomplete; //!< why the streamed answer is not whole (Exchange::incomplete())
    QStringList redirects;
    QStringList tlsProblems;
    QStringList notes;

    //! The first bytes of the body (all of it when it is no longer than the prefix).
    QByteArray bodyPrefix;
    //! How many body bytes were kept in all.
    qint64 bodySize = 0;
    //! The temporary file with the whole body when it passed the exchange's spill
    //! threshold; empty when it stayed in memory (and bodyPrefix may still be cut).
    QString bodyFile;
    //! Keeps bodyFile on disk while any copy of the snapshot lives.
    std::shared_ptr<const void> bodyFileKeeper;
    //! The whole body when it stayed in memory (shared, not copied); empty when it
    //! is in bodyFile.
    QByteArray bodyInMemory;

    bool bodyIsWhole() const { return bodyPrefix.size() == bodySize; }
    //! Every byte of the body: for work that needs all of it, off the UI thread.
    Result<QByteArray> readBody() const;
};

//! How much of the body a snapshot carries as its prefix by default: what a view
//! shows at once without a noticeable pause.
inline constexpr qsizetype kSnapshotPrefixBytes = 2 * 1024 * 1024;

} // namespace gs::core
