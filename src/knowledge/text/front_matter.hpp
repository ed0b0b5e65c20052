// Markdown front matter: a leading block between "---" lines whose "type:"
// names the document's type (product, faq, playbook, ...) and whose
// "collection:" names the collection a shipped document belongs to (read by
// the demo import and the brain's in-memory demo knowledge; an upload goes to
// the collection its request names). Pure.
#pragma once

#include <string>

namespace salesboost::knowledge {

struct FrontMatter {
  std::string type;        // empty when absent
  std::string collection;  // empty when absent
};

// Splits a leading "---" front-matter block off Markdown and returns what it
// says; `markdown` keeps the rest.
FrontMatter TakeFrontMatter(std::string& markdown);

// TakeFrontMatter's type alone.
std::string TakeFrontMatterType(std::string& markdown);

}  // namespace salesboost::knowledge
