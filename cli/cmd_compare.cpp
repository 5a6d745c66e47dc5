// scnn compare — float, int8 and SC at several stream lengths on one model and dataset: a table, JSON,
// CSV and a PNG plot (gnuplot). With --early-exit M1,M2,… every length is simulated once for all L cycles
// and once per margin with early termination (docs/SEMANTICS.md §9.8), so that the accuracy it costs is
// shown beside the cycles it saves: the first margin in the usual outputs (as with one margin), every margin
// in the trade-off outputs (compare_early.hpp).
#include <fmt/core.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/firmware_cli.hpp"
#include "cli/common.hpp"
#include "cli/compare_early.hpp"
#include "cli/hw_cost.hpp"
#include "cli/sc_eval.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {

namespace {

struct CompareOptions {
    std::string model = kDefaultModel;
    std::string data = "fashion-mnist";
    std::vector<std::int64_t> lengths{32, 64, 128, 256, 512, 1024, 2048, 4096};
    std::int64_t limit = 0;
    int threads = 0;
    bool json = false;
    bool quiet = false;
    std::string out;
    std::vector<std::int64_t> early_exit;  ///< early-termination margins in final-class counts; empty = off
    ScOptions sc;
    std::string target;             ///< firmware columns on this target (avr, cortex-m); empty = none
    std::int64_t target_limit = 10;  ///< images run on the target
    bool hw = false;  ///< --hw: synthesized area, cycles and area x cycles of SC and int8 (cli/hw_cost.hpp)
    int hw_fold = 1;
};

struct ScRow {
    std::int64_t length;
    EvalResult r;  ///< all L cycles
    double agreement;
    double scc;
    std::vector<EarlyRun> early;  ///< one per margin, in the order given
    std::int64_t every = 0;       ///< cycles between early-exit checks (the plan's)
};

// Columns 1-5 are the same with and without --early-exit (compare.gp reads columns 2 and 3; scripts may read
// the others); the early-exit columns come after them.
std::string to_csv(double f, double q, const std::vector<ScRow>& rows, std::int64_t margin) {
    const bool ee = margin >= 0;
    std::string s = "mode,length,accuracy,agreement_with_float,cycles_per_inference";
    s += ee ? ",early_exit_margin,early_accuracy,early_agreement_with_float,early_mean_cycles\n" : "\n";
    s += fmt::format("float,,{:.6f},1.000000,{}\n", f, ee ? ",,,," : "");
    s += fmt::format("int8,,{:.6f},,{}\n", q, ee ? ",,,," : "");
    for (const auto& r : rows) {
        s += fmt::format("sc,{},{:.6f},{:.6f},{}", r.length, r.r.accuracy(), r.agreement, r.length);
        if (!r.early.empty()) {
            const EarlyRun& e = r.early.front();
            s += fmt::format(",{},{:.6f},{:.6f},{:.3f}", margin, e.r.accuracy(), e.agreement, e.r.mean_cycles);
        }
        s += "\n";
    }
    return s;
}

std::string gnuplot_script(const std::string& dir, const std::string& title, double f, double q, std::int64_t margin) {
    const std::string early =
        margin < 0 ? ""
                   : fmt::format(
                         "     '{}/compare.csv' every ::3 using (log($2)/log(2)):($7*100) with linespoints "
                         "lw 2 pt 6 dt 4 title 'SC, early exit (margin {})', \\\n",
                         dir, margin);
    return fmt::format(
        "set terminal pngcairo size 900,600 noenhanced\n"
        "set output '{0}/compare.png'\n"
        "set title '{1}'\n"
        "set xlabel 'log2 of stream length L'\nset ylabel 'accuracy (%)'\nset grid\nset key bottom right\n"
        "set datafile separator ','\n"
        "plot '{0}/compare.csv' every ::3 using (log($2)/log(2)):($3*100) with linespoints lw 2 pt 7 title 'SC', \\\n"
        "{4}"
        "     {2} with lines lw 2 dt 2 title 'float', \\\n"
        "     {3} with lines lw 2 dt 3 title 'int8'\n",
        dir, title, 100.0 * f, 100.0 * q, early);
}

/// --hw: one row per synthesized design (SC per length, int8 per P) with its accuracy, for compare_hw.png.
std::string hw_csv(const nlohmann::json& hw, const std::vector<ScRow>& rows, double q) {
    std::string s = "design,label,accuracy,area_um2,cycles_per_inference,area_cycles_mm2\n";
    for (const auto& r : hw["sc"]) {
        const auto L = r["length"].get<std::int64_t>();
        double acc = 0;
        for (const auto& row : rows)
            if (row.length == L) acc = row.r.accuracy();
        s += fmt::format("sc,L={} F={},{:.6f},{:.1f},{},{:.6f}\n", L, r["fold"].get<int>(), acc,
                         r["area_um2"].get<double>(), r["cycles_per_inference"].get<std::int64_t>(),
                         r["area_cycles"].get<double>() / 1e6);
    }
    for (const auto& r : hw["int8"]) {
        s += fmt::format("int8,P={},{:.6f},{:.1f},{},{:.6f}\n", r["macs"].get<int>(), q, r["area_um2"].get<double>(),
                         r["cycles_per_inference"].get<std::int64_t>(), r["area_cycles"].get<double>() / 1e6);
    }
    return s;
}

/// Accuracy against area x cycles (log scale), SC and int8 designs labelled.
std::string hw_gnuplot(const std::string& dir, const std::string& title) {
    return fmt::format(
        "set terminal pngcairo size 900,600 noenhanced\n"
        "set output '{0}/compare_hw.png'\n"
        "set title '{1}: accuracy against hardware cost'\n"
        "set xlabel 'area x clock cycles per inference (mm^2 x cycles, log scale)'\nset ylabel 'accuracy (%)'\n"
        "set logscale x\nset grid\nset key bottom right\nset offsets graph 0.1, graph 0.1, graph 0.1, graph 0.1\n"
        "set datafile separator ','\n"
        "plot '{0}/compare_hw.csv' every ::1 using (strcol(1) eq 'sc' ? $6 : 1/0):($3*100) with points pt 7 ps 1.5 "
        "title 'SC', \\\n"
        "     '{0}/compare_hw.csv' every ::1 using (strcol(1) eq 'int8' ? $6 : 1/0):($3*100) with points pt 5 ps 1.5 "
        "title 'int8', \\\n"
        "     '{0}/compare_hw.csv' every ::1 using 6:($3*100):2 with labels offset 0,1 notitle\n",
        dir, title);
}

std::vector<EarlyTradeoff> tradeoffs(const std::vector<ScRow>& rows) {
    std::vector<EarlyTradeoff> t;
    for (const auto& r : rows) t.push_back({r.length, r.r.accuracy(), r.early});
    return t;
}

/// Cycles between early-exit checks of a plan (docs/SEMANTICS.md §9.8).
std::int64_t early_exit_every(const ir::ScPlan& plan) { return plan.early_exit_every; }

void run_gnuplot(const std::string& dir, const std::string& name) {
    const std::string cmd = fmt::format("gnuplot '{}/{}.gp' 2>/dev/null", dir, name);
    if (std::system(cmd.c_str()) != 0) fmt::print(stderr, "scnn: warning: gnuplot failed; {}.png not written\n", name);
}

std::string make_table(const std::string& path, const CompareOptions& o, std::int64_t images, const EvalResult& fl,
                       const EvalResult& q, const std::vector<ScRow>& rows) {
    const double q_agree = agreement(q.predictions, fl.predictions);
    std::ostringstream t;
    t << fmt::format("model {}\ndata  {} ({} images)\n", path, o.data, images);
    if (o.early_exit.empty()) {
        t << fmt::format("\n{:<6} {:>6} {:>9} {:>16} {:>18} {:>8}\n", "mode", "L", "accuracy", "agree w/ float",
                         "cycles/inference", "time");
        t << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "float", "-", 100 * fl.accuracy(),
                         100.0, "-", fl.seconds);
        t << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "int8", "-", 100 * q.accuracy(),
                         100 * q_agree, "-", q.seconds);
        for (const auto& r : rows) {
            t << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "sc", r.length,
                             100 * r.r.accuracy(), 100 * r.agreement, r.length, r.r.seconds);
        }
        return t.str();
    }
    t << fmt::format(
        "early exit, margin {}: each L is simulated twice. accuracy and agree (with float) use all L cycles;\n"
        "early acc., early agree and mean cycles (SC cycles per inference) the early-exit run; time is both runs\n",
        o.early_exit.size() == 1
            ? std::to_string(o.early_exit.front())
            : fmt::format("{} (the first of {}; the others below)", o.early_exit.front(), o.early_exit.size()));
    const auto line = [&](const std::string& mode, const std::string& L, double acc, double agree,
                          const std::string& eacc, const std::string& eagree, const std::string& cycles, double s) {
        t << fmt::format("{:<6} {:>6} {:>8.2f}% {:>8.2f}% {:>11} {:>12} {:>12} {:>7.1f}s\n", mode, L, acc, agree, eacc,
                         eagree, cycles, s);
    };
    t << fmt::format("\n{:<6} {:>6} {:>9} {:>9} {:>11} {:>12} {:>12} {:>8}\n", "mode", "L", "accuracy", "agree",
                     "early acc.", "early agree", "mean cycles", "time");
    line("float", "-", 100 * fl.accuracy(), 100.0, "-", "-", "-", fl.seconds);
    line("int8", "-", 100 * q.accuracy(), 100 * q_agree, "-", "-", "-", q.seconds);
    for (const auto& r : rows) {
        const auto& e = r.early.front();
        line("sc", std::to_string(r.length), 100 * r.r.accuracy(), 100 * r.agreement,
             fmt::format("{:.2f}%", 100 * e.r.accuracy()), fmt::format("{:.2f}%", 100 * e.agreement),
             fmt::format("{:.1f}", e.r.mean_cycles), r.r.seconds + e.r.seconds);
    }
    if (o.early_exit.size() > 1) t << early_table(tradeoffs(rows), rows.front().every);
    return t.str();
}

void run_compare(const CompareOptions& o) {
    if (o.lengths.empty()) throw Error("--lengths is empty");
    if (!o.out.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.out, ec);
        if (ec) throw Error(fmt::format("--out {}: cannot create the directory ({})", o.out, ec.message()));
    }
    const std::string path = resolve_model(o.model);
    const ir::Network net = io::import_onnx(path);
    const io::Dataset data = io::load_dataset(o.data, o.limit);
    check_compatible(data, net);
    const bool progress = !o.quiet;
    const EvalResult fl = eval_float(net, data, o.threads, progress);
    const io::Dataset calib = io::load_dataset(default_calibration_data(o.data), 1000);
    const auto qnet = quantize_on(net, calib, 1000, 100.0);
    const EvalResult q = eval_int8(qnet, data, o.threads, progress);
    std::vector<ScRow> rows;
    std::vector<ir::ScPlan> hw_plans;
    const auto sc_calib = sc_calibration(net, o.sc, o.data);  // once, not per length
    for (std::int64_t L : o.lengths) {
        compile::CompileOptions co = o.sc.compile;
        co.length = L;
        const ir::ScPlan plan = compile::compile(net, sc_calib, co, path);
        EvalResult r = eval_sc(plan, data, o.threads, progress);
        const double agree = agreement(r.predictions, fl.predictions);
        std::vector<EarlyRun> early;
        for (std::int64_t margin : o.early_exit) {
            EvalResult e = eval_sc(plan, data, o.threads, progress, margin);
            const double e_agree = agreement(e.predictions, fl.predictions);
            const double e_full = agreement(e.predictions, r.predictions);
            early.push_back(EarlyRun{margin, std::move(e), e_agree, e_full});
        }
        rows.push_back({L, std::move(r), agree, plan.mean_abs_scc, std::move(early), early_exit_every(plan)});
        if (o.hw) hw_plans.push_back(plan);
    }
    nlohmann::json j{
        {"model", path},
        {"data", o.data},
        {"images", data.count},
        {"float", {{"accuracy", fl.accuracy()}, {"seconds", fl.seconds}}},
        {"int8",
         {{"accuracy", q.accuracy()}, {"agreement", agreement(q.predictions, fl.predictions)}, {"seconds", q.seconds}}},
        {"sc", nlohmann::json::array()}};
    for (const auto& r : rows) {
        j["sc"].push_back({{"length", r.length},
                           {"accuracy", r.r.accuracy()},
                           {"agreement", r.agreement},
                           {"cycles", r.length},
                           {"seconds", r.r.seconds},
                           {"mean_abs_scc", r.scc}});
        if (!r.early.empty()) {
            auto& row = j["sc"].back();
            row["early_exit"] = early_run_json(r.early.front());  // the first margin
            row["early_exits"] = nlohmann::json::array();
            for (const auto& e : r.early) row["early_exits"].push_back(early_run_json(e));
            row["early_exit_every"] = r.every;
        }
    }
    j["sc_options"] = o.sc.compile.sng + ", " + o.sc.compile.encoding + ", " + o.sc.compile.adder;
    const auto hw = o.hw ? compare_hw(hw_plans, qnet, o.hw_fold, {}) : HwComparison{};
    if (o.hw) j["hw"] = hw.json;
    std::string table = make_table(path, o, data.count, fl, q, rows) + hw.table;
    if (!o.target.empty())
        j["firmware"] = compare_firmware(o.model, o.sc, o.data, o.lengths, o.target, o.target_limit, table);
    if (!o.out.empty()) {
        const std::int64_t first_margin = o.early_exit.empty() ? -1 : o.early_exit.front();
        const std::string csv = to_csv(fl.accuracy(), q.accuracy(), rows, first_margin);
        write_file_atomic(o.out + "/compare.csv", csv);
        write_file_atomic(o.out + "/compare.json", j.dump(1) + "\n");
        write_file_atomic(o.out + "/compare.txt", table);
        const std::string title = fmt::format("{} on {}", std::filesystem::path(path).stem().string(), o.data);
        write_file_atomic(o.out + "/compare.gp",
                          gnuplot_script(o.out, title, fl.accuracy(), q.accuracy(), first_margin));
        if (!o.early_exit.empty()) {
            write_file_atomic(o.out + "/compare_early.csv", early_csv(tradeoffs(rows)));
            write_file_atomic(o.out + "/compare_early.gp", early_gnuplot(o.out, title, fl.accuracy(), tradeoffs(rows)));
        }
        if (o.hw) {
            write_file_atomic(o.out + "/compare_hw.csv", hw_csv(hw.json, rows, q.accuracy()));
            write_file_atomic(o.out + "/compare_hw.gp", hw_gnuplot(o.out, title));
        }
        run_gnuplot(o.out, "compare");
        if (!o.early_exit.empty()) run_gnuplot(o.out, "compare_early");
        if (o.hw) run_gnuplot(o.out, "compare_hw");
    }
    if (o.json) {
        fmt::print("{}\n", j.dump());
    } else {
        fmt::print("{}", table);
        if (!o.out.empty()) {
            fmt::print("\nwrote {0}/compare.{{txt,json,csv,png}}{1}{2}\n", o.out,
                       o.early_exit.empty() ? "" : fmt::format(" and {}/compare_early.{{csv,png}}", o.out),
                       o.hw ? fmt::format(" and {}/compare_hw.{{csv,png}}", o.out) : "");
        }
    }
}

}  // namespace

void add_compare_command(CLI::App& app) {
    auto o = std::make_shared<CompareOptions>();
    auto* cmd = app.add_subcommand("compare", "Accuracy of float, int8 and SC at several stream lengths");
    cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--data,-d", o->data, "Dataset (as for eval)")->capture_default_str();
    cmd->add_option("--lengths", o->lengths, "SC stream lengths, comma separated")
        ->delimiter(',')
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20))
        ->capture_default_str();
    cmd->add_option("--limit,-n", o->limit, "First N images only (0 = all)")->check(kCountOrZero);
    cmd->add_option("--threads,-j", o->threads, "Worker threads (0 = all cores)")->check(CLI::Range(0, 1024));
    cmd->add_option("--out", o->out, "Directory for compare.{txt,json,csv,png}");
    cmd->add_option("--early-exit", o->early_exit,
                    "SC: also run every length with early termination, once per MARGIN of a comma list: stop an "
                    "image once the leading class count leads by MARGIN (0 = only when the lead can no longer be "
                    "overturned); adds the accuracy / mean-cycles trade-off to every output (the first margin in "
                    "the usual columns); each margin adds one SC run (one margin doubles the SC time) (default: off)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->check(kCountOrZero);
    add_sc_options(cmd, o->sc, false);
    cmd->add_option("--target", o->target, "Also build and run int8 and every SC length as firmware on this target")
        ->check(CLI::IsMember({"avr", "cortex-m"}));
    cmd->add_option("--target-limit", o->target_limit, "Images run on the target")->check(kPositiveCount)->capture_default_str();
    cmd->add_flag("--hw", o->hw, "Also synthesize SC (every length) and int8 at equal throughput: area, cycles, "
                  "area x cycles (yosys, OSU 0.18 um; minutes per design)");
    cmd->add_option("--hw-fold", o->hw_fold, "--hw: fold of the SC designs")->check(CLI::Range(1, 1 << 20));
    cmd->add_flag("--json", o->json, "Print one JSON object instead of the table");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress bar");
    cmd->callback([o] { run_compare(*o); });
}

}  // namespace scnn::cli
