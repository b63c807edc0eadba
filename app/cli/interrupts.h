#pragma once

#include <QObject>
#include <QTimer>

namespace gs::cli {

//! Ctrl+C (SIGINT) and SIGTERM as a Qt signal, so that a command stops its exchange and
//! still finishes its outputs with what arrived. A second one ends the process at once,
//! as the shell's default would. Only one may exist at a time.
class Interrupts final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Interrupts)

public:
    Interrupts();
    ~Interrupts() override;

    //! Whether a signal came.
    bool happened() const { return m_happened; }

Q_SIGNALS:
    //! Once, in the event loop, after the first signal.
    void interrupted();

private:
    QTimer m_poll; //!< the handler only sets a flag; this reads it in the event loop
    bool m_happened = false;
};

} // namespace gs::cli
