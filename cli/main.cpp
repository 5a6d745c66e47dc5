// scnn — stochastic-computing toolkit for neural networks. Entry point: parses the command line and maps
// every scnn::Error (bad input) to one line on stderr and exit status 2.
#include <cstdio>
#include <exception>
#include <new>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "engine/ir/error.hpp"

int main(int argc, char** argv) {
    CLI::App app{"scnn: turn trained neural networks into stochastic-computing bitstream arithmetic,\n"
                 "simulate them bit-accurately and compare against float and int8."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "scnn 0.1.0");
    scnn::cli::add_info_command(app);
    scnn::cli::add_eval_command(app);
#ifdef SCNN_HAVE_SC
    scnn::cli::add_error_study_command(app);
    scnn::cli::add_compile_command(app);
    scnn::cli::add_compare_command(app);
    scnn::cli::add_emit_c_command(app);
    scnn::cli::add_run_c_command(app);
    scnn::cli::add_emit_verilog_command(app);
    scnn::cli::add_run_rtl_command(app);
    scnn::cli::add_area_command(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "scnn: error: {} (see --help)\n", e.what());
        return 2;
    } catch (const scnn::Error& e) {
        fmt::print(stderr, "scnn: error: {}\n", e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "scnn: error: out of memory\n");
        return 3;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scnn: internal error: {}\n", e.what());
        return 4;
    }
    return 0;
}
