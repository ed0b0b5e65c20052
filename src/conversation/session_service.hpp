// SessionService: starting, reading, listing and ending practice sessions,
// with the access rule in one place: a trainee sees only their own sessions
// (others do not exist for them: kNotFound); an admin sees the tenant's.
// Ending a session goes through the TurnCoordinator, which owns its seqs.
// Thread-safe; awaitable.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "catalog/catalog_repository.hpp"
#include "conversation/session_store.hpp"
#include "core/id_generator.hpp"
#include "identity/principal.hpp"

namespace salesboost::conversation {

struct StartRequest {
  std::string scenario_id;
  std::optional<std::string> persona_id;  // default: the scenario's first persona
  std::string language = "zh";            // "zh" or "en"
  std::optional<std::uint64_t> seed;      // the customer's variation; default: random
};

class SessionService {
 public:
  SessionService(SessionStore& sessions, catalog::CatalogRepository& catalog, core::IdGenerator& ids)
      : sessions_(sessions), catalog_(catalog), ids_(ids) {}

  // Creates the session and its first event, session.ready.
  boost::asio::awaitable<core::Result<Session>> Start(identity::Principal who, StartRequest request);
  boost::asio::awaitable<core::Result<Session>> Get(identity::Principal who, std::string session_id);
  boost::asio::awaitable<core::Result<SessionPage>> List(identity::Principal who, std::int64_t page,
                                                         std::int64_t page_size);
  // Committed events after `after_seq`, oldest first, at most `limit`.
  boost::asio::awaitable<core::Result<std::vector<Event>>> Events(identity::Principal who, std::string session_id,
                                                                  std::int64_t after_seq, std::int64_t limit);
  // The report.ready payload; kFailedPrecondition while the session is active.
  boost::asio::awaitable<core::Result<boost::json::object>> Report(identity::Principal who, std::string session_id);
  // The tenant's sessions with their reports, for the team view; admins only (else kPermissionDenied).
  boost::asio::awaitable<core::Result<std::vector<ReportedSession>>> WithReports(identity::Principal who,
                                                                                 ReportFilter filter);

 private:
  SessionStore& sessions_;
  catalog::CatalogRepository& catalog_;
  core::IdGenerator& ids_;
};

}  // namespace salesboost::conversation
