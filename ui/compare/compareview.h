#pragma once

#include "core/compare/exchangecompare.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTimer;
class QTreeWidget;

namespace gs::ui {

class WaterfallWidget;

//! One side of a comparison, made on a worker thread: reading a file, decoding a body.
using CompareSource = std::function<core::Result<core::ComparedExchange>()>;

//! Two exchanges side by side (Request ▸ Compare): the fields in two columns with what
//! differs marked; the request's headers (gateway headers as typed values) and body;
//! the gateway's applied configurations as a tree with what changed expanded and the
//! rest collapsed; the response's headers and JSON body; the answer and reasoning as
//! two texts with the removed and added words marked; the two waterfalls on one time
//! axis with the phases' changes ("waiting +812 ms, of which model_call +790 ms").
//! The sides are read and compared on a worker: progress and Cancel (Esc) show when it
//! takes a moment. The volatile fields left out are the user's to edit (kept in the
//! settings). Exports Markdown (also to the clipboard) and JSON.
class CompareView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareView)

public:
    explicit CompareView(QWidget *parent = nullptr);
    //! Stops a comparison still running and waits for its worker.
    ~CompareView() override;

    //! Reads both sides and compares them, off the UI thread; compared() tells when.
    void compare(CompareSource a, CompareSource b);
    void compare(const core::ComparedExchange &a, const core::ComparedExchange &b);
    bool isBusy() const;
    //! Stops the comparison running (Esc, the Cancel button); what was shown stays.
    void cancel();
    //! The comparison shown (empty labels before the first).
    const core::ExchangeComparison &comparison() const { return m_comparison; }
    //! What could not be read, when a side failed.
    QString problem() const { return m_problem; }

    //! The volatile fields left out of JSON parts, as the field lists them.
    QStringList ignored() const;
    //! Swaps the sides and compares again.
    void swapSides();

    QString markdown() const;
    bool exportMarkdown(const QString &path);
    bool exportJson(const QString &path);

    //! The ignore list as kept in the settings (the defaults until edited).
    static QStringList savedIgnoreList();

Q_SIGNALS:
    //! A comparison is shown, a side could not be read, or it was canceled.
    void compared();
    void message(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Outcome
    {
        core::Result<core::ComparedExchange> a;
        core::Result<core::ComparedExchange> b;
        core::ExchangeComparison comparison;
        bool canceled = false;
    };
    void start(CompareSource a, CompareSource b);
    void onFinished();
    void showComparison();
    void fillOverview();
    void fillRequest();
    void fillGateway();
    void fillResponse();
    void fillTiming();
    void setBusy(bool busy);
    bool writeFile(const QString &path, const QByteArray &bytes);

    QLabel *m_title;
    QLabel *m_verdict;
    QLineEdit *m_ignore;
    QPushButton *m_swap;
    QPushButton *m_copy;
    QPushButton *m_export;
    QWidget *m_busy;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QTabWidget *m_tabs;
    QTreeWidget *m_fields;
    QLabel *m_partsSummary;
    QTreeWidget *m_request;
    QTreeWidget *m_gateway;
    QTreeWidget *m_response;
    QTextBrowser *m_answerA;
    QTextBrowser *m_answerB;
    QLabel *m_answerNote;
    WaterfallWidget *m_waterfallA;
    WaterfallWidget *m_waterfallB;
    QLabel *m_waterfallLabelA;
    QLabel *m_waterfallLabelB;
    QTreeWidget *m_phases;
    QLabel *m_timingSummary;

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    std::shared_ptr<std::atomic<int>> m_done; //!< parts done, for the progress bar
    QTimer *m_progressTimer;
    //! The sides last read, compared again when the ignore list changes or they swap.
    std::optional<core::ComparedExchange> m_a;
    std::optional<core::ComparedExchange> m_b;
    core::ExchangeComparison m_comparison;
    QString m_problem;
};

} // namespace gs::ui
