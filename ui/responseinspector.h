#pragma once

#include "core/model/httpheader.h"
#include "core/net/exchangesnapshot.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeView;
class QTreeWidget;
class QVBoxLayout;

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
class Theme;
} // namespace KSyntaxHighlighting

namespace gs::core {
struct HistoryEntry;
class Exchange;
} // namespace gs::core

namespace gs::ui {

namespace inspector {
class BodyTab;
class EventsTab;
class GatewayTab;
class HeadersTab;
class StreamTab;
class TimingTab;
} // namespace inspector

class EventsModel;
class StreamTextEdit;

//! What came back, in tabs: Stream (the answer as it grows, reasoning apart, tool
//! calls as cards, live statistics and a cancel button), Events, Body, Headers,
//! Timing (the waterfall) and Gateway (requested against resolved model, applied
//! configurations as a tree, feedback target, gateway errors).
//!
//! Live updates are batched: however fast tokens arrive, the views refresh at most
//! once per frame.
class ResponseInspector final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponseInspector)

public:
    enum Tab {
        StreamTab,
        EventsTab,
        BodyTab,
        HeadersTab,
        TimingTab,
        GatewayTab
    };

    explicit ResponseInspector(
        KSyntaxHighlighting::Repository *repository, QWidget *parent = nullptr);
    ~ResponseInspector() override;

    //! Empties every view.
    void clear();
    //! Follows \a exchange from now on (it must outlive the inspector or be
    //! destroyed after finishing); \a requestedModel is what the request asked for.
    void watch(core::Exchange *exchange, const QString &requestedModel);
    //! The watched exchange as a value once it finished; null before.
    const core::ExchangeSnapshot *finishedExchange() const
    {
        return m_finished ? &*m_finished : nullptr;
    }
    void setTheme(const KSyntaxHighlighting::Theme &theme);
    //! Shows an exchange from the history (no live exchange): what it kept, which is
    //! the status, the models, the applied configurations, the client's timeline and
    //! the body's first bytes (the answer decoded from them). Says that it is recorded,
    //! and where: \a origin ("from a load run, which keeps no headers and no body");
    //! the history when empty.
    void showRecorded(const core::HistoryEntry &entry, const QString &origin = {});

    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void cancelRequested();

private:
    void scheduleRefresh();
    void refresh();
    void refreshStats();
    //! "200 OK  HTTP/1.1", or empty before a status line came.
    QString statusLine() const;
    void onHeaders();
    //! The Headers tab and the Gateway tab's models, configurations and feedback target.
    void showHeaders(const core::HttpHeaders &headers);
    void onFinished();
    void showBody();
    void showTiming();

    KSyntaxHighlighting::Repository *m_repository;
    QPointer<core::Exchange> m_exchange;
    //! The watched exchange once it finished.
    std::optional<core::ExchangeSnapshot> m_finished;
    QString m_requestedModel;

    QLabel *m_status;
    QTabWidget *m_tabs;

    QTimer *m_refreshTimer;
    QTimer *m_statsTimer;
    inspector::StreamTab *m_stream;

    inspector::EventsTab *m_events;
    inspector::BodyTab *m_body;
    inspector::HeadersTab *m_headers;
    inspector::TimingTab *m_timing;
    inspector::GatewayTab *m_gateway;

    QList<KSyntaxHighlighting::SyntaxHighlighter *> m_highlighters;
};

} // namespace gs::ui
