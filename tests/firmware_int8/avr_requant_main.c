/* ATmega328P test main for the generated requantization helpers, run by avr_int8_runner: includes a generated
 * scnn_model.c (for its static helpers), reads a vector count (2 bytes) and per vector acc (int32), mult
 * (int32), shift (int8), zp (int8), all little endian from GPIOR0, and writes scnn_high_mul(acc, mult) (4 bytes,
 * little endian) and scnn_requant(acc, mult, shift, zp, -128, 127) (1 byte) to GPIOR2. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>

#include "scnn_model.c"

static uint32_t read_u32(void)
{
    uint32_t v = 0;
    uint8_t i;
    for (i = 0; i < 4; ++i) v |= (uint32_t)GPIOR0 << (8 * i);
    return v;
}

int main(void)
{
    uint16_t n = GPIOR0;
    n |= (uint16_t)((uint16_t)GPIOR0 << 8);
    while (n--) {
        const int32_t acc = (int32_t)read_u32();
        const int32_t mult = (int32_t)read_u32();
        const int8_t shift = (int8_t)GPIOR0;
        const int8_t zp = (int8_t)GPIOR0;
        const uint32_t high = (uint32_t)scnn_high_mul(acc, mult);
        uint8_t i;
        for (i = 0; i < 4; ++i) GPIOR2 = (uint8_t)(high >> (8 * i));
        GPIOR2 = scnn_requant(acc, mult, shift, zp, -128, 127);
    }
    cli();
    sleep_enable();
    sleep_cpu();
    return 0;
}
