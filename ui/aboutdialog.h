#pragma once

#include <QDialog>

namespace gs::ui {

//! Help ▸ About: what Gatescope is, its version and the versions of the libraries it
//! runs on, its licence, and where to read more.
class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget *parent = nullptr);
};

} // namespace gs::ui
