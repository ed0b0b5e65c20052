#include "catalog/catalog_repository.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"

namespace salesboost::catalog {
namespace {

namespace json = boost::json;
using storage::SqlValue;
using storage::Transaction;
using storage::TransactionFn;

core::Result<void> Run(Transaction& tx, std::string_view sql, const std::vector<SqlValue>& params) {
  auto done = tx.Execute(sql, params);
  if (!done) return core::Fail(done.error());
  return core::Ok();
}

core::Result<std::vector<json::object>> Documents(Transaction& tx, std::string_view sql,
                                                  const std::vector<SqlValue>& params) {
  auto rows = tx.Query(sql, params);
  if (!rows) return core::Fail(rows.error());
  std::vector<json::object> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    boost::system::error_code ec;
    auto value = json::parse(row.Text(0), ec);
    if (ec || !value.is_object()) return core::Fail(core::ErrorCode::kInternal, "stored catalogue document is corrupt");
    out.push_back(std::move(value.as_object()));
  }
  return out;
}

core::Result<bool> Exists(Transaction& tx, std::string_view sql, const std::vector<SqlValue>& params) {
  auto rows = tx.Query(sql, params);
  if (!rows) return core::Fail(rows.error());
  return !rows->empty();
}

}  // namespace

boost::asio::awaitable<core::Result<void>> CatalogRepository::Import(std::string tenant_id, CourseBundle bundle) {
  const std::string now = core::IsoSeconds(clock_.Now());
  TransactionFn import = [&](Transaction& tx) -> core::Result<void> {
    // Replace: drop what the course had, then insert the bundle.
    const std::vector<SqlValue> course_key = {tenant_id, bundle.id};
    if (auto done = Run(tx,
                        "DELETE FROM scenario_personas WHERE tenant_id = ? AND scenario_id IN "
                        "(SELECT id FROM scenarios WHERE tenant_id = ? AND course_id = ?)",
                        {tenant_id, tenant_id, bundle.id});
        !done) {
      return done;
    }
    for (std::string_view table : {"scenarios", "personas"}) {
      const std::string sql = fmt::format("DELETE FROM {} WHERE tenant_id = ? AND course_id = ?", table);
      if (auto done = Run(tx, sql, course_key); !done) return done;
    }
    if (auto done = Run(tx, "DELETE FROM courses WHERE tenant_id = ? AND id = ?", course_key); !done) return done;
    if (auto done = Run(tx, "INSERT INTO courses (tenant_id, id, document, updated_at) VALUES (?, ?, ?, ?)",
                        {tenant_id, bundle.id, json::serialize(bundle.course), now});
        !done) {
      return done;
    }
    for (const auto& persona : bundle.personas) {
      auto taken = Exists(tx, "SELECT 1 FROM personas WHERE tenant_id = ? AND id = ?", {tenant_id, persona.id});
      if (!taken) return core::Fail(taken.error());
      if (*taken) {
        return core::Fail(core::ErrorCode::kAlreadyExists,
                          "persona '" + persona.id + "' already belongs to another course");
      }
      if (auto done = Run(tx, "INSERT INTO personas (tenant_id, id, course_id, document) VALUES (?, ?, ?, ?)",
                          {tenant_id, persona.id, bundle.id, json::serialize(persona.document)});
          !done) {
        return done;
      }
    }
    for (const auto& scenario : bundle.scenarios) {
      auto taken = Exists(tx, "SELECT 1 FROM scenarios WHERE tenant_id = ? AND id = ?", {tenant_id, scenario.id});
      if (!taken) return core::Fail(taken.error());
      if (*taken) {
        return core::Fail(core::ErrorCode::kAlreadyExists,
                          "scenario '" + scenario.id + "' already belongs to another course");
      }
      json::object document = scenario.document;
      document["course_id"] = bundle.id;
      if (auto done = Run(tx, "INSERT INTO scenarios (tenant_id, id, course_id, document) VALUES (?, ?, ?, ?)",
                          {tenant_id, scenario.id, bundle.id, json::serialize(document)});
          !done) {
        return done;
      }
      for (std::size_t i = 0; i < scenario.persona_ids.size(); ++i) {
        if (auto done = Run(tx,
                            "INSERT INTO scenario_personas (tenant_id, scenario_id, persona_id, position) "
                            "VALUES (?, ?, ?, ?)",
                            {tenant_id, scenario.id, scenario.persona_ids[i], static_cast<std::int64_t>(i)});
            !done) {
          return done;
        }
      }
    }
    return core::Ok();
  };
  co_return co_await store_.Transact(std::move(import));
}

boost::asio::awaitable<core::Result<std::vector<json::object>>> CatalogRepository::Courses(std::string tenant_id) {
  core::Result<std::vector<json::object>> out;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    out = Documents(tx, "SELECT document FROM courses WHERE tenant_id = ? ORDER BY id", {tenant_id});
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  co_return out;
}

boost::asio::awaitable<core::Result<std::vector<json::object>>> CatalogRepository::Scenarios(std::string tenant_id,
                                                                                             std::string course_id) {
  core::Result<std::vector<json::object>> out;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto exists = Exists(tx, "SELECT 1 FROM courses WHERE tenant_id = ? AND id = ?", {tenant_id, course_id});
    if (!exists) return core::Fail(exists.error());
    if (!*exists) return core::Fail(core::ErrorCode::kNotFound, "no course '" + course_id + "'");
    out = Documents(tx, "SELECT document FROM scenarios WHERE tenant_id = ? AND course_id = ? ORDER BY id",
                    {tenant_id, course_id});
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  co_return out;
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::CourseFile(std::string tenant_id,
                                                                                 std::string course_id) {
  core::Result<std::vector<json::object>> course;
  core::Result<std::vector<json::object>> scenarios;
  core::Result<std::vector<json::object>> personas;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    course = Documents(tx, "SELECT document FROM courses WHERE tenant_id = ? AND id = ?", {tenant_id, course_id});
    scenarios = Documents(tx, "SELECT document FROM scenarios WHERE tenant_id = ? AND course_id = ? ORDER BY id",
                          {tenant_id, course_id});
    personas = Documents(tx, "SELECT document FROM personas WHERE tenant_id = ? AND course_id = ? ORDER BY id",
                         {tenant_id, course_id});
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  for (const auto* part : {&course, &scenarios, &personas}) {
    if (!*part) co_return core::Fail(part->error());
  }
  if (course->empty()) co_return core::Fail(core::ErrorCode::kNotFound, "no course '" + course_id + "'");
  json::object file = std::move(course->front());
  json::array persona_list;
  persona_list.reserve(personas->size());
  for (auto& persona : *personas) persona_list.push_back(std::move(persona));
  json::array scenario_list;
  scenario_list.reserve(scenarios->size());
  for (auto& scenario : *scenarios) {
    scenario.erase("course_id");  // added by Import; not a member of the file
    scenario_list.push_back(std::move(scenario));
  }
  file["personas"] = std::move(persona_list);
  file["scenarios"] = std::move(scenario_list);
  co_return file;
}

boost::asio::awaitable<core::Result<std::vector<json::object>>> CatalogRepository::Personas(std::string tenant_id,
                                                                                            std::string scenario_id) {
  core::Result<std::vector<json::object>> out;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto exists = Exists(tx, "SELECT 1 FROM scenarios WHERE tenant_id = ? AND id = ?", {tenant_id, scenario_id});
    if (!exists) return core::Fail(exists.error());
    if (!*exists) return core::Fail(core::ErrorCode::kNotFound, "no scenario '" + scenario_id + "'");
    out = Documents(tx,
                    "SELECT p.document FROM scenario_personas sp JOIN personas p "
                    "ON p.tenant_id = sp.tenant_id AND p.id = sp.persona_id "
                    "WHERE sp.tenant_id = ? AND sp.scenario_id = ? ORDER BY sp.position",
                    {tenant_id, scenario_id});
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  co_return out;
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::FindDocument(std::string_view table,
                                                                                   std::string tenant_id,
                                                                                   std::string id) {
  core::Result<std::vector<json::object>> out;
  const std::string sql = fmt::format("SELECT document FROM {} WHERE tenant_id = ? AND id = ?", table);
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    out = Documents(tx, sql, {tenant_id, id});
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  if (!out) co_return core::Fail(out.error());
  if (out->empty()) {
    // "scenarios" -> "no scenario 'x'"
    co_return core::Fail(core::ErrorCode::kNotFound, fmt::format("no {} '{}'", table.substr(0, table.size() - 1), id));
  }
  co_return std::move(out->front());
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::Course(std::string tenant_id,
                                                                             std::string course_id) {
  co_return co_await FindDocument("courses", std::move(tenant_id), std::move(course_id));
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::Scenario(std::string tenant_id,
                                                                               std::string scenario_id) {
  co_return co_await FindDocument("scenarios", std::move(tenant_id), std::move(scenario_id));
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::Persona(std::string tenant_id,
                                                                              std::string persona_id) {
  co_return co_await FindDocument("personas", std::move(tenant_id), std::move(persona_id));
}

boost::asio::awaitable<core::Result<json::object>> CatalogRepository::ReplaceRubric(std::string tenant_id,
                                                                                    std::string scenario_id,
                                                                                    json::object rubric) {
  json::object document;
  TransactionFn replace = [&](Transaction& tx) -> core::Result<void> {
    auto found =
        Documents(tx, "SELECT document FROM scenarios WHERE tenant_id = ? AND id = ?", {tenant_id, scenario_id});
    if (!found) return core::Fail(found.error());
    if (found->empty()) return core::Fail(core::ErrorCode::kNotFound, "no scenario '" + scenario_id + "'");
    document = std::move(found->front());
    document["rubric"] = std::move(rubric);
    return Run(tx, "UPDATE scenarios SET document = ? WHERE tenant_id = ? AND id = ?",
               {json::serialize(document), tenant_id, scenario_id});
  };
  if (auto done = co_await store_.Transact(std::move(replace)); !done) co_return core::Fail(done.error());
  co_return document;
}

boost::asio::awaitable<core::Result<std::int64_t>> CatalogRepository::CourseCount(std::string tenant_id) {
  std::int64_t count = 0;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT COUNT(*) FROM courses WHERE tenant_id = ?", {tenant_id});
    if (!rows) return core::Fail(rows.error());
    count = rows->front().Int(0);
    return core::Ok();
  };
  if (auto done = co_await store_.Read(std::move(read)); !done) co_return core::Fail(done.error());
  co_return count;
}

}  // namespace salesboost::catalog
