// KnowledgeSearch: the port through which agents read the company's
// material (product sheets, FAQ, playbooks, compliance rules). The indexed
// knowledge base implements it when it exists; until then an in-memory
// index over the shipped demo documents does (brain/in_memory_knowledge.hpp).
// Every search names the collections it may read (a session's course lists
// them, catalog::CourseCollections); a query naming none finds nothing.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace salesboost::conversation {

struct KnowledgeQuery {
  std::string text;
  std::string language;                    // "zh" or "en": that language's passages and neutral ones
  int k = 5;                               // at most this many passages
  std::vector<std::string> collections{};  // the only collections searched; empty: nothing is found
};

struct KnowledgeHit {
  std::string text;          // a passage
  std::string source;        // document file name
  std::string collection{};  // the document's collection
  std::string heading;       // the passage's section heading
  std::string type;          // the document's type: product, faq, case, comparison (what a customer may hear),
                             // playbook, compliance (guidance for the salesperson); empty when unknown
  double score = 0;          // the search's ranking score (higher is better; scale depends on the search)
  double lexical_score = 0;  // BM25 of the passage's matched text: what relevance thresholds compare
  int page = 0;              // the page of the passage's matching part; 0 when the source has no pages
  int first_page = 0;        // the pages the passage spans; 0 when the source has no pages
  int last_page = 0;
  std::string citation{};  // what to cite: "source", or for a PDF "source, p. 2" / "source, pp. 1-2"
};

// What a customer may hear or know: facts (product, faq, case, comparison),
// not the salesperson's playbooks or compliance rules.
inline bool IsCustomerFacing(const KnowledgeHit& hit) {
  return hit.type == "product" || hit.type == "faq" || hit.type == "case" || hit.type == "comparison";
}

class KnowledgeSearch {
 public:
  virtual ~KnowledgeSearch() = default;
  // The best `query.k` passages of `query.collections`, best first.
  virtual boost::asio::awaitable<core::Result<std::vector<KnowledgeHit>>> Search(KnowledgeQuery query) = 0;
};

}  // namespace salesboost::conversation
