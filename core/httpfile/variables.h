#pragma once

#include "core/model/error.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace gs::core {

using Variables = QMap<QString, QString>;

//! Where a request's {{variables}} come from, weakest first: each layer wins over the
//! ones before it for the names it sets. The window, `send`/`compose` and `run` all
//! merge them here, so that a name means the same thing everywhere
//! (docs/http-files.md, "Variables").
struct VariableLayers
{
    Variables gateway; //!< the window's active gateway: baseUrl, token
    Variables environment; //!< a collection's defaults, "$shared", then the chosen environment
    Variables file; //!< the file's own "@name = value" lines
    Variables overrides; //!< --var NAME=VALUE
    //! From the credential store; only for names no other layer sets, so that a value
    //! the user typed or passed is never replaced by a stored one.
    Variables secrets;

    Variables merged() const;
    //! The names in \a secretNames that no layer but secrets sets: what to ask the
    //! credential store for.
    QStringList unsetSecrets(const QStringList &secretNames) const;
};

//! How far {{variables}} may take a text: a request stops with an error past these,
//! instead of growing until memory runs out.
namespace expansion {
//! The most characters the values put into one text may add up to (8 MiB).
inline constexpr qsizetype kMaxAddedSize = 8 * 1024 * 1024;
//! The longest chain of variables whose values refer to other variables.
inline constexpr int kMaxDepth = 64;
} // namespace expansion

//! Replaces each {{name}} in \a text once: a variable's value is itself expanded
//! (chains of any depth up to expansion::kMaxDepth), the result is never read again,
//! so a value cannot build a reference out of the text around it. Also replaces the
//! dynamic {{$uuid}} ({{$guid}}, {{$random.uuid}}), {{$timestamp [offset]}},
//! {{$isoTimestamp}}, {{$datetime FORMAT [offset]}}, {{$localDatetime FORMAT [offset]}},
//! {{$randomInt [MIN MAX]}}, {{$processEnv [%]NAME}}, {{$dotenv [%]NAME}} (VS Code REST
//! Client's forms), and
//! the escapes of literalEscape(). Names that
//! nothing defines are left in place for validation to name.
//! Fails, naming the variables, on a cycle (a value that refers back to itself) and
//! when the values would add more than expansion::kMaxAddedSize characters.
//! {{$dotenv [%]NAME}} reads \a dotenv (readDotenv() of the .http file's folder); without
//! it the reference stays.
Result<QString> expandVariables(
    const QString &text, const Variables &variables, const Variables *dotenv = nullptr);

//! The NAME=value lines of the .env file in \a directory, as VS Code REST Client reads
//! them for {{$dotenv NAME}}: "#" comments and blank lines skipped, "export " allowed,
//! a value in single or double quotes taken without them. Empty when there is none.
Variables readDotenv(const QString &directory);

//! expandVariables(), or \a text unchanged where it fails.
QString substituteVariables(const QString &text, const Variables &variables);

//! The escape Gatescope writes for a character that would change the meaning of a
//! .http file where it stands ("{{$char.lt}}" for '<'): '{', '<', '>', '#', '/',
//! '\n', '\r', ' ', '\t'. Expansion turns it back into the character. Other tools do not know
//! these names and refuse or keep them as text, which is safe. Null for others.
QString literalEscape(QChar c);

//! "{{$char.u0050}}" for 'P': any character (but NUL and surrogates) by its code point,
//! for the first letter of a body line that another tool would take for a request line.
QString codePointEscape(QChar c);

} // namespace gs::core
