// scnn compare --early-exit M1,M2,…: the accuracy / mean-cycles trade-off of early termination
// (docs/SEMANTICS.md §9.8) as a table section, a CSV, a JSON array and a gnuplot script.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/evaluate.hpp"

namespace scnn::cli {

/// One plan run again with early termination at one margin.
struct EarlyRun {
    std::int64_t margin = 0;    ///< lead, in final-class counts, that stops an image (0 = only when decided)
    EvalResult r;               ///< r.mean_cycles: SC cycles per inference averaged over the images
    double agreement = 0;       ///< top-1 agreement with float
    double agreement_full = 0;  ///< fraction of predictions equal to the full-length run's
};

/// All early-exit runs of one stream length L, in the order the margins were given.
struct EarlyTradeoff {
    std::int64_t length = 0;
    double full_accuracy = 0;  ///< accuracy with all L cycles
    std::vector<EarlyRun> runs;
};

/// {margin, accuracy, agreement, agreement_with_full, mean_cycles, seconds} of one run.
nlohmann::json early_run_json(const EarlyRun& e);

/// The trade-off table: one line per (L, margin), with the cycles saved against L.
std::string early_table(const std::vector<EarlyTradeoff>& rows, std::int64_t every);

/// CSV: length,margin,accuracy,agreement_with_float,agreement_with_full,mean_cycles (one line per run).
std::string early_csv(const std::vector<EarlyTradeoff>& rows);

/// gnuplot script for DIR/compare_early.png: accuracy against mean cycles per inference (log2), one line per
/// L through its margins, the full-length SC accuracy at x = L, and float as a line.
std::string early_gnuplot(const std::string& dir, const std::string& title, double float_acc,
                          const std::vector<EarlyTradeoff>& rows);

}  // namespace scnn::cli
