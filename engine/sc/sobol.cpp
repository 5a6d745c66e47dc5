#include "engine/sc/sobol.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sc {
namespace {

// Dimensions 2 .. 32: primitive polynomial (bit i = coefficient of x^i; degree s = msb) and the s initial
// direction numbers m_1 .. m_s, copied from S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
// two-dimensional projections", SIAM J. Sci. Comput. 30 (2008), file new-joe-kuo-6.21201 (rows d = 2 .. 32),
// which is also the table Boost.Random's sobol uses; the tests compare against boost::random::sobol.
struct SobolRow {
    std::uint32_t poly;
    std::array<std::uint32_t, 7> m;
};

constexpr std::array<SobolRow, kSobolDimensions - 1> kRows = {{
    {3, {1}},
    {7, {1, 3}},
    {11, {1, 3, 1}},
    {13, {1, 1, 1}},
    {19, {1, 1, 3, 3}},
    {25, {1, 3, 5, 13}},
    {37, {1, 1, 5, 5, 17}},
    {41, {1, 1, 5, 5, 5}},
    {47, {1, 1, 7, 11, 19}},
    {55, {1, 1, 5, 1, 1}},
    {59, {1, 1, 1, 3, 11}},
    {61, {1, 3, 5, 5, 31}},
    {67, {1, 3, 3, 9, 7, 49}},
    {91, {1, 1, 1, 15, 21, 21}},
    {97, {1, 3, 1, 13, 27, 49}},
    {103, {1, 1, 1, 15, 7, 5}},
    {109, {1, 3, 1, 15, 13, 25}},
    {115, {1, 1, 5, 5, 19, 61}},
    {131, {1, 3, 7, 11, 23, 15, 103}},
    {137, {1, 3, 7, 13, 13, 15, 69}},
    {143, {1, 1, 3, 13, 7, 35, 63}},
    {145, {1, 3, 5, 9, 1, 25, 53}},
    {157, {1, 3, 1, 13, 9, 35, 107}},
    {167, {1, 3, 1, 5, 27, 61, 31}},
    {171, {1, 1, 5, 11, 19, 41, 61}},
    {185, {1, 3, 5, 3, 3, 13, 69}},
    {191, {1, 1, 7, 13, 1, 19, 1}},
    {193, {1, 3, 7, 5, 13, 19, 59}},
    {203, {1, 1, 3, 9, 25, 29, 41}},
    {211, {1, 3, 5, 13, 23, 1, 55}},
    {213, {1, 3, 7, 3, 13, 59, 17}},
}};

unsigned degree_of(std::uint32_t poly) { return 31u - static_cast<unsigned>(__builtin_clz(poly)); }

void check(unsigned dimension, unsigned width) {
    if (dimension < 1 || dimension > kSobolDimensions)
        throw Error(fmt::format("Sobol dimension {} is outside 1 .. {}", dimension, kSobolDimensions));
    if (width < kMinWidth || width > kMaxWidth)
        throw Error(fmt::format("Sobol width {} is outside {} .. {}", width, kMinWidth, kMaxWidth));
}

}  // namespace

std::uint32_t sobol_polynomial(unsigned dimension) {
    check(dimension, kMinWidth);
    return dimension == 1 ? 0u : kRows[dimension - 2].poly;
}

std::array<std::uint32_t, 32> sobol_direction_integers(unsigned dimension, unsigned width) {
    check(dimension, width);
    std::array<std::uint64_t, 32> m{};  // m_j for j = 0 .. width-1 (m_j odd, < 2^(j+1))
    if (dimension == 1) {
        m.fill(1);
    } else {
        const SobolRow& row = kRows[dimension - 2];
        const unsigned s = degree_of(row.poly);
        for (unsigned j = 0; j < width; ++j) {
            if (j < s) {
                m[j] = row.m[j];
                continue;
            }
            // Bratley-Fox: m_j = m_{j-s} ^ (m_{j-s} << s) ^ XOR_{k=1}^{s-1} a_k (m_{j-s+k} << (s-k)),
            // where a_k is bit k of the polynomial (coefficient of x^k).
            std::uint64_t v = m[j - s] ^ (m[j - s] << s);
            for (unsigned k = 1; k < s; ++k)
                if ((row.poly >> k) & 1u) v ^= m[j - s + k] << (s - k);
            m[j] = v;
        }
    }
    std::array<std::uint32_t, 32> v{};
    for (unsigned j = 0; j < width; ++j) v[j] = static_cast<std::uint32_t>(m[j] << (width - 1 - j));
    return v;
}

std::uint32_t sobol_value(const std::array<std::uint32_t, 32>& directions, unsigned width, std::uint64_t t) {
    std::uint32_t r = 0;
    for (unsigned j = 0; j < width; ++j)
        if ((t >> j) & 1u) r ^= directions[j];
    return r;
}

SobolGen::SobolGen(unsigned dimension, unsigned width, std::uint64_t start_cycle)
    : mask_(width == 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)) {
    const auto v = sobol_direction_integers(dimension, width);
    std::uint32_t c = 0;
    for (unsigned j = 0; j < width; ++j) {
        c ^= v[j];
        cumulative_[j] = c;
    }
    counter_ = static_cast<std::uint32_t>(start_cycle) & mask_;
    value_ = sobol_value(v, width, counter_);
}

}  // namespace scnn::sc
