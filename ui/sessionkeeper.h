#pragma once

#include <QObject>
#include <QString>

class QTimer;

namespace gs::core {
class GatewaySession;
}

namespace gs::ui {

class FileController;
class RequestPage;
class RequestTabs;

//! Keeps the open requests, unsaved text included, in a file while the window runs, so
//! that the start after a crash or a kill brings them back. Credentials are written as
//! {{variables}}, never as themselves (the gateway's token comes back from the keyring
//! when the tab opens); the file is the user's alone. A window closed normally forgets
//! it: what was unsaved then was discarded on purpose.
class SessionKeeper final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionKeeper)

public:
    SessionKeeper(RequestTabs *tabs, FileController *files, core::GatewaySession *session,
        QObject *parent = nullptr);

    //! Opens the requests a session left in \a path (when it did: a crash or a kill),
    //! then keeps this session there, a moment after each change. Returns how many
    //! requests came back.
    int keepIn(const QString &path);
    //! Writes the open requests now.
    void writeNow();
    //! The window closed normally: the file goes.
    void forget();

private:
    void follow(RequestPage *page);
    void changed();
    int restore();

    RequestTabs *m_tabs;
    FileController *m_files;
    core::GatewaySession *m_session;
    QString m_path;
    QTimer *m_timer;
};

} // namespace gs::ui
