/* scnn_sc_rt.h - the bit-sliced counters the generated SC models share. C99, no malloc, no float.
 *
 * A block is 8 SC cycles; a stream's 8 bits of one block are one byte (bit b = cycle 8*block + b).
 * A bit-sliced counter is an array of "planes" c[0..K-1]: bit b of plane k is bit k of the count of
 * lane (cycle) b. Adding a byte x adds 1 to every lane whose bit is set (a ripple carry over the planes);
 * K must be large enough that no count reaches 2^K (the emitter sizes it from the plan's fan-in). */
#ifndef SCNN_SC_RT_H
#define SCNN_SC_RT_H

#include <stdint.h>

#if defined(__GNUC__)
#define SCNN_INLINE static inline __attribute__((always_inline))
#else
#define SCNN_INLINE static inline
#endif

/* c += x, lane-wise. */
SCNN_INLINE void scnn_csa_add(uint8_t *c, uint8_t x)
{
    while (x) {
        const uint8_t carry = (uint8_t)(*c & x);
        *c ^= x;
        x = carry;
        ++c;
    }
}

/* Count of the lane selected by the one-bit mask m (1 << b) of a counter of `planes` planes
 * (0 .. 2^planes - 1). A mask instead of a shift count: variable shifts are loops on AVR. */
SCNN_INLINE int32_t scnn_lane(const uint8_t *c, uint8_t planes, uint8_t m)
{
    int32_t v = 0;
    while (planes) {
        --planes;
        v = (int32_t)((v << 1) | ((c[planes] & m) ? 1 : 0));
    }
    return v;
}

/* Same for counters of at most 15 planes (cheaper on 8-bit MCUs). */
SCNN_INLINE int16_t scnn_lane16(const uint8_t *c, uint8_t planes, uint8_t m)
{
    int16_t v = 0;
    while (planes) {
        --planes;
        v = (int16_t)((v << 1) | ((c[planes] & m) ? 1 : 0));
    }
    return v;
}

/* All 8 lane counts at once (a bit-matrix transpose): lanes[b] = count of lane b, for counters of at most
 * 8 planes; 16-bit lanes for at most 16 planes. */
SCNN_INLINE void scnn_lanes8(const uint8_t *c, uint8_t planes, uint8_t *lanes)
{
    /* the 8 lanes in locals (registers on AVR), one shift-and-insert each per plane */
    uint8_t l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
    while (planes) {
        const uint8_t x = c[--planes];
        l0 = (uint8_t)((l0 << 1) | (x & 1u));
        l1 = (uint8_t)((l1 << 1) | ((x >> 1) & 1u));
        l2 = (uint8_t)((l2 << 1) | ((x >> 2) & 1u));
        l3 = (uint8_t)((l3 << 1) | ((x >> 3) & 1u));
        l4 = (uint8_t)((l4 << 1) | ((x >> 4) & 1u));
        l5 = (uint8_t)((l5 << 1) | ((x >> 5) & 1u));
        l6 = (uint8_t)((l6 << 1) | ((x >> 6) & 1u));
        l7 = (uint8_t)((l7 << 1) | ((x >> 7) & 1u));
    }
    lanes[0] = l0; lanes[1] = l1; lanes[2] = l2; lanes[3] = l3;
    lanes[4] = l4; lanes[5] = l5; lanes[6] = l6; lanes[7] = l7;
}

SCNN_INLINE void scnn_lanes16(const uint8_t *c, uint8_t planes, uint16_t *lanes)
{
    uint8_t b;
    for (b = 0; b < 8; ++b) lanes[b] = 0;
    while (planes) {
        uint8_t x = c[--planes];
        for (b = 0; b < 8; ++b) {
            lanes[b] = (uint16_t)((lanes[b] << 1) | (x & 1u));
            x >>= 1;
        }
    }
}

#endif /* SCNN_SC_RT_H */
