#pragma once

#include "core/model/gatewayrequest.h"

#include <QFile>
#include <QIODevice>

#include <memory>
#include <vector>

namespace gs::core {

//! A request body read as it goes out: the bytes of a WireRequest with its files'
//! content at their offsets, each file read from disk in pieces, never whole. Random
//! access (Qt rewinds it for a redirect or a retry). A file that no longer has the
//! size it had when the request was resolved stops the read with an error that says
//! so. In a multipart body, a file whose content holds the boundary line stops the
//! read as it is found (resolve() checks small files before; large ones are checked
//! here, as they stream, so that nothing reads a large file twice).
class BodyDevice final : public QIODevice
{
    Q_OBJECT

public:
    explicit BodyDevice(const WireRequest &request, QObject *parent = nullptr);

    //! Opens every file; false, with errorString(), when one cannot be read or its size
    //! changed.
    bool open(OpenMode mode) override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;
    //! Whether a read failed (a file ended early); errorString() says how.
    bool failed() const { return m_failed; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    //! A run of the body: bytes of the request, or a file's content.
    struct Segment
    {
        qint64 start = 0; //!< where in the body it begins
        qint64 length = 0;
        QByteArray bytes; //!< when it is no file
        std::unique_ptr<QFile> file;
        QString path;
        qint64 expectedSize = 0;
    };

    std::vector<Segment> m_segments;
    QByteArray m_delimiter; //!< "--BOUNDARY" for a multipart body; empty otherwise
    QByteArray
        m_tail; //!< the end of what was read of the current file, for a delimiter across reads
    qint64 m_tailEnd = -1; //!< the body position m_tail ends at
    qint64 m_size = 0;
    bool m_failed = false;
};

} // namespace gs::core
