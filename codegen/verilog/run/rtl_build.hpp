// Building an emitted SC design for simulation, cached: the folder is written under the cache root in a
// sub-folder named by a hash of its files and the build kind, and built there once (Verilator: obj/Vscnn_top;
// iverilog: sim.vvp). A failed or interrupted build leaves no folder that looks complete.
#pragma once

#include <string>

#include "codegen/verilog/sc_emitter.hpp"

namespace scnn::codegen::verilog {

struct BuiltDesign {
    std::string dir;         ///< the design folder (simulations run here: the ROM files are read from it)
    std::string executable;  ///< Verilator: dir/obj/Vscnn_top; iverilog: dir/sim.vvp
    bool built = false;      ///< false when the cached build was reused
    double seconds = 0;
};

/// Runs `command` through /bin/sh in `dir` under `timeout_s` seconds; stdout and stderr go to `log`.
/// Returns the exit status (124: timed out).
int run_in(const std::string& dir, const std::string& command, int timeout_s, const std::string& log);

/// The cache root: `dir` if given, else $XDG_CACHE_HOME/scnn/rtl, else $HOME/.cache/scnn/rtl.
std::string cache_root(const std::string& dir);

/// Throws scnn::Error when the simulator is missing (naming the Debian package) or the build fails.
BuiltDesign build_design(const ScDesign& design, const std::string& simulator, bool trace, const std::string& cache,
                         int jobs);

}  // namespace scnn::codegen::verilog
