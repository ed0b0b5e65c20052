// SessionHub: where a session's events go live (the running turn's
// provisional events as they happen, committed ones after the commit). A session has at
// most one subscriber (the socket that joined it last): attaching a new one
// tells the previous one it was replaced. This is the port the Redis-backed
// hub implements when instances scale out; InProcessSessionHub is the
// embedded default. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "conversation/session.hpp"

namespace salesboost::conversation {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Events of the session, in seq order. Thread-safe; must not block.
  virtual void Deliver(const std::vector<Event>& events) = 0;
  // Another subscriber took the session over.
  virtual void Replaced() = 0;
};

class SessionHub {
 public:
  virtual ~SessionHub() = default;
  virtual void Attach(const std::string& session_id, std::shared_ptr<EventSink> sink) = 0;
  // Detaches `sink` if it is still the session's subscriber.
  virtual void Detach(const std::string& session_id, const EventSink* sink) = 0;
  virtual void Publish(const std::string& session_id, const std::vector<Event>& events) = 0;
};

class InProcessSessionHub final : public SessionHub {
 public:
  void Attach(const std::string& session_id, std::shared_ptr<EventSink> sink) override;
  void Detach(const std::string& session_id, const EventSink* sink) override;
  void Publish(const std::string& session_id, const std::vector<Event>& events) override;

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<EventSink>> subscribers_;  // guarded by mutex_
};

}  // namespace salesboost::conversation
