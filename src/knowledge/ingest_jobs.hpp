// IngestJobs: the upload job queue. Submit() records a job (queued) and
// returns its id at once; jobs run one at a time, in order, each file through
// `ingest`, with page progress kept per file. A job's state is saved after
// each file; finished jobs are read from the repository, so they survive a
// restart (jobs a restart interrupted are marked failed at load).
// Thread-safe. The runner is spawned on the executor of the Submit() that
// starts it and refers to this object: keep it alive while jobs run.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/logging.hpp"
#include "core/result.hpp"
#include "knowledge/document_repository.hpp"
#include "knowledge/file_outcome.hpp"
#include "knowledge/job_view.hpp"

namespace salesboost::knowledge {

class IngestJobs {
 public:
  using IngestFn = std::function<boost::asio::awaitable<FileOutcome>(IngestRequest, IngestProgress)>;
  struct Deps {
    DocumentRepository& repository;
    const core::Clock& clock;
    core::IdGenerator& ids;
    core::Logger logger;
    IngestFn ingest;  // one file, start to end
  };
  explicit IngestJobs(Deps deps);
  ~IngestJobs();

  // Queues files as a job and returns its id.
  boost::asio::awaitable<core::Result<std::string>> Submit(std::string tenant_id, std::string collection,
                                                           std::string type, std::vector<SourceFile> files);
  // A live job from memory, a finished one from the repository; kNotFound for another tenant's.
  boost::asio::awaitable<core::Result<JobView>> Job(std::string tenant_id, std::string job_id);

 private:
  struct JobState;
  boost::asio::awaitable<void> Run();
  std::string Now() const;

  Deps deps_;
  std::mutex mutex_;                                       // guards the job fields below
  std::map<std::string, std::shared_ptr<JobState>> jobs_;  // live jobs
  std::deque<std::shared_ptr<JobState>> queue_;
  bool running_ = false;
};

}  // namespace salesboost::knowledge
