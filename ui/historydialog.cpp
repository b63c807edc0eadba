#include "historydialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace gs::ui {

HistoryDialog::HistoryDialog(QWidget *parent)
    : QDialog(parent)
    , m_entries(new QSpinBox)
    , m_days(new QSpinBox)
    , m_megabytes(new QSpinBox)
    , m_current(new QLabel)
{
    setWindowTitle(tr("History Settings"));
    m_entries->setObjectName(u"maxEntries"_s);
    m_entries->setRange(1, 1'000'000);
    m_entries->setSuffix(tr(" exchanges"));
    m_days->setObjectName(u"maxAgeDays"_s);
    m_days->setRange(1, 3650);
    m_days->setSuffix(tr(" days"));
    m_megabytes->setObjectName(u"maxMegabytes"_s);
    m_megabytes->setRange(1, 100'000);
    m_megabytes->setSuffix(tr(" MB"));
    m_current->setWordWrap(true);
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Keep at most"), m_entries);
    form->addRow(tr("For at most"), m_days);
    form->addRow(tr("Using at most"), m_megabytes);
    auto *note = new QLabel(tr("Requests are recorded with their credentials masked. What is "
                               "past a limit is deleted, oldest first."));
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_current);
    layout->addWidget(buttons);
    setLimits({});
}

void HistoryDialog::setLimits(const core::HistoryLimits &limits)
{
    m_limits = limits;
    m_entries->setValue(limits.maxEntries);
    m_days->setValue(limits.maxAgeDays);
    m_megabytes->setValue(int(limits.maxBytes / (1024 * 1024)));
}

core::HistoryLimits HistoryDialog::limits() const
{
    core::HistoryLimits out = m_limits;
    out.maxEntries = m_entries->value();
    out.maxAgeDays = m_days->value();
    out.maxBytes = qint64(m_megabytes->value()) * 1024 * 1024;
    return out;
}

void HistoryDialog::setCurrent(qint64 entries, const QString &path)
{
    m_current->setText(tr("Now: %1 exchanges in %2").arg(entries).arg(path));
}

} // namespace gs::ui
