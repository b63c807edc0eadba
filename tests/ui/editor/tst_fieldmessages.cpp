#include "ui/editor/fieldmessages.h"

#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QVBoxLayout>

using namespace gs::core;
using namespace gs::ui::editor;
using namespace Qt::StringLiterals;

// Findings shown where they belong: under their field, on its widget, and gone when
// the problem is.
class TestFieldMessages final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsEachFindingAtItsField();
};

void TestFieldMessages::showsEachFindingAtItsField()
{
    QWidget owner;
    auto *layout = new QVBoxLayout(&owner);
    FieldMessages messages(&owner);
    auto *timeout = new QLineEdit;
    auto *metadata = new QLineEdit;
    layout->addWidget(timeout);
    layout->addWidget(messages.addLabel(u"requestTimeoutMs"_s));
    layout->addWidget(metadata);
    layout->addWidget(messages.addLabel(u"metadata"_s));
    messages.addWidget(u"requestTimeoutMs"_s, timeout);
    messages.addWidget(u"metadata"_s, metadata);
    owner.show();
    QVERIFY(QTest::qWaitForWindowExposed(&owner));
    const auto label
        = [&](const QString &field) { return owner.findChild<QLabel *>(u"message:"_s + field); };
    QVERIFY(!label(u"requestTimeoutMs"_s)->isVisible());

    messages.show({ { Issue::Severity::Error, u"requestTimeoutMs"_s, u"not a number"_s },
        { Issue::Severity::Warning, u"metadata.team"_s, u"long value"_s },
        { Issue::Severity::Error, u"unknownField"_s, u"shown nowhere"_s } });
    QCOMPARE(messages.message(u"requestTimeoutMs"_s), u"not a number"_s);
    QVERIFY(label(u"requestTimeoutMs"_s)->isVisible());
    QVERIFY(timeout->property("invalid").toBool());
    QCOMPARE(timeout->toolTip(), u"not a number"_s);
    // A warning is said under its field ("metadata.team" belongs to metadata), and
    // leaves the widget without the error border.
    QCOMPARE(messages.message(u"metadata"_s), u"long value"_s);
    QVERIFY(!metadata->property("invalid").toBool());
    QVERIFY(metadata->styleSheet().isEmpty());
    QVERIFY(label(u"requestTimeoutMs"_s)->styleSheet() != label(u"metadata"_s)->styleSheet());

    messages.show({});
    QCOMPARE(messages.message(u"requestTimeoutMs"_s), QString());
    QVERIFY(!label(u"requestTimeoutMs"_s)->isVisible());
    QVERIFY(!timeout->property("invalid").toBool());
    QVERIFY(timeout->styleSheet().isEmpty());
    QVERIFY(timeout->toolTip().isEmpty());
}

QTEST_MAIN(TestFieldMessages)
#include "tst_fieldmessages.moc"
