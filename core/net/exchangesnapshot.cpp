#include "core/net/exchangesnapshot.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace gs::core {

Result<QByteArray> ExchangeSnapshot::readBody() const
{
    if (bodyFile.isEmpty())
        return bodyInMemory.isNull() ? bodyPrefix : bodyInMemory;
    QFile file(bodyFile);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, u"Cannot read the response body kept in %1."_s.arg(bodyFile),
            file.errorString());
    return file.readAll();
}

} // namespace gs::core
