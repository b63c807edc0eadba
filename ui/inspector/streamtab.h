#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace gs::core {
struct AssembledResponse;
}

namespace gs::ui {
class StreamTextEdit;
}

namespace gs::ui::inspector {

//! The Stream tab: the answer as it grows, the reasoning apart (folded on demand),
//! tool calls as cards, a choice selector when there are several, errors the stream
//! carried in a banner, live statistics and the Cancel button.
class StreamTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamTab)

public:
    explicit StreamTab(QWidget *parent = nullptr);
    void clear();
    //! Shows what \a answer says so far. Laying out text costs about a microsecond a
    //! character, so one call takes a bounded amount of new text; true when more
    //! waits for the next frame.
    bool showAnswer(const core::AssembledResponse &answer);
    //! Shows \a answer whole (a recorded exchange).
    void showWhole(const core::AssembledResponse &answer);
    void setStats(const QString &text);
    void setCancelEnabled(bool enabled);
    //! \a text in the error banner above the answer.
    void showError(const QString &text);

Q_SIGNALS:
    void cancelRequested();
    //! Another choice was picked: the next showAnswer() starts over with it.
    void choiceChanged();

private:
    void rebuildToolCards(const core::AssembledResponse &answer);
    int choiceIndex(const core::AssembledResponse &answer) const;

    QLabel *m_stats;
    QPushButton *m_cancel;
    QLabel *m_errorBanner;
    QComboBox *m_choice;
    QToolButton *m_reasoningToggle;
    StreamTextEdit *m_reasoning;
    StreamTextEdit *m_answer;
    QWidget *m_toolBox;
    QVBoxLayout *m_toolLayout;
    qsizetype m_shownText = 0;
    qsizetype m_shownReasoning = 0;
    QString m_toolSignature;
};

} // namespace gs::ui::inspector
