#pragma once

#include "core/compare/replay.h"
#include "core/httpfile/variables.h"
#include "core/net/trust.h"

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QNetworkAccessManager;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace gs::core {
class GatewaySession;
} // namespace gs::core

namespace gs::ui {

//! The Replay view (Request ▸ Replay Selected History Entries): recorded requests sent
//! again to another gateway or model. The target is a base URL and a token (the
//! window's gateway to begin with), models mapped ("FROM=TO, *=TO"), headers dropped
//! or set. Dry Run lists each request as it will go out (credentials masked) and what
//! cannot be replayed; Replay sends them one after the other or N at a time and fills
//! a table of pairs: status, the answer's shape, resolved model, latency, TTFT and
//! token changes, how alike the answers are. A row (Return, double click) opens the
//! comparison. Every replayed exchange joins the history; exports JSON and JUnit.
class ReplayView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayView)

public:
    explicit ReplayView(core::GatewaySession *session, QWidget *parent = nullptr);
    ~ReplayView() override;

    void setEntries(const QList<core::HistoryEntry> &entries);
    //! Replays \a requests (name, request as it goes out) of \a source (a collection's
    //! file): Replay first sends them as they are, and their answers are what the
    //! replay is compared with. \a secrets are masked everywhere.
    void setRequests(const QString &source,
        const QList<std::pair<QString, core::WireRequest>> &requests, const QStringList &secrets);

    //! An environment of an open collection, offered as the target.
    struct Environment
    {
        QString label; //!< "collection ▸ staging"
        QString root;
        QString name;
    };
    //! Reads an environment's variables (secrets from the keyring) and calls back.
    using Resolver = std::function<void(
        const Environment &, QObject *context, std::function<void(const core::Variables &)> done)>;
    //! Offers \a environments: picking one fills the base URL and token from its
    //! baseUrl and token variables.
    void setEnvironments(const QList<Environment> &environments, Resolver resolve);
    //! The target as the fields say, or what is wrong with them.
    core::Result<core::ReplayTarget> target() const;
    //! Shows the plan (Dry Run); false when the fields are wrong.
    bool dryRun();
    //! Starts the replay (the Replay button); false, with the reason shown, when the
    //! fields are wrong or nothing can be sent.
    bool start();
    void stop();
    bool isRunning() const;
    const QList<core::ReplayPair> &pairs() const { return m_pairs; }
    QTreeWidget *table() const { return m_table; }
    bool exportJson(const QString &path);
    bool exportJUnit(const QString &path);

Q_SIGNALS:
    //! A replayed exchange, for the history (credentials masked).
    void exchangeRecorded(const core::HistoryEntry &entry);
    //! A row was opened: compare its recording with its replay.
    void pairChosen(const core::ReplayPair &pair);
    //! The run ended (all sent, or stopped).
    void finished();
    void message(const QString &text);

private:
    void showPlan(const QList<core::ReplayItem> &plan);
    void useEnvironment(int index);
    void run(const QList<core::ReplayItem> &plan, const core::TlsMaterial &tls);
    //! The plan for the target: the history entries, or the requests' recordings.
    QList<core::ReplayItem> planFor(const core::ReplayTarget &target) const;
    //! The requests of setRequests() sent as they are, then the replay.
    void recordThenRun(const core::ReplayTarget &target, const core::TlsMaterial &tls);
    void addRow(const core::ReplayPair &pair);
    void updateButtons();
    bool writeFile(const QString &path, const QByteArray &bytes);

    core::GatewaySession *m_session;
    QList<core::HistoryEntry> m_entries;
    QList<std::pair<QString, core::WireRequest>> m_requests; //!< a collection's, to record first
    QStringList m_secrets; //!< masked wherever the view writes
    QLabel *m_summary;
    QComboBox *m_environment;
    QList<Environment> m_environments;
    Resolver m_resolve;
    QLineEdit *m_baseUrl;
    QLineEdit *m_token;
    QLineEdit *m_modelMap;
    QLineEdit *m_dropHeaders;
    QPlainTextEdit *m_setHeaders;
    QSpinBox *m_concurrency;
    QPushButton *m_dryRun;
    QPushButton *m_replay;
    QPushButton *m_stop;
    QPushButton *m_export;
    QLabel *m_status;
    QPlainTextEdit *m_plan;
    QTreeWidget *m_table;
    std::unique_ptr<QNetworkAccessManager> m_network; //!< the run's, outlives it
    std::unique_ptr<core::ReplayRun> m_run;
    bool m_queued = false; //!< the replay follows a collection's first pass
    QList<core::ReplayPair> m_pairs;
};

} // namespace gs::ui
