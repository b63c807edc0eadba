#pragma once

#include "core/model/error.h"
#include "core/net/gatewaysession.h"
#include "demo/demorouter.h"

#include <QHostAddress>
#include <QObject>

class QTcpServer;

namespace gs::demo {

using core::Result;

//! The embedded demo gateway: a real HTTP/1.1 server on loopback that behaves like
//! the documented AI gateway (see DemoRouter and docs/demo-gateway.md), with keep-alive,
//! chunked streaming, paced tokens and selectable faults. Built on QTcpServer so that
//! every byte on the wire, broken ones included, is under its control.
class DemoGateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoGateway)

public:
    explicit DemoGateway(quint64 seed = 1, QObject *parent = nullptr);
    ~DemoGateway() override;

    //! Starts listening; port 0 picks a free one. Returns the base URL requests go to
    //! (http://127.0.0.1:PORT/api/llm).
    Result<QString> listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    QString baseUrl() const;
    quint16 port() const;

Q_SIGNALS:
    //! A request was read and answered (its status line written).
    void requestHandled(const QByteArray &method, const QByteArray &target, int status);

private:
    QTcpServer *m_server;
    DemoRouter m_router;
};

//! The loopback port the window's demo gateway takes when it is free: the address of
//! the bundled examples' "demo" environment, so that what was sent to the demo in one
//! run (history entries, saved requests) reaches it again in the next.
inline constexpr quint16 kDemoPreferredPort = 8787;

//! Starts a DemoGateway for core::GatewaySession (the window's "Use the Demo Gateway")
//! on kDemoPreferredPort, or on a free loopback port when something else has that one.
Result<core::LocalGateway> startLocalGateway();

} // namespace gs::demo
