#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace gs::core {

//! \a json (one JSON object) with its top-level member \a key set to \a valueJson (JSON
//! text, e.g. a quoted string), changing nothing else: where the member is (the last
//! one, when a key repeats, as parsers read it), only its value's text is replaced;
//! where it is not, it is added first, written in the object's own style (on a line of
//! its own with the first member's indentation when the object spans lines). Key
//! order, indentation, spacing and every other byte stay the user's. Nullopt when
//! \a json is not a JSON object.
std::optional<QByteArray> withTopLevelMember(
    QByteArrayView json, QByteArrayView key, QByteArrayView valueJson);

} // namespace gs::core
