#pragma once

#include "core/httpfile/httpfile.h"
#include "core/httpfile/variables.h"

#include <QObject>

namespace gs::core {
class GatewaySession;
struct HistoryEntry;
} // namespace gs::core

namespace gs::ui {

class HistoryController;
class RequestPage;
class RequestTabs;

//! Requests that live outside collections, opened in tabs and saved: the bundled
//! examples, plain .http files, the history's entries, and new requests. They are
//! resolved with the active gateway and the environment file beside them. Messages
//! for the user come out as message().
class FileController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileController)

public:
    FileController(core::GatewaySession *session, RequestTabs *tabs, HistoryController *history,
        QObject *parent = nullptr);

    //! The bundled example files ("chat-stream.http", ...).
    static QStringList exampleNames();
    //! Opens a request of a bundled example in a tab (the first one, or \a name); an
    //! open tab of it is focused instead.
    bool openExample(const QString &fileName, const QString &name = {});
    //! Opens every request of a .http file in tabs (a file of one request is that tab's
    //! to save); false, with a message, when it cannot be read or has none.
    bool openFile(const QString &path);
    //! A new chat request for the active gateway, its URL field focused.
    RequestPage *newRequest();
    //! Opens history entry \a id in a tab: the request as sent (the active gateway's
    //! token in place of the mask the history keeps) and what came back.
    bool openHistoryEntry(qint64 id);
    //! Opens \a entry (from the history, or one exchange of a load run) in a tab titled
    //! \a title, as openHistoryEntry() does; it is re-sent only when the user sends it.
    //! \a origin says where it was recorded (ResponseInspector::showRecorded()).
    bool openRecorded(
        const core::HistoryEntry &entry, const QString &title, const QString &origin = {});
    //! Opens the request in .http \a text in a tab titled \a title, resolved with the
    //! active gateway (a session brought back); null, with a message, when it cannot be.
    RequestPage *openText(const QString &text, const QString &title);
    //! Writes \a page's request to the plain file \a path, the token and the gateway's
    //! address as {{variables}}, and ties the tab to the file. The message names the
    //! credential variables the user has to define.
    bool save(RequestPage *page, const QString &path);

Q_SIGNALS:
    void message(const QString &text);

private:
    //! The active gateway and the environment file of \a directory.
    core::VariableLayers gatewayVariables(const QString &directory) const;
    RequestPage *openRequest(const core::HttpFileRequest &request, const core::Variables &variables,
        const QString &directory, const QString &title);

    core::GatewaySession *m_session;
    RequestTabs *m_tabs;
    HistoryController *m_history;
};

} // namespace gs::ui
