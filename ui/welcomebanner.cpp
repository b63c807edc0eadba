#include "welcomebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace gs::ui {

WelcomeBanner::WelcomeBanner(bool demoAvailable, QWidget *parent)
    : QFrame(parent)
{
    setObjectName(u"welcome"_s);
    setFrameShape(QFrame::StyledPanel);
    auto *text = new QLabel(demoAvailable
            ? tr("<b>No gateway set up yet.</b> The embedded demo gateway behaves like "
                 "TrueFoundry's AI Gateway on this machine: try it, and a streaming "
                 "request with metadata, retries and timeouts goes out at once.")
            : tr("<b>No gateway set up yet.</b> Set up the address and token of the "
                 "gateway your requests go to."));
    text->setObjectName(u"welcomeText"_s);
    text->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(text, 1);
    if (demoAvailable) {
        auto *demo = new QPushButton(tr("Try the &Demo Gateway"));
        demo->setObjectName(u"tryDemo"_s);
        connect(demo, &QPushButton::clicked, this, &WelcomeBanner::tryDemoClicked);
        layout->addWidget(demo);
    }
    auto *setUp = new QPushButton(tr("Set Up a Gateway…"));
    setUp->setObjectName(u"setUpGateway"_s);
    connect(setUp, &QPushButton::clicked, this, &WelcomeBanner::setUpClicked);
    layout->addWidget(setUp);
    auto *close = new QToolButton;
    close->setObjectName(u"hideWelcome"_s);
    close->setAutoRaise(true);
    close->setText(u"✕"_s);
    close->setToolTip(tr("Hide"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(close);
}

} // namespace gs::ui
