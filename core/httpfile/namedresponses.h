#pragma once

#include "core/httpfile/variables.h"
#include "core/model/httpheader.h"

#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

namespace gs::core {

//! The response of a request named with "# @name NAME", kept for the requests after
//! it in the same run.
struct NamedResponse
{
    int status = 0;
    HttpHeaders headers;
    QJsonValue json = QJsonValue::Undefined; //!< the body (a stream assembled), if JSON
    QString text; //!< the body as text
};
using NamedResponses = QMap<QString, NamedResponse>;

//! What the references to named responses in some texts come to.
struct ResponseReferences
{
    //! Each reference's text ("upload.id") to its value, ready to merge into the
    //! variables the request is resolved with.
    Variables values;
    //! A sentence for each reference to a named response that finds nothing.
    QStringList problems;
};

//! Finds the {{references}} in \a texts whose first part names a response in
//! \a responses, in the forms httpyac and VS Code REST Client document:
//! - httpyac: {{upload}} (the body), {{upload.id}}, {{upload.data[0].id}} (a path in
//!   the JSON body);
//! - REST Client: {{upload.response.body.$.id}} (a JSON path), {{upload.response.body.*}}
//!   (the body), {{upload.response.headers.Location}} (a header, any case).
//! A string value is inserted as it is; a number, boolean, null, object or array as
//! its JSON text. References to other names are left alone (validation names the ones
//! nothing defines).
ResponseReferences responseReferences(const QStringList &texts, const NamedResponses &responses);

} // namespace gs::core
