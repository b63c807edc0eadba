#include "fieldmessages.h"

#include "ui/tones.h"

#include <QLabel>
#include <QVariant>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::editor {

namespace {

// Which field a validator's finding belongs to.
QString fieldOf(const QString &field)
{
    if (field.startsWith("metadata"_L1))
        return u"metadata"_s;
    if (field.startsWith("retryConfig"_L1))
        return u"retryConfig"_s;
    if (field.startsWith("header:"_L1))
        return u"extraHeaders"_s;
    return field;
}

} // namespace

FieldMessages::FieldMessages(const QWidget *owner)
    : m_owner(owner)
{ }

QLabel *FieldMessages::addLabel(const QString &field)
{
    auto *label = new QLabel;
    label->setObjectName(u"message:"_s + field);
    label->setWordWrap(true);
    label->setVisible(false);
    m_labels.insert(field, label);
    return label;
}

void FieldMessages::addWidget(const QString &field, QWidget *widget)
{
    m_widgets.insert(field, widget);
}

void FieldMessages::hold()
{
    m_holding = true;
    m_touched.clear();
    show(m_issues);
}

void FieldMessages::touch(const QString &field)
{
    if (!m_holding || m_touched.contains(field))
        return;
    m_touched.insert(field);
    show(m_issues);
}

void FieldMessages::revealAll()
{
    if (!m_holding)
        return;
    m_holding = false;
    show(m_issues);
}

void FieldMessages::show(const QList<Issue> &issues)
{
    m_issues = issues;
    QHash<QString, QStringList> byField;
    QHash<QString, bool> errorIn;
    for (const Issue &i : issues) {
        const QString field = fieldOf(i.field);
        if (m_holding && !m_touched.contains(field))
            continue;
        byField[field] << i.message;
        if (i.severity == Issue::Severity::Error)
            errorIn[field] = true;
    }
    const QPalette &palette = m_owner->palette();
    for (auto it = m_labels.begin(); it != m_labels.end(); ++it) {
        const QStringList messages = byField.value(it.key());
        it.value()->setText(messages.join(u'\n'));
        it.value()->setVisible(!messages.isEmpty());
        it.value()->setStyleSheet(
            toneStyle(errorIn.value(it.key()) ? Tone::Error : Tone::Warning, palette));
    }
    for (auto it = m_widgets.begin(); it != m_widgets.end(); ++it) {
        const bool bad = errorIn.value(it.key());
        // Style sheets are costly to set: only where the state changed.
        if (it.value()->property("invalid").isValid()
            && it.value()->property("invalid").toBool() == bad)
            continue;
        it.value()->setProperty("invalid", bad);
        it.value()->setStyleSheet(bad
                ? u"border: 1px solid %1;"_s.arg(toneColor(Tone::Error, palette).name())
                : QString());
        it.value()->setToolTip(bad ? byField.value(it.key()).join(u'\n') : QString());
    }
}

void FieldMessages::forgetColours()
{
    for (QWidget *w : std::as_const(m_widgets))
        w->setProperty("invalid", QVariant());
}

QString FieldMessages::message(const QString &field) const
{
    const QLabel *label = m_labels.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

} // namespace gs::ui::editor
