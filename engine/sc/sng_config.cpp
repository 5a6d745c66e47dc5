#include "engine/sc/sng_config.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/lfsr.hpp"

namespace scnn::sc {

std::string_view sng_kind_name(SngKind kind) {
    switch (kind) {
        case SngKind::lfsr_fibonacci: return "lfsr";
        case SngKind::lfsr_galois: return "lfsr-galois";
        case SngKind::sobol: return "sobol";
        case SngKind::halton: return "halton";
        case SngKind::ramp: return "ramp";
        case SngKind::random: return "random";
    }
    return "?";
}

SngKind parse_sng_kind(std::string_view name) {
    if (name == "lfsr" || name == "lfsr-fibonacci") return SngKind::lfsr_fibonacci;
    if (name == "lfsr-galois") return SngKind::lfsr_galois;
    if (name == "sobol") return SngKind::sobol;
    if (name == "halton") return SngKind::halton;
    if (name == "ramp") return SngKind::ramp;
    if (name == "random") return SngKind::random;
    throw Error(fmt::format("unknown generator '{}' (expected lfsr, lfsr-galois, sobol, halton, ramp or random)",
                            name));
}

void validate(const SngConfig& c) {
    const std::string_view k = sng_kind_name(c.kind);
    if (k == "?") throw Error("unknown generator kind");
    if (c.width < kMinWidth || c.width > kMaxWidth)
        throw Error(fmt::format("{} generator width {} is outside {} .. {}", k, c.width, kMinWidth, kMaxWidth));
    if (c.rotate >= c.width)
        throw Error(fmt::format("{} generator rotation {} is outside 0 .. {}", k, c.rotate, c.width - 1));
    if (c.offset > (std::uint64_t{1} << 32))
        throw Error(fmt::format("{} generator offset {} is above 2^32", k, c.offset));
    const std::uint64_t states = std::uint64_t{1} << c.width;
    switch (c.kind) {
        case SngKind::lfsr_fibonacci:
        case SngKind::lfsr_galois:
            if (c.seed == 0 || c.seed >= states)
                throw Error(fmt::format("{} seed {} is outside 1 .. {} for width {}", k, c.seed, states - 1, c.width));
            if (c.poly != 0 && (c.poly >= states || ((c.poly >> (c.width - 1)) & 1u) == 0))
                throw Error(fmt::format("{} polynomial 0x{:x} must set bit {} and no higher bit for width {}", k,
                                        c.poly, c.width - 1, c.width));
            break;
        case SngKind::sobol:
            if (c.dimension < 1 || c.dimension > kSobolDimensions)
                throw Error(fmt::format("sobol dimension {} is outside 1 .. {}", c.dimension, kSobolDimensions));
            break;
        case SngKind::halton:
            if (c.dimension < 1 || c.dimension > kHaltonDimensions)
                throw Error(fmt::format("halton dimension {} is outside 1 .. {}", c.dimension, kHaltonDimensions));
            if (c.rotate != 0) throw Error("halton generator cannot be rotated (its range is not a power of 2)");
            halton_digits(halton_base(c.dimension), c.width);
            break;
        case SngKind::ramp:
        case SngKind::random: break;
    }
}

std::uint64_t sng_range(const SngConfig& c) {
    if (c.kind == SngKind::halton) return halton_range(halton_base(c.dimension), c.width);
    return std::uint64_t{1} << c.width;
}

std::string describe(const SngConfig& c) {
    std::string s;
    switch (c.kind) {
        case SngKind::lfsr_fibonacci:
        case SngKind::lfsr_galois:
            s = fmt::format("{}(width={}, poly=0x{:x}, seed={}", sng_kind_name(c.kind), c.width,
                            c.poly != 0 ? c.poly : lfsr_default_poly(c.width), c.seed);
            break;
        case SngKind::sobol: s = fmt::format("sobol(width={}, dimension={}", c.width, c.dimension); break;
        case SngKind::halton:
            s = fmt::format("halton(width={}, base={}", c.width, halton_base(c.dimension));
            break;
        case SngKind::ramp: s = fmt::format("ramp(width={}", c.width); break;
        case SngKind::random: s = fmt::format("random(width={}, seed={}", c.width, c.seed); break;
    }
    if (c.offset != 0) s += fmt::format(", offset={}", c.offset);
    if (c.rotate != 0) s += fmt::format(", rotate={}", c.rotate);
    return s + ")";
}

}  // namespace scnn::sc
