#pragma once

// Small pieces the inspector's tabs share.

#include <QEvent>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QObject>
#include <QPlainTextEdit>
#include <QString>

#include <functional>

namespace gs::ui::inspector {

//! A read-only monospace text view named \a objectName.
inline QPlainTextEdit *readOnlyText(const QString &objectName)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(objectName);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return edit;
}

//! Pretty JSON when \a data is JSON, the text itself otherwise.
inline QString prettyIfJson(const QByteArray &data)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error == QJsonParseError::NoError && !doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(data);
}

//! "12.3 KiB".
inline QString bytesText(qint64 bytes)
{
    using namespace Qt::StringLiterals;
    if (bytes < 1024)
        return u"%1 B"_s.arg(bytes);
    if (bytes < 1024 * 1024)
        return u"%1 KiB"_s.arg(double(bytes) / 1024, 0, 'f', 1);
    return u"%1 MiB"_s.arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

//! Microseconds as "12.3 ms", or a dash when the moment did not occur.
inline QString msText(qint64 us)
{
    using namespace Qt::StringLiterals;
    return us < 0 ? u"–"_s : u"%1 ms"_s.arg(double(us) / 1000, 0, 'f', 1);
}

//! Item views copy the current cell's text on Ctrl+C before any action sees the keys:
//! this filter gives Ctrl+C to \a copy instead.
class CopyKey final : public QObject
{
public:
    CopyKey(QWidget *view, std::function<void()> copy)
        : QObject(view)
        , m_copy(std::move(copy))
    {
        view->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::KeyPress
            && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
            m_copy();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_copy;
};

} // namespace gs::ui::inspector
