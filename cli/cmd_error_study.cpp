// `scnn error-study`: mean squared error, bias and operand correlation of one SC operation over random
// operand values (engine/sc/error_study.hpp; user guide in docs/SC_ENGINE.md).
#include <charconv>
#include <cmath>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "engine/ir/error.hpp"
#include "engine/sc/error_study.hpp"
#include "engine/sc/theory.hpp"

namespace scnn::cli {
namespace {

struct ErrorStudyOptions {
    std::string op = "mul";
    std::string sng = "sobol";
    std::string sng_b;       // default: --sng
    std::string sng_select;  // default: --sng
    std::string encoding;    // default: unipolar (bipolar for stanh)
    std::string length = "256";
    std::string pairs = "10000";
    std::string seed = "1";
    std::string width;  // default: ceil(log2 length)
    std::string states = "8";
    bool share = false;
    bool json = false;
};

// Whole-string unsigned integer in [lo, hi]; scnn::Error naming the option otherwise.
std::uint64_t parse_uint(const std::string& text, const char* option, std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || ptr != end || v < lo || v > hi)
        throw Error(fmt::format("invalid {} '{}': expected an integer in {} .. {}", option, text, lo, hi));
    return v;
}

sc::SngKind parse_kind(const std::string& text, const char* option) {
    try {
        return sc::parse_sng_kind(text);
    } catch (const Error&) {
        throw Error(fmt::format("invalid {} '{}': expected lfsr, lfsr-galois, sobol, halton, ramp or random",
                                option, text));
    }
}

std::string format_number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.4g}", v); }

void run(const ErrorStudyOptions& o) {
    sc::ErrorStudyConfig cfg;
    try {
        cfg.op = sc::parse_study_op(o.op);
    } catch (const Error&) {
        throw Error(fmt::format("invalid --op '{}': expected mul, add, mux-add or stanh", o.op));
    }
    const std::string enc = o.encoding.empty() ? (cfg.op == sc::StudyOp::stanh ? "bipolar" : "unipolar") : o.encoding;
    if (enc != "unipolar" && enc != "bipolar")
        throw Error(fmt::format("invalid --encoding '{}': expected unipolar or bipolar", enc));
    cfg.encoding = sc::parse_encoding(enc);
    cfg.length = parse_uint(o.length, "--length", 1, std::uint64_t{1} << 24);
    cfg.pairs = parse_uint(o.pairs, "--pairs", 1, 100'000'000);
    cfg.seed = parse_uint(o.seed, "--seed", 0, UINT64_MAX);
    cfg.states = static_cast<std::uint32_t>(parse_uint(o.states, "--states", 2, 65536));
    if (cfg.states % 2 != 0) throw Error(fmt::format("invalid --states '{}': must be even", o.states));
    const auto width = o.width.empty() ? sc::default_width(cfg.length)
                                       : static_cast<unsigned>(parse_uint(o.width, "--width", sc::kMinWidth, sc::kMaxWidth));
    const sc::SngKind ka = parse_kind(o.sng, "--sng");
    const sc::SngKind kb = o.sng_b.empty() ? ka : parse_kind(o.sng_b, "--sng-b");
    const sc::SngKind ks = o.sng_select.empty() ? ka : parse_kind(o.sng_select, "--sng-select");
    cfg.sng_a = sc::study_generator(ka, width, 0, cfg.seed);
    cfg.sng_b = sc::study_generator(kb, width, 1, cfg.seed);
    cfg.sng_select = sc::study_generator(ks, width, 2, cfg.seed);
    cfg.share = o.share;
    if (cfg.share && !o.sng_b.empty()) throw Error("--share and --sng-b exclude each other");

    const sc::ErrorStudyResult r = sc::run_error_study(cfg);
    const bool two = cfg.op != sc::StudyOp::stanh;
    const std::string desc_b = !two ? "-" : (cfg.share ? "shares operand a's generator" : sc::describe(cfg.sng_b));
    if (o.json) {
        nlohmann::json j;
        j["op"] = std::string(sc::study_op_name(cfg.op));
        j["encoding"] = enc;
        j["sng_a"] = sc::describe(cfg.sng_a);
        j["sng_b"] = desc_b;
        if (cfg.op == sc::StudyOp::mux_add) j["sng_select"] = sc::describe(cfg.sng_select);
        if (cfg.op == sc::StudyOp::stanh) j["states"] = cfg.states;
        j["seed"] = cfg.seed;
        j["length"] = r.length;
        j["pairs"] = r.pairs;
        j["mse"] = r.mse;
        j["mse_stderr"] = r.mse_stderr;
        j["bias"] = r.bias;
        j["mean_abs_scc"] = std::isnan(r.mean_abs_scc) ? nlohmann::json(nullptr) : nlohmann::json(r.mean_abs_scc);
        fmt::print("{}\n", j.dump(2));
        return;
    }
    fmt::print("error-study: {} ({}), length {}, {} pairs, seed {}\n", sc::study_op_name(cfg.op), enc, r.length,
               r.pairs, cfg.seed);
    fmt::print("  operand a     {}\n", sc::describe(cfg.sng_a));
    if (two) fmt::print("  operand b     {}\n", desc_b);
    if (cfg.op == sc::StudyOp::mux_add) fmt::print("  select        {}\n", sc::describe(cfg.sng_select));
    if (cfg.op == sc::StudyOp::stanh) fmt::print("  states        {} (exact: tanh({} x / 2))\n", cfg.states, cfg.states);
    fmt::print("  mse           {} (± {}; rounding floor 1/(12 L^2) = {})\n", format_number(r.mse),
               format_number(r.mse_stderr), format_number(sc::theory::rounding_floor(r.length)));
    fmt::print("  bias          {}\n", format_number(r.bias));
    fmt::print("  mean |SCC|    {}\n", format_number(r.mean_abs_scc));
}

}  // namespace

void add_error_study_command(CLI::App& app) {
    auto opts = std::make_shared<ErrorStudyOptions>();
    CLI::App* cmd = app.add_subcommand(
        "error-study",
        "Measure the error of one stochastic-computing operation over random operand values: mean squared error "
        "against the exact result (from the quantized operands), bias, and mean |SCC| of the operand streams.");
    cmd->add_option("--op", opts->op, "mul | add | mux-add | stanh  (add = OR gate, mux-add = 2-input MUX)")
        ->type_name("OP")
        ->capture_default_str();
    cmd->add_option("--sng", opts->sng, "generator of operand a: lfsr | lfsr-galois | sobol | halton | ramp | random")
        ->type_name("KIND")
        ->capture_default_str();
    cmd->add_option("--sng-b", opts->sng_b, "generator family of operand b [default: --sng, next member]")
        ->type_name("KIND");
    cmd->add_option("--sng-select", opts->sng_select, "generator family of the mux-add select [default: --sng]")
        ->type_name("KIND");
    cmd->add_flag("--share", opts->share, "drive operand b from operand a's generator (SCC = +1)");
    cmd->add_option("--encoding", opts->encoding, "unipolar | bipolar [default: unipolar; bipolar for stanh]")
        ->type_name("ENC");
    cmd->add_option("--length", opts->length, "stream length L in cycles, 1 .. 16777216")
        ->type_name("L")
        ->capture_default_str();
    cmd->add_option("--pairs", opts->pairs, "number of random operand pairs N, 1 .. 100000000")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--seed", opts->seed, "seed of the operand values (and of random generators)")
        ->type_name("S")
        ->capture_default_str();
    cmd->add_option("--width", opts->width, "generator width in bits, 3 .. 32 [default: ceil(log2 L), at least 3]")
        ->type_name("BITS");
    cmd->add_option("--states", opts->states, "Stanh state count K (even) for --op stanh")
        ->type_name("K")
        ->capture_default_str();
    cmd->add_flag("--json", opts->json, "print a JSON object (mse, bias, mean_abs_scc, length, pairs, ...)");
    cmd->footer(
        "Operand values are uniform over the encoding range and quantized to the generator width; the exact result\n"
        "uses the quantized values, so the error is that of the stochastic computation alone.\n"
        "Example: scnn error-study --op mul --sng sobol --length 256 --pairs 100000");
    cmd->callback([opts]() { run(*opts); });
}

}  // namespace scnn::cli
