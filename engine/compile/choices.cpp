#include "engine/compile/choices.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "engine/ir/error.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sng_config.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::compile::detail {

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out(1);
    for (char c : s) {
        if (c == ',')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

std::string Choices::next() {
    const std::string& v = list.size() == 1 ? list[0] : (used < list.size() ? list[used] : list.back());
    ++used;
    return v;
}

void Choices::check_count() const {
    if (list.size() != 1 && list.size() != used)
        throw Error(fmt::format("{} has {} entries but the network has {} linear stages (give one entry, or "
                                "one per linear stage)",
                                option, list.size(), used));
}

unsigned parse_width(const std::string& w) {
    unsigned v = 0;
    const bool digits =
        !w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) v = unsigned(std::stoul(w));
    if (v < 3 || v > 16) throw Error(fmt::format("--width '{}' is not an integer in 3 .. 16", w));
    return v;
}

ir::PlanGenerator allocate_generator(const CompileOptions& o, const std::string& kind_name, unsigned width,
                                     unsigned index) {
    ir::PlanGenerator g;
    g.kind = kind_name;
    g.width = width;
    const auto kind = sc::parse_sng_kind(kind_name);
    if (kind == sc::SngKind::sobol) g.dimension = 1 + index % sc::kSobolDimensions;
    if (kind == sc::SngKind::halton) g.dimension = 1 + index % sc::kHaltonDimensions;
    const std::uint32_t mask = (std::uint32_t{1} << width) - 1;
    // LFSRs: the table polynomial for even indices and its reciprocal (also primitive) for odd ones, seeds
    // spread over the state space, and a rotation: different registers, as independent as an LFSR gets
    g.seed = kind == sc::SngKind::random ? o.seed + index
                                         : std::max<std::uint32_t>(1, (o.seed + index * 0x9E3779B1u) & mask);
    if (kind == sc::SngKind::lfsr_fibonacci || kind == sc::SngKind::lfsr_galois) {
        if (index % 2 == 1) {
            const std::uint32_t p = sc::lfsr_default_poly(width);
            std::uint32_t r = std::uint32_t{1} << (width - 1);
            for (unsigned k = 1; k < width; ++k)
                if (p >> (k - 1) & 1U) r |= std::uint32_t{1} << (width - k - 1);
            g.poly = r;
        }
        g.rotate = (index * 3) % width;
    }
    if (kind == sc::SngKind::ramp) g.rotate = index % width;  // the only knob a ramp has
    if (o.encoding == "bipolar" && index >= 1 && kind != sc::SngKind::halton && kind != sc::SngKind::random)
        g.rotate = (g.rotate + width / 2) % width;  // see docs/SEMANTICS.md §9.5 (bipolar)
    return g;
}

std::int64_t generator_range(const ir::PlanGenerator& g) { return std::int64_t(sc::sng_range(sim::to_sng_config(g))); }

std::int32_t threshold(double p, std::int64_t m) {
    const double a = std::min(1.0, std::fabs(p));
    const auto t = std::int32_t(std::min<double>(double(m), std::floor(a * double(m) + 0.5)));
    return p < 0 ? -t : t;
}

std::int32_t encode(double v, std::int64_t m, bool bipolar) {
    return bipolar ? threshold((std::clamp(v, -1.0, 1.0) + 1.0) / 2.0, m) : threshold(v, m);
}

}  // namespace scnn::compile::detail
