#include "infra/vector/hnsw_vector_index.hpp"

// hnswlib 0.6.2's prefetching reads one link past the end of a full
// neighbour list (a heap overflow under AddressSanitizer); the distance
// kernels and the search loop below are our own, so its SSE paths are not needed.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <mutex>
#include <unordered_set>

#include "infra/vector/dot_kernels.hpp"

namespace salesboost::infra {
namespace {

using Hnsw = hnswlib::HierarchicalNSW<float>;
using hnswlib::tableint;

const FloatDotFn kFloatDot = FloatDotKernel(BestSimdLevel());
const Int8DotFn kInt8Dot = Int8DotKernel(BestSimdLevel());

constexpr std::array<char, 8> kMagic = {'S', 'B', 'H', 'N', 'S', 'W', '\0', '\0'};
constexpr std::size_t kCacheLine = 64;
// Neighbours whose vectors are on their way while one is compared.
constexpr std::size_t kLookahead = 1;

// Where each part of an element's data block lies.
struct Layout {
  std::size_t dimensions = 0;
  VectorEncoding encoding = VectorEncoding::kInt8;

  // int8: codes padded to 4 bytes, their float scale, then the float vector.
  std::size_t CodeBytes() const { return (dimensions + 3) / 4 * 4; }
  std::size_t FloatOffset() const { return encoding == VectorEncoding::kInt8 ? CodeBytes() + sizeof(float) : 0; }
  std::size_t DataBytes() const { return FloatOffset() + dimensions * sizeof(float); }
  // The bytes a graph distance reads.
  std::size_t SearchBytes() const {
    return encoding == VectorEncoding::kInt8 ? CodeBytes() + sizeof(float) : DataBytes();
  }
  const float* Floats(const char* block) const {
    return reinterpret_cast<const float*>(block + FloatOffset());  // NOLINT: a float array inside the block
  }
  // `v` must be of unit length (or zero).
  void Encode(const float* v, char* block) const {
    if (encoding == VectorEncoding::kInt8) {
      std::memset(block, 0, CodeBytes());
      const float scale = QuantizeInt8(v, dimensions, reinterpret_cast<std::int8_t*>(block));
      std::memcpy(block + CodeBytes(), &scale, sizeof scale);
    }
    std::memcpy(block + FloatOffset(), v, dimensions * sizeof(float));
  }
};

float FloatDistance(const void* a, const void* b, const void* param) {
  const auto& layout = *static_cast<const Layout*>(param);
  return 1.0F - kFloatDot(static_cast<const float*>(a), static_cast<const float*>(b), layout.dimensions);
}

float Int8Distance(const void* a, const void* b, const void* param) {
  const auto& layout = *static_cast<const Layout*>(param);
  const auto* ca = static_cast<const char*>(a);
  const auto* cb = static_cast<const char*>(b);
  float scale_a = 0;
  float scale_b = 0;
  std::memcpy(&scale_a, ca + layout.CodeBytes(), sizeof scale_a);
  std::memcpy(&scale_b, cb + layout.CodeBytes(), sizeof scale_b);
  const std::int32_t dot =
      kInt8Dot(reinterpret_cast<const std::int8_t*>(ca), reinterpret_cast<const std::int8_t*>(cb), layout.dimensions);
  return 1.0F - scale_a * scale_b * static_cast<float>(dot);
}

std::string EncodingName(VectorEncoding encoding) { return encoding == VectorEncoding::kInt8 ? "int8" : "float32"; }

template <typename T>
void WritePod(std::ostream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
void ReadPod(std::istream& in, T& value) {
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  if (!in) throw std::runtime_error("the file ends early");
}

void PrefetchBytes(const char* p, std::size_t bytes) {
  for (std::size_t offset = 0; offset < bytes; offset += kCacheLine) __builtin_prefetch(p + offset, 0, 3);
}

struct Candidate {
  float distance;
  tableint id;
  bool operator<(const Candidate& other) const { return distance < other.distance; }
  bool operator>(const Candidate& other) const { return distance > other.distance; }
};

}  // namespace

float Dot(const float* a, const float* b, std::size_t n) { return kFloatDot(a, b, n); }

void Normalize(std::vector<float>& v) {
  const float norm = std::sqrt(Dot(v.data(), v.data(), v.size()));
  if (norm > 0) {
    for (auto& x : v) x /= norm;
  }
}

class HnswVectorIndex::Space final : public hnswlib::SpaceInterface<float> {
 public:
  explicit Space(Layout layout) : layout_(layout) {}
  size_t get_data_size() override { return layout_.DataBytes(); }
  hnswlib::DISTFUNC<float> get_dist_func() override {
    return layout_.encoding == VectorEncoding::kInt8 ? &Int8Distance : &FloatDistance;
  }
  void* get_dist_func_param() override { return &layout_; }
  const Layout& layout() const { return layout_; }

 private:
  Layout layout_;
};

struct HnswVectorIndex::Graph {
  std::unique_ptr<Hnsw> hnsw;
  std::unordered_set<std::uint64_t> keys;  // live entries

  // The `ef` nearest entries to `query` (a data block) by graph distance, nearest first.
  std::vector<Candidate> Nearest(const char* query, std::size_t ef, std::size_t prefetch_bytes) const;
};

std::vector<Candidate> HnswVectorIndex::Graph::Nearest(const char* query, std::size_t ef,
                                                       std::size_t prefetch_bytes) const {
  const Hnsw& h = *hnsw;
  const auto distance = [&](tableint id) {
    return h.fstdistfunc_(query, h.getDataByInternalId(id), h.dist_func_param_);
  };
  tableint current = h.enterpoint_node_;
  float current_distance = distance(current);
  for (int level = h.maxlevel_; level > 0; --level) {
    for (bool changed = true; changed;) {
      changed = false;
      const hnswlib::linklistsizeint* list = h.get_linklist(current, level);
      const std::size_t size = h.getListCount(const_cast<hnswlib::linklistsizeint*>(list));
      for (std::size_t i = 1; i <= size; ++i) {
        const float d = distance(list[i]);
        if (d < current_distance) {
          current_distance = d;
          current = list[i];
          changed = true;
        }
      }
    }
  }

  // Level 0: a beam of `ef`. Each node's unvisited neighbours are gathered
  // first, so the next one's vector is on its way while this one is compared.
  hnswlib::VisitedList* visited_list = h.visited_list_pool_->getFreeVisitedList();
  hnswlib::vl_type* visited = visited_list->mass;
  const hnswlib::vl_type tag = visited_list->curV;
  const bool has_deletions = h.num_deleted_ > 0;
  std::vector<Candidate> best;      // max-heap on distance, at most ef
  std::vector<Candidate> frontier;  // min-heap on distance
  best.reserve(ef + 1);
  frontier.reserve(ef * 2);
  float bound = std::numeric_limits<float>::max();
  if (!has_deletions || !h.isMarkedDeleted(current)) {
    bound = current_distance;
    best.push_back({current_distance, current});
  }
  frontier.push_back({current_distance, current});
  visited[current] = tag;
  std::vector<tableint> fresh(h.maxM0_);
  while (!frontier.empty()) {
    const Candidate next = frontier.front();
    if (next.distance > bound && (best.size() >= ef || !has_deletions)) break;
    std::pop_heap(frontier.begin(), frontier.end(), std::greater<>());
    frontier.pop_back();
    const hnswlib::linklistsizeint* list = h.get_linklist0(next.id);
    const std::size_t size =
        std::min<std::size_t>(h.getListCount(const_cast<hnswlib::linklistsizeint*>(list)), fresh.size());
    std::size_t count = 0;
    for (std::size_t j = 1; j <= size; ++j) {
      const tableint id = list[j];
      if (visited[id] == tag) continue;
      visited[id] = tag;
      fresh[count++] = id;
    }
    for (std::size_t j = 0; j < std::min(count, kLookahead); ++j) {
      PrefetchBytes(h.getDataByInternalId(fresh[j]), prefetch_bytes);
    }
    for (std::size_t j = 0; j < count; ++j) {
      if (j + kLookahead < count) PrefetchBytes(h.getDataByInternalId(fresh[j + kLookahead]), prefetch_bytes);
      const tableint id = fresh[j];
      const float d = distance(id);
      if (best.size() < ef || d < bound) {
        frontier.push_back({d, id});
        std::push_heap(frontier.begin(), frontier.end(), std::greater<>());
        if (!has_deletions || !h.isMarkedDeleted(id)) {
          best.push_back({d, id});
          std::push_heap(best.begin(), best.end());
          if (best.size() > ef) {
            std::pop_heap(best.begin(), best.end());
            best.pop_back();
          }
        }
        if (!best.empty()) bound = best.front().distance;
      }
    }
  }
  h.visited_list_pool_->releaseVisitedList(visited_list);
  std::sort_heap(best.begin(), best.end());
  return best;
}

HnswVectorIndex::HnswVectorIndex(HnswOptions options)
    : options_(options),
      space_(std::make_unique<Space>(Layout{.dimensions = options.dimensions, .encoding = options.encoding})),
      graph_(std::make_unique<Graph>()) {
  graph_->hnsw = std::make_unique<Hnsw>(space_.get(), 1024, options_.m, options_.ef_construction);
}

void HnswVectorIndex::SetEf(std::size_t ef) {
  std::unique_lock lock(mutex_);
  options_.ef_search = ef;
}

void HnswVectorIndex::SetRerank(std::size_t rerank) {
  std::unique_lock lock(mutex_);
  options_.rerank = rerank;
}

HnswVectorIndex::~HnswVectorIndex() = default;

std::size_t HnswVectorIndex::Size() const {
  std::shared_lock lock(mutex_);
  return graph_->keys.size();
}

std::size_t HnswVectorIndex::M() const {
  std::shared_lock lock(mutex_);
  return graph_->hnsw->M_;
}

bool HnswVectorIndex::Contains(std::uint64_t key) const {
  std::shared_lock lock(mutex_);
  return graph_->keys.contains(key);
}

std::vector<std::uint64_t> HnswVectorIndex::Keys() const {
  std::shared_lock lock(mutex_);
  return {graph_->keys.begin(), graph_->keys.end()};
}

core::Result<void> HnswVectorIndex::Add(std::uint64_t key, std::vector<float> vector) {
  if (vector.size() != options_.dimensions) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "embedding has " + std::to_string(vector.size()) +
                                                             " dimensions, the index " +
                                                             std::to_string(options_.dimensions));
  }
  Normalize(vector);
  std::vector<char> block(space_->layout().DataBytes());
  space_->layout().Encode(vector.data(), block.data());
  std::unique_lock lock(mutex_);
  auto& hnsw = *graph_->hnsw;
  try {
    if (hnsw.cur_element_count >= hnsw.max_elements_) hnsw.resizeIndex(hnsw.max_elements_ * 2);
    hnsw.addPoint(block.data(), key);
  } catch (const std::exception& e) {
    return core::Fail(core::ErrorCode::kInternal, std::string("dense index: ") + e.what());
  }
  graph_->keys.insert(key);
  return core::Ok();
}

void HnswVectorIndex::Remove(std::uint64_t key) {
  std::unique_lock lock(mutex_);
  if (graph_->keys.erase(key) == 0) return;
  try {
    graph_->hnsw->markDelete(key);
  } catch (const std::exception&) {
    // Not in the graph: nothing to hide.
  }
}

std::vector<knowledge::ScoredKey> HnswVectorIndex::Search(std::vector<float> query, std::size_t k,
                                                          const std::function<bool(std::uint64_t)>& accept) const {
  if (query.size() != options_.dimensions || k == 0) return {};
  Normalize(query);
  const Layout& layout = space_->layout();
  std::vector<char> block(layout.DataBytes());
  layout.Encode(query.data(), block.data());
  std::shared_lock lock(mutex_);
  if (graph_->keys.empty()) return {};
  const Hnsw& hnsw = *graph_->hnsw;
  std::vector<knowledge::ScoredKey> hits;
  std::size_t want = k;
  // Filtered-out entries are skipped; ask for more until `k` pass or the graph is exhausted.
  while (true) {
    const auto nearest = graph_->Nearest(block.data(), std::max(options_.ef_search, want), layout.SearchBytes());
    std::vector<knowledge::ScoredKey> all;
    if (layout.encoding == VectorEncoding::kInt8) {
      // The codes chose the candidates; the floats order the best of them.
      const std::size_t depth =
          std::min(nearest.size(), options_.rerank == 0 ? nearest.size() : std::max(options_.rerank, want));
      all.reserve(depth);
      for (std::size_t i = 0; i < depth; ++i) {
        if (i + 1 < depth) {
          PrefetchBytes(reinterpret_cast<const char*>(layout.Floats(hnsw.getDataByInternalId(nearest[i + 1].id))),
                        layout.dimensions * sizeof(float));
        }
        const float* floats = layout.Floats(hnsw.getDataByInternalId(nearest[i].id));
        all.push_back({hnsw.getExternalLabel(nearest[i].id), kFloatDot(query.data(), floats, layout.dimensions)});
      }
    } else {
      all.reserve(nearest.size());
      for (const auto& c : nearest) all.push_back({hnsw.getExternalLabel(c.id), 1.0 - c.distance});
    }
    // Best first; equal similarities (the same text twice) by key, so the order does not depend on the graph.
    std::sort(all.begin(), all.end(), [](const knowledge::ScoredKey& a, const knowledge::ScoredKey& b) {
      return a.score != b.score ? a.score > b.score : a.key < b.key;
    });
    hits.clear();
    for (const auto& hit : all) {
      if (!accept || accept(hit.key)) hits.push_back(hit);
    }
    if (hits.size() >= k || want >= graph_->keys.size()) break;
    want *= 4;
  }
  if (hits.size() > k) hits.resize(k);
  return hits;
}

core::Result<void> HnswVectorIndex::Save(const std::filesystem::path& file) const {
  std::shared_lock lock(mutex_);
  const auto tmp = file.string() + ".tmp";
  {
    const Hnsw& h = *graph_->hnsw;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(kMagic.data(), kMagic.size());
    WritePod(out, kFormat);
    WritePod(out, static_cast<std::uint32_t>(options_.encoding == VectorEncoding::kInt8 ? 1 : 0));
    WritePod(out, static_cast<std::uint64_t>(options_.dimensions));
    // hnswlib 0.6.2's saveIndex, field for field.
    WritePod(out, h.offsetLevel0_);
    WritePod(out, h.max_elements_);
    WritePod(out, h.cur_element_count);
    WritePod(out, h.size_data_per_element_);
    WritePod(out, h.label_offset_);
    WritePod(out, h.offsetData_);
    WritePod(out, h.maxlevel_);
    WritePod(out, h.enterpoint_node_);
    WritePod(out, h.maxM_);
    WritePod(out, h.maxM0_);
    WritePod(out, h.M_);
    WritePod(out, h.mult_);
    WritePod(out, h.ef_construction_);
    out.write(h.data_level0_memory_, static_cast<std::streamsize>(h.cur_element_count * h.size_data_per_element_));
    for (std::size_t i = 0; i < h.cur_element_count; ++i) {
      const auto level = static_cast<std::size_t>(h.element_levels_[i]);
      const auto bytes = static_cast<unsigned int>(level > 0 ? h.size_links_per_element_ * level : 0);
      WritePod(out, bytes);
      if (bytes > 0) out.write(h.linkLists_[i], bytes);
    }
    out.flush();
    if (!out) return core::Fail(core::ErrorCode::kUnavailable, "cannot save the dense index: write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return core::Fail(core::ErrorCode::kUnavailable, "cannot save the dense index: " + ec.message());
  return core::Ok();
}

namespace {

// hnswlib 0.6.2's layout (all of a format-1 file, the rest of a format-2 one
// after its header) read from `in` into a graph on `space`; `file_size`
// bounds what the header may claim before anything is allocated.
std::unique_ptr<Hnsw> ReadGraph(std::istream& in, std::uintmax_t file_size, hnswlib::SpaceInterface<float>& space) {
  std::size_t offset_level0 = 0;
  std::size_t max_elements = 0;
  std::size_t count = 0;
  std::size_t size_per_element = 0;
  std::size_t label_offset = 0;
  std::size_t offset_data = 0;
  int max_level = 0;
  tableint entry = 0;
  std::size_t max_m = 0;
  std::size_t max_m0 = 0;
  std::size_t m = 0;
  double mult = 0;
  std::size_t ef_construction = 0;
  ReadPod(in, offset_level0);
  ReadPod(in, max_elements);
  ReadPod(in, count);
  ReadPod(in, size_per_element);
  ReadPod(in, label_offset);
  ReadPod(in, offset_data);
  ReadPod(in, max_level);
  ReadPod(in, entry);
  ReadPod(in, max_m);
  ReadPod(in, max_m0);
  ReadPod(in, m);
  ReadPod(in, mult);
  ReadPod(in, ef_construction);
  if (m == 0 || m > 10'000 || max_m != m || max_m0 != 2 * m) throw std::runtime_error("bad graph parameters");
  const std::size_t expected_per_element =
      sizeof(hnswlib::linklistsizeint) + max_m0 * sizeof(tableint) + space.get_data_size() + sizeof(hnswlib::labeltype);
  if (size_per_element != expected_per_element) throw std::runtime_error("its vectors are not of the expected size");
  if (count > file_size / size_per_element) throw std::runtime_error("the file ends early");
  auto h = std::make_unique<Hnsw>(&space, std::max<std::size_t>(count, 1), m, ef_construction);
  if (h->size_data_per_element_ != size_per_element || h->offsetData_ != offset_data ||
      h->label_offset_ != label_offset || offset_level0 != 0) {
    throw std::runtime_error("its vectors are not of the expected size");
  }
  in.read(h->data_level0_memory_, static_cast<std::streamsize>(count * size_per_element));
  if (!in) throw std::runtime_error("the file ends early");
  for (std::size_t i = 0; i < count; ++i) {
    unsigned int bytes = 0;
    ReadPod(in, bytes);
    const auto id = static_cast<tableint>(i);
    if (bytes % h->size_links_per_element_ != 0) throw std::runtime_error("bad link list");
    h->element_levels_[i] = static_cast<int>(bytes / h->size_links_per_element_);
    h->linkLists_[i] = nullptr;
    if (bytes > 0) {
      h->linkLists_[i] = static_cast<char*>(std::malloc(bytes));  // NOLINT: hnswlib frees it
      if (h->linkLists_[i] == nullptr) throw std::runtime_error("out of memory");
      h->cur_element_count = i + 1;  // its destructor frees the lists of the first cur_element_count
      in.read(h->linkLists_[i], bytes);
      if (!in) throw std::runtime_error("the file ends early");
    }
    h->cur_element_count = i + 1;
    h->label_lookup_[h->getExternalLabel(id)] = id;
    if (h->isMarkedDeleted(id)) ++h->num_deleted_;
  }
  if (in.peek() != std::char_traits<char>::eof()) throw std::runtime_error("trailing bytes");
  if (count > 0 && entry >= count) throw std::runtime_error("bad entry point");
  h->maxlevel_ = count > 0 ? max_level : -1;
  h->enterpoint_node_ = count > 0 ? entry : static_cast<tableint>(-1);
  return h;
}

// The same graph on `to`: links, labels and deletions copied, each vector re-encoded.
std::unique_ptr<Hnsw> Reencode(const Hnsw& from, const Layout& from_layout, hnswlib::SpaceInterface<float>& to_space,
                               const Layout& to_layout) {
  const std::size_t count = from.cur_element_count;
  auto h = std::make_unique<Hnsw>(&to_space, std::max<std::size_t>(count, 1), from.M_, from.ef_construction_);
  for (std::size_t i = 0; i < count; ++i) {
    const auto id = static_cast<tableint>(i);
    std::memcpy(h->get_linklist0(id), from.get_linklist0(id), h->size_links_level0_);
    to_layout.Encode(from_layout.Floats(from.getDataByInternalId(id)), h->getDataByInternalId(id));
    h->setExternalLabel(id, from.getExternalLabel(id));
    const int level = from.element_levels_[i];
    h->element_levels_[i] = 0;
    h->linkLists_[i] = nullptr;
    if (level > 0) {
      const std::size_t bytes = h->size_links_per_element_ * static_cast<std::size_t>(level);
      h->linkLists_[i] = static_cast<char*>(std::malloc(bytes));  // NOLINT: hnswlib frees it
      if (h->linkLists_[i] == nullptr) throw std::runtime_error("out of memory");
      std::memcpy(h->linkLists_[i], from.linkLists_[i], bytes);
      h->element_levels_[i] = level;
    }
    h->cur_element_count = i + 1;
    h->label_lookup_[from.getExternalLabel(id)] = id;
  }
  h->num_deleted_ = from.num_deleted_;
  h->maxlevel_ = from.maxlevel_;
  h->enterpoint_node_ = from.enterpoint_node_;
  return h;
}

}  // namespace

core::Result<std::unique_ptr<HnswVectorIndex>> HnswVectorIndex::Load(const std::filesystem::path& file,
                                                                     HnswOptions options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return core::Fail(core::ErrorCode::kNotFound, "no dense index at " + file.string());
  }
  auto index = std::make_unique<HnswVectorIndex>(options);
  const auto fail = [&file](const std::string& why) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "cannot load the dense index " + file.string() + ": " + why);
  };
  try {
    const std::uintmax_t file_size = std::filesystem::file_size(file);
    std::ifstream in(file, std::ios::binary);
    std::array<char, kMagic.size()> magic{};
    in.read(magic.data(), magic.size());
    std::uint32_t format = 1;
    auto encoding = VectorEncoding::kFloat32;
    std::unique_ptr<Hnsw> graph;
    Layout layout{.dimensions = options.dimensions, .encoding = encoding};
    std::unique_ptr<Space> space;
    if (in && magic == kMagic) {
      std::uint32_t code = 0;
      std::uint64_t dimensions = 0;
      ReadPod(in, format);
      ReadPod(in, code);
      ReadPod(in, dimensions);
      if (format != kFormat) return fail("format " + std::to_string(format) + " is not known to this version");
      if (code > 1) return fail("unknown vector encoding " + std::to_string(code));
      if (dimensions != options.dimensions) {
        return fail(std::to_string(dimensions) + " dimensions, expected " + std::to_string(options.dimensions));
      }
      layout.encoding = code == 1 ? VectorEncoding::kInt8 : VectorEncoding::kFloat32;
      space = std::make_unique<Space>(layout);
      graph = ReadGraph(in, file_size, *space);
    } else {
      // Format 1: hnswlib's own file of float32 vectors.
      in.clear();
      in.seekg(0);
      space = std::make_unique<Space>(layout);
      graph = ReadGraph(in, file_size, *space);
    }
    if (layout.encoding == options.encoding) {
      // The file's space is the index's own (same layout): keep the graph, drop the spare space.
      graph->dist_func_param_ = index->space_->get_dist_func_param();
      graph->fstdistfunc_ = index->space_->get_dist_func();
      index->graph_->hnsw = std::move(graph);
    } else {
      index->graph_->hnsw = Reencode(*graph, layout, *index->space_, index->space_->layout());
    }
    if (format != kFormat || layout.encoding != options.encoding) {
      index->converted_ = "format " + std::to_string(format) + " " + EncodingName(layout.encoding) + " to format " +
                          std::to_string(kFormat) + " " + EncodingName(options.encoding);
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  auto& hnsw = *index->graph_->hnsw;
  for (std::size_t i = 0; i < hnsw.cur_element_count; ++i) {
    if (!hnsw.isMarkedDeleted(static_cast<tableint>(i))) {
      index->graph_->keys.insert(hnsw.getExternalLabel(static_cast<tableint>(i)));
    }
  }
  return index;
}

}  // namespace salesboost::infra
