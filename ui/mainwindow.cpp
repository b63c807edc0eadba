#include "mainwindow.h"

#include "core/gatewayrequest.h"
#include "core/httpfile.h"
#include "core/validation.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace gs::core;

namespace gs::ui {

namespace {

const auto kExamplesPath = u":/examples"_s;
// resources/syntax/http-request.xml
const auto kHttpDefinition = u"HTTP Request (Gatescope)"_s;

QWidget *titled(const QString &title, QWidget *content)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *label = new QLabel(title);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_repository(new KSyntaxHighlighting::Repository)
    , m_examples(new QListWidget)
    , m_editor(new QPlainTextEdit)
    , m_wire(new QPlainTextEdit)
    , m_problems(new QTreeWidget)
    , m_recomputeTimer(new QTimer(this))
{
    setWindowTitle(u"Gatescope"_s);
    m_repository->addCustomSearchPath(u":/gatescope"_s);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor->setFont(mono);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setPlaceholderText(
        u"POST https://gateway.truefoundry.ai/chat/completions\nAuthorization: Bearer {{token}}\n..."_s);
    m_wire->setFont(mono);
    m_wire->setReadOnly(true);
    m_wire->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_problems->setHeaderLabels({ u"Field"_s, u"Problem"_s });
    m_problems->setRootIsDecorated(false);
    m_problems->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_examples->setObjectName(u"examples"_s);
    m_editor->setObjectName(u"editor"_s);
    m_wire->setObjectName(u"wire"_s);
    m_problems->setObjectName(u"problems"_s);

    // The highlighter gets its theme and definition before any text arrives: set
    // the other way round, the text can end up drawn invisibly.
    m_editorHighlighter = new KSyntaxHighlighting::SyntaxHighlighter(m_editor->document());
    m_wireHighlighter = new KSyntaxHighlighting::SyntaxHighlighter(m_wire->document());
    applyTheme();

    for (const QString &name :
        QDir(kExamplesPath).entryList({ u"*.http"_s }, QDir::Files, QDir::Name))
        m_examples->addItem(name);

    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(titled(tr("Wire request (token masked)"), m_wire));
    right->addWidget(titled(tr("Problems"), m_problems));
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(u"mainSplitter"_s);
    splitter->addWidget(titled(tr("Examples"), m_examples));
    splitter->addWidget(titled(tr("Request (.http)"), m_editor));
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 3);
    setCentralWidget(splitter);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);

    m_recomputeTimer->setSingleShot(true);
    m_recomputeTimer->setInterval(150);
    connect(m_recomputeTimer, &QTimer::timeout, this, &MainWindow::recompute);
    connect(m_editor, &QPlainTextEdit::textChanged, m_recomputeTimer, qOverload<>(&QTimer::start));
    connect(m_examples, &QListWidget::currentTextChanged, this, &MainWindow::openExample);

    QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    splitter->restoreState(settings.value(u"mainWindow/splitter"_s).toByteArray());
    if (!geometry().isValid() || settings.value(u"mainWindow/geometry"_s).isNull())
        resize(1280, 760);

    if (m_examples->count() > 0)
        m_examples->setCurrentRow(0);
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    // The highlighters hold themes from the repository: delete them first.
    delete m_editorHighlighter;
    delete m_wireHighlighter;
    delete m_repository;
}

QStringList MainWindow::exampleNames() const
{
    QStringList names;
    for (int i = 0; i < m_examples->count(); ++i)
        names << m_examples->item(i)->text();
    return names;
}

bool MainWindow::openExample(const QString &fileName)
{
    QFile f(kExamplesPath + u'/' + fileName);
    if (!f.open(QIODevice::ReadOnly)) {
        statusBar()->showMessage(tr("Cannot open example %1").arg(fileName));
        return false;
    }
    m_editor->setPlainText(QString::fromUtf8(f.readAll()));
    const auto items = m_examples->findItems(fileName, Qt::MatchExactly);
    if (!items.isEmpty() && m_examples->currentItem() != items.first())
        m_examples->setCurrentItem(items.first());
    recompute();
    return true;
}

QString MainWindow::wireText() const
{
    return m_wire->toPlainText();
}

QStringList MainWindow::problems() const
{
    QStringList out;
    for (int i = 0; i < m_problems->topLevelItemCount(); ++i)
        out << m_problems->topLevelItem(i)->text(0) + u": "_s
                + m_problems->topLevelItem(i)->text(1);
    return out;
}

void MainWindow::recompute()
{
    m_recomputeTimer->stop();
    m_problems->clear();
    const auto showProblem = [this](const QString &field, const QString &message, bool error) {
        auto *item = new QTreeWidgetItem(m_problems, { field, message });
        item->setIcon(0,
            style()->standardIcon(
                error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning));
        item->setToolTip(1, message);
    };

    const auto file = HttpFile::parse(m_editor->toPlainText());
    if (!file) {
        m_wire->clear();
        showProblem(tr("file"), file.error().message, true);
        statusBar()->showMessage(
            tr("The request text does not parse: %1").arg(file.error().message));
        return;
    }
    const QList<HttpFileRequest> requests = file->requests();
    if (requests.isEmpty()) {
        m_wire->clear();
        statusBar()->showMessage(
            tr("No request yet: write a request line such as POST {{baseUrl}}/chat/completions"));
        return;
    }
    Variables variables;
    if (auto envs = HttpEnvironments::loadFromDirectory(kExamplesPath); envs) {
        const QStringList names = envs->environments.keys();
        if (auto v = envs->variables(names.value(0)); v)
            variables = *v;
    }
    const Variables fileVariables = file->fileVariables();
    for (auto it = fileVariables.begin(); it != fileVariables.end(); ++it)
        variables.insert(it.key(), it.value());

    const auto resolved = resolve(requests.first(), variables, kExamplesPath);
    if (!resolved) {
        m_wire->clear();
        showProblem(tr("body"), resolved.error().message, true);
        return;
    }
    const GatewayRequest request = decode(
        WireRequest { resolved->method, resolved->url, resolved->headers, resolved->body });
    const QList<Issue> issues = validate(request);
    m_wire->setPlainText(
        QString::fromUtf8(compose(request).toText(false)).replace(u"\r\n"_s, u"\n"_s));
    for (const Issue &issue : issues)
        showProblem(issue.field, issue.message, issue.severity == Issue::Severity::Error);
    const qsizetype errors = std::ranges::count_if(
        issues, [](const Issue &i) { return i.severity == Issue::Severity::Error; });
    statusBar()->showMessage(errors
            ? tr("%n problem(s) keep this request from being sent", nullptr, int(errors))
            : tr("Ready to send"));
}

void MainWindow::applyTheme()
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const auto theme
        = m_repository->defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                          : KSyntaxHighlighting::Repository::LightTheme);
    const auto definition = [this](const QString &name) {
        const auto d = m_repository->definitionForName(name);
        return d.isValid() ? d : m_repository->definitionForName(u"JSON"_s);
    };
    m_editorHighlighter->setTheme(theme);
    m_editorHighlighter->setDefinition(definition(kHttpDefinition));
    m_wireHighlighter->setTheme(theme);
    m_wireHighlighter->setDefinition(definition(kHttpDefinition));
    m_editorHighlighter->rehighlight();
    m_wireHighlighter->rehighlight();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    if (auto *splitter = findChild<QSplitter *>(u"mainSplitter"_s))
        settings.setValue(u"mainWindow/splitter"_s, splitter->saveState());
    QMainWindow::closeEvent(event);
}

} // namespace gs::ui
