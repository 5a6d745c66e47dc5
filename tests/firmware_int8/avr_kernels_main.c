/* ATmega328P test main for the generated int8 helpers, run by avr_int8_runner. It includes a generated
 * scnn_model.c of fmnist_tiny (for its static helpers and its first dense layer's weight table scnn_l2_w) and
 * reads from GPIOR0, little endian:
 *   requantization vectors: a count (2 bytes), then per vector acc (int32), mult (int32), shift (int8),
 *     zp (int8) -> writes scnn_high_mul(acc, mult) (4 bytes) and scnn_requant(acc, mult, shift, zp, -128, 127);
 *   dot-product vectors: a count (2 bytes), then per vector a weight offset into scnn_l2_w (2 bytes), n (2 bytes)
 *     and n activation bytes -> writes scnn_dot_u8(x, scnn_l2_w + offset, n) (4 bytes);
 * every result to GPIOR2. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>

#include "scnn_model.c"

#if defined(SCNN_INT8_NO_ASM) /* the all-C build has no scnn_high_mul: the C expression it replaces */
static int32_t scnn_high_mul(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a * b + ((int64_t)1 << 30)) >> 31);
}
#endif

static uint8_t x[600];

static uint32_t read_bytes(uint8_t count)
{
    uint32_t v = 0;
    uint8_t i;
    for (i = 0; i < count; ++i) v |= (uint32_t)GPIOR0 << (8 * i);
    return v;
}

static void write_u32(uint32_t v)
{
    uint8_t i;
    for (i = 0; i < 4; ++i) GPIOR2 = (uint8_t)(v >> (8 * i));
}

int main(void)
{
    uint16_t n = (uint16_t)read_bytes(2);
    while (n--) {
        const int32_t acc = (int32_t)read_bytes(4);
        const int32_t mult = (int32_t)read_bytes(4);
        const int8_t shift = (int8_t)GPIOR0;
        const int8_t zp = (int8_t)GPIOR0;
        write_u32((uint32_t)scnn_high_mul(acc, mult));
        GPIOR2 = scnn_requant(acc, mult, shift, zp, -128, 127);
    }
    n = (uint16_t)read_bytes(2);
    while (n--) {
        const uint16_t offset = (uint16_t)read_bytes(2), len = (uint16_t)read_bytes(2);
        uint16_t i;
        for (i = 0; i < len && i < sizeof x; ++i) x[i] = GPIOR0;
        write_u32(scnn_dot_u8(x, scnn_l2_w + offset, len));
    }
    cli();
    sleep_enable();
    sleep_cpu();
    return 0;
}
