#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Gatescope"_s);
    QApplication::setApplicationName(u"gatescope"_s);
    QApplication::setApplicationDisplayName(u"Gatescope"_s);
    QApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Native inspector for AI gateway requests."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        u"screenshot"_s, u"Save a PNG of the main window to FILE and exit."_s, u"FILE"_s);
    const QCommandLineOption quitAfter(
        u"quit-after"_s, u"Close the window after MS milliseconds (smoke tests)."_s, u"MS"_s);
    parser.addOptions({ screenshot, quitAfter });
    parser.process(app);

    gs::ui::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(300, &window, [&window, path = parser.value(screenshot)] {
            const bool saved = window.grab().save(path, "PNG");
            window.close();
            QCoreApplication::exit(saved ? 0 : 1);
        });
    } else if (parser.isSet(quitAfter)) {
        QTimer::singleShot(parser.value(quitAfter).toInt(), &window, &QWidget::close);
    }
    return QApplication::exec();
}
