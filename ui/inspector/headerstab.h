#pragma once

#include "core/model/httpheader.h"

#include <QTreeWidget>

namespace gs::ui::inspector {

//! The Headers tab: the response's headers in the order they came, the gateway's
//! (x-tfy-*) in a group of their own; a name, a value or whole lines copy.
class HeadersTab final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadersTab)

public:
    explicit HeadersTab(QWidget *parent = nullptr);
    void showHeaders(const core::HttpHeaders &headers);

private:
    //! 0: names, 1: values, 2: "Name: value" lines, of the selected headers.
    void copySelected(int part);
};

} // namespace gs::ui::inspector
