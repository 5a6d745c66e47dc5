// A self-contained firmware folder: the generated model files, the runtime headers it needs, the board
// glue of the target (firmware/<target>/) and a Makefile that builds it with the target's toolchain and
// -Wall -Wextra -Werror. Written through OutputDir (all or nothing).
#pragma once

#include <string>
#include <vector>

#include "codegen/c/sc_emit.hpp"
#include "codegen/common/output_dir.hpp"

namespace scnn::codegen::c {

/// The firmware/ folder of the source tree ($SCNN_FIRMWARE_DIR overrides it).
std::string firmware_dir();

/// Writes model files, runtime, glue and Makefile into `dir` (not committed). `target`: host, avr,
/// cortex-m. The ELF / executable the Makefile builds is `scnn_fw` (host) or `scnn_fw.elf`.
void write_project(OutputDir& dir, const std::vector<GeneratedFile>& model, const TargetSpec& target,
                   const std::string& command);

/// The file the Makefile builds in the folder.
std::string build_product(const TargetSpec& target);

/// The Debian package of a target's compiler, and the compiler command.
std::string toolchain_package(const TargetSpec& target);
std::string toolchain_compiler(const TargetSpec& target);

}  // namespace scnn::codegen::c
