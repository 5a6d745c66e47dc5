#include "codegen/c/int8_kernels.hpp"

#include <fmt/format.h>

namespace scnn::codegen::c::int8_detail {

namespace {

void write_dot_u8(CodeWriter& w) {
    w.lines(R"(/* Sum of x[i] * w[i] for i < n: x activations u = q + 128 (RAM), w weights + 128 (flash), both 0..255.
 * A product is < 2^16, so a 24-bit accumulator holds 255 of them: AVR sums chunks of 255 in 24 bits, with an
 * assembly loop of two MACs (lpm Z+, ld X+, mul, 3-byte add: 10 cycles each) per dec/brne, 11.5 cycles per
 * MAC, or, with -DSCNN_INT8_NO_ASM, a one-MAC loop in C (__uint24; avr-gcc makes about 18 cycles of it). Elsewhere uint32_t holds all n <= 65535 terms,
 * 4 per loop iteration. */
static uint32_t scnn_dot_u8(const uint8_t *x, const uint8_t *w, uint16_t n)
{
#if defined(__AVR__)
    uint32_t sum = 0;
    while (n > 0) {
        uint8_t k = n > 255 ? 255 : (uint8_t)n;
        __uint24 acc = 0;
        n = (uint16_t)(n - k);
#if defined(SCNN_INT8_NO_ASM)
        do {
            acc += (uint16_t)SCNN_RD_U8(w) * (uint16_t)*x;
            ++w;
            ++x;
        } while (--k);
#else
        {
            uint8_t wv, xv;
            __asm__ __volatile__("sbrs %[k], 0\n\t" /* odd k: one MAC first */
                                 "rjmp 2f\n\t"
                                 "lpm %[wv], Z+\n\t"
                                 "ld %[xv], X+\n\t"
                                 "mul %[wv], %[xv]\n\t"
                                 "add %A[acc], r0\n\t"
                                 "adc %B[acc], r1\n\t"
                                 "adc %C[acc], %[zero]\n\t"
                                 "2: lsr %[k]\n\t" /* then k / 2 pairs */
                                 "breq 3f\n\t"
                                 "1:\n\t"
                                 "lpm %[wv], Z+\n\t"
                                 "ld %[xv], X+\n\t"
                                 "mul %[wv], %[xv]\n\t"
                                 "add %A[acc], r0\n\t"
                                 "adc %B[acc], r1\n\t"
                                 "adc %C[acc], %[zero]\n\t"
                                 "lpm %[wv], Z+\n\t"
                                 "ld %[xv], X+\n\t"
                                 "mul %[wv], %[xv]\n\t"
                                 "add %A[acc], r0\n\t"
                                 "adc %B[acc], r1\n\t"
                                 "adc %C[acc], %[zero]\n\t"
                                 "dec %[k]\n\t"
                                 "brne 1b\n\t"
                                 "3: clr __zero_reg__"
                                 : [acc] "+r"(acc), [k] "+r"(k), [w] "+z"(w), [x] "+x"(x), [wv] "=&r"(wv),
                                   [xv] "=&r"(xv)
                                 : [zero] "r"((uint8_t)0)
                                 : "memory");
        }
#endif
        sum += acc;
    }
    return sum;
#else
    uint32_t acc = 0;
    for (; n >= 4; n = (uint16_t)(n - 4)) { /* unrolled by 4: one loop test per 4 MACs (Cortex-M) */
        acc += (uint32_t)SCNN_RD_U8(w) * x[0] + (uint32_t)SCNN_RD_U8(w + 1) * x[1] +
               (uint32_t)SCNN_RD_U8(w + 2) * x[2] + (uint32_t)SCNN_RD_U8(w + 3) * x[3];
        w += 4;
        x += 4;
    }
    for (; n > 0; --n) {
        acc += (uint32_t)SCNN_RD_U8(w) * *x;
        ++w;
        ++x;
    }
    return acc;
#endif
}

/* Sum of x[i] for i < n (activations u, 0..255): once per dense layer, it turns the offset weights back
 * into signed ones for every output: sum x * w = sum x * (w + 128) - 128 * sum x. */
static uint32_t scnn_sum_u8(const uint8_t *x, uint16_t n)
{
    uint32_t sum = 0;
    for (; n > 0; --n) sum += *x++;
    return sum;
}
)");
}

void write_acc24(CodeWriter& w) {
    w.lines(
        R"(/* Accumulator of a layer whose worst-case sum fits 24 bits signed (checked when the code was generated). */
#if defined(__AVR__)
typedef __int24 scnn_acc24_t;
#else
typedef int32_t scnn_acc24_t;
#endif
)");
}

/// The AVR high multiply: the unsigned 64-bit product of a (as unsigned) and b from the 16 byte products,
/// each added at its byte position with the carry rippled to the top byte (generated, so no carry is missed).
void write_high_mul_avr(CodeWriter& w) {
    w.lines(R"(#if defined(__AVR__) && !defined(SCNN_INT8_NO_ASM)
/* floor((a * b + 2^30) / 2^31) for a int32, b in [0, 2^31): the 64-bit product from 16 mul instructions
 * (about 180 cycles fewer per call than libgcc's __mulsidi3 and 64-bit shift). */
static int32_t scnn_high_mul(int32_t a, int32_t b)
{
    uint32_t lo, hi;
    uint8_t zero;
    __asm__("clr %[z]\n\t")");
    w.indent();
    w.indent();
    w.indent();
    const char* bytes = "ABCD";
    const auto p = [&](int k) { return fmt::format("%{}[{}]", bytes[k % 4], k < 4 ? "lo" : "hi"); };
    for (int k = 0; k < 8; ++k) w.linef("\"clr {}\\n\\t\"", p(k));
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {
            w.linef("\"mul %{}[a], %{}[b]\\n\\t\"", bytes[i], bytes[j]);
            w.linef("\"add {}, r0\\n\\t\"", p(i + j));
            w.linef("\"adc {}, r1\\n\\t\"", p(i + j + 1));
            for (int k = i + j + 2; k < 8; ++k) w.linef("\"adc {}, %[z]\\n\\t\"", p(k));
        }
    }
    w.line("\"clr __zero_reg__\"");
    w.line(": [lo] \"=&r\"(lo), [hi] \"=&r\"(hi), [z] \"=&r\"(zero)");
    w.line(": [a] \"r\"(a), [b] \"r\"(b));");
    w.dedent();
    w.dedent();
    w.lines(R"(if (a < 0) hi -= (uint32_t)b; /* a = (uint32_t)a - 2^32 */
lo += 0x40000000u;
hi += lo < 0x40000000u ? 1u : 0u;
return (int32_t)((hi << 1) | (lo >> 31)); /* bits 31..62 of a * b + 2^30 */)");
    w.close("}");
    w.line("#endif");
    w.line();
}

void write_requant(CodeWriter& w, bool left_shift) {
    write_high_mul_avr(w);
    w.lines(
        R"(/* TFLite requantization, as engine/int8/fixed_point.hpp: acc * mult * 2^(shift - 31) with mult a Q0.31 value
 * in [2^30, 2^31) (or 0) and shift in [-31, 30]: saturating left shift, rounding doubling high multiply
 * (floor((a*b + 2^30) / 2^31)), rounding divide by 2^-shift (ties away from zero); then + zp, clamped to
 * [lo, hi] (int8), returned offset-binary (q + 128). Right shifts of negative values are arithmetic (gcc). */
static uint8_t scnn_requant(int32_t acc, int32_t mult, int8_t shift, int16_t zp, int16_t lo, int16_t hi)
{
    int32_t v;)");
    w.indent();
    if (left_shift) {
        w.lines(R"(if (shift > 0) {
    if (acc > (int32_t)(INT32_MAX >> shift)) {
        acc = INT32_MAX;
    } else if (acc < -(int32_t)((uint32_t)0x80000000u >> shift)) {
        acc = INT32_MIN;
    } else {
        acc *= (int32_t)1 << shift;
    }
})");
    }
    w.lines(R"(#if defined(__AVR__) && !defined(SCNN_INT8_NO_ASM)
v = scnn_high_mul(acc, mult);
#else
v = (int32_t)(((int64_t)acc * mult + ((int64_t)1 << 30)) >> 31);
#endif
if (shift < 0) { /* by e = -shift: whole bytes first, as an AVR shifts one bit per instruction */
    const uint8_t e = (uint8_t)-shift;
    uint32_t bit = 1u; /* 2^e */
    int32_t q = v;     /* v >> e */
    if (e & 16) {
        bit <<= 16;
        q >>= 16;
    }
    if (e & 8) {
        bit <<= 8;
        q >>= 8;
    }
    bit <<= e & 7;
    q >>= e & 7;
    {
        const uint32_t mask = bit - 1u;
        const uint32_t threshold = (mask >> 1) + (v < 0 ? 1u : 0u);
        const uint32_t remainder = (uint32_t)v & mask;
        v = q + (remainder > threshold ? 1 : 0);
    }
}
v += zp;
if (v < lo) v = lo;
if (v > hi) v = hi;
return (uint8_t)(v + 128);)");
    w.close("}");
    w.line();
}

}  // namespace

void write_kernels(CodeWriter& w, const KernelNeeds& needs) {
    if (needs.dot_u8) {
        write_dot_u8(w);
        w.line();
    }
    if (needs.acc24) {
        write_acc24(w);
        w.line();
    }
    if (needs.requant) write_requant(w, needs.left_shift);
}

std::string int32_literal(std::int64_t v) {
    return v == INT32_MIN ? std::string("(-2147483647 - 1)") : std::to_string(v);
}

void write_table(CodeWriter& w, const std::string& comment, const std::string& ctype, const std::string& name,
                 const std::vector<std::int64_t>& values) {
    w.linef("/* {} */", comment);
    w.open(fmt::format("static const {} SCNN_FLASH {}[{}] = {{", ctype, name, values.size()));
    std::string row;
    for (std::size_t i = 0; i < values.size(); ++i) {
        row += int32_literal(values[i]);
        row += ',';
        if (i % 16 == 15 || i + 1 == values.size()) {
            w.line(row);
            row.clear();
        } else {
            row += ' ';
        }
    }
    w.close("};");
}

std::string count_type(std::int64_t n) {
    if (n <= 255) return "uint8_t";
    if (n <= 65535) return "uint16_t";
    return "uint32_t";
}

}  // namespace scnn::codegen::c::int8_detail
