#pragma once

#include "core/httpfile/variables.h"
#include "core/model/gatewayrequest.h"

#include <QStringList>

#include <optional>

namespace gs::core {

//! The text that stands in every output for a value that is not shown.
inline constexpr QLatin1StringView kMask { "********" };

//! Whether a header, query parameter or variable of this name carries a credential:
//! authorization, api-key, api_key, apiKey, x-api-key, token, x-auth-token, password,
//! secret, access_token, client_secret, cookie, key and the like (case, '-' and '_'
//! do not matter; names ending in token, secret, password or apikey count too).
bool isCredentialName(QStringView name);

//! The values of \a variables that are secret: the variables named in \a secretNames
//! (a private environment file, the credential store, a collection's secret list) and
//! those whose own name is a credential's, expanded. Values shorter than four
//! characters are left out: masking them would hide ordinary text.
QStringList secretValues(const Variables &variables, const QStringList &secretNames);

//! Masks credentials wherever they stand in what Gatescope writes or prints: header
//! values by the header's name, query parameters by theirs, the userinfo of a URL by
//! its position, and each known secret value (secretValues()) wherever it appears.
class Redactor final
{
public:
    explicit Redactor(QStringList secretValues = {});

    //! Any text: each secret value replaced by the mask.
    QString text(const QString &text) const;
    QByteArray bytes(const QByteArray &bytes) const;
    //! A URL with its userinfo and credential query values masked, then text().
    //! The rest of the URL is kept character for character.
    QString url(const QString &url) const;
    //! A header value masked by name (maskSecret()), then bytes().
    QByteArray headerValue(QByteArrayView name, const QByteArray &value) const;
    //! A message for the user: each URL in it as url(), then text().
    QString message(const QString &text) const;
    //! Every part of a request masked.
    WireRequest request(const WireRequest &request) const;

private:
    QStringList m_values; //!< longest first, so that a value that contains another goes whole
};

//! A query parameter's name and value as they stand in a URL (still percent-encoded),
//! with their positions, so that one can be replaced without touching the rest.
struct QueryParameter
{
    QString name;
    QString value;
    qsizetype valueStart = 0;
};
QList<QueryParameter> queryParameters(const QString &url);
//! The query parameters of \a url whose (decoded) name is a credential's and whose value
//! is not empty: what an export reads from the environment instead.
QList<QueryParameter> credentialParameters(const QString &url);

//! Where "scheme://" ends in \a url, or -1 when it does not start with a scheme: a
//! "://" further on (in a query, say) is not one.
qsizetype schemeEnd(QStringView url);

//! Where the userinfo of \a url stands ("user:password" in scheme://user:password@host),
//! when it has one that is not empty.
struct TextSpan
{
    qsizetype start = 0;
    qsizetype length = 0;
};
std::optional<TextSpan> userinfoSpan(QStringView url);

//! \a url with the password of its userinfo masked (a lone user name, often a token,
//! is masked whole); the rest kept character for character.
QString maskUserinfo(const QString &url);

} // namespace gs::core
