#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace gs::core {

//! One metric of a Server-Timing header.
struct ServerTimingMetric
{
    QString name;
    double duration = 0; //!< milliseconds; 0 when missing or not a number
    QString description;

    friend bool operator==(const ServerTimingMetric &, const ServerTimingMetric &) = default;
};

//! Parses a Server-Timing header value (several fields joined with ", ") as browsers
//! do, matching every case of the web-platform-tests parsing suite: parameter names
//! are case-insensitive, the first dur/desc wins even when it is invalid, unknown
//! parameters and text after a value are ignored, quoted strings keep their commas
//! and semicolons, and text right after a metric's name ends the header there (the
//! name is kept). Beyond browsers, an element that is not a metric (empty, a quoted
//! name) is skipped up to the next comma rather than ending the header. Never fails.
QList<ServerTimingMetric> parseServerTiming(QByteArrayView value);

} // namespace gs::core

namespace gs::core {

//! A Server-Timing metric placed on a time line. The header carries no start times,
//! so every placement is inferred and says so.
struct PlacedMetric
{
    ServerTimingMetric metric;
    double start = 0; //!< milliseconds from the start of the server's work
    bool envelope = false; //!< spans the others
    bool inferred = true;
};

//! Places \a metrics one after the other in header order; a metric named "total" (or,
//! failing that and given at least two others, one longer than all the others
//! together) becomes the envelope that starts at 0 and spans the rest.
QList<PlacedMetric> inferPlacement(const QList<ServerTimingMetric> &metrics);

} // namespace gs::core
