// How documents are named and versioned: the id follows the tenant,
// collection and file name (the same name replaces the document); the
// version is the content hash (the same content changes nothing). Pure.
#pragma once

#include <string>
#include <string_view>

namespace salesboost::knowledge {

// "doc_" and 16 hex digits: the id of a document named `name` in a collection.
std::string DocumentId(const std::string& tenant_id, const std::string& collection, const std::string& name);
// The content hash used as the version: SHA-256, hex.
std::string ContentVersion(std::string_view bytes);

// Why `name` cannot name a document, or empty when it can: 1 to 255 bytes of UTF-8 without control
// characters (C0 including NUL, DEL, C1) or bidirectional controls, which would cut or disguise the
// name in logs, listings and citations.
std::string FileNameProblem(std::string_view name);

}  // namespace salesboost::knowledge
