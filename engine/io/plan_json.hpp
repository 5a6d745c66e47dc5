// SC plan ⇄ JSON (versioned; docs/SEMANTICS.md §9.6). A malformed or inconsistent plan gives one-line
// scnn::Error naming the field ("plan field 'stages[2].k': ...").
#pragma once

#include <string>

#include "engine/ir/sc_plan.hpp"

namespace scnn::io {

std::string plan_to_json(const ir::ScPlan& plan);    ///< pretty-printed, ends with a newline
ir::ScPlan plan_from_json(const std::string& text);  ///< parses and validates
ir::ScPlan read_plan(const std::string& path);       ///< reads a file (errors name the path)

}  // namespace scnn::io
