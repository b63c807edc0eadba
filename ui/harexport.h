#pragma once

#include <QFutureWatcher>
#include <QObject>

namespace gs::core {
struct ExchangeSnapshot;
}

namespace gs::ui {

//! Writes an exchange to a file as HAR 1.2, credentials masked, on a worker: a large
//! body is read from its spill file and written a slice at a time while the window
//! goes on. One export at a time; finished() says how it went.
class HarExport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HarExport)

public:
    explicit HarExport(QObject *parent = nullptr);
    //! Waits for an export still being written: its file is the user's.
    ~HarExport() override;

    //! Starts writing \a exchange to \a path; false when an export is still running.
    //! The export keeps the body's file on disk until it is done.
    bool start(const core::ExchangeSnapshot &exchange, const QString &path);
    bool isRunning() const { return m_watcher.isRunning(); }

Q_SIGNALS:
    //! \a path is written, or \a problem says why not.
    void finished(const QString &path, const QString &problem);

private:
    QFutureWatcher<QString> m_watcher; //!< the problem, or empty
    QString m_path;
};

} // namespace gs::ui
