// A Verilator bench that drives many rtl/ module instances side by side, cycle by cycle, from stimulus
// files, and compares every printed output of every cycle with values the test computed from the engine's
// primitives (engine/sc). All cases share one Verilator build.
//
// A case is a Verilog snippet (`body`) in which every name starting with `PFX_` is private to the case.
// It sees its stimulus fields as wires PFX_<name> (widths as declared), the wire PFX_seg_end (1 on the last
// cycle of a stream segment: state registers the snippet keeps must return to reset after that cycle) and
// `clk`; it must drive the wires PFX_o0, PFX_o1, … (one per output field), which the bench prints on every
// rising edge, before the edge's register updates. Expected outputs are compared modulo 2^width (so signed
// values can be given as negative numbers).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scnn::test::rtl {

struct Field {
    std::string name;
    int width = 1;  ///< 1 .. 64
};

struct UnitCase {
    std::string what;                                ///< for messages: module and parameters
    std::vector<std::string> modules;                ///< rtl/ files the snippet instantiates (without .v)
    std::vector<Field> inputs;                       ///< stimulus fields
    std::vector<Field> outputs;                      ///< PFX_o0, PFX_o1, …
    std::string body;                                ///< Verilog snippet (see above)
    std::vector<std::vector<std::uint64_t>> stim;    ///< [cycle][input]
    std::vector<std::uint8_t> seg_end;               ///< [cycle]
    std::vector<std::vector<std::int64_t>> expect;   ///< [cycle][output]
};

/// Segment lengths (streams of several lengths, including 1 and lengths that are not multiples of 64) that
/// tile `cycles` cycles.
std::vector<int> segment_lengths(std::mt19937& rng, int cycles);

/// Marks the segment ends of `lengths` in c.seg_end.
void mark_segments(UnitCase& c, const std::vector<int>& lengths);

struct Mismatch {
    std::size_t case_index;
    int cycle, output;
    std::uint64_t expected, got;
};

struct BenchRun {
    bool built = false;
    std::string log;                  ///< the build or run log when something failed
    int cycles_seen = 0;              ///< lines of output read back
    std::vector<Mismatch> mismatches; ///< at most the first per case
};

/// Writes the bench into `dir`, builds it with Verilator and runs `cycles` cycles of every case.
BenchRun run_unit_bench(const std::vector<UnitCase>& cases, int cycles, const std::string& dir);

/// Builds `top` (a module whose one port is the input clk) from `sources` (paths relative to `dir` or
/// absolute) with Verilator in dir/obj and runs it until $finish, stdout into dir/out.txt. Returns "" on
/// success, else "build: " or "run: " and the log.
std::string verilate_and_run(const std::string& dir, const std::string& top, const std::string& sources, int timeout_s);

/// Width in bits of the unsigned values 0 .. v (at least 1).
int ubits(std::uint64_t v);

}  // namespace scnn::test::rtl
