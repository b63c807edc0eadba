#pragma once

#include <QFrame>

namespace gs::ui {

//! The banner a window without a gateway opens with: what to do first, a button to
//! set up a gateway, one to try the embedded demo gateway when there is one, and a
//! button that hides it.
class WelcomeBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomeBanner)

public:
    //! \a demoAvailable: the window can start the demo gateway (the banner offers it).
    explicit WelcomeBanner(bool demoAvailable, QWidget *parent = nullptr);

Q_SIGNALS:
    void tryDemoClicked();
    void setUpClicked();
};

} // namespace gs::ui
