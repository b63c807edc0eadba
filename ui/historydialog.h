#pragma once

#include "core/store/history.h"

#include <QDialog>

class QLabel;
class QSpinBox;

namespace gs::ui {

//! How much history to keep: entries, days, megabytes. What is past a limit goes,
//! oldest first, when the dialog is accepted and after every exchange.
class HistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryDialog)

public:
    explicit HistoryDialog(QWidget *parent = nullptr);

    void setLimits(const core::HistoryLimits &limits);
    core::HistoryLimits limits() const;
    //! Tells how many entries there are now and where the file is.
    void setCurrent(qint64 entries, const QString &path);

private:
    QSpinBox *m_entries;
    QSpinBox *m_days;
    QSpinBox *m_megabytes;
    core::HistoryLimits m_limits;
    QLabel *m_current;
};

} // namespace gs::ui
