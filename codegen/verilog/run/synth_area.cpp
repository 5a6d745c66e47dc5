#include "codegen/verilog/run/synth_area.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "codegen/verilog/run/synth_shell.hpp"
#include "engine/ir/error.hpp"

namespace fs = std::filesystem;

namespace scnn::codegen::verilog {

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// ABC's mapping script for a liberty (yosys' default for -liberty without -D), plus the timing report.
constexpr const char* kAbcScript =
    "+strash;&get,-n;&fraig,-x;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf;&put;stime,-p";

}  // namespace

fs::path default_liberty() { return "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"; }

std::set<std::string> liberty_sequential_cells(const fs::path& liberty) {
    std::error_code ec;
    if (!fs::is_regular_file(liberty, ec)) {
        throw Error(fmt::format("liberty file {}: not found (the default comes with the Debian package "
                                "qflow-tech-osu018, scripts/install-deps.sh)",
                                liberty.string()));
    }
    std::ifstream in(liberty);
    if (!in) throw Error(fmt::format("liberty file {}: cannot read it", liberty.string()));
    std::ostringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    static const std::regex library(R"(^\s*library\s*\()", std::regex::multiline);
    static const std::regex cell(R"(\bcell\s*\(\s*\"?([A-Za-z0-9_$.\[\]]+)\"?\s*\))");
    static const std::regex seq(R"(\b(ff|latch|ff_bank|latch_bank)\s*\()");
    static const std::regex area(R"(\barea\s*:)");
    if (!std::regex_search(text, library)) {
        throw Error(fmt::format("liberty file {}: not a liberty library (no 'library (' header)", liberty.string()));
    }
    std::set<std::string> sequential;
    int cells_with_area = 0;
    std::vector<std::pair<std::size_t, std::string>> heads;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), cell); it != std::sregex_iterator(); ++it) {
        heads.emplace_back(std::size_t(it->position()), (*it)[1].str());
    }
    for (std::size_t i = 0; i < heads.size(); ++i) {
        const std::size_t end = i + 1 < heads.size() ? heads[i + 1].first : text.size();
        const std::string body = text.substr(heads[i].first, end - heads[i].first);
        if (std::regex_search(body, area)) ++cells_with_area;
        if (std::regex_search(body, seq)) sequential.insert(heads[i].second);
    }
    if (cells_with_area == 0) {
        throw Error(fmt::format("liberty file {}: not a liberty library (no cell with an area)", liberty.string()));
    }
    return sequential;
}

SynthResult parse_yosys_log(const std::string& log, const std::string& top, const std::set<std::string>& sequential) {
    // The last statistics section of the top module; when modules kept their hierarchy (keep_hierarchy, as
    // scnn_apc does), the "design hierarchy" section after it, which counts every instance of every module.
    const std::string head = fmt::format("=== {} ===", top);
    const auto at = log.rfind(head);
    if (at == std::string::npos) throw Error(fmt::format("yosys printed no statistics for module {}", top));
    const std::string hier = "=== design hierarchy ===";
    const auto at_hier = log.find(hier, at);
    SynthResult r;
    r.top = top;
    r.hierarchical = at_hier != std::string::npos;
    std::istringstream in(r.hierarchical ? log.substr(at_hier + hier.size()) : log.substr(at + head.size()));
    static const std::regex cells(R"(^\s*Number of cells:\s*(\d+))");
    static const std::regex type(R"(^\s{5,}([A-Za-z_][A-Za-z0-9_$.]*)\s+(\d+)\s*$)");
    static const std::regex chip(R"(^\s*Chip area for (?:top )?module '\\?([^']+)':\s*([0-9.eE+-]+))");
    bool in_cells = false, have_area = false;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, cells)) {
            r.cells = std::stoll(m[1]);
            in_cells = true;
        } else if (in_cells && std::regex_match(line, m, type)) {
            const std::int64_t n = std::stoll(m[2]);
            r.cell_types[m[1]] += n;
            if (sequential.count(m[1]) != 0) r.flip_flops += n;
        } else if (std::regex_search(line, m, chip)) {
            r.area_um2 = std::stod(m[2]);
            have_area = true;
            break;
        } else if (in_cells && !line.empty()) {
            in_cells = false;
        }
    }
    if (!have_area) throw Error(fmt::format("yosys printed no chip area for module {} (is the liberty right?)", top));
    static const std::regex delay(R"(Delay\s*=\s*([0-9.]+)\s*ps)");
    for (auto it = std::sregex_iterator(log.begin(), log.end(), delay); it != std::sregex_iterator(); ++it) {
        r.delay_ps = std::max(r.delay_ps, std::stod((*it)[1]));
    }
    return r;
}

std::vector<fs::path> verilog_files_in(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".v") files.push_back(e.path());
    }
    if (ec) throw Error(fmt::format("{}: cannot list the folder ({})", dir.string(), ec.message()));
    std::sort(files.begin(), files.end());
    return files;
}

SynthResult synthesize(const std::vector<fs::path>& files, const std::string& top, const SynthOptions& o) {
    const fs::path lib = o.liberty.empty() ? default_liberty() : o.liberty;
    const std::set<std::string> sequential = liberty_sequential_cells(lib);
    if (files.empty()) throw Error(fmt::format("synthesis of {}: no Verilog files", top));
    if (!have_program("yosys")) throw Error("yosys not found: install the Debian package yosys (scripts/install-deps.sh)");
    const fs::path work = fs::temp_directory_path() / fmt::format("scnn-synth-{}-{}", ::getpid(), top);
    std::error_code ec;
    fs::remove_all(work, ec);
    fs::create_directories(work, ec);
    if (ec) throw Error(fmt::format("{}: cannot create the synthesis folder ({})", work.string(), ec.message()));
    std::string script;
    const auto quoted = [](const fs::path& p) { return fmt::format("\"{}\"", fs::absolute(p).string()); };  // yosys quoting
    for (const fs::path& f : files) script += fmt::format("read_verilog {}\n", quoted(f));
    const std::string l = quoted(lib);
    script += fmt::format("synth -top {} -flatten\ndfflibmap -liberty {}\nabc -liberty {} -script {}\nopt_clean\n"
                          "stat -liberty {}\n",
                          top, l, l, kAbcScript, l);
    {
        std::ofstream s(work / "synth.ys");
        s << script;
    }
    const auto start = std::chrono::steady_clock::now();
    const ShellResult y = run_shell(
        fmt::format("cd {} && yosys -q -l {} -s {} >/dev/null",
                    shell_quote(o.design_dir.empty() ? work.string() : fs::absolute(o.design_dir).string()),
                    shell_quote((work / "synth.log").string()), shell_quote((work / "synth.ys").string())),
        o.timeout_s);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string log = read_all(work / "synth.log");
    fs::remove_all(work, ec);
    if (y.status != 0) {
        throw Error(fmt::format("yosys {} synthesizing {}: {}",
                                y.timed_out ? fmt::format("timed out after {:.0f} s", o.timeout_s) : "failed", top,
                                last_lines(log.empty() ? y.output : log, 2)));
    }
    SynthResult r = parse_yosys_log(log, top, sequential);
    r.seconds = seconds;
    return r;
}

SynthResult synthesize_dir(const fs::path& dir, const std::string& top, SynthOptions options) {
    options.design_dir = dir;
    return synthesize(verilog_files_in(dir), top, options);
}

}  // namespace scnn::codegen::verilog
