#pragma once

#include "core/model/gatewayrequest.h"

#include <QList>
#include <QString>

#include <optional>

namespace gs::core {

//! One part of a multipart/form-data request, for tools that write forms their own
//! way (curl -F, the SDKs' file uploads, HAR's postData.params).
struct FormField
{
    QString name;
    QString filename; //!< empty for a plain field
    QByteArray contentType; //!< the part's own Content-Type, if it has one
    QByteArray value; //!< the text of a field (empty for a file)
    QString path; //!< the file whose content the part is; empty for text

    bool isFile() const { return !path.isEmpty(); }
    friend bool operator==(const FormField &, const FormField &) = default;
};

//! The parts of \a wire's multipart/form-data body, each file where a BodyFile
//! stands; nullopt when the body is not multipart/form-data or not well formed (no
//! boundary, a part without a name, content around a file, no close delimiter).
std::optional<QList<FormField>> formFields(const WireRequest &wire);

} // namespace gs::core
