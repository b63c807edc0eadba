#pragma once

#include "core/compare/exchangecompare.h"
#include "core/load/loadarchive.h"
#include "core/net/trust.h"
#include "ui/load/loadcharts.h"

#include <QDateTime>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace gs::core {
class GatewaySession;
} // namespace gs::core

namespace gs::ui {

//! What a load run sends: the current request as composed, and what it needs to go
//! out as the page would send it.
struct LoadTarget
{
    core::WireRequest request;
    QString name;
    QString requestedModel;
    bool demo = false; //!< to the embedded demo gateway: costs nothing, asks nothing
    QStringList secrets; //!< values masked in exports and the history
    core::TlsFiles tls; //!< the environment's SSLConfiguration
    bool allowInsecureTls = false;
};

//! The Load Run view (Request ▸ Load Run): the current request sent N times or for a
//! duration at a concurrency, with a rate cap and a ramp, grouped by a header or a JSON
//! path, against an expected split and thresholds. While it runs: counters, the split
//! as bars with the expected shares marked, every exchange in a scatter (a click opens
//! it in a tab), p50/p99 over time, the distribution, a table per group and the checks.
//! Exports JSON, CSV and each chart as PNG or SVG. A run that ended is finished()
//! for the history, and a run from the history is shown again with showArchive().
class LoadRunView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadRunView)

public:
    explicit LoadRunView(core::GatewaySession *session, QWidget *parent = nullptr);
    ~LoadRunView() override;

    void setTarget(const LoadTarget &target);
    //! Shows a finished run (from the history); Start runs its first request again.
    void showArchive(const core::LoadArchive &archive, const QDateTime &startedAt);

    //! Starts a run as the Start button does; false, with the reason shown, when the
    //! settings are wrong or the user declined the cost.
    bool start();
    void stop();
    bool isRunning() const;
    core::LoadRun *run() const { return m_run.get(); }
    //! The run shown: live while it runs, its archive once it ended or was reopened.
    const core::LoadArchive &shown() const { return m_data; }
    const core::LoadStats &stats() const;
    QList<core::LoadCheckResult> checks() const { return m_checks; }

    //! Writes the run's report as JSON, one line per exchange as CSV, or chart
    //! \a chart (0 split, 1 scatter, 2 percentiles, 3 distribution) as PNG or SVG.
    bool exportJson(const QString &path);
    bool exportCsv(const QString &path);
    bool exportChart(int chart, const QString &path);
    QList<LoadChart *> charts() const { return m_charts; }
    ScatterChart *scatter() const { return m_scatter; }
    QTreeWidget *groupTable() const { return m_table; }
    QLabel *counters() const { return m_counters; }

    //! Asked before a run against a real gateway that sends more requests than
    //! confirmAbove() (or an unbounded number): \a cost says how many and how many
    //! tokens. True starts. Tests replace the dialog.
    std::function<bool(const QString &cost)> confirmCost;
    //! Requests a run may send without asking, kept in the settings (default 100).
    static int confirmAbove();
    static void setConfirmAbove(int requests);

Q_SIGNALS:
    //! The run ended (or was stopped): for the history.
    void finished(const core::LoadArchive &archive, const QDateTime &startedAt);
    //! The user clicked an exchange: the record as a history entry, for a tab.
    void exchangeChosen(const core::HistoryEntry &entry);
    //! Two exchanges Shift+clicked in the scatter, to compare (what a load run keeps of
    //! each: status, models, timing).
    void comparisonChosen(const core::ComparedExchange &a, const core::ComparedExchange &b);
    void message(const QString &text);

protected:
    //! A run still going is stopped first, so that what finished reaches the history;
    //! the window closes when it has.
    void closeEvent(QCloseEvent *event) override;

private:
    bool askCost(const QString &cost);
    void launch(const core::TlsMaterial &tls);
    void onProgress();
    void onFinished();
    void showCounters();
    void showTable();
    void updateState();
    void refreshCharts();
    QString settingsProblem(core::LoadPlan &plan);

    core::GatewaySession *m_session;
    LoadTarget m_target;
    QComboBox *m_mode;
    QSpinBox *m_count;
    QDoubleSpinBox *m_duration;
    QSpinBox *m_concurrency;
    QDoubleSpinBox *m_rate;
    QDoubleSpinBox *m_ramp;
    QLineEdit *m_groupBy;
    QLineEdit *m_split;
    QDoubleSpinBox *m_tolerance;
    QLineEdit *m_expect;
    QComboBox *m_metric;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_export;
    QLabel *m_targetLabel;
    QLabel *m_counters;
    QLabel *m_warnings;
    QTreeWidget *m_table;
    QTreeWidget *m_checkList;
    QList<LoadChart *> m_charts;
    ScatterChart *m_scatter;

    std::unique_ptr<QNetworkAccessManager> m_network; //!< the run's; outlives it
    std::unique_ptr<core::LoadRun> m_run;
    core::LoadArchive m_data; //!< what the charts draw
    core::LoadStats m_stats; //!< of a run that ended or was reopened
    LoadChartData m_chartData;
    QList<std::pair<QString, double>> m_expected;
    QList<core::LoadExpectation> m_expectations;
    double m_toleranceUsed = -1;
    QList<core::LoadCheckResult> m_checks;
    QStringList m_reportWarnings; //!< of a reopened run, from its report
    QDateTime m_startedAt;
    quint64 m_ticket = 0; //!< a start waiting for the keyring's TLS passphrase
};

} // namespace gs::ui
