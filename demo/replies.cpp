#include "demo/replies.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gs::demo {

QJsonObject errorObject(const QString &message, const QString &type, int code)
{
    return QJsonObject { { u"error"_s,
        QJsonObject { { u"message"_s, message }, { u"type"_s, type },
            { u"param"_s, QJsonValue::Null }, { u"code"_s, code } } } };
}

DemoResponse jsonReply(const QJsonObject &object, int status)
{
    DemoResponse r;
    r.status = status;
    r.headers = { { "content-type", "application/json" } };
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

DemoResponse errorReply(int status, const QString &message, const QString &type)
{
    return jsonReply(errorObject(message, type, status), status);
}

} // namespace gs::demo
