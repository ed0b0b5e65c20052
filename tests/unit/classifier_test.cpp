// The trained classifiers: the model shipped in the binary is the one the
// shipped data trains (same data, same model), and its held-out accuracy is
// what the evaluation file says and at least its threshold.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "brain/builtin_models.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/linear_classifier.hpp"
#include "brain/models.hpp"
#include "core/read_file.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;

std::string ReadSource(const std::string& relative) {
  return core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) + "/" + relative).value_or("");
}

TEST(Classifier, TheShippedSalesModelIsTheOneItsDataTrains) {
  auto examples = ParseLabelledTexts(ReadSource("data/classifier/sales_acts.tsv"));
  ASSERT_TRUE(examples) << examples.error().message;
  std::map<std::string, int> per_label;
  for (const auto& e : *examples) ++per_label[e.label];
  EXPECT_EQ(per_label.size(), 11u);
  for (const auto& [label, count] : per_label) EXPECT_GE(count, 40) << label;

  const auto split = SplitHeldOut(*examples);
  const auto trained = LinearClassifier::Train(split.train, TrainOptions{});
  EXPECT_EQ(trained.Serialize(), ReadSource("data/models/sales_acts.model"))
      << "data/classifier/sales_acts.tsv changed: run `salesboost train-classifier --model sales`";
}

TEST(Classifier, HeldOutAccuracyIsWhatTheEvaluationSaysAndAboveItsThreshold) {
  constexpr double kThreshold = 0.65;  // rules + model on the held-out fifth (docs/benchmarks.md)
  const auto eval = json::parse(ReadSource("data/models/sales_acts.eval.json")).as_object();
  auto model = LoadBuiltinModel("sales");
  ASSERT_TRUE(model) << model.error().message;
  const auto split = SplitHeldOut(*ParseLabelledTexts(ReadSource("data/classifier/sales_acts.tsv")));
  const auto evaluation = Evaluate(*model, split.held_out);
  EXPECT_NEAR(evaluation.accuracy, eval.at("accuracy").as_double(), 1e-9);
  const HybridActClassifier hybrid(std::move(*model));
  int right = 0;
  for (const auto& e : split.held_out) right += hybrid.Classify(e.text, "").label == e.label ? 1 : 0;
  const double accuracy = static_cast<double>(right) / static_cast<double>(split.held_out.size());
  EXPECT_NEAR(accuracy, eval.at("accuracy_with_rules").as_double(), 1e-9);
  EXPECT_GE(accuracy, kThreshold);
}

TEST(Classifier, ABrokenModelIsAClearError) {
  for (const std::string bad : {"", "not json\nxx",
                                R"({"format":"other"})"
                                "\n",
                                R"({"format":"salesboost-linear","version":1,"labels":["a"],"buckets_log2":4})"
                                "\nAAAA\n"}) {
    auto parsed = LinearClassifier::Parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("not a classifier model"), std::string::npos);
  }
  EXPECT_FALSE(LoadBuiltinModel("weather"));
  EXPECT_FALSE(ParseLabelledTexts("label without a tab\n"));
}

}  // namespace
}  // namespace salesboost::brain
