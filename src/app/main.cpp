// salesboost: the command-line entry point. Parses flags with CLI11 and hands
// over to one subcommand; configuration layering happens in LoadConfig.

#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "app/chat_command.hpp"
#include "app/classifier_commands.hpp"
#include "app/commands.hpp"
#include "app/knowledge_commands.hpp"

int main(int argc, char** argv) {
  using namespace salesboost::app;
  // What the server writes (the database and its journal, the demo password,
  // indexes, uploads) holds password hashes and transcripts: readable by its
  // owner only.
  umask(S_IRWXG | S_IRWXO);
  // Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT when it loads, before
  // main; its threads fight page-level parallelism, so restart once with it set.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr && setenv("OMP_THREAD_LIMIT", "1", 1) == 0) {
    execv("/proc/self/exe", argv);  // returns only on failure: carry on with OpenMP's default
  }

  CLI::App cli{"SalesBoost: real-time AI sales-training backend", "salesboost"};
  cli.require_subcommand(1);
  cli.fallthrough();

  std::optional<std::string> config_file;
  std::vector<std::string> sets;
  cli.add_option("-c,--config", config_file, "configuration file (TOML); default: $SALESBOOST_CONFIG, else built-in")
      ->check(CLI::ExistingFile);
  cli.add_option("--set", sets, "override an option, e.g. --set server.port=9000 (repeatable)");

  auto* serve = cli.add_subcommand("serve", "run the HTTP and WebSocket server");
  std::optional<std::string> host;
  std::optional<std::int64_t> port;
  ServeFlags serve_flags;
  serve->add_option("--host", host, "listen address (server.host)");
  serve->add_option("--port", port, "listen port, 0 for any free port (server.port)");
  serve->add_option("--port-file", serve_flags.port_file, "write the bound port to this file once listening");
  serve->add_flag("--list-routes", serve_flags.list_routes,
                  "print the routes the server would serve (METHOD pattern, one a line) and exit without listening");

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations and exit");
  auto* config = cli.add_subcommand("config", "inspect the configuration");
  config->require_subcommand(1);
  auto* check = config->add_subcommand("check",
                                       "print the effective configuration (secrets masked); "
                                       "exit 2 with one line per bad option");
  auto* version = cli.add_subcommand("version", "print version and build information");

  auto* catalog = cli.add_subcommand("catalog", "manage the training catalogue");
  catalog->require_subcommand(1);
  auto* catalog_import = catalog->add_subcommand("import", "import course files (JSON) or directories of them");
  std::vector<std::string> catalog_paths;
  catalog_import->add_option("paths", catalog_paths, "course files or directories")->required();

  auto* ingest = cli.add_subcommand("ingest", "add files or directories to the knowledge base");
  IngestFlags ingest_flags;
  ingest->add_option("paths", ingest_flags.paths, "PDF, image, DOCX, Markdown, HTML, CSV or text files")->required();
  ingest->add_option("--collection", ingest_flags.collection, "collection to add them to")->capture_default_str();
  ingest->add_option("--type", ingest_flags.type,
                     "document type: product, faq, case, comparison, playbook, compliance (default: front matter)");
  auto* search = cli.add_subcommand("search", "search the knowledge base");
  SearchFlags search_flags;
  search->add_option("query", search_flags.query, "what to look for")->required();
  search->add_option("--k", search_flags.k, "how many passages")->capture_default_str();
  search->add_option("--collection", search_flags.collection, "only this collection");
  search->add_option("--type", search_flags.type, "only this document type");
  search->add_option("--language", search_flags.language, "zh, en or ja: that language's documents");

  auto* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user; prints a generated password unless one is given");
  UserAddFlags user_flags;
  user_add->add_option("username", user_flags.username, "login name: 1-64 of [a-z0-9._-]")->required();
  user_add->add_option("--display-name", user_flags.display_name, "name shown in the UI (default: the username)");
  user_add->add_flag("--admin", user_flags.admin, "create an admin instead of a trainee");
  user_add->add_option("--password-file", user_flags.password_file,
                       "read the password from this file's first line ('-' for standard input)");
  auto* user_list = user->add_subcommand("list", "list the users");
  auto* user_passwd = user->add_subcommand(
      "passwd", "set a user's password and revoke its tokens; prints a generated one unless given");
  UserPasswdFlags passwd_flags;
  user_passwd->add_option("username", passwd_flags.username, "login name")->required();
  user_passwd->add_option("--password-file", passwd_flags.password_file,
                          "read the password from this file's first line ('-' for standard input)");
  auto* user_delete =
      user->add_subcommand("delete", "delete a user: its tokens stop working, its sessions and reports are kept");
  std::string delete_username;
  user_delete->add_option("username", delete_username, "login name")->required();

  auto* chat = cli.add_subcommand("chat", "practise in the terminal against a running server");
  ChatFlags chat_flags;
  chat->add_option("--server", chat_flags.server, "the server's base URL")->capture_default_str();
  chat->add_option("--user", chat_flags.username, "login name")->capture_default_str();
  chat->add_option("--password-file", chat_flags.password_file,
                   "read the password from this file's first line (else $SALESBOOST_PASSWORD, else asked)");
  chat->add_option("--scenario", chat_flags.scenario, "scenario id (default: choose from a list)");
  chat->add_option("--persona", chat_flags.persona, "persona id (default: the scenario's first)");
  chat->add_option("--seed", chat_flags.seed, "replay the customer of this seed (default: a new one)");
  chat->add_option("--language", chat_flags.language, "en or zh")->capture_default_str();
  chat->add_option("--turn-max-chars", chat_flags.turn_max_chars,
                   "longest message sent, in characters (the server's limits.turn_max_chars)")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();

  auto* train = cli.add_subcommand("train-classifier", "train a text classifier from labelled examples");
  TrainClassifierFlags train_flags;
  train->add_option("--model", train_flags.model, "sales (trainee's acts) or customer (customer intents)")
      ->capture_default_str();
  train->add_option("--data", train_flags.data, "labelled examples (default: data/classifier/<name>.tsv)");
  train->add_option("--out", train_flags.out, "model file to write (default: data/models/<name>.model)");
  train->add_option("--independent", train_flags.independent,
                    "examples never trained on, reported apart (default: data/classifier/<name>.independent.tsv)");
  train->add_flag("--show-errors", train_flags.show_errors,
                  "list the training examples that the rules and the model together get wrong");
  auto* classify = cli.add_subcommand("classify", "classify a text with a built-in model");
  ClassifyFlags classify_flags;
  classify->add_option("--model", classify_flags.model, "sales or customer")->capture_default_str();
  classify->add_option("text", classify_flags.text, "the text")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kExitOk : kExitConfigError;
  }

  ConfigInput input;
  if (config_file) input.file = *config_file;
  input.environment = ProcessEnvironment();
  for (const auto& set : sets) {
    const auto eq = set.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "config error: --set %s: expected KEY=VALUE\n", set.c_str());
      return kExitConfigError;
    }
    input.overrides.emplace_back(set.substr(0, eq), set.substr(eq + 1));
  }
  if (host) input.overrides.emplace_back("server.host", *host);
  if (port) input.overrides.emplace_back("server.port", std::to_string(*port));

  if (*chat) return RunChat(chat_flags, stdin, stdout);
  if (*train) return RunTrainClassifier(train_flags);
  if (*classify) return RunClassify(classify_flags);
  if (*serve) return RunServe(input, serve_flags);
  if (*migrate) return RunMigrate(input);
  if (*check) return RunConfigCheck(input);
  if (*version) return RunVersion();
  if (*user_add) return RunUserAdd(input, user_flags);
  if (*user_list) return RunUserList(input);
  if (*user_passwd) return RunUserPasswd(input, passwd_flags);
  if (*user_delete) return RunUserDelete(input, delete_username);
  if (*catalog_import) return RunCatalogImport(input, catalog_paths);
  if (*ingest) return RunIngest(input, ingest_flags);
  if (*search) return RunSearch(input, search_flags);
  return kExitConfigError;
}
