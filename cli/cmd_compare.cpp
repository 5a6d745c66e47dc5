// scnn compare — float, int8 and SC at several stream lengths on one model and dataset: a table, JSON,
// CSV and a PNG plot (gnuplot).
#include <fmt/core.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
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
    ScOptions sc;
};

struct ScRow {
    std::int64_t length;
    EvalResult r;
    double agreement;
    double scc;
};

std::string to_csv(double f, double q, const std::vector<ScRow>& rows) {
    std::string s = "mode,length,accuracy,agreement_with_float,cycles_per_inference\n";
    s += fmt::format("float,,{:.6f},1.000000,\n", f);
    s += fmt::format("int8,,{:.6f},,\n", q);
    for (const auto& r : rows)
        s += fmt::format("sc,{},{:.6f},{:.6f},{}\n", r.length, r.r.accuracy(), r.agreement, r.length);
    return s;
}

std::string gnuplot_script(const std::string& dir, const std::string& title, double f, double q) {
    return fmt::format(
        "set terminal pngcairo size 900,600 noenhanced\n"
        "set output '{0}/compare.png'\n"
        "set title '{1}'\n"
        "set xlabel 'log2 of stream length L'\nset ylabel 'accuracy (%)'\nset grid\nset key bottom right\n"
        "set datafile separator ','\n"
        "plot '{0}/compare.csv' every ::3 using (log($2)/log(2)):($3*100) with linespoints lw 2 pt 7 title 'SC', \\\n"
        "     {2} with lines lw 2 dt 2 title 'float', \\\n"
        "     {3} with lines lw 2 dt 3 title 'int8'\n",
        dir, title, 100.0 * f, 100.0 * q);
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
    const EvalResult q = eval_int8(quantize_on(net, calib, 1000, 100.0), data, o.threads, progress);
    std::vector<ScRow> rows;
    for (std::int64_t L : o.lengths) {
        ScOptions so = o.sc;
        so.compile.length = L;
        const ir::ScPlan plan = compile_with(net, so, o.data, path);
        EvalResult r = eval_sc(plan, data, o.threads, progress);
        rows.push_back({L, std::move(r), 0.0, plan.mean_abs_scc});
        rows.back().agreement = agreement(rows.back().r.predictions, fl.predictions);
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
    }
    j["sc_options"] = o.sc.compile.sng + ", " + o.sc.compile.encoding + ", " + o.sc.compile.adder;
    std::ostringstream table;
    table << fmt::format("model {}\ndata  {} ({} images)\n\n", path, o.data, data.count);
    table << fmt::format("{:<6} {:>6} {:>9} {:>16} {:>18} {:>8}\n", "mode", "L", "accuracy", "agree w/ float",
                         "cycles/inference", "time");
    table << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "float", "-", 100 * fl.accuracy(),
                         100.0, "-", fl.seconds);
    table << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "int8", "-", 100 * q.accuracy(),
                         100 * agreement(q.predictions, fl.predictions), "-", q.seconds);
    for (const auto& r : rows) {
        table << fmt::format("{:<6} {:>6} {:>8.2f}% {:>15.2f}% {:>18} {:>7.1f}s\n", "sc", r.length,
                             100 * r.r.accuracy(), 100 * r.agreement, r.length, r.r.seconds);
    }
    if (!o.out.empty()) {
        const std::string csv = to_csv(fl.accuracy(), q.accuracy(), rows);
        write_file_atomic(o.out + "/compare.csv", csv);
        write_file_atomic(o.out + "/compare.json", j.dump(1) + "\n");
        write_file_atomic(o.out + "/compare.txt", table.str());
        const std::string title = fmt::format("{} on {}", std::filesystem::path(path).stem().string(), o.data);
        write_file_atomic(o.out + "/compare.gp", gnuplot_script(o.out, title, fl.accuracy(), q.accuracy()));
        const std::string cmd = fmt::format("gnuplot '{}/compare.gp' 2>/dev/null", o.out);
        if (std::system(cmd.c_str()) != 0)
            fmt::print(stderr, "scnn: warning: gnuplot failed; compare.png not written\n");
    }
    if (o.json) {
        fmt::print("{}\n", j.dump());
    } else {
        fmt::print("{}", table.str());
        if (!o.out.empty()) fmt::print("\nwrote {0}/compare.{{txt,json,csv,png}}\n", o.out);
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
    add_sc_options(cmd, o->sc, false);
    cmd->add_flag("--json", o->json, "Print one JSON object instead of the table");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress bar");
    cmd->callback([o] { run_compare(*o); });
}

}  // namespace scnn::cli
