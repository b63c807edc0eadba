#include "ui/inspector/bodytab.h"

#include "ui/inspector/viewhelpers.h"
#include "ui/largetextview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace gs::ui::inspector {

BodyTab::BodyTab(QWidget *parent)
    : QWidget(parent)
    , m_mode(new QComboBox)
    , m_note(new QLabel)
    , m_view(new LargeTextView)
{
    m_mode->setObjectName(u"bodyMode"_s);
    m_mode->addItems({ tr("Pretty"), tr("Raw") });
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_view->setMode(index == 1 ? LargeTextView::Mode::Raw : LargeTextView::Mode::Pretty);
    });
    m_note->setWordWrap(true);
    m_view->setObjectName(u"body"_s);
    connect(m_view, &LargeTextView::formattingProgress, this, [this](qint64 done, qint64 total) {
        const QString size = bytesText(total);
        m_note->setText(done >= total
                ? size
                : tr("%1 · formatting %2%").arg(size).arg(done * 100 / std::max<qint64>(1, total)));
    });
    auto *top = new QHBoxLayout;
    top->addWidget(m_mode);
    top->addWidget(m_note, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
}

void BodyTab::clear()
{
    m_view->clear();
    m_note->clear();
}

void BodyTab::showBody(const QByteArray &bytes, core::BodyFraming framing, const QString &note)
{
    m_note->setText(note);
    using Kind = LargeTextView::Kind;
    const Kind kind = framing == core::BodyFraming::Json                            ? Kind::Json
        : framing == core::BodyFraming::Sse || framing == core::BodyFraming::Ndjson ? Kind::Events
                                                                                    : Kind::Text;
    m_view->setContent(bytes, kind);
}

} // namespace gs::ui::inspector
