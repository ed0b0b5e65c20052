// HnswVectorIndex on both encodings: recall against exact search, exact
// re-ranked scores, save and load, and the conversion of format-1 files
// (hnswlib's own, float32) and of the other encoding.
#include "infra/vector/hnsw_vector_index.hpp"

#include <gtest/gtest.h>

// As in the index's own translation unit (one definition of hnswlib's templates).
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using salesboost::infra::Dot;
using salesboost::infra::HnswOptions;
using salesboost::infra::HnswVectorIndex;
using salesboost::infra::Normalize;
using salesboost::infra::VectorEncoding;

constexpr std::size_t kDims = 48;

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("salesboost-hnsw-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<float> RandomVector(std::mt19937& random, std::size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  for (auto& x : v) x = normal(random);
  Normalize(v);
  return v;
}

HnswOptions Options(VectorEncoding encoding, std::size_t rerank = 0) {
  return {
      .dimensions = kDims, .m = 16, .ef_construction = 200, .ef_search = 64, .encoding = encoding, .rerank = rerank};
}

std::vector<std::vector<float>> Vectors(std::size_t count, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<std::vector<float>> vectors;
  vectors.reserve(count);
  for (std::size_t i = 0; i < count; ++i) vectors.push_back(RandomVector(random, kDims));
  return vectors;
}

// recall@10 of `index` (keys i + 1) against exact search over `vectors`.
double Recall(const HnswVectorIndex& index, const std::vector<std::vector<float>>& vectors) {
  std::mt19937 random(99);
  std::size_t found = 0;
  constexpr int kQueries = 100;
  for (int q = 0; q < kQueries; ++q) {
    const auto query = RandomVector(random, kDims);
    std::vector<std::pair<float, std::uint64_t>> exact;
    exact.reserve(vectors.size());
    for (std::size_t i = 0; i < vectors.size(); ++i)
      exact.emplace_back(-Dot(query.data(), vectors[i].data(), kDims), i + 1);
    std::partial_sort(exact.begin(), exact.begin() + 10, exact.end());
    std::set<std::uint64_t> truth;
    for (std::size_t i = 0; i < 10; ++i) truth.insert(exact[i].second);
    for (const auto& hit : index.Search(query, 10, {})) found += truth.count(hit.key);
  }
  return static_cast<double>(found) / (kQueries * 10.0);
}

void Fill(HnswVectorIndex& index, const std::vector<std::vector<float>>& vectors) {
  for (std::size_t i = 0; i < vectors.size(); ++i) ASSERT_TRUE(index.Add(i + 1, vectors[i]));
}

class DenseIndexEncoding : public ::testing::TestWithParam<VectorEncoding> {};

TEST_P(DenseIndexEncoding, FindsWhatExactSearchFinds) {
  const auto vectors = Vectors(3000, 7);
  HnswVectorIndex index(Options(GetParam()));
  Fill(index, vectors);
  EXPECT_EQ(index.Size(), vectors.size());
  EXPECT_GE(Recall(index, vectors), 0.95);
}

TEST_P(DenseIndexEncoding, ScoresAreExactInnerProductsBestFirst) {
  const auto vectors = Vectors(1000, 8);
  HnswVectorIndex index(Options(GetParam()));
  Fill(index, vectors);
  std::mt19937 random(5);
  const auto query = RandomVector(random, kDims);
  const auto hits = index.Search(query, 20, {});
  ASSERT_EQ(hits.size(), 20u);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    EXPECT_NEAR(hits[i].score, Dot(query.data(), vectors[hits[i].key - 1].data(), kDims), 1e-5);
    if (i > 0) {
      EXPECT_GE(hits[i - 1].score, hits[i].score);
    }
  }
}

TEST_P(DenseIndexEncoding, RemovedAndFilteredEntriesAreNotReturned) {
  const auto vectors = Vectors(500, 9);
  HnswVectorIndex index(Options(GetParam()));
  Fill(index, vectors);
  EXPECT_FALSE(index.Add(99999, std::vector<float>(3, 1.0F)));  // wrong size
  EXPECT_EQ(index.Search(vectors[41], 1, {}).at(0).key, 42u);
  index.Remove(42);
  EXPECT_FALSE(index.Contains(42));
  EXPECT_NE(index.Search(vectors[41], 1, {}).at(0).key, 42u);
  const auto odd = index.Search(vectors[41], 5, [](std::uint64_t key) { return key % 2 == 1; });
  ASSERT_EQ(odd.size(), 5u);
  for (const auto& hit : odd) EXPECT_EQ(hit.key % 2, 1u);
}

TEST_P(DenseIndexEncoding, SaveAndLoadKeepEveryVectorAndTheResults) {
  const auto vectors = Vectors(800, 10);
  HnswVectorIndex index(Options(GetParam()));
  Fill(index, vectors);
  index.Remove(5);
  ScratchDir dir;
  ASSERT_TRUE(index.Save(dir.path() / "dense.hnsw"));
  auto loaded = HnswVectorIndex::Load(dir.path() / "dense.hnsw", Options(GetParam()));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE((*loaded)->Converted().empty());
  EXPECT_EQ((*loaded)->Size(), vectors.size() - 1);
  EXPECT_FALSE((*loaded)->Contains(5));
  std::mt19937 random(3);
  for (int q = 0; q < 20; ++q) {
    const auto query = RandomVector(random, kDims);
    const auto before = index.Search(query, 10, {});
    const auto after = (*loaded)->Search(query, 10, {});
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      EXPECT_EQ(before[i].key, after[i].key);
      EXPECT_FLOAT_EQ(static_cast<float>(before[i].score), static_cast<float>(after[i].score));
    }
  }
  // A loaded graph keeps growing.
  ASSERT_TRUE((*loaded)->Add(5000, vectors[4]));
  EXPECT_EQ((*loaded)->Search(vectors[4], 1, {}).at(0).key, 5000u);
}

INSTANTIATE_TEST_SUITE_P(Encodings, DenseIndexEncoding,
                         ::testing::Values(VectorEncoding::kFloat32, VectorEncoding::kInt8),
                         [](const auto& param_info) {
                           return param_info.param == VectorEncoding::kInt8 ? "Int8" : "Float32";
                         });

TEST(DenseIndex, ShallowRerankStillFindsMostNeighbours) {
  const auto vectors = Vectors(3000, 7);
  HnswVectorIndex index(Options(VectorEncoding::kInt8, 10));
  Fill(index, vectors);
  EXPECT_GE(Recall(index, vectors), 0.9);
}

// Each stored vector's nearest neighbour is itself, at similarity 1.
void ExpectEveryVectorFindsItself(const HnswVectorIndex& index, const std::vector<std::vector<float>>& vectors) {
  ASSERT_EQ(index.Size(), vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const auto hits = index.Search(vectors[i], 1, {});
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].key, i + 1);
    EXPECT_NEAR(hits[0].score, 1.0, 1e-5);
  }
}

// A file as written before format 2: hnswlib's own saveIndex of float32 vectors.
TEST(DenseIndex, LoadsAFormatOneFileIntoEitherEncoding) {
  const auto vectors = Vectors(600, 11);
  ScratchDir dir;
  const auto file = dir.path() / "old.hnsw";
  {
    hnswlib::InnerProductSpace space(kDims);
    hnswlib::HierarchicalNSW<float> old(&space, vectors.size(), 16, 200);
    for (std::size_t i = 0; i < vectors.size(); ++i) old.addPoint(vectors[i].data(), i + 1);
    old.saveIndex(file.string());
  }
  for (const auto encoding : {VectorEncoding::kInt8, VectorEncoding::kFloat32}) {
    auto loaded = HnswVectorIndex::Load(file, Options(encoding));
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ((*loaded)->Converted(),
              std::string("format 1 float32 to format 2 ") + (encoding == VectorEncoding::kInt8 ? "int8" : "float32"));
    EXPECT_EQ((*loaded)->M(), 16u);
    ExpectEveryVectorFindsItself(**loaded, vectors);
    EXPECT_GE(Recall(**loaded, vectors), 0.95);
    // Saved again, it is format 2 and loads as is.
    ASSERT_TRUE((*loaded)->Save(dir.path() / "new.hnsw"));
    auto again = HnswVectorIndex::Load(dir.path() / "new.hnsw", Options(encoding));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE((*again)->Converted().empty());
    ExpectEveryVectorFindsItself(**again, vectors);
  }
  // The wrong dimensions are refused, not misread.
  auto wrong = HnswVectorIndex::Load(file, {.dimensions = kDims * 2,
                                            .m = 16,
                                            .ef_construction = 200,
                                            .ef_search = 64,
                                            .encoding = VectorEncoding::kInt8,
                                            .rerank = 0});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, salesboost::core::ErrorCode::kInvalidArgument);
}

TEST(DenseIndex, ConvertsBetweenEncodingsKeepingTheGraph) {
  const auto vectors = Vectors(500, 12);
  ScratchDir dir;
  for (const auto from : {VectorEncoding::kInt8, VectorEncoding::kFloat32}) {
    const auto to = from == VectorEncoding::kInt8 ? VectorEncoding::kFloat32 : VectorEncoding::kInt8;
    HnswVectorIndex index(Options(from, 0));
    Fill(index, vectors);
    index.Remove(7);
    ASSERT_TRUE(index.Save(dir.path() / "dense.hnsw"));
    auto loaded = HnswVectorIndex::Load(dir.path() / "dense.hnsw", Options(to));
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_FALSE((*loaded)->Converted().empty());
    EXPECT_EQ((*loaded)->Size(), vectors.size() - 1);
    EXPECT_FALSE((*loaded)->Contains(7));
    EXPECT_NE((*loaded)->Search(vectors[6], 1, {}).at(0).key, 7u);
    EXPECT_EQ((*loaded)->Search(vectors[8], 1, {}).at(0).key, 9u);
  }
}

TEST(DenseIndex, DamagedOrForeignFilesAreRefused) {
  const auto vectors = Vectors(200, 13);
  ScratchDir dir;
  HnswVectorIndex index(Options(VectorEncoding::kInt8));
  Fill(index, vectors);
  const auto file = dir.path() / "dense.hnsw";
  ASSERT_TRUE(index.Save(file));
  const auto missing = HnswVectorIndex::Load(dir.path() / "missing.hnsw", Options(VectorEncoding::kInt8));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, salesboost::core::ErrorCode::kNotFound);
  // Other dimensions.
  auto other = Options(VectorEncoding::kInt8);
  other.dimensions = kDims + 1;
  EXPECT_FALSE(HnswVectorIndex::Load(file, other));
  // Cut short.
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto write = [&](const std::string& content) {
    std::ofstream out(dir.path() / "bad.hnsw", std::ios::binary | std::ios::trunc);
    out << content;
  };
  write(bytes.substr(0, bytes.size() / 2));
  auto cut = HnswVectorIndex::Load(dir.path() / "bad.hnsw", Options(VectorEncoding::kInt8));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, salesboost::core::ErrorCode::kInvalidArgument);
  // A format from a later version.
  std::string later = bytes;
  later[8] = 3;
  write(later);
  EXPECT_FALSE(HnswVectorIndex::Load(dir.path() / "bad.hnsw", Options(VectorEncoding::kInt8)));
  // Not an index at all.
  write("hello");
  EXPECT_FALSE(HnswVectorIndex::Load(dir.path() / "bad.hnsw", Options(VectorEncoding::kInt8)));
}

}  // namespace
