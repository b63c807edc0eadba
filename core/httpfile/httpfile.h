#pragma once

#include "core/httpfile/variables.h"
#include "core/model/error.h"
#include "core/model/gatewayrequest.h"
#include "core/model/httpheader.h"
#include "core/net/trust.h"

#include <QList>
#include <QMap>
#include <QString>

#include <utility>

namespace gs::core {

//! One request in a .http file, as written (variables unresolved).
struct HttpFileRequest
{
    QString name; //!< from "# @name NAME", "// @name NAME" or "### NAME"
    QString method; //!< as written; empty means GET
    QString target; //!< the URL, continuation lines joined
    QString httpVersion; //!< e.g. "HTTP/1.1", or empty
    QList<std::pair<QString, QString>> headers;
    QString body; //!< without the blank lines that end it
    int line = 0; //!< 1-based line of the request line in the file
    //! Directives in the comments before the request other than @name, without the
    //! comment marker and the '@': "# @expect status 200" gives "expect status 200".
    //! Read-only: they are written back as part of the text around the request.
    QStringList directives;
    //! The response handlers after the body, as other tools write them ("> {% ... %}",
    //! "> ./script.js", ">> out.json", "<> previous.json"): each line number and first
    //! line. They stay in the file as written; Gatescope does not run them.
    QList<std::pair<int, QString>> responseHandlers;

    //! Fields compare equal when the request would be written the same way.
    bool sameContent(const HttpFileRequest &other) const;
    //! What a list shows for it: its name, or the method and the URL's last segment.
    QString label() const;
};

//! A parsed .http file (the JetBrains HTTP Client / VS Code REST Client syntax).
//! Saving writes back the original text of every request that was not changed, so
//! comments, unknown directives and spacing survive; a changed request is written
//! anew inside the comments and directives that surrounded it.
class HttpFile final
{
public:
    static Result<HttpFile> parse(const QString &text);
    static Result<HttpFile> load(const QString &path);
    //! Parses the bytes of the file at \a path; an error starts with \a shownName (the
    //! path, or a path relative to a collection) and its detail is "path:line:column".
    static Result<HttpFile> parseFile(
        const QByteArray &bytes, const QString &shownName, const QString &path);

    QList<HttpFileRequest> requests() const;
    //! Replaces request \a index; the file keeps everything around it.
    void setRequest(qsizetype index, const HttpFileRequest &request);
    //! Adds \a request at the end, after a "###" line; the text before stays as it is.
    void appendRequest(const HttpFileRequest &request);
    //! Removes request \a index with the comments and directives that belong to it
    //! (for the first request, the comments at the top of the file stay).
    void removeRequest(qsizetype index);
    //! Variables defined in the file with "@name = value".
    Variables fileVariables() const { return m_fileVariables; }
    //! What parseFile() noticed that does not stop the file from being read (lines
    //! that are not UTF-8), each a sentence for the user.
    QStringList warnings() const { return m_warnings; }

    QString toText() const;

    //! The index of the request called \a name, or -1.
    qsizetype indexOf(const QString &name) const;

private:
    struct Block
    {
        QString
            separator; //!< the "###" line that starts it, with its line end; empty for the first
        QStringList preamble; //!< comment, directive and variable lines before the request, each
                              //!< with its line end
        bool hasRequest = false;
        HttpFileRequest request; //!< current content
        HttpFileRequest parsed; //!< content as read
        QList<std::pair<qsizetype, QString>> headerComments; //!< comment lines after N headers
        bool blankAfterHeaders = false;
        QString tail; //!< blank lines and response handlers after the body
        QString original; //!< the whole block as read, separator excluded
    };

    QString blockText(const Block &block) const;

    QList<Block> m_blocks;
    Variables m_fileVariables;
    QStringList m_warnings;
    QString m_eol = QStringLiteral("\n");
};

//! Environments from http-client.env.json and http-client.private.env.json.
struct HttpEnvironments
{
    QMap<QString, Variables> environments; //!< public and private values merged, private winning
    Variables shared; //!< "$shared"
    //! The names that http-client.private.env.json defines (in any environment): their
    //! values are secrets, masked in every output.
    QStringList privateNames;

    //! Each environment's "SSLConfiguration" (the JetBrains HTTP Client's
    //! clientCertificate, clientCertificateKey, verifyHostCertificate, plus
    //! caCertificate), paths relative to the environment file's folder; "$shared"'s
    //! under the empty name.
    QMap<QString, TlsFiles> tls;

    static Result<HttpEnvironments> loadFromDirectory(const QString &directory);
    //! The TLS files of environment \a name: its own over "$shared"'s.
    TlsFiles tlsFor(const QString &name) const;
    //! Where the environments of a .http file live: the nearest folder, from the
    //! file's own up through its parents (a collection keeps them at its root), that
    //! has http-client.env.json or http-client.private.env.json; the file's own
    //! folder when none has.
    static QString directoryFor(const QString &httpFile);
    //! The variables of \a name on top of "$shared"; an error names the ones there are.
    Result<Variables> variables(const QString &name) const;
};

//! A file a request's body is read from ("< path").
struct BodyInclude
{
    QString path; //!< absolute
    qint64 size = 0; //!< bytes read
};

//! A request from a file with its variables substituted: method, URL, headers and
//! body exactly as they will be composed. Unknown {{variables}} are left in place for
//! validation to name; a cycle or a runaway expansion fails (see expandVariables()).
//! "< path" bodies are read relative to \a baseDirectory, and \a include, when given,
//! says which file was read. It is the wire request itself: decode() reads it into
//! the gateway model.
using ResolvedRequest = WireRequest;
Result<ResolvedRequest> resolve(const HttpFileRequest &request, const Variables &variables,
    const QString &baseDirectory = {}, std::optional<BodyInclude> *include = nullptr);

//! The {{variables}} a request refers to (URL, headers, body), each once, in the
//! order they first appear; dynamic ones ({{$uuid}}, ...) left out.
QStringList referencedVariables(const HttpFileRequest &request);

} // namespace gs::core
