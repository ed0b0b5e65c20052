// `salesboost train-classifier` and `salesboost classify`: train the
// linear classifiers from labelled examples (writing the model and its
// held-out evaluation) and try them from the shell.
#pragma once

#include <string>

namespace salesboost::app {

struct TrainClassifierFlags {
  std::string model = "sales";  // sales (trainee's acts) or customer (customer intents)
  std::string data;             // default: data/classifier/<model file>.tsv
  std::string out;              // default: data/models/<model file>.model
  std::string independent;      // default: data/classifier/<model file>.independent.tsv, if present
  bool show_errors = false;     // list the training examples the rules and model get wrong
};
int RunTrainClassifier(const TrainClassifierFlags& flags);

struct ClassifyFlags {
  std::string model = "sales";
  std::string text;
};
int RunClassify(const ClassifyFlags& flags);

}  // namespace salesboost::app
