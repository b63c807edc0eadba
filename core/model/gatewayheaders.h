#pragma once

#include "core/model/issue.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QList>

#include <array>
#include <optional>
#include <span>

namespace gs::core {

struct GatewayRequest;

//! The metadata value length limit the gateway documents.
inline constexpr qsizetype kMetadataValueMaxLength = 128;

//! Everything Gatescope knows about one x-tfy-* request header with a typed field.
//! One entry per header drives decode(), compose(), validate() and the editor's
//! form: adding a header is an entry in the table (gatewayheaders.cpp) and its tests.
struct GatewayHeaderSpec
{
    QLatin1StringView name; //!< as compose() writes it
    //! The GatewayRequest member, and the form field and Issue::field its problems
    //! are reported on.
    QLatin1StringView field;
    //! Puts the header's text into the typed field. False when the text does not fit
    //! the typed shape: decode() then keeps the text verbatim, as written.
    bool (*decode)(GatewayRequest &request, QByteArrayView text);
    //! The canonical wire text of the typed field, or nullopt when it is unset.
    std::optional<QByteArray> (*encode)(const GatewayRequest &request);
    //! Problems with the typed value (limits, ranges), appended to \a issues.
    void (*check)(const GatewayRequest &request, QList<Issue> &issues);
    //! Why text that decode() refused does not fit, appended to \a issues; \a name
    //! is the header's name as written.
    void (*explain)(QByteArrayView name, QByteArrayView text, QList<Issue> &issues);
};

//! Problems with a gateway header that has no typed field but a documented shape
//! (x-tfy-cache-config: type, similarity_threshold, ttl, namespace), appended to
//! \a issues on \a field; unknown keys warn. Other headers: nothing.
void explainUntypedGatewayHeader(
    QByteArrayView name, QByteArrayView text, const QString &field, QList<Issue> &issues);

//! The gateway headers with a typed field, in the order compose() writes them.
std::span<const GatewayHeaderSpec> gatewayHeaderSpecs();
//! The entry for the header called \a name (compared case-insensitively), or null.
const GatewayHeaderSpec *gatewayHeaderSpec(QByteArrayView name);

} // namespace gs::core
