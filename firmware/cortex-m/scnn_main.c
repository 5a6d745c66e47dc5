/* scnn_main.c (cortex-m) - runs a generated model on a Cortex-M3 in QEMU (lm3s6965evb) with semihosting:
 * reads images.bin (SCNN_INPUT_SIZE bytes per image) and args.txt (the early-exit margin, -1 = none) from
 * QEMU's working folder, prints per image "pred sc_cycles ticks out0 out1 ..." where ticks are SysTick
 * ticks of the CPU clock, a line "calib TICKS INSTRUCTIONS" measured on a loop of known length (QEMU runs
 * with -icount: time is instructions), and "stack BYTES" from a painted stack at the end. */
#include <stdint.h>
#include <stdio.h>

#include "scnn_model.h"

extern volatile uint32_t scnn_systick_wraps;
extern uint32_t _ebss, _estack;

#define SCNN_SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SCNN_SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SCNN_SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCNN_PAINT 0xA5C3A5C3u

static uint64_t scnn_ticks(void)
{
    uint32_t w, v;
    do {
        w = scnn_systick_wraps;
        v = SCNN_SYST_CVR;
    } while (w != scnn_systick_wraps);
    return ((uint64_t)w << 24) + (0xFFFFFFu - v);
}

static void scnn_spin(uint32_t n) /* 2 instructions per iteration */
{
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b\n" : "+r"(n));
}

/* the painted region starts above newlib's heap (stdio buffers): 16 KB above .bss, less when RAM is short */
static uint32_t *scnn_paint_bottom(uint32_t sp)
{
    uint32_t bottom = (uint32_t)&_ebss + 16384u;
    if (bottom + 256u > sp) bottom = (uint32_t)&_ebss + 2048u;
    if (bottom + 256u > sp) bottom = sp - 64u; /* no room: nothing is painted, the stack reads as 0 */
    return (uint32_t *)(bottom & ~3u);
}

int main(void)
{
    static uint8_t pixels[SCNN_INPUT_SIZE];
    int32_t out[SCNN_CLASSES];
    long margin = -1;
    uint32_t *p, sp;
    uint64_t t0;
    FILE *images = fopen("images.bin", "rb"), *args = fopen("args.txt", "r");
    if (!images) return 2;
    if (args) {
        if (fscanf(args, "%ld", &margin) != 1) margin = -1;
        fclose(args);
    }
    SCNN_SYST_RVR = 0xFFFFFFu;
    SCNN_SYST_CVR = 0;
    SCNN_SYST_CSR = 7u; /* enable, interrupt, CPU clock */
    while (SCNN_SYST_CVR == 0u) {
    } /* the first tick loads the reload value */
    t0 = scnn_ticks();
    scnn_spin(1000000u);
    printf("calib %lu 2000000\n", (unsigned long)(scnn_ticks() - t0));
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (p = scnn_paint_bottom(sp); (uint32_t)p < sp - 64u; ++p) *p = SCNN_PAINT;
    while (fread(pixels, 1, sizeof pixels, images) == sizeof pixels) {
        uint32_t cycles = 0;
        uint64_t t;
        int pred, i;
        t0 = scnn_ticks();
#ifdef SCNN_MODE_SC
        if (margin >= 0) {
            pred = scnn_infer_early(pixels, out, (int32_t)margin, &cycles);
        } else {
            pred = scnn_infer(pixels, out);
            cycles = SCNN_LENGTH;
        }
#else
        pred = scnn_infer(pixels, out);
#endif
        t = scnn_ticks() - t0;
        printf("%d %lu %lu", pred, (unsigned long)cycles, (unsigned long)t);
        for (i = 0; i < SCNN_CLASSES; ++i) printf(" %ld", (long)out[i]);
        printf("\n");
    }
    fclose(images);
    for (p = scnn_paint_bottom(sp); p < &_estack && *p == SCNN_PAINT; ++p) {
    }
    printf("stack %lu\n", (unsigned long)((uint8_t *)&_estack - (uint8_t *)p));
    return 0;
}
