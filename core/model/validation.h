#pragma once

#include "core/model/gatewayrequest.h"
#include "core/model/issue.h"

#include <QList>
#include <QString>

namespace gs::core {

//! Every problem that keeps \a request from being sent (errors) or that the user
//! should know about (warnings). Never stops at the first.
QList<Issue> validate(const GatewayRequest &request);

bool hasErrors(const QList<Issue> &issues);

//! The form field that a gateway header's problems are reported on.
QString fieldForHeader(QByteArrayView name);

} // namespace gs::core
