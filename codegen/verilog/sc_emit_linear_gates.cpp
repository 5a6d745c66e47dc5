// SC Verilog emitter, synthesis form (ScForm::synthesis) of a linear stage's processing elements: every
// constant wired into gates, nothing read from a ROM at a computed address.
//   - one comparator per distinct weight threshold that some product reads (a constant threshold);
//   - per PE one vector of its nonzero products per polarity, written as one assignment (a case over the
//     phase when folded); a product that is 0 in every phase (padding, a zero split-unipolar weight, the
//     neg stream of an unsigned input) is left out, so the adder is only as wide as the PE's real terms;
//   - the adder as an instance: scnn_apc (a tree yosys maps once per width), scnn_or_adder, scnn_mux_adder;
//   - a delta-sigma stage's k per PE as a constant (a case over the phase when folded).
// The result drives the same pe_delta / pe_k nets as the simulation form, so the neurons, register files
// and commit logic are shared (sc_emit_linear.cpp).
#include <fmt/core.h>

#include <cstdlib>
#include <set>

#include "codegen/verilog/sc_emit_detail.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

/// The (pos, neg) pair of one product as Verilog expressions; an empty string is the constant 0.
using Product = std::pair<std::string, std::string>;

struct Gates {
    const Ctx& ctx;
    const ir::PlanStage& s;
    const LinearGates& L;
    std::vector<std::int32_t> slots;
    std::set<std::int64_t> used;  ///< weight threshold magnitudes some product reads

    std::string weight_bit(std::int32_t t) {
        const std::int64_t m = ctx.bipolar ? t : std::abs(t);
        used.insert(m);
        return fmt::format("w{}", m);
    }

    /// scnn_product's rule with constant wiring: input element `in` (−1: padding; −2: the bias, x = +1)
    /// times the weight threshold t.
    Product product(std::int32_t in, std::int32_t t) {
        if (in == -1 || (!ctx.bipolar && t == 0)) return {};  // padding; a split-unipolar weight 0 is never 1
        const std::string w = weight_bit(t);
        if (in == -2) {
            if (ctx.bipolar) return {w, "~" + w};
            return t < 0 ? Product{"", w} : Product{w, ""};
        }
        const std::string xp = fmt::format("in_pos[{}]", in);
        const std::string xn = L.neg_zero ? "" : fmt::format("in_neg[{}]", in);
        if (ctx.bipolar) {  // XNOR
            if (xn.empty()) return {fmt::format("({} & {})", xp, w), fmt::format("({} & ~{})", xp, w)};
            return {fmt::format("(({0} & {2}) | ({1} & ~{2}))", xp, xn, w),
                    fmt::format("(({0} & ~{2}) | ({1} & {2}))", xp, xn, w)};
        }
        const std::string a = fmt::format("({} & {})", w, xp);
        const std::string b = xn.empty() ? "" : fmt::format("({} & {})", w, xn);
        return t < 0 ? Product{b, a} : Product{a, b};  // AND, wired by the weight's sign
    }

    /// The P + 1 products of output o (the last is the bias); o >= n: an idle PE, all 0.
    std::vector<Product> terms(std::int64_t o) {
        std::vector<Product> out(std::size_t(L.per + 1));
        if (o >= L.no) return out;
        const int ch = channel_of(s, o);
        for (std::int64_t i = 0; i < L.per; ++i)
            out[std::size_t(i)] = product(slots[std::size_t(o * L.per + i)], s.weights[std::size_t(ch * L.per + i)]);
        out[std::size_t(L.per)] = product(-2, s.bias[std::size_t(ch)]);
        return out;
    }
};

/// `dst = {e[lanes.back()], ..., e[lanes.front()]};` over several lines (lane order: bit 0 first).
void write_vector(CodeWriter& w, const std::string& op, const std::string& dst, const std::vector<std::int64_t>& lanes,
                  const std::vector<Product>& e, bool pos) {
    if (lanes.empty()) return;
    std::string line = fmt::format("{}{} = {{", op, dst);
    std::vector<std::string> lines;
    for (std::size_t n = lanes.size(); n-- > 0;) {
        const std::string& x = pos ? e[std::size_t(lanes[n])].first : e[std::size_t(lanes[n])].second;
        line += (x.empty() ? std::string("1'b0") : x) + (n == 0 ? "};" : ", ");
        if (line.size() > 100 || n == 0) {
            lines.push_back(line);
            line = "    ";
        }
    }
    for (const auto& l : lines) w.line(l);
}

/// The slots (lanes) of a PE whose `pos` (or neg) product is nonzero in some phase; every slot for the
/// one-hot adders (or, mux), which index by slot.
std::vector<std::int64_t> lanes_of(const std::vector<std::vector<Product>>& phases, bool pos, bool all) {
    std::vector<std::int64_t> lanes;
    for (std::size_t i = 0; i < phases.front().size(); ++i) {
        bool any = all;
        for (const auto& p : phases) any = any || !(pos ? p[i].first : p[i].second).empty();
        if (any) lanes.push_back(std::int64_t(i));
    }
    return lanes;
}

/// PE j: its product vectors pp<j>/pn<j> and k, the adder, pe_delta[j] (and pe_k[j]).
void write_pe(Gates& g, CodeWriter& w, std::int64_t j) {
    const auto& L = g.L;
    const int F = g.ctx.fold, phw = phase_width(F);
    const bool apc = g.s.adder == "apc";
    std::vector<std::vector<Product>> phases;
    for (int f = 0; f < F; ++f) phases.push_back(g.terms(std::int64_t(f) * L.g + j));
    const auto lp = lanes_of(phases, true, !apc), ln = lanes_of(phases, false, !apc);
    w.linef("// PE {}: {} product(s) into the positive count, {} into the negative", j, lp.size(), ln.size());
    if (!lp.empty()) w.linef("{} [{}:0] pp{};", F == 1 ? "wire" : "reg", lp.size() - 1, j);
    if (!ln.empty()) w.linef("{} [{}:0] pn{};", F == 1 ? "wire" : "reg", ln.size() - 1, j);
    const auto k_of = [&](std::int64_t o) { return o < L.no ? g.s.k[std::size_t(channel_of(g.s, o))] : 1; };
    if (F == 1) {
        write_vector(w, "assign ", fmt::format("pp{}", j), lp, phases[0], true);
        write_vector(w, "assign ", fmt::format("pn{}", j), ln, phases[0], false);
        if (L.with_k) w.linef("assign pe_k[{}] = {}'d{};", j, L.kw, k_of(j));
    } else {
        if (L.with_k) w.linef("reg [{}:0] k{};", L.kw - 1, j);
        CodeWriter::Block a(w, "always @* begin", "end");
        w.line("case (ph)");
        w.indent();
        for (int f = 0; f < F; ++f) {
            CodeWriter::Block c(w, fmt::format("{}'d{}: begin", phw, f), "end");
            write_vector(w, "", fmt::format("pp{}", j), lp, phases[std::size_t(f)], true);
            write_vector(w, "", fmt::format("pn{}", j), ln, phases[std::size_t(f)], false);
            if (L.with_k) w.linef("k{} = {}'d{};", j, L.kw, k_of(std::int64_t(f) * L.g + j));
        }
        if (F < (1 << phw)) {
            CodeWriter::Block d(w, "default: begin", "end");
            if (!lp.empty()) w.linef("pp{} = {{{}{{1'b0}}}};", j, lp.size());
            if (!ln.empty()) w.linef("pn{} = {{{}{{1'b0}}}};", j, ln.size());
            if (L.with_k) w.linef("k{} = {}'d1;", j, L.kw);
        }
        w.dedent();
        w.line("endcase");
    }
    if (L.with_k && F > 1) w.linef("assign pe_k[{0}] = k{0};", j);
    if (apc) {
        w.linef("wire [{0}:0] cp{1}, cn{1};", L.cnw - 1, j);
        for (const auto& [v, lanes] : {std::pair{'p', &lp}, std::pair{'n', &ln}}) {
            if (lanes->empty()) w.linef("assign c{}{} = {}'d0;", v, j, L.cnw);
            else
                w.linef("scnn_apc #(.N({0}), .CW({1})) u_apc_{2}{3} (.in(p{2}{3}), .count(c{2}{3}));", lanes->size(),
                        L.cnw, v, j);
        }
        w.linef("assign pe_delta[{0}] = {{1'b0, cp{0}}} - {{1'b0, cn{0}}};", j);
        return;
    }
    w.linef("wire dp{0}, dn{0};", j);
    if (g.s.adder == "or")
        w.linef("scnn_or_adder #(.N({0})) u_add{1} (.pp(pp{1}), .pn(pn{1}), .dp(dp{1}), .dn(dn{1}));", L.per + 1, j);
    else
        w.linef("scnn_mux_adder #(.N({0}), .SW({1})) u_add{2} (.pp(pp{2}), .pn(pn{2}), .sel(sel), .dp(dp{2}), "
                ".dn(dn{2}));",
                L.per + 1, L.sw, j);
    w.linef("assign pe_delta[{0}] = {{1'b0, dp{0}}} - {{1'b0, dn{0}}};", j);
}

}  // namespace

void emit_linear_gates(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearGates& L) {
    Gates g{ctx, s, L, linear_slots(s), {}};
    CodeWriter pes;  // written first, so that the comparators cover exactly the thresholds the products read
    pes.linef("wire signed [{}:0] pe_delta [0:G-1];  // Δ(t) of the output each PE computes in this phase",
              L.dw - 1);
    if (L.with_k) pes.linef("wire [{}:0] pe_k [0:G-1];  // k of the output each PE computes in this phase", L.kw - 1);
    for (std::int64_t j = 0; j < L.g; ++j) write_pe(g, pes, j);
    w.line("// weight streams: one comparator per distinct threshold magnitude the products read");
    for (const std::int64_t m : g.used) {
        if (m == 0) w.line("wire w0 = 1'b0;  // threshold 0: never 1");
        else w.linef("wire w{0} = {{1'b0, r_w}} < {1}'d{0};", m, L.rw + 1);
    }
    if (g.used.empty()) w.line("wire unused_r_w = &{1'b0, r_w};");
    w.line("wire unused_gates = &{1'b0, in_pos, in_neg, ph};  // padding and unsigned inputs leave bits unread");
    w.lines(pes.take());
}

}  // namespace scnn::codegen::verilog::detail
