#include "engine/sc/halton.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sc {
namespace {
constexpr std::array<unsigned, kHaltonDimensions> kPrimes = {2,  3,  5,  7,  11, 13, 17, 19,
                                                             23, 29, 31, 37, 41, 43, 47, 53};
}  // namespace

unsigned halton_base(unsigned dimension) {
    if (dimension < 1 || dimension > kHaltonDimensions)
        throw Error(fmt::format("Halton dimension {} is outside 1 .. {}", dimension, kHaltonDimensions));
    return kPrimes[dimension - 1];
}

unsigned halton_digits(unsigned base, unsigned width) {
    if (base < 2) throw Error(fmt::format("Halton base {} is below 2", base));
    const std::uint64_t limit = std::uint64_t{1} << width;
    unsigned k = 0;
    for (std::uint64_t p = base; p <= limit; p *= base) ++k;
    if (k == 0) throw Error(fmt::format("Halton base {} does not fit in {} bits", base, width));
    return k;
}

std::uint64_t halton_range(unsigned base, unsigned width) {
    std::uint64_t m = 1;
    for (unsigned i = halton_digits(base, width); i > 0; --i) m *= base;
    return m;
}

HaltonGen::HaltonGen(unsigned base, unsigned width, std::uint64_t start_cycle)
    : base_(base), digits_(halton_digits(base, width)) {
    std::uint64_t p = 1;
    for (unsigned i = digits_; i > 0; --i) {
        place_[i - 1] = static_cast<std::uint32_t>(p);
        p *= base_;
    }
    std::uint64_t t = start_cycle % halton_range(base, width);
    for (unsigned i = 0; i < digits_; ++i) {
        digit_[i] = static_cast<std::uint8_t>(t % base_);
        t /= base_;
        value_ += digit_[i] * place_[i];
    }
}

}  // namespace scnn::sc
