#pragma once

#include "demo/demorouter.h"

#include <QJsonObject>
#include <QString>

namespace gs::demo {

//! The error object the gateway answers, in OpenAI's shape:
//! {"error": {"message", "type", "param": null, "code"}}.
QJsonObject errorObject(const QString &message, const QString &type, int code);

//! \a object as a JSON response with \a status.
DemoResponse jsonReply(const QJsonObject &object, int status = 200);

//! An error response: \a status with errorObject() as its body.
DemoResponse errorReply(int status, const QString &message,
    const QString &type = QStringLiteral("invalid_request_error"));

} // namespace gs::demo
