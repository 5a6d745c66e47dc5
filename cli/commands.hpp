// Sub-command registration. Each cmd_*.cpp adds one sub-command to the CLI11 app; main.cpp calls them.
#pragma once

#include <CLI/CLI.hpp>

namespace scnn::cli {

void add_info_command(CLI::App& app);
void add_eval_command(CLI::App& app);
#ifdef SCNN_HAVE_SC
void add_error_study_command(CLI::App& app);
void add_compile_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_emit_c_command(CLI::App& app);
void add_run_c_command(CLI::App& app);
void add_emit_verilog_command(CLI::App& app);
void add_run_rtl_command(CLI::App& app);
void add_area_command(CLI::App& app);
#endif

}  // namespace scnn::cli
