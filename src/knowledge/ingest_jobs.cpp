#include "knowledge/ingest_jobs.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

namespace salesboost::knowledge {

namespace asio = boost::asio;

struct IngestJobs::JobState {
  JobView view;
  std::string type;
  std::vector<SourceFile> sources;  // dropped once the job ends
};

IngestJobs::IngestJobs(Deps deps) : deps_(std::move(deps)) {}

IngestJobs::~IngestJobs() = default;

std::string IngestJobs::Now() const { return core::IsoSeconds(deps_.clock.Now()); }

asio::awaitable<core::Result<std::string>> IngestJobs::Submit(std::string tenant_id, std::string collection,
                                                              std::string type, std::vector<SourceFile> files) {
  if (files.empty()) co_return core::Fail(core::ErrorCode::kInvalidArgument, "no files");
  auto job = std::make_shared<JobState>();
  job->view.id = "job_" + deps_.ids.Next();
  job->view.tenant_id = std::move(tenant_id);
  job->view.collection = std::move(collection);
  job->view.status = "queued";
  job->view.created_at = job->view.updated_at = Now();
  for (const auto& file : files)
    job->view.files.push_back(JobFile{.name = file.name, .pages_done = 0, .pages_total = 0, .outcome = std::nullopt});
  job->type = std::move(type);
  job->sources = std::move(files);
  if (auto saved = co_await deps_.repository.SaveJob(job->view); !saved) co_return core::Fail(saved.error());
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    jobs_[job->view.id] = job;
    queue_.push_back(job);
    start = !std::exchange(running_, true);
  }
  if (start) asio::co_spawn(co_await asio::this_coro::executor, Run(), asio::detached);
  co_return job->view.id;
}

asio::awaitable<void> IngestJobs::Run() {
  while (true) {
    std::shared_ptr<JobState> job;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        running_ = false;
        co_return;
      }
      job = queue_.front();
      queue_.pop_front();
      job->view.status = "running";
    }
    bool all_failed = true;
    for (std::size_t i = 0; i < job->sources.size(); ++i) {
      IngestRequest request{.tenant_id = job->view.tenant_id,
                            .collection = job->view.collection,
                            .type = job->type,
                            .file = std::move(job->sources[i])};
      IngestProgress progress = [this, job, i](int done, int total) {
        std::lock_guard lock(mutex_);
        job->view.files[i].pages_done = done;
        job->view.files[i].pages_total = total;
      };
      auto ingest = deps_.ingest(std::move(request), std::move(progress));
      auto outcome = co_await std::move(ingest);
      all_failed = all_failed && outcome.status == "failed";
      JobView snapshot;
      {
        std::lock_guard lock(mutex_);
        job->view.files[i].outcome = std::move(outcome);
        job->view.updated_at = Now();
        if (i + 1 == job->sources.size()) job->view.status = all_failed ? "failed" : "done";
        snapshot = job->view;
      }
      const std::string id = snapshot.id;
      if (auto saved = co_await deps_.repository.SaveJob(std::move(snapshot)); !saved) {
        deps_.logger.Error("knowledge_job_save_failed", {{"job", id}, {"error", saved.error().message}});
      }
    }
    std::lock_guard lock(mutex_);
    job->sources.clear();
    // Finished jobs are read from the repository from now on.
    jobs_.erase(job->view.id);
  }
}

asio::awaitable<core::Result<JobView>> IngestJobs::Job(std::string tenant_id, std::string job_id) {
  {
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(job_id);
    if (found != jobs_.end() && found->second->view.tenant_id == tenant_id) co_return found->second->view;
  }
  co_return co_await deps_.repository.FindJob(std::move(tenant_id), std::move(job_id));
}

}  // namespace salesboost::knowledge
