#pragma once

#include "core/batch/batchjob.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QTreeWidget;

namespace gs::core {
class GatewaySession;
} // namespace gs::core

namespace gs::ui {

//! The Batch view (File ▸ New Batch, or a .jsonl file opened): a JSONL file checked as
//! it is chosen, then run end to end on the active gateway with core::BatchJob:
//! upload progress with stop, the batch's status timeline as it is polled, cancel on
//! the gateway, then the results joined by custom_id in a table that filters and
//! exports as CSV or JSONL, the answer of the selected row below. Each call the job
//! makes is a normal exchange (exchangeFinished(), for the history).
class BatchView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchView)

public:
    explicit BatchView(core::GatewaySession *session, QWidget *parent = nullptr);
    ~BatchView() override;

    //! Chooses \a path and checks it (lintFinished() when done).
    void setFile(const QString &path);
    QString file() const;
    //! Starts the batch (as the Start button does); false, with the reason shown,
    //! when it cannot start.
    bool start();
    core::BatchJob *job() const { return m_job.get(); }
    //! The results table's model (after the filter).
    QAbstractItemModel *results() const;
    //! Writes the results (as filtered) to \a path: CSV, or JSONL when it ends .jsonl.
    core::Result<void> exportResults(const QString &path) const;

Q_SIGNALS:
    void lintFinished();
    void exchangeFinished(const gs::core::ExchangeSnapshot &snapshot);
    //! The job ended (its outcome on job()).
    void finished();
    //! For the status bar.
    void message(const QString &text);

private:
    void browse();
    void showLint(const core::BatchLint &lint);
    void updateState();
    void showProgress();
    void addStatus();
    void showResults();
    void showAnswer();
    void askExport();

    core::GatewaySession *m_session;
    QLineEdit *m_file;
    QLineEdit *m_provider;
    QComboBox *m_endpoint;
    QLabel *m_gateway;
    QLabel *m_lint;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_cancelRemote;
    QPushButton *m_export;
    QProgressBar *m_progress;
    QTreeWidget *m_timeline;
    QLineEdit *m_filter;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QPlainTextEdit *m_answer;
    QFutureWatcher<core::BatchLint> m_lintWatcher;
    std::optional<core::BatchLint> m_lintResult;
    QString m_checkedFile; //!< the path the last check was for
    std::unique_ptr<core::BatchJob> m_job;
};

} // namespace gs::ui
