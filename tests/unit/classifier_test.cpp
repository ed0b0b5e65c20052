// The trained classifiers: the model shipped in the binary is the one the
// shipped data trains (same data, same model); the accuracies on the held-out
// template groups and on the independent set are what the evaluation file
// says and at least their thresholds; the cue rule data files load, and a
// malformed one is a clear error.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>
#include <map>
#include <set>

#include "brain/builtin_cues.hpp"
#include "brain/builtin_models.hpp"
#include "brain/cue_rules.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/intent_classifier.hpp"
#include "brain/linear_classifier.hpp"
#include "brain/models.hpp"
#include "core/read_file.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;

std::string ReadSource(const std::string& relative) {
  return core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) + "/" + relative).value_or("");
}

struct ShippedModel {
  std::string model;  // sales | customer
  std::string file;   // under data/
  std::size_t labels;
  double threshold;              // held-out accuracy of what turns use (docs/benchmarks.md)
  double independent_threshold;  // the same on data/classifier/<file>.independent.tsv
  std::function<std::string(const LinearClassifier&, std::string_view)> classify;
};

std::vector<ShippedModel> ShippedModels() {
  return {
      {"sales", "sales_acts", 11, 0.64, 0.80,
       [](const LinearClassifier& model, std::string_view text) {
         return HybridActClassifier(model).Classify(text, "").label;
       }},
      {"customer", "customer_intents", 15, 0.78, 0.79,
       [](const LinearClassifier& model, std::string_view text) {
         return IntentClassifier(model).Classify(text).label;
       }},
  };
}

// One training per model (they are slow under the sanitizers): the shipped
// model is the one its data trains, and the model trained without the
// held-out groups scores on them what the evaluation file says.
TEST(Classifier, EachShippedModelIsTheOneItsDataTrainsAndScoresWhatItsEvaluationSays) {
  for (const auto& shipped : ShippedModels()) {
    SCOPED_TRACE(shipped.model);
    auto examples = ParseLabelledTexts(ReadSource("data/classifier/" + shipped.file + ".tsv"));
    ASSERT_TRUE(examples) << examples.error().message;
    std::map<std::string, int> per_label;
    for (const auto& e : *examples) ++per_label[e.label];
    EXPECT_EQ(per_label.size(), shipped.labels) << shipped.model;
    for (const auto& [label, count] : per_label) EXPECT_GE(count, 40) << label;

    const auto training = TrainBuiltinModel(shipped.model, *examples);
    EXPECT_EQ(training.shipped.Serialize(), ReadSource("data/models/" + shipped.file + ".model"))
        << "data/classifier/" << shipped.file << ".tsv changed: run `salesboost train-classifier --model "
        << shipped.model << "`";

    const auto eval = json::parse(ReadSource("data/models/" + shipped.file + ".eval.json")).as_object();
    const auto& held_out = training.split.held_out;
    EXPECT_NEAR(Evaluate(training.evaluated, held_out).accuracy, eval.at("accuracy").as_double(), 1e-9);
    int right = 0;
    for (const auto& e : held_out) right += shipped.classify(training.evaluated, e.text) == e.label ? 1 : 0;
    const double accuracy = static_cast<double>(right) / static_cast<double>(held_out.size());
    EXPECT_NEAR(accuracy, eval.at("accuracy_with_rules").as_double(), 1e-9);
    EXPECT_GE(accuracy, shipped.threshold);
    EXPECT_NEAR(training.evaluated.temperature(), eval.at("temperature").as_double(), 1e-9);
    // No idea is both trained and held out.
    std::set<std::string> trained_groups;
    for (const auto& e : training.split.train) trained_groups.insert(e.group);
    for (const auto& e : held_out) EXPECT_EQ(trained_groups.count(e.group), 0u) << e.group;
  }
}

TEST(Classifier, TheShippedModelsScoreWhatTheEvaluationSaysOnTheIndependentSet) {
  for (const auto& shipped : ShippedModels()) {
    SCOPED_TRACE(shipped.model);
    const auto eval = json::parse(ReadSource("data/models/" + shipped.file + ".eval.json")).as_object();
    auto model = LoadBuiltinModel(shipped.model);
    ASSERT_TRUE(model) << model.error().message;
    // Written apart from the training data and never trained on.
    const auto independent = ParseLabelledTexts(ReadSource("data/classifier/" + shipped.file + ".independent.tsv"));
    ASSERT_TRUE(independent) << independent.error().message;
    ASSERT_GE(independent->size(), 100u);
    const auto scored = Evaluate([&](std::string_view text) { return shipped.classify(*model, text); }, *independent);
    EXPECT_NEAR(scored.accuracy, eval.at("independent").at("accuracy_with_rules").as_double(), 1e-9);
    EXPECT_GE(scored.accuracy, shipped.independent_threshold);
    // Per-label precision and recall are in the file, for every label.
    EXPECT_EQ(eval.at("per_label").as_object().size(), shipped.labels);
    EXPECT_EQ(eval.at("independent").at("per_label").as_object().size(), shipped.labels);
  }
}

TEST(Classifier, HeldOutGroupsNeverShareAnIdeaWithTraining) {
  const auto examples = ParseLabelledTexts("b\tloose line\n# group: a/1\na\tone\na\tone again\n# group: a/2\na\ttwo\n");
  ASSERT_TRUE(examples) << examples.error().message;
  ASSERT_EQ(examples->size(), 4u);
  EXPECT_EQ((*examples)[0].group, "line-1");
  EXPECT_EQ((*examples)[2].group, "a/1");
  const auto split = SplitHeldOut(*examples, 2);
  ASSERT_EQ(split.held_out.size(), 1u);  // the second group of label a, whole; b has one group only
  EXPECT_EQ(split.held_out[0].group, "a/2");
  EXPECT_FALSE(ParseLabelledTexts("# group:\na\tx\n"));
}

TEST(Classifier, AugmentedCopiesKeepLabelAndGroupAndAreReproducible) {
  const std::vector<LabelledText> examples = {{"x", "Could you tell me the price?", "g1"},
                                              {"y", "这个在哪里办的？", "g2"}};
  const auto first = Augment(examples, 2, 7);
  EXPECT_EQ(first.size(), 4u);
  for (const auto& e : first) {
    EXPECT_EQ(e.group, e.label == "x" ? "g1" : "g2");
    EXPECT_NE(e.text, e.label == "x" ? examples[0].text : examples[1].text);
  }
  const auto again = Augment(examples, 2, 7);
  ASSERT_EQ(again.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(again[i].text, first[i].text);
}

TEST(Classifier, ConfidencesAreCalibratedOnTheHeldOutGroups) {
  for (const auto& shipped : ShippedModels()) {
    SCOPED_TRACE(shipped.model);
    const auto eval = json::parse(ReadSource("data/models/" + shipped.file + ".eval.json")).as_object();
    auto model = LoadBuiltinModel(shipped.model);
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_NEAR(model->temperature(), eval.at("temperature").as_double(), 1e-9);  // the shipped model's too
    const auto& held_out = eval.at("calibration").at("held_out").as_object();
    // Measured on groups the temperature was not fitted on: confidences within 0.2 of the hit rate.
    EXPECT_LE(held_out.at("after_cross_fitted").at("ece").as_double(), 0.2);
    // Probabilities sum to one whatever the temperature.
    const auto p = model->Probabilities("how much is it");
    double sum = 0;
    for (const double x : p) sum += x;
    EXPECT_NEAR(sum, 1.0, 1e-9);
  }
}

TEST(Classifier, AModelTrainedWithATaggerNeedsTheSameTagger) {
  const auto model = ReadSource("data/models/customer_intents.model");
  EXPECT_TRUE(LinearClassifier::Parse(model, IntentCueTagger()));
  const auto without = LinearClassifier::Parse(model);
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("intent-cues"), std::string::npos) << without.error().message;
  EXPECT_FALSE(LinearClassifier::Parse(ReadSource("data/models/sales_acts.model"), IntentCueTagger()));
}

TEST(Classifier, IntentCuesFireForWhatEachIntentSoundsLike) {
  auto fires = [](std::string_view text, std::string_view label) {
    const auto hits = IntentRuleHits(text);
    return std::find(hits.begin(), hits.end(), label) != hits.end();
  };
  EXPECT_TRUE(fires("That's far too expensive for us.", "price_objection"));
  EXPECT_TRUE(fires("这个价格太高了", "price_objection"));
  EXPECT_TRUE(fires("Any discount if we sign for two years?", "negotiation"));
  EXPECT_TRUE(fires("嗯。", "filler"));
  EXPECT_FALSE(fires("Okay, so tell me how the reminders work for each of my stores.", "filler"));
  EXPECT_TRUE(IntentRuleHits("").empty());
  EXPECT_EQ(IntentRules().Classify("zzz qqq").label, "unclear");
}

TEST(CueRules, TheShippedFilesLoadInTheOrderTheModelsDependOn) {
  // conduct_rules.json is checked in conduct_rules_test.cpp, customer_phrases.json in customer_test.cpp
  ASSERT_EQ(BuiltinCueFiles().size(), 4u);
  const auto intents = CueRules::Parse(core::FindEmbeddedFile(BuiltinCueFiles(), "customer_intents.json").value_or(""),
                                       "customer_intents.json");
  ASSERT_TRUE(intents) << intents.error().message;
  std::vector<std::string> labels;
  for (const auto& rule : intents->rules()) labels.push_back(rule.label);
  // Each rule is a feature of data/models/customer_intents.model, in this order.
  EXPECT_EQ(labels, (std::vector<std::string>{"price_objection", "negotiation", "competitor_comparison", "case_request",
                                              "final_confirmation", "soft_rejection", "time_pressure", "hesitation",
                                              "positive_feedback", "price_inquiry", "benefit_inquiry",
                                              "product_inquiry", "greeting", "unclear", "filler"}));
  const auto acts = CueRules::Parse(core::FindEmbeddedFile(BuiltinCueFiles(), "sales_acts.json").value_or(""),
                                    "sales_acts.json", {.confidence = true});
  ASSERT_TRUE(acts) << acts.error().message;
  ASSERT_EQ(acts->rules().size(), 9u);
  EXPECT_EQ(acts->rules().front().label, "close");
  EXPECT_DOUBLE_EQ(acts->rules().front().confidence, 0.85);
  // What the embedded copy holds is the file in the source tree.
  EXPECT_EQ(core::FindEmbeddedFile(BuiltinCueFiles(), "sales_acts.json").value_or(""),
            ReadSource("data/cues/sales_acts.json"));
}

TEST(CueRules, AMalformedFileIsAClearError) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "cues.json: not valid JSON"},
      {"[]", "cues.json: the top level must be an object"},
      {R"({"rules": []})", "cues.json: \"rules\" must be a non-empty array"},
      {R"({"rule": [{"label": "a", "cues": ["x"]}]})", "cues.json: unknown key \"rule\""},
      {R"({"rules": [{"label": "a", "cues": ["x"]}, "b"]})", "cues.json: rules[1] must be an object"},
      {R"({"rules": [{"cues": ["x"]}]})", "cues.json: rules[0].label must be a non-empty string"},
      {R"({"rules": [{"label": "a", "cues": []}]})", "cues.json: rules[0].cues must be a non-empty array of strings"},
      {R"({"rules": [{"label": "a", "cues": ["x", 3]}]})", "cues.json: rules[0].cues[1] must be a non-empty string"},
      {R"({"rules": [{"label": "a", "cues": ["x"], "weight": 1}]})",
       "cues.json: rules[0] has an unknown key \"weight\""},
      {R"({"rules": [{"label": "a", "cues": ["x"]}, {"label": "a", "cues": ["y"]}]})",
       "cues.json: rules[1].label \"a\" repeats an earlier rule's"},
      {R"({"rules": [{"label": "a", "confidence": 2, "cues": ["x"]}]})",
       "cues.json: rules[0].confidence must be a number from 0 to 1"},
  };
  for (const auto& [text, message] : cases) {
    const auto parsed = CueRules::Parse(text, "cues.json");
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().message.substr(0, message.size()), message) << parsed.error().message;
  }
  const auto no_confidence =
      CueRules::Parse(R"({"rules": [{"label": "a", "cues": ["x"]}]})", "cues.json", {.confidence = true});
  ASSERT_FALSE(no_confidence);
  EXPECT_EQ(no_confidence.error().message, "cues.json: rules[0].confidence is required");
  const auto fine =
      CueRules::Parse(R"({"about": "x", "rules": [{"label": "a", "confidence": 0.5, "cues": ["x", "是"]}]})",
                      "cues.json", {.confidence = true});
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_EQ(fine->rules()[0].cues, (std::vector<std::string>{"x", "是"}));
}

TEST(Classifier, ABrokenModelIsAClearError) {
  for (const std::string bad : {"", "not json\nxx",
                                R"({"format":"other"})"
                                "\n",
                                R"({"format":"salesboost-linear","version":2,"labels":["a"],"buckets_log2":4})"
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
