#include "interrupts.h"

#include <atomic>
#include <csignal>

namespace gs::cli {

namespace {

std::atomic<int> g_signal { 0 };

extern "C" void onSignal(int signal)
{
    if (g_signal.exchange(signal) != 0) {
        // The second one: the user means it.
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

} // namespace

Interrupts::Interrupts()
{
    g_signal = 0;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // A signal handler may do almost nothing; a poll of the flag every 50 ms costs
    // nothing either and works the same on every platform.
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (g_signal == 0 || m_happened)
            return;
        m_happened = true;
        m_poll.stop();
        Q_EMIT interrupted();
    });
    m_poll.start();
}

Interrupts::~Interrupts()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace gs::cli
