#include "knowledge/index/knowledge_index.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <unordered_set>

#include "core/utf8.hpp"

namespace salesboost::knowledge {

std::uint64_t ChunkKey(std::string_view chunk_id) {
  std::uint64_t key = 0;
  std::from_chars(chunk_id.data(), chunk_id.data() + chunk_id.size(), key, 16);
  return key;
}

std::string DetectLanguage(std::string_view text) {
  std::size_t han = 0;
  std::size_t kana = 0;
  std::size_t latin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = std::max<std::size_t>(1, core::Utf8SequenceLength(text.substr(i)));
    if (n == 3 && c >= 0xE4 && c <= 0xE9) {
      ++han;  // U+4E00..U+9FFF
    } else if (n == 3 && c == 0xE3) {
      // U+3041..U+30FA (hiragana, katakana; not the middle dot U+30FB that Chinese uses too) in the
      // E3 81-83 rows; U+FF66..U+FF9D half-width katakana below.
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      const auto c2 = static_cast<unsigned char>(text[i + 2]);
      const char32_t code = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
      if (code >= 0x3041 && code <= 0x30FA) ++kana;
    } else if (n == 3 && c == 0xEF) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      const auto c2 = static_cast<unsigned char>(text[i + 2]);
      const char32_t code = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
      if (code >= 0xFF66 && code <= 0xFF9D) ++kana;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ++latin;
    }
    i += n;
  }
  // Japanese writes a third or more of its text in kana; a Chinese text has none, so a few in a
  // long text (a quoted name) do not make it Japanese.
  const std::size_t cjk = han + kana;
  if (kana >= 2 && kana * 10 >= cjk && cjk * 5 >= (cjk + latin)) return "ja";
  // A Han character carries about as much as a Latin word of five letters.
  if (han * 5 >= (han + latin)) return han > 0 ? "zh" : (latin > 0 ? "en" : "");
  return latin > 0 ? "en" : "";
}

namespace {

// A child's terms with its headings' counted once more (the section's and
// those above it, up to the document's title): a question that names the
// section ("年费", "Price") or the product ("Lumen") finds it before passages
// that only mention the word. Stored term counts stay as ingested.
TermCounts WithHeading(const TermCounts& terms, const std::vector<std::string>& heading_path) {
  if (heading_path.empty()) return terms;
  std::map<std::string, int> merged(terms.begin(), terms.end());
  for (const auto& heading : heading_path) {
    for (const auto& [term, count] : CountTerms(heading)) merged[term] += count;
  }
  return {merged.begin(), merged.end()};
}

// Whether a passage is nothing but headings (a document's title on its own): no answer to anything.
bool IsOnlyHeadings(std::string_view text) {
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const auto line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const auto first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return false;
  }
  return true;
}

}  // namespace

std::string CitePages(int first, int last) {
  return last > first ? "pp. " + std::to_string(first) + "-" + std::to_string(last) : "p. " + std::to_string(first);
}

void KnowledgeIndex::Put(DocumentInfo document, std::vector<IndexedChunk> parents, std::vector<IndexedChunk> children) {
  std::unique_lock lock(mutex_);
  RemoveLocked(document.id);
  // A removed document's slot is reused, so replacing versions does not grow the table.
  std::uint32_t slot = 0;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(documents_.size());
    documents_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Document entry{.info = std::move(document), .parents = {}, .children = {}, .alive = true};
  for (auto& parent : parents) {
    const auto key = ChunkKey(parent.id);
    entry.parents.push_back(key);
    parents_[key] = Parent{slot, std::move(parent)};
  }
  for (auto& child : children) {
    const auto key = ChunkKey(child.id);
    entry.children.push_back(key);
    sparse_.Add(key, slot, WithHeading(child.terms, child.heading_path));
    children_[key] = Child{slot, ChunkKey(child.parent_id), child.page, std::move(child.text)};
  }
  document_slots_[entry.info.id] = slot;
  documents_[slot] = std::move(entry);
}

void KnowledgeIndex::Remove(const std::string& document_id) {
  std::unique_lock lock(mutex_);
  RemoveLocked(document_id);
}

void KnowledgeIndex::RemoveLocked(const std::string& document_id) {
  const auto found = document_slots_.find(document_id);
  if (found == document_slots_.end()) return;
  Document& document = documents_[found->second];
  for (const auto key : document.children) {
    sparse_.Remove(key);
    if (dense_) dense_->Remove(key);
    children_.erase(key);
  }
  for (const auto key : document.parents) parents_.erase(key);
  document = Document{};
  free_slots_.push_back(found->second);
  document_slots_.erase(found);
}

void KnowledgeIndex::SetDense(std::unique_ptr<VectorIndex> dense) {
  std::unique_lock lock(mutex_);
  dense_ = std::move(dense);
}

VectorIndex* KnowledgeIndex::Dense() const {
  std::shared_lock lock(mutex_);
  return dense_.get();
}

std::vector<std::pair<std::uint64_t, std::string>> KnowledgeIndex::MissingVectors() const {
  std::shared_lock lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& document : documents_) {
    for (const auto key : document.children) {
      if (!dense_ || !dense_->Contains(key)) out.emplace_back(key, children_.at(key).text);
    }
  }
  return out;
}

bool KnowledgeIndex::HasChild(std::uint64_t key) const {
  std::shared_lock lock(mutex_);
  return children_.contains(key);
}

std::vector<char> KnowledgeIndex::AllowedLocked(const SearchQuery& query) const {
  // Which documents pass the filters, decided once per document.
  std::vector<char> allowed(documents_.size(), 0);
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    const auto& d = documents_[i];
    allowed[i] =
        static_cast<char>(d.alive && d.info.tenant_id == query.tenant_id &&
                          (query.collections.empty() || std::find(query.collections.begin(), query.collections.end(),
                                                                  d.info.collection) != query.collections.end()) &&
                          (query.type.empty() || d.info.type == query.type) &&
                          (query.language.empty() || d.info.language.empty() || d.info.language == query.language));
  }
  return allowed;
}

std::vector<SearchHit> KnowledgeIndex::Search(const SearchQuery& query) const { return Fuse(query, Retrieve(query)); }

RankedLists KnowledgeIndex::Retrieve(const SearchQuery& query) const {
  std::shared_lock lock(mutex_);
  const auto allowed = AllowedLocked(query);
  const auto accept = [&](std::uint64_t key) {
    const auto child = children_.find(key);
    return child != children_.end() && allowed[child->second.document] != 0;
  };
  RankedLists lists;
  lists.sparse = sparse_.Search(query.text, query.candidates, &allowed);
  if (dense_ && query.vector && query.dense_weight > 0) {
    lists.dense = dense_->Search(*query.vector, query.candidates, accept);
  }
  return lists;
}

std::vector<SearchHit> KnowledgeIndex::Fuse(const SearchQuery& query, const RankedLists& lists) const {
  std::shared_lock lock(mutex_);
  const auto allowed = AllowedLocked(query);
  const auto accept = [&](std::uint64_t key) {
    const auto child = children_.find(key);
    return child != children_.end() && allowed[child->second.document] != 0;
  };
  struct Fused {
    double score = 0;
    double sparse_score = 0;
    double dense_score = 0;
    int sparse_rank = 0;
    int dense_rank = 0;
  };
  std::unordered_map<std::uint64_t, Fused> fused;
  int rank = 0;
  for (const auto& hit : lists.sparse) {
    if (!accept(hit.key)) continue;
    auto& f = fused[hit.key];
    f.sparse_rank = ++rank;
    f.sparse_score = hit.score;
    f.score += query.sparse_weight / (query.rrf_k + static_cast<double>(rank));
  }
  if (query.dense_weight > 0) {
    rank = 0;
    for (const auto& hit : lists.dense) {
      if (!accept(hit.key)) continue;
      auto& f = fused[hit.key];
      f.dense_rank = ++rank;
      f.dense_score = hit.score;
      f.score += query.dense_weight / (query.rrf_k + static_cast<double>(rank));
    }
  }
  // Best child per parent.
  std::unordered_map<std::uint64_t, std::pair<std::uint64_t, Fused>> by_parent;  // parent -> best child
  for (const auto& [key, f] : fused) {
    const auto parent = children_.at(key).parent;
    auto [it, added] = by_parent.try_emplace(parent, key, f);
    if (!added &&
        (f.score > it->second.second.score || (f.score == it->second.second.score && key < it->second.first))) {
      it->second = {key, f};
    }
  }
  struct Ranked {
    std::uint64_t parent;
    std::uint64_t child;
    Fused fused;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(by_parent.size());
  for (const auto& [parent, best] : by_parent) ranked.push_back({parent, best.first, best.second});
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.fused.score != b.fused.score ? a.fused.score > b.fused.score : a.parent < b.parent;
  });
  std::vector<SearchHit> hits;
  std::unordered_set<std::string_view> seen_texts;
  for (const auto& [key, child, f] : ranked) {
    if (hits.size() >= query.k) break;
    const auto found = parents_.find(key);
    if (found == parents_.end()) continue;
    const auto& parent = found->second;
    if (IsOnlyHeadings(parent.chunk.text) || !seen_texts.insert(parent.chunk.text).second) continue;
    const auto& info = documents_[parent.document].info;
    const int first_page = parent.chunk.page;
    const int last_page = std::max(parent.chunk.page, parent.chunk.page_end);
    const bool paged = info.format == "pdf";
    hits.push_back(
        SearchHit{.chunk_id = parent.chunk.id,
                  .document_id = info.id,
                  .source = info.name,
                  .collection = info.collection,
                  .type = info.type,
                  .heading = parent.chunk.heading_path.empty() ? std::string() : parent.chunk.heading_path.back(),
                  .page = children_.at(child).page,
                  .first_page = first_page,
                  .last_page = last_page,
                  .paged = paged,
                  .citation = paged ? info.name + ", " + CitePages(first_page, last_page) : info.name,
                  .text = parent.chunk.text,
                  .score = f.score,
                  .sparse_score = f.sparse_score,
                  .dense_score = f.dense_score,
                  .sparse_rank = f.sparse_rank,
                  .dense_rank = f.dense_rank});
  }
  return hits;
}

SparseVector KnowledgeIndex::QueryLexicalVector(std::string_view text) const {
  std::shared_lock lock(mutex_);
  return ToSparseVector(sparse_.QueryWeights(text));
}

std::vector<KnowledgeIndex::ChildPoint> KnowledgeIndex::PointsOf(const std::string& document_id) const {
  std::shared_lock lock(mutex_);
  const auto found = document_slots_.find(document_id);
  if (found == document_slots_.end()) return {};
  const auto& document = documents_[found->second];
  std::vector<ChildPoint> out;
  out.reserve(document.children.size());
  for (const auto key : document.children) {
    out.push_back(ChildPoint{.point = VectorPoint{.key = key,
                                                  .tenant_id = document.info.tenant_id,
                                                  .document_id = document.info.id,
                                                  .collection = document.info.collection,
                                                  .type = document.info.type,
                                                  .language = document.info.language,
                                                  .dense = std::nullopt,
                                                  .sparse = ToSparseVector(sparse_.EntryWeights(key))},
                             .text = children_.at(key).text});
  }
  return out;
}

std::vector<std::string> KnowledgeIndex::DocumentIds() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  out.reserve(document_slots_.size());
  for (const auto& [id, slot] : document_slots_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

IndexStats KnowledgeIndex::Stats() const {
  std::shared_lock lock(mutex_);
  return IndexStats{.documents = document_slots_.size(),
                    .parents = parents_.size(),
                    .children = children_.size(),
                    .vectors = dense_ ? dense_->Size() : 0};
}

}  // namespace salesboost::knowledge
