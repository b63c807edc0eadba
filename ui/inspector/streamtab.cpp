#include "ui/inspector/streamtab.h"

#include "core/stream/openaiassembler.h"
#include "ui/inspector/viewhelpers.h"
#include "ui/streamtextedit.h"
#include "ui/tones.h"

#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui::inspector {

namespace {

// One frame takes at most this much new text, so that a stream at full speed never
// stalls the window (the view then catches up over the next frames).
constexpr qsizetype kMaxCharactersPerFrame = 6000;

QString framePart(const QString &text, qsizetype shown)
{
    qsizetype n = std::min(text.size() - shown, kMaxCharactersPerFrame);
    if (shown + n < text.size() && n > 0 && text[shown + n - 1].isHighSurrogate())
        --n; // never split a surrogate pair
    return text.sliced(shown, n);
}

} // namespace

StreamTab::StreamTab(QWidget *parent)
    : QWidget(parent)
    , m_stats(new QLabel)
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_errorBanner(new QLabel)
    , m_choice(new QComboBox)
    , m_reasoningToggle(new QToolButton)
    , m_reasoning(new StreamTextEdit)
    , m_answer(new StreamTextEdit)
    , m_toolBox(new QWidget)
    , m_toolLayout(new QVBoxLayout(m_toolBox))
{
    m_stats->setObjectName(u"streamStats"_s);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->setToolTip(tr("Stop this exchange; what arrived is kept (Esc). The gateway "
                            "answers a closed request with 499 and stops its retries."));
    connect(m_cancel, &QPushButton::clicked, this, &StreamTab::cancelRequested);
    m_choice->setObjectName(u"choiceSelector"_s);
    m_choice->setVisible(false);
    connect(m_choice, &QComboBox::currentIndexChanged, this, [this] {
        m_shownText = m_shownReasoning = 0;
        m_answer->clear();
        m_reasoning->clear();
        m_toolSignature.clear();
        Q_EMIT choiceChanged();
    });
    // The figures wrap in a narrow pane rather than widening it.
    m_stats->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_stats, 1);
    top->addWidget(m_choice);
    top->addWidget(m_cancel);

    m_errorBanner->setObjectName(u"streamError"_s);
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setFrameShape(QFrame::StyledPanel);
    m_errorBanner->setVisible(false);

    m_reasoningToggle->setObjectName(u"reasoningToggle"_s);
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setChecked(true);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setArrowType(Qt::DownArrow);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->setText(tr("Reasoning"));
    m_reasoning->setObjectName(u"reasoning"_s);
    QFont italic = font();
    italic.setItalic(true);
    m_reasoning->setFont(italic);
    m_reasoning->setMaximumHeight(160);
    connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
        m_reasoning->setVisible(open);
        m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    m_answer->setObjectName(u"answer"_s);
    m_answer->setPlaceholderText(tr("The answer appears here as it streams."));
    m_toolLayout->setContentsMargins(0, 0, 0, 0);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_reasoningToggle);
    layout->addWidget(m_reasoning);
    layout->addWidget(m_answer, 1);
    layout->addWidget(m_toolBox);
}

void StreamTab::clear()
{
    m_stats->clear();
    m_cancel->setEnabled(false);
    m_errorBanner->hide();
    {
        const QSignalBlocker block(m_choice);
        m_choice->clear();
    }
    m_choice->hide();
    m_reasoning->clear();
    m_reasoning->hide();
    m_reasoningToggle->hide();
    m_answer->clear();
    m_shownText = m_shownReasoning = 0;
    m_toolSignature.clear();
    rebuildToolCards(AssembledResponse {});
}

int StreamTab::choiceIndex(const AssembledResponse &a) const
{
    return std::max(0, std::min(m_choice->currentIndex(), int(a.choices.size()) - 1));
}

bool StreamTab::showAnswer(const AssembledResponse &a)
{
    if (a.choices.size() > 1 && m_choice->count() != a.choices.size()) {
        const QSignalBlocker block(m_choice);
        const int current = std::max(0, m_choice->currentIndex());
        m_choice->clear();
        for (const AssembledChoice &c : a.choices)
            m_choice->addItem(tr("Choice %1").arg(c.index));
        m_choice->setCurrentIndex(current);
        m_choice->show();
    }
    bool more = false;
    if (!a.choices.isEmpty()) {
        const AssembledChoice &c = a.choices[choiceIndex(a)];
        if (c.reasoning.size() > m_shownReasoning) {
            if (m_shownReasoning == 0) {
                m_reasoningToggle->show();
                m_reasoning->setVisible(m_reasoningToggle->isChecked());
            }
            const QString part = framePart(c.reasoning, m_shownReasoning);
            m_reasoning->appendStreamed(part);
            m_shownReasoning += part.size();
            m_reasoningToggle->setText(tr("Reasoning (%1 characters)").arg(m_shownReasoning));
        }
        const QString text = c.refusal.isEmpty() ? c.text : c.text + u"\n[refusal] "_s + c.refusal;
        if (text.size() > m_shownText) {
            const QString part = framePart(text, m_shownText);
            m_answer->appendStreamed(part);
            m_shownText += part.size();
        }
        // Faster than the text can be laid out: the rest follows in the next frames.
        more = m_shownText < text.size() || m_shownReasoning < c.reasoning.size();
    }
    rebuildToolCards(a);
    if (!a.errors.isEmpty()) {
        QStringList lines;
        for (const StreamError &e : a.errors)
            lines << (e.eventIndex >= 0 ? tr("Error in event %1: %2").arg(e.eventIndex + 1)
                                        : tr("Error: %1"))
                         .arg(e.message.isEmpty() ? e.type : e.message);
        const bool partial = m_shownText > 0 || m_shownReasoning > 0;
        showError(lines.join(u'\n')
            + (partial ? u"\n"_s + tr("What arrived before the error is kept below.") : QString()));
    }
    return more;
}

void StreamTab::showWhole(const AssembledResponse &a)
{
    if (!a.reasoning().isEmpty()) {
        m_reasoningToggle->show();
        m_reasoning->show();
        m_reasoning->appendStreamed(a.reasoning());
    }
    m_answer->appendStreamed(a.text());
}

void StreamTab::rebuildToolCards(const AssembledResponse &a)
{
    const QList<ToolCall> calls
        = a.choices.isEmpty() ? QList<ToolCall> {} : a.choices[choiceIndex(a)].toolCalls;
    QString signature;
    for (const ToolCall &c : calls)
        signature += c.id + c.name + QString::number(c.arguments.size()) + u'|';
    if (signature == m_toolSignature && (calls.isEmpty() == (m_toolLayout->count() == 0)))
        return;
    m_toolSignature = signature;
    while (QLayoutItem *item = m_toolLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const ToolCall &c : calls) {
        auto *card = new QFrame;
        card->setObjectName(u"toolCallCard"_s);
        card->setFrameShape(QFrame::StyledPanel);
        auto *layout = new QVBoxLayout(card);
        auto *title = new QLabel(u"<b>%1</b> &nbsp; <span style='color:gray'>%2 %3</span>"_s.arg(
            c.name.toHtmlEscaped(), c.type.toHtmlEscaped(), c.id.toHtmlEscaped()));
        title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *args = new QLabel;
        args->setTextFormat(Qt::PlainText);
        args->setText(prettyIfJson(c.arguments.toUtf8()));
        args->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        args->setTextInteractionFlags(Qt::TextSelectableByMouse);
        args->setWordWrap(true);
        layout->addWidget(title);
        layout->addWidget(args);
        m_toolLayout->addWidget(card);
    }
}

void StreamTab::setStats(const QString &text)
{
    m_stats->setText(text);
}

void StreamTab::setCancelEnabled(bool enabled)
{
    m_cancel->setEnabled(enabled);
}

void StreamTab::showError(const QString &text)
{
    m_errorBanner->setText(text);
    m_errorBanner->setStyleSheet(u"QLabel { background: palette(base); %1 padding: 6px; }"_s.arg(
        toneStyle(Tone::Error, palette())));
    m_errorBanner->show();
}

} // namespace gs::ui::inspector
