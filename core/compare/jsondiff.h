#pragma once

#include <QJsonValue>
#include <QList>
#include <QStringList>

#include <atomic>

namespace gs::core {

//! One difference between two JSON documents, at a path written as the checks write
//! it: $.choices[0].message.content.
struct JsonChange
{
    enum class Kind {
        Added, //!< only in the second document
        Removed, //!< only in the first
        Changed, //!< in both, another value (or another type)
        Moved, //!< an array element found at another index, equal in both
    };
    Kind kind = Kind::Changed;
    QString path; //!< in the first document (Added: in the second)
    QString toPath; //!< Moved: where it is in the second document
    QJsonValue before;
    QJsonValue after;

    friend bool operator==(const JsonChange &, const JsonChange &) = default;
};

//! What a comparison leaves out: fields that differ on every call.
struct JsonDiffOptions
{
    //! A bare name ("id") ignores that key at any depth; a path ("$.usage.total_tokens",
    //! "$.choices[*].logprobs") ignores exactly there, [*] standing for any index.
    QStringList ignore = defaultIgnored();
    //! Arrays longer than this are compared index by index rather than aligned (the
    //! alignment costs their product in time).
    qsizetype alignLimit = 2000;
    //! Set from another thread to stop early (what was found so far is returned).
    const std::atomic<bool> *cancel = nullptr;

    //! The fields an OpenAI-compatible answer changes on every call.
    static QStringList defaultIgnored()
    {
        return { QStringLiteral("id"), QStringLiteral("created"),
            QStringLiteral("system_fingerprint"), QStringLiteral("trace_id"),
            QStringLiteral("request_id") };
    }
};

//! The differences between \a a and \a b: objects by key whatever their order, arrays
//! aligned on their equal elements (an inserted element is one Added, not a change at
//! every later index; an element equal in both at other places is Moved), numbers by
//! value, strings exactly. Ignored fields never count. Empty when they are equal.
QList<JsonChange> diffJson(
    const QJsonValue &a, const QJsonValue &b, const JsonDiffOptions &options = {});

//! \a value as one line for a reader: a string in quotes, anything else as compact
//! JSON, cut to \a most characters with "…" (a long string is cut before it is
//! copied); empty for undefined.
QString jsonValueText(const QJsonValue &value, qsizetype most);

//! "$.a.b[2]" for a key or an index below \a parent; keys that are not plain names
//! are quoted: $["x-tfy-metadata"].
QString jsonChildPath(const QString &parent, const QString &key);
QString jsonChildPath(const QString &parent, qsizetype index);

} // namespace gs::core
