#pragma once

#include <QList>

namespace gs::core {

//! Client-side moments of one exchange, in microseconds since it started (monotonic
//! clock); -1 where the moment did not occur.
struct Timeline
{
    qint64 connecting = -1; //!< socketStartedConnecting
    qint64 encrypted = -1; //!< TLS handshake done
    qint64 requestSent = -1;
    qint64 headers = -1; //!< status line and headers received
    qint64 firstByte = -1; //!< first body byte
    qint64 firstEvent = -1; //!< first stream event
    qint64 firstToken = -1; //!< first content, reasoning, refusal or tool-call token (TTFT)
    qint64 finished = -1;
    //! No connect (and no TLS) phase was seen: the request went over a reused
    //! connection, so those phases were not measured, not zero.
    bool connectionReused = false;
    //! Arrival of each token-bearing event, for inter-token gaps. Capped at
    //! kMaxTokenTimes entries so that endless streams stay bounded.
    QList<qint64> tokenTimes;
    bool tokenTimesTruncated = false;
    qint64 bytes = 0; //!< body bytes received (after decompression)
    qint64 events = 0;

    static constexpr qsizetype kMaxTokenTimes = 1'000'000;
};

} // namespace gs::core
