// Hot kernels of the fast simulator. Bit-sliced APC: every product word is added into vertical counters (bit plane b holds bit b of the
// per-cycle count of 256 cycles), so that one vector operation advances 256 cycles. Then P − N is formed
// in the bit-sliced domain (two's complement, offset 2^planes) and spread to per-cycle integers four cycles
// at a time with a nibble table of 16-bit lanes. Also: pooling stages word by word, and eight delta-sigma
// neurons in vector lanes.
#include "engine/sim/fast_kernels.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace scnn::sim::kernels {

namespace {

typedef std::uint64_t V __attribute__((vector_size(32)));

constexpr std::array<std::uint64_t, 16> make_spread() {
    std::array<std::uint64_t, 16> t{};
    for (unsigned n = 0; n < 16; ++n)
        for (unsigned j = 0; j < 4; ++j)
            if (n >> j & 1U) t[n] |= std::uint64_t{1} << (16 * j);
    return t;
}
constexpr auto kSpread = make_spread();

inline V load(const Word* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Carry-save adder: (sum, carry) of three bit vectors, lane-wise.
inline void csa(V& carry, V& sum, const V& a, const V& b, const V& c) {
    const V u = a ^ b;
    carry = (a & b) | (u & c);
    sum = u ^ c;
}

// Adds the 1-bit vector `x` of weight 2^from into planes[from .. planes), branch-free.
inline void ripple(V* p, int from, int planes, V x) {
    for (int b = from; b < planes; ++b) {
        const V c = p[b] & x;
        p[b] ^= x;
        x = c;
    }
}

// Harley–Seal: eight product words at a time through a carry-save tree into ones/twos/fours, and the
// eights rippled into the higher planes; the remainder one by one.
inline void accumulate(const std::vector<Term>& terms, std::size_t off, V* p, int planes) {
    V ones{}, twos{}, fours{};
    const auto prod = [&](std::size_t i) { return load(terms[i].x + off) & load(terms[i].w + off); };
    std::size_t i = 0;
    for (; i + 8 <= terms.size(); i += 8) {
        V ta, tb, fa, fb, eights;
        csa(ta, ones, ones, prod(i), prod(i + 1));
        csa(tb, ones, ones, prod(i + 2), prod(i + 3));
        csa(fa, twos, twos, ta, tb);
        csa(ta, ones, ones, prod(i + 4), prod(i + 5));
        csa(tb, ones, ones, prod(i + 6), prod(i + 7));
        csa(fb, twos, twos, ta, tb);
        csa(eights, fours, fours, fa, fb);
        ripple(p, 3, planes, eights);
    }
    // planes 0..2 from the carry-save registers (p[0..2] are still zero here)
    p[0] = ones;
    if (planes > 1) p[1] = twos;
    if (planes > 2) p[2] = fours;
    for (; i < terms.size(); ++i) ripple(p, 0, planes, prod(i));
}

}  // namespace

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SCNN_CLONES __attribute__((target_clones("avx2", "default")))  // one AVX2 register per block when present
#else
#define SCNN_CLONES
#endif

SCNN_CLONES
void block_delta(const std::vector<Term>& pos, const std::vector<Term>& neg, int block, int planes,
                 std::int32_t* delta) {
    V p[17] = {}, n[17] = {};
    const std::size_t off = std::size_t(block) * kBlockWords;
    accumulate(pos, off, p, planes);
    accumulate(neg, off, n, planes);
    // q = p + ~n + 1 over `planes` bits: p − n + 2^planes, planes + 1 bits
    V q[17];
    V carry = ~V{};
    for (int b = 0; b < planes; ++b) {
        const V x = p[b], y = ~n[b];
        q[b] = x ^ y ^ carry;
        carry = (x & y) | (carry & (x ^ y));
    }
    q[planes] = carry;
    const std::int32_t bias = std::int32_t{1} << planes;
    for (int w = 0; w < kBlockWords; ++w) {
        for (int g = 0; g < 16; ++g) {
            std::uint64_t lanes = 0;
            for (int b = 0; b <= planes; ++b) lanes += kSpread[(q[b][w] >> (4 * g)) & 15U] << b;
            std::int32_t* d = delta + w * 64 + g * 4;
            d[0] = std::int32_t(lanes & 0xFFFF) - bias;
            d[1] = std::int32_t((lanes >> 16) & 0xFFFF) - bias;
            d[2] = std::int32_t((lanes >> 32) & 0xFFFF) - bias;
            d[3] = std::int32_t(lanes >> 48) - bias;
        }
    }
}

void pool_stage(bool max_pool, const std::vector<Window>& windows, bool bipolar, std::size_t length,
                std::size_t words, const Word* xp, const Word* xn, Word* yp, Word* yn) {
    const bool mx = max_pool;
    const auto L = length;
    std::vector<std::int64_t> count;
    std::vector<std::pair<const Word*, const Word*>> in;
    for (std::size_t o = 0; o < windows.size(); ++o) {
        const Window& w = windows[o];
        const std::size_t m_in = w.inputs.size();
        count.assign(m_in, 0);
        in.clear();
        for (auto i : w.inputs) in.emplace_back(&xp[std::size_t(i) * words], &xn[std::size_t(i) * words]);
        std::int64_t acc = 0;
        for (std::size_t word = 0; word * 64 < L; ++word) {
            const std::size_t end = std::min<std::size_t>(64, L - word * 64);
            Word p_out = 0, n_out = 0;
            for (std::size_t j = 0; j < end; ++j) {
                std::int64_t y = 0;
                if (mx) {
                    std::int64_t m = 0;  // a window entirely in padding follows the count 0
                    if (m_in) {
                        m = count[0];
                        for (std::size_t q = 1; q < m_in; ++q) m = std::max(m, count[q]);
                    }
                    if (bipolar)
                        y = m >= acc ? 1 : -1;
                    else if (m_in)
                        y = (m > acc) - (m < acc);
                    acc += y;
                    for (std::size_t q = 0; q < m_in; ++q)
                        count[q] += std::int64_t((in[q].first[word] >> j) & 1U) - std::int64_t((in[q].second[word] >> j) & 1U);
                } else {
                    if (bipolar)
                        y = acc >= 0 ? 1 : -1;
                    else
                        y = 2 * acc >= w.divisor ? 1 : (2 * acc < -w.divisor ? -1 : 0);
                    std::int64_t sum = 0;
                    for (std::size_t q = 0; q < m_in; ++q)
                        sum += std::int64_t((in[q].first[word] >> j) & 1U) - std::int64_t((in[q].second[word] >> j) & 1U);
                    acc += sum - w.divisor * y;
                }
                p_out |= Word{y > 0} << j;
                n_out |= Word{y < 0} << j;
            }
            yp[o * words + word] = p_out;
            yn[o * words + word] = n_out;
        }
    }
}

SCNN_CLONES
void neuron_lanes(const std::int32_t* dl, std::int32_t* ys, std::size_t end, std::int32_t* st) {
    Lanes acc, kk, lo, hi, negmask;
    std::memcpy(&acc, st, 32), std::memcpy(&kk, st + 8, 32), std::memcpy(&lo, st + 16, 32);
    std::memcpy(&hi, st + 24, 32), std::memcpy(&negmask, st + 32, 32);
    const Lanes nkk = -kk;
    for (std::size_t j = 0; j < end; ++j) {
        Lanes dj;
        std::memcpy(&dj, dl + 8 * j, 32);
        const Lanes a2 = acc + acc;
        const Lanes up = a2 >= kk, down = (a2 < nkk) & negmask;  // lanes of −1 (true) or 0
        const Lanes y = down - up;                               // +1, 0 or −1
        std::memcpy(ys + 8 * j, &y, 32);
        acc += dj - (kk & up) + (kk & down);  // acc + d·Δ − k·y
        acc = acc < lo ? lo : acc;
        acc = acc > hi ? hi : acc;
    }
    std::memcpy(st, &acc, 32);
}

}  // namespace scnn::sim::kernels
