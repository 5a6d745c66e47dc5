// scnn::codegen::verilog — area of a Verilog design on a standard-cell library, measured with yosys:
//   read_verilog (every file the same way); synth -top TOP -flatten (modules marked keep_hierarchy, such
//   as scnn_apc, stay modules: each distinct one is mapped once and counted per instance); dfflibmap -liberty LIB;
//   abc -liberty LIB (its default mapping script plus `stime -p`, which reports the logic delay);
//   opt_clean; stat -liberty LIB
// Area is the sum of the mapped cells' liberty areas (µm² for the default OSU 0.18 µm library of the Debian
// package qflow-tech-osu018); flip-flops are the cells whose liberty entry has an ff or latch group; the delay
// is ABC's longest combinational path (between registers and ports) in ps, without wires.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace scnn::codegen::verilog {

struct SynthOptions {
    std::filesystem::path liberty;  ///< empty: default_liberty()
    double timeout_s = 3600;        ///< for the whole yosys run
    std::filesystem::path design_dir;  ///< yosys' working folder ($readmemh files are read from it); empty: a
                                       ///< temporary folder
};

struct SynthResult {
    std::string top;
    std::int64_t cells = 0, flip_flops = 0;
    double area_um2 = 0;
    double delay_ps = -1;  ///< ABC's delay; -1 when it printed none. With kept hierarchy: the largest of the
                           ///< separately mapped modules (paths across a module boundary are not summed)
    bool hierarchical = false;  ///< some modules kept their hierarchy; the figures count every instance
    double seconds = 0;    ///< wall time of the yosys run
    std::map<std::string, std::int64_t> cell_types;  ///< mapped cell -> count
};

/// /usr/share/qflow/tech/osu018/osu018_stdcells.lib
std::filesystem::path default_liberty();

/// Names of the sequential cells (an ff or latch group) of a liberty file. Throws scnn::Error if the file is
/// missing, unreadable or not a liberty library (no `library (` header, no cell with an area).
std::set<std::string> liberty_sequential_cells(const std::filesystem::path& liberty);

/// Synthesizes `files` (Verilog-2005) with top module `top`. Throws scnn::Error (one line) when yosys is
/// missing (naming the Debian package), the liberty is bad, yosys fails or times out (its last lines), or
/// the log has no statistics for `top`.
SynthResult synthesize(const std::vector<std::filesystem::path>& files, const std::string& top,
                       const SynthOptions& options);

/// Synthesizes every *.v file of `dir` (see verilog_files_in) with yosys working in `dir`.
SynthResult synthesize_dir(const std::filesystem::path& dir, const std::string& top, SynthOptions options);

/// Every *.v file of `dir` (not its sub-folders, so a tb/ folder is left out), sorted by name.
std::vector<std::filesystem::path> verilog_files_in(const std::filesystem::path& dir);

/// Reads a yosys log: the `stat` section of `top` (cells, cell types, chip area) and the largest ABC
/// "Delay =" figure. Flip-flops are counted with `sequential`. Throws scnn::Error if there is no statistics
/// section for `top`.
SynthResult parse_yosys_log(const std::string& log, const std::string& top, const std::set<std::string>& sequential);

}  // namespace scnn::codegen::verilog
