// The knowledge API's JSON: how the knowledge service's values (file
// outcomes, jobs, documents, search hits) appear on the wire. Pure.
#pragma once

#include <boost/json/object.hpp>

#include "knowledge/document_record.hpp"
#include "knowledge/file_outcome.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/job_view.hpp"

namespace salesboost::api {

boost::json::object RouteJson(const knowledge::Route& route);
boost::json::object FileOutcomeJson(const knowledge::FileOutcome& outcome);
// With progress: finished files count whole, the current one by its pages.
boost::json::object JobJson(const knowledge::JobView& job);
boost::json::object DocumentJson(const knowledge::DocumentRecord& document);
// The document with its "parents" and "children" counts.
boost::json::object DocumentDetailJson(const knowledge::DocumentDetail& detail);
boost::json::object HitJson(const knowledge::SearchHit& hit);

}  // namespace salesboost::api
