/* scnn_trace.c (avr, SC) - the per-cycle trace of a generated model on the ATmega328P itself, for
 * `scnn run-c --trace --target avr`: built with -DSCNN_TRACE into scnn_fw_trace.elf beside the usual
 * scnn_main.c. The model calls scnn_trace() after every stage of every block of 8 cycles; each byte goes to
 * the runner as GPIOR1 = byte, then GPIOR0 = 4 (scnn-avr-run appends it to its trace file). One record per
 * call: stage (1 byte), t (4 bytes, little-endian), n (1), size (4, little-endian), has_neg (1), then `size`
 * pos bytes and, when has_neg, `size` neg bytes (bit b = cycle t + b). No buffer: the RAM stays the model's. */
#ifdef SCNN_TRACE
#include <avr/io.h>

#include "scnn_model.h"

static void scnn_trace_put(uint8_t v)
{
    GPIOR1 = v;
    GPIOR0 = 4;
}

static void scnn_trace_put32(uint32_t v)
{
    uint8_t i;
    for (i = 0; i < 4; ++i) scnn_trace_put((uint8_t)(v >> (8 * i)));
}

void scnn_trace(int stage, uint32_t t, uint8_t n, const uint8_t *pos, const uint8_t *neg, uint32_t size)
{
    uint32_t j;
    scnn_trace_put((uint8_t)stage);
    scnn_trace_put32(t);
    scnn_trace_put(n);
    scnn_trace_put32(size);
    scnn_trace_put(neg ? 1u : 0u);
    for (j = 0; j < size; ++j) scnn_trace_put(pos[j]);
    if (neg)
        for (j = 0; j < size; ++j) scnn_trace_put(neg[j]);
}
#else
typedef int scnn_trace_unused;
#endif
