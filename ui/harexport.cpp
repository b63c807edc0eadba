#include "harexport.h"

#include "core/interop/har.h"
#include "core/net/exchangesnapshot.h"

#include <QSaveFile>
#include <QtConcurrentRun>

namespace gs::ui {

HarExport::HarExport(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this,
        [this] { Q_EMIT finished(m_path, m_watcher.result()); });
}

HarExport::~HarExport()
{
    m_watcher.waitForFinished();
}

bool HarExport::start(const core::ExchangeSnapshot &exchange, const QString &path)
{
    if (m_watcher.isRunning())
        return false;
    const core::HarEntry entry = core::harEntry(exchange);
    m_path = path;
    m_watcher.setFuture(QtConcurrent::run([entry, path]() -> QString {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return file.errorString();
        if (const auto written = core::writeHar(file, { entry }); !written)
            return written.error().message;
        return file.commit() ? QString() : file.errorString();
    }));
    return true;
}

} // namespace gs::ui
