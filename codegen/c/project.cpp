#include "codegen/c/project.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/core.h>

#include "codegen/common/code_writer.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

std::string firmware_dir() {
    if (const char* e = std::getenv("SCNN_FIRMWARE_DIR"); e && *e) return e;
    return std::string(SCNN_SOURCE_DIR) + "/firmware";
}

std::string build_product(const TargetSpec& t) { return t.name == "host" ? "scnn_fw" : "scnn_fw.elf"; }

std::string toolchain_package(const TargetSpec& t) {
    if (t.name == "avr") return "gcc-avr avr-libc";
    if (t.name == "cortex-m") return "gcc-arm-none-eabi libnewlib-arm-none-eabi";
    return "gcc";
}

std::string toolchain_compiler(const TargetSpec& t) {
    if (t.name == "avr") return "avr-gcc";
    if (t.name == "cortex-m") return "arm-none-eabi-gcc";
    return "cc";
}

namespace {

std::string makefile(const TargetSpec& t, const std::vector<GeneratedFile>& model, const std::string& command) {
    CodeWriter w;
    w.stamp("#", command);
    w.linef("# Builds the {} firmware: make (or make -C DIR). Sources: the model, the runtime, the board glue.", t.name);
    std::string srcs;
    for (const auto& f : model)
        if (f.name.size() > 2 && f.name.substr(f.name.size() - 2) == ".c") srcs += f.name + " ";
    srcs += "scnn_main.c";
    std::string model_srcs;
    for (const auto& f : model)
        if (f.name.size() > 2 && f.name.substr(f.name.size() - 2) == ".c") model_srcs += f.name + " ";
    const std::string warn = "-std=c99 -Wall -Wextra -Werror";
    if (t.name == "host") {
        w.line("CC ?= cc");
        w.linef("CFLAGS ?= -O2 {}", warn);
        w.linef("SRCS = {}", srcs);
        w.line("scnn_fw: $(SRCS) $(wildcard *.h)");
        w.recipe("$(CC) $(CFLAGS) -I. -o $@ $(SRCS)");
        w.line("# the per-cycle trace build (SC models; scnn run-c --trace)");
        w.linef("scnn_fw_trace: {}scnn_trace.c $(wildcard *.h)", model_srcs);
        w.recipe(fmt::format("$(CC) $(CFLAGS) -DSCNN_TRACE -I. -o $@ {}scnn_trace.c", model_srcs));
    } else if (t.name == "avr") {
        w.line("CC = avr-gcc");
        w.linef("CFLAGS = -Os -mmcu=atmega328p -DF_CPU=16000000UL -DSCNN_TARGET_AVR {} -std=gnu99 "
                "-ffunction-sections -fdata-sections -I/usr/include/simavr/avr", warn);
        w.line("LDFLAGS = -Wl,--gc-sections -Wl,--undefined=_mmcu,--section-start=.mmcu=0x910000");
        w.linef("SRCS = {}", srcs);
        w.line("scnn_fw.elf: $(SRCS) $(wildcard *.h)");
        w.recipe("$(CC) $(CFLAGS) -I. -o $@ $(SRCS) $(LDFLAGS)");
        w.recipe("avr-size -C --mcu=atmega328p $@");
        w.line("# the per-cycle trace build on the target (SC models; scnn run-c --trace --target avr)");
        w.line("scnn_fw_trace.elf: $(SRCS) scnn_trace.c $(wildcard *.h)");
        w.recipe("$(CC) $(CFLAGS) -DSCNN_TRACE -I. -o $@ $(SRCS) scnn_trace.c $(LDFLAGS)");
    } else {
        w.line("CC = arm-none-eabi-gcc");
        w.linef("CFLAGS = -mcpu=cortex-m3 -mthumb -Os -DSCNN_TARGET_CORTEX_M {} -std=gnu99 -ffunction-sections "
                "-fdata-sections", warn);
        w.line("LDFLAGS = --specs=nano.specs --specs=rdimon.specs -T scnn_lm3s6965.ld -Wl,--gc-sections");
        w.linef("SRCS = {} scnn_startup.c", srcs);
        w.line("scnn_fw.elf: $(SRCS) $(wildcard *.h) scnn_lm3s6965.ld");
        w.recipe("$(CC) $(CFLAGS) -I. -o $@ $(SRCS) $(LDFLAGS)");
        w.recipe("arm-none-eabi-size $@");
    }
    w.line();
    w.line("clean:");
    w.recipe("rm -f scnn_fw scnn_fw.elf scnn_fw_trace scnn_fw_trace.elf");
    w.line(".PHONY: clean");
    return w.take();
}

}  // namespace

void write_project(OutputDir& dir, const std::vector<GeneratedFile>& model, const TargetSpec& t,
                   const std::string& command) {
    namespace fs = std::filesystem;
    const fs::path fw = firmware_dir();
    if (!fs::exists(fw / "runtime" / "scnn_port.h"))
        throw Error(fmt::format("firmware runtime not found in '{}' (set SCNN_FIRMWARE_DIR)", fw.string()));
    for (const auto& f : model) dir.write(f.name, f.text);
    for (const char* h : {"scnn_port.h", "scnn_model_api.h", "scnn_sc_rt.h"}) dir.copy(fw / "runtime" / h, h);
    const fs::path board = fw / t.name;
    for (const auto& e : fs::directory_iterator(board))
        if (e.is_regular_file()) dir.copy(e.path(), e.path().filename());
    dir.write("Makefile", makefile(t, model, command));
}

}  // namespace scnn::codegen::c
