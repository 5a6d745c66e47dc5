#include "engine/sc/lfsr.hpp"

#include <array>
#include <initializer_list>

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {
namespace {

// Taps of maximal-length LFSRs, widths 3 .. 32 (Xilinx XAPP052, P. Alfke, "Efficient Shift Registers,
// LFSR Counters, and Long Pseudo-Random Sequence Generators", table 3). Each row lists the exponents k of
// the primitive feedback polynomial x^n + ... + 1; the tests check period 2^n - 1 for widths up to 20,
// and every width up to 32 was checked once when the table was entered.
constexpr std::uint32_t mask_of(std::initializer_list<unsigned> taps) {
    std::uint32_t m = 0;
    for (unsigned k : taps) m |= 1u << (k - 1);
    return m;
}

constexpr std::array<std::uint32_t, 33> kPolys = {
    0, 0, 0,
    mask_of({3, 2}),           mask_of({4, 3}),          mask_of({5, 3}),          mask_of({6, 5}),
    mask_of({7, 6}),           mask_of({8, 6, 5, 4}),    mask_of({9, 5}),          mask_of({10, 7}),
    mask_of({11, 9}),          mask_of({12, 6, 4, 1}),   mask_of({13, 4, 3, 1}),   mask_of({14, 5, 3, 1}),
    mask_of({15, 14}),         mask_of({16, 15, 13, 4}), mask_of({17, 14}),        mask_of({18, 11}),
    mask_of({19, 6, 2, 1}),    mask_of({20, 17}),        mask_of({21, 19}),        mask_of({22, 21}),
    mask_of({23, 18}),         mask_of({24, 23, 22, 17}), mask_of({25, 22}),       mask_of({26, 6, 2, 1}),
    mask_of({27, 5, 2, 1}),    mask_of({28, 25}),        mask_of({29, 27}),        mask_of({30, 6, 4, 1}),
    mask_of({31, 28}),         mask_of({32, 22, 2, 1}),
};

}  // namespace

std::uint32_t lfsr_default_poly(unsigned width) {
    if (width < 3 || width > 32) throw Error(fmt::format("LFSR width {} is outside 3 .. 32", width));
    return kPolys[width];
}

std::uint64_t lfsr_period(LfsrForm form, unsigned width, std::uint32_t poly, std::uint32_t seed,
                          std::uint64_t max_steps) {
    auto run = [&](auto lfsr) -> std::uint64_t {
        for (std::uint64_t i = 1; i <= max_steps; ++i) {
            lfsr.step();
            if (lfsr.state() == seed) return i;
        }
        return 0;
    };
    return form == LfsrForm::fibonacci ? run(LfsrFibonacci(width, poly, seed)) : run(LfsrGalois(width, poly, seed));
}

}  // namespace scnn::sc
