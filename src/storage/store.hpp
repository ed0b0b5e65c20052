// Store: the database port. Small on purpose: a transaction runs a callback
// that issues portable SQL with '?' placeholders, so the same repository code
// runs on SQLite (embedded default) and PostgreSQL (scale-out).
//
// Transact() is awaitable: the callback runs on a blocking thread, never on an
// I/O thread, and everything it does commits together or not at all.
// Implementations are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace salesboost::storage {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

struct SqlRow {
  std::vector<SqlValue> columns;

  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(columns.at(i)); }
  std::int64_t Int(std::size_t i) const { return std::get<std::int64_t>(columns.at(i)); }
  double Real(std::size_t i) const { return std::get<double>(columns.at(i)); }
  const std::string& Text(std::size_t i) const { return std::get<std::string>(columns.at(i)); }
};

// Valid only inside the Transact callback that received it.
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Several statements without parameters (migrations).
  virtual core::Result<void> ExecuteScript(std::string_view sql) = 0;
  // One statement; returns the number of rows changed.
  virtual core::Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  virtual core::Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
};

using TransactionFn = std::function<core::Result<void>(Transaction&)>;

class Store {
 public:
  virtual ~Store() = default;
  // "sqlite" or "postgres".
  virtual std::string_view Engine() const = 0;
  // Runs `fn` in one transaction on a blocking thread; commits when it returns
  // ok, rolls back otherwise. Busy or unreachable databases give kUnavailable.
  virtual boost::asio::awaitable<core::Result<void>> Transact(TransactionFn fn) = 0;
  // Runs `fn` in one read-only transaction that sees one consistent snapshot;
  // a write inside it fails with kFailedPrecondition. Readers never queue
  // behind a writer's transaction (a reader connection beside the writer on
  // SQLite, a pooled connection on PostgreSQL). The default, for stores
  // without a separate read path, runs `fn` through Transact.
  virtual boost::asio::awaitable<core::Result<void>> Read(TransactionFn fn) {
    auto result = co_await Transact(std::move(fn));
    co_return result;
  }
};

}  // namespace salesboost::storage
