#include "cli/compare_early.hpp"

#include <fmt/core.h>

#include <sstream>

namespace scnn::cli {

nlohmann::json early_run_json(const EarlyRun& e) {
    return {{"margin", e.margin},
            {"accuracy", e.r.accuracy()},
            {"agreement", e.agreement},
            {"agreement_with_full", e.agreement_full},
            {"mean_cycles", e.r.mean_cycles},
            {"seconds", e.r.seconds}};
}

std::string early_table(const std::vector<EarlyTradeoff>& rows, std::int64_t every) {
    std::ostringstream t;
    t << fmt::format(
        "\nearly-exit trade-off ({}): accuracy and mean SC cycles per inference at each margin;\n"
        "same as full = predictions equal to the all-L run's, fewer cycles = L / mean cycles\n",
        every > 0 ? fmt::format("lead checked every {} cycles", every) : "lead checked at the plan's interval");
    t << fmt::format("\n{:>6} {:>7} {:>9} {:>9} {:>13} {:>12} {:>13}\n", "L", "margin", "accuracy", "vs full",
                     "same as full", "mean cycles", "fewer cycles");
    for (const auto& row : rows) {
        t << fmt::format("{:>6} {:>7} {:>8.2f}% {:>9} {:>13} {:>12} {:>13}\n", row.length, "all L",
                         100 * row.full_accuracy, "-", "-", row.length, "1.00x");
        for (const auto& e : row.runs) {
            t << fmt::format("{:>6} {:>7} {:>8.2f}% {:>+9.2f} {:>12.2f}% {:>12.1f} {:>12.2f}x\n", row.length, e.margin,
                             100 * e.r.accuracy(), 100 * (e.r.accuracy() - row.full_accuracy), 100 * e.agreement_full,
                             e.r.mean_cycles, e.r.mean_cycles > 0 ? double(row.length) / e.r.mean_cycles : 0.0);
        }
    }
    return t.str();
}

std::string early_csv(const std::vector<EarlyTradeoff>& rows) {
    std::string s = "length,margin,accuracy,agreement_with_float,agreement_with_full,mean_cycles\n";
    for (const auto& row : rows)
        for (const auto& e : row.runs)
            s += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.3f}\n", row.length, e.margin, e.r.accuracy(), e.agreement,
                             e.agreement_full, e.r.mean_cycles);
    return s;
}

std::string early_gnuplot(const std::string& dir, const std::string& title, double float_acc,
                          const std::vector<EarlyTradeoff>& rows) {
    std::string plot;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        plot += fmt::format(
            "     '{0}/compare_early.csv' every ::1 using ($1=={1} ? $6 : 1/0):($3*100) with linespoints lw 2 "
            "pt {2} title 'early exit, L = {1}', \\\n",
            dir, rows[i].length, 4 + int(i % 8));
    }
    return fmt::format(
        "set terminal pngcairo size 900,600 noenhanced\n"
        "set output '{0}/compare_early.png'\n"
        "set title '{1}: accuracy per cycle'\n"
        "set xlabel 'SC cycles per inference (mean, log2 scale)'\nset ylabel 'accuracy (%)'\n"
        "set logscale x 2\nset grid\nset key bottom right\nset datafile separator ','\n"
        "plot '{0}/compare.csv' every ::3 using 2:($3*100) with linespoints lw 2 pt 7 title 'SC, all L cycles', "
        "\\\n"
        "{2}"
        "     {3} with lines lw 2 dt 2 title 'float'\n",
        dir, title, plot, 100.0 * float_acc);
}

}  // namespace scnn::cli
