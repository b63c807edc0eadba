#include "aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <ksyntaxhighlighting_version.h>

using namespace Qt::StringLiterals;

namespace gs::ui {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Gatescope"));
    auto *icon = new QLabel;
    icon->setPixmap(windowIcon().pixmap(64, 64));
    auto *text = new QLabel;
    text->setObjectName(u"aboutText"_s);
    text->setTextFormat(Qt::RichText);
    text->setOpenExternalLinks(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    text->setWordWrap(true);
    text->setText(
        tr("<h3>Gatescope %1</h3>"
           "<p>A native inspector for AI gateway requests: compose them, watch them stream, "
           "and see what the gateway did.</p>"
           "<p>Built with Qt %2 (running on %3) and KDE Frameworks' KSyntaxHighlighting %4.</p>"
           "<p>Licence: all rights reserved until the project chooses one.</p>"
           "<p>The gateway it was made for: <a href=\"https://docs.truefoundry.com/gateway\">"
           "TrueFoundry AI Gateway documentation</a>. Any OpenAI-compatible gateway works: "
           "<a href=\"https://platform.openai.com/docs/api-reference\">OpenAI API "
           "reference</a>.</p>")
            .arg(QApplication::applicationVersion(), QStringLiteral(QT_VERSION_STR),
                QString::fromLatin1(qVersion()),
                QStringLiteral(KSYNTAXHIGHLIGHTING_VERSION_STRING)));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *row = new QHBoxLayout;
    row->addWidget(icon, 0, Qt::AlignTop);
    row->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    resize(480, sizeHint().height());
}

} // namespace gs::ui
