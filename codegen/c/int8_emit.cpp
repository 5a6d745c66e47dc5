#include "codegen/c/int8_emit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "codegen/c/int8_kernels.hpp"
#include "codegen/c/int8_layers.hpp"
#include "codegen/c/int8_plan.hpp"

namespace scnn::codegen::c {

namespace {

using namespace int8_detail;
using std::int64_t;

std::string layer_name(std::size_t index) { return fmt::format("scnn_l{}", index); }

std::string slot_expr(const Slot& s) {
    if (s.pixels) return "pixels";
    return s.offset == 0 ? std::string("scnn_arena") : fmt::format("scnn_arena + {}", s.offset);
}

/// C type of flat tensor indices: 16 bits when every tensor has fewer than 2^16 elements.
std::string index_type(const int8::QuantizedNetwork& qnet) {
    int64_t largest = qnet.input.size();
    for (const auto& q : qnet.layers) largest = std::max({largest, q.layer.in.size(), q.layer.out.size()});
    return largest <= 65535 ? "uint16_t" : "uint32_t";
}

std::string write_header(const int8::QuantizedNetwork& qnet, const ArenaPlan& plan, const Int8Footprint& fp,
                         const Int8EmitOptions& options) {
    CodeWriter w;
    w.stamp("//", options.command);
    w.line("/* scnn_model.h - an int8 network (TFLite integer-only semantics, equal to scnn's engine/int8) */");
    w.line("#ifndef SCNN_MODEL_H");
    w.line("#define SCNN_MODEL_H");
    w.line();
    w.line("#define SCNN_MODE_INT8 1");
    w.linef("#define SCNN_INPUT_SIZE {}", qnet.input.size());
    w.linef("#define SCNN_CLASSES {}", plan.output.size);
    w.linef("#define SCNN_INT8_ARENA_BYTES {} /* activation arena (.bss) */", fp.arena_bytes);
    w.linef("#define SCNN_INT8_TABLE_BYTES {} /* constant tables (flash) */", fp.table_bytes);
    w.linef("#define SCNN_INT8_MACS {} /* multiply-accumulates per inference */", fp.macs);
    w.line();
    w.line("#include \"scnn_model_api.h\"");
    w.line();
    w.line("#endif /* SCNN_MODEL_H */");
    return w.take();
}

/// On AVR a C array holds at most 32767 bytes and SCNN_RD_* (pgm_read_*_near) reach the first 64 KB of
/// flash: a model beyond that stops the build with one line instead of a compiler error per table (the rest
/// of the file is then inside #else). Returns whether it wrote the guard.
bool write_avr_guard(CodeWriter& w, const int8::QuantizedNetwork& qnet, const Int8Footprint& fp) {
    std::int64_t largest = 0;
    for (const auto& q : qnet.layers) largest = std::max(largest, largest_table_bytes(q));
    if (largest <= 32767 && fp.table_bytes <= 65535) return false;
    w.line("#if defined(__AVR__)");
    w.linef(
        "#error \"scnn: this int8 model does not fit an AVR: its flash tables take {} bytes (largest {}), an AVR "
        "array holds at most 32767 and near flash reads reach 65535\"",
        fp.table_bytes, largest);
    w.line("#else");
    w.line();
    return true;
}

void write_preamble(CodeWriter& w, const Int8EmitOptions& options) {
    w.stamp("//", options.command);
    w.line("/* scnn_model.c - int8 inference, layer by layer as scnn's engine/int8 computes it. Activations are");
    w.line(" * stored offset-binary, u = q + 128 (0..255), in one arena; constant tables live in flash. */");
    w.line("#include <stdint.h>");
    w.line();
    w.line("#include \"scnn_model.h\"");
    w.line("#include \"scnn_port.h\"");
    w.line();
}

void write_arena(CodeWriter& w, const int8::QuantizedNetwork& qnet, const ArenaPlan& plan) {
    w.linef("/* activations: each layer writes the end of the arena its input does not use ({} bytes) */",
            plan.arena_bytes);
    w.linef("static uint8_t scnn_arena[{}];", plan.arena_bytes);
    w.line();
    if (!plan.identity_lut) {
        write_table(w,
                    fmt::format("pixel -> u = q + 128 (input scale {:.9g}, zero point {})", qnet.input_params.scale,
                                qnet.input_params.zero_point),
                    "uint8_t", "scnn_input_lut", std::vector<int64_t>(plan.input_lut.begin(), plan.input_lut.end()));
        w.line();
    }
}

void write_infer(CodeWriter& w, const int8::QuantizedNetwork& qnet, const ArenaPlan& plan, const std::string& idx_t) {
    w.line("int scnn_infer(const uint8_t *pixels, int32_t *out)");
    CodeWriter::Block fn(w, "{");
    w.linef("const uint8_t *logits = {};", slot_expr(plan.output));
    w.linef("{} c, best = 0;", count_type(plan.output.size));
    if (!plan.identity_lut) {
        w.linef("{} i;", idx_t);
        w.linef("for (i = 0; i < {}; ++i) scnn_arena[i] = SCNN_RD_U8(&scnn_input_lut[pixels[i]]);", qnet.input.size());
    } else if (plan.steps.empty() && !plan.output.pixels) {
        w.line("(void)pixels;");
    }
    for (const auto& s : plan.steps) {
        w.linef("{}({}, {}); /* {} */", layer_name(s.layer), slot_expr(s.in), slot_expr(s.out),
                comment_safe(qnet.layers[s.layer].layer.name));
    }
    w.open(fmt::format("for (c = 0; c < {}; ++c) {{", plan.output.size));
    w.line("out[c] = (int32_t)logits[c] - 128;");
    w.line("if (logits[c] > logits[best]) best = c; /* ties: the lowest index */");
    w.close("}");
    w.line("return best;");
}

}  // namespace

Int8Footprint int8_footprint(const int8::QuantizedNetwork& qnet) {
    for (const auto& q : qnet.layers) check_layer(q);
    const ArenaPlan plan = plan_arena(qnet);
    Int8Footprint fp;
    fp.arena_bytes = plan.arena_bytes;
    fp.reads_pixels_directly = plan.identity_lut;
    fp.table_bytes = plan.identity_lut ? 0 : 256;
    for (const auto& q : qnet.layers) {
        fp.table_bytes += table_bytes(q);
        fp.macs += mac_count(q);
    }
    return fp;
}

std::map<std::string, std::string> emit_int8(const int8::QuantizedNetwork& qnet, const Int8EmitOptions& options) {
    const Int8Footprint fp = int8_footprint(qnet);  // checks every layer
    const ArenaPlan plan = plan_arena(qnet);
    const std::string idx_t = index_type(qnet);
    KernelNeeds needs;
    for (const auto& q : qnet.layers) add_needs(q, needs);

    CodeWriter w;
    write_preamble(w, options);
    const bool guarded = write_avr_guard(w, qnet, fp);
    write_arena(w, qnet, plan);
    write_kernels(w, needs);
    for (const auto& s : plan.steps) write_layer(w, qnet.layers[s.layer], layer_name(s.layer), idx_t);
    write_infer(w, qnet, plan, idx_t);
    if (guarded) w.line("#endif /* __AVR__ */");
    return {{"scnn_model.h", write_header(qnet, plan, fp, options)}, {"scnn_model.c", w.take()}};
}

}  // namespace scnn::codegen::c
