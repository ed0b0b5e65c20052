// Markdown front matter: a leading block between "---" lines whose "type:"
// names the document's type (product, faq, playbook, ...). Shared by the
// ingestion of Markdown files and the brain's in-memory demo knowledge. Pure.
#pragma once

#include <string>

namespace salesboost::knowledge {

// Splits a leading "---" front-matter block off Markdown and returns its
// "type:" value (empty when absent); `markdown` keeps the rest.
std::string TakeFrontMatterType(std::string& markdown);

}  // namespace salesboost::knowledge
