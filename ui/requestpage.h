#pragma once

#include "core/httpfile/httpfile.h"
#include "core/model/gatewayrequest.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QNetworkAccessManager;

namespace KSyntaxHighlighting {
class Repository;
class Theme;
} // namespace KSyntaxHighlighting

namespace gs::core {
class Exchange;
class GatewaySession;
struct ExchangeSnapshot;
} // namespace gs::core

namespace gs::ui {

class RequestEditor;
class ResponseInspector;
class ShareSplitter;

//! One open request: its address bar over its editor and the inspector of its last
//! exchange, side by side or one above the other.
class RequestPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestPage)

public:
    //! Where the inspector goes: beside the editor, below it, or below only while the
    //! page is narrower than kNarrowWidth (the default).
    enum class Placement {
        Automatic,
        Beside,
        Below
    };
    static constexpr int kNarrowWidth = 760;

    RequestPage(KSyntaxHighlighting::Repository *repository, QNetworkAccessManager *network,
        QWidget *parent = nullptr);
    ~RequestPage() override;

    RequestEditor *editor() const { return m_editor; }
    ResponseInspector *inspector() const { return m_inspector; }
    //! The exchange shown in the inspector (running or finished), if any.
    core::Exchange *exchange() const { return m_exchange.get(); }
    //! The last exchange, once finished, as a value (null before).
    const core::ExchangeSnapshot *lastExchange() const;
    //! What that exchange sent.
    bool isBusy() const;

    //! Where the request was opened from or saved to; empty for a new or bundled one.
    QString filePath() const { return m_filePath; }
    void setFilePath(const QString &path) { m_filePath = path; }
    QString title() const { return m_title; }
    void setTitle(const QString &title) { m_title = title; }

    //! Where a request opened from a collection came from, and how it looked when
    //! opened: what saving writes back to and compares against.
    struct Source
    {
        QString root;
        QString relativePath;
        qsizetype index = -1;
        QString environment;
        core::HttpFileRequest request; //!< as in the file, variables unresolved
        core::Variables variables; //!< what resolved it
        core::WireRequest opened; //!< the editor's request as composed when opened
        core::TlsFiles tls; //!< the environment's SSLConfiguration
    };
    const std::optional<Source> &source() const { return m_source; }
    //! Ties the page to a collection request (or unties it); what it opened with counts
    //! as saved.
    void setSource(std::optional<Source> source);
    //! Whether the request differs from how it was opened or last saved. A page never
    //! marked saved is never modified.
    bool isModified() const;
    //! The request as it is now counts as saved (it was just opened or written).
    void markSaved();
    //! The request as it is now is not saved anywhere (it was brought back after a crash).
    void markUnsaved();
    //! The line above the editor that shows what the request's {{variables}} resolved
    //! to (secrets masked); hidden when empty.
    void setVariablePreview(const QString &text, const QString &toolTip = {});
    QString variablePreview() const;
    //! Says above the editor that the body was read from \a path (\a bytes long), so
    //! that nobody sends a file unawares; an empty path hides it.
    void setBodyInclude(const QString &path, qint64 bytes);
    QString bodyInclude() const;

    //! For a request reopened from the history, recorded against \a recorded and now
    //! sent to the active gateway \a active: a line above the editor says so, with a
    //! button that sends it to the recorded address instead (and one that goes back).
    void offerAddresses(const QString &recorded, const QString &active);

    //! Sends the request as edited; false (with the reason emitted) when it may not go.
    //! Over https it may start a moment later, once the keyring has given the
    //! passphrase of a client key.
    bool send();
    //! Where TLS files and passphrases come from (the window's gateway); none: no
    //! client certificate, no CA beyond the system's.
    void setGatewaySession(core::GatewaySession *session);
    void cancel();
    void setTheme(const KSyntaxHighlighting::Theme &theme);
    void setPlacement(Placement placement);

Q_SIGNALS:
    void statusMessage(const QString &message);
    void busyChanged(bool busy);
    //! The request became different from what was saved, or the same again.
    void modifiedChanged(bool modified);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateModified();
    void applyPlacement();
    void start(const core::TlsMaterial &tls);
    void showAddressChoice();

    QNetworkAccessManager *m_network;
    core::GatewaySession *m_session = nullptr;
    quint64 m_sendTicket = 0; //!< which send() a keyring answer belongs to
    RequestEditor *m_editor;
    ResponseInspector *m_inspector;
    ShareSplitter *m_splitter;
    QLabel *m_variables;
    QLabel *m_include;
    QWidget *m_addresses = nullptr; //!< created by offerAddresses()
    QString m_recordedUrl;
    QString m_activeUrl;
    std::unique_ptr<core::Exchange> m_exchange;
    QString m_filePath;
    QString m_title;
    std::optional<Source> m_source;
    std::optional<core::WireRequest> m_saved; //!< what isModified() compares with
    bool m_modified = false; //!< as last said by modifiedChanged()
    Placement m_placement = Placement::Automatic;
};

} // namespace gs::ui
