/* scnn_main.c (avr) - ATmega328P glue for the simavr runner (scnn-avr-run). The images are not sent over
 * a slow UART: the runner writes each image into scnn_io.pixels while the firmware waits on a GPIOR0
 * write, and reads the outputs back at the next one. Protocol (GPIOR0 writes, watched by the runner):
 *   GPIOR1/GPIOR2 = address of scnn_io (once, at start)
 *   1: "next image?"   the runner fills pixels, margin and more (0 = no more images)
 *   2: "start"         the runner notes the cycle counter
 *   3: "done"          the runner notes the cycle counter and reads pred, cycles and out
 * The run ends with interrupts off and the CPU asleep, which stops simavr. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>

#include "avr_mcu_section.h"
#include "scnn_model.h"

AVR_MCU(F_CPU, "atmega328p");

struct scnn_io_block {
    uint8_t more;      /* runner: 1 = an image is in pixels */
    int8_t pred;       /* firmware: predicted class */
    int32_t margin;    /* runner: >= 0 runs scnn_infer_early with this margin */
    uint32_t cycles;   /* firmware: SC cycles run */
    int32_t out[SCNN_CLASSES];
    uint8_t pixels[SCNN_INPUT_SIZE];
};

struct scnn_io_block scnn_io;

#define SCNN_BARRIER() __asm__ __volatile__("" ::: "memory")

int main(void)
{
    const uint16_t a = (uint16_t)&scnn_io;
    GPIOR1 = (uint8_t)(a & 0xFFu);
    GPIOR2 = (uint8_t)(a >> 8);
    for (;;) {
        GPIOR0 = 1;
        SCNN_BARRIER();
        if (!scnn_io.more) break;
        GPIOR0 = 2;
        SCNN_BARRIER();
#ifdef SCNN_MODE_SC
        if (scnn_io.margin >= 0) {
            uint32_t cycles = 0;
            scnn_io.pred = (int8_t)scnn_infer_early(scnn_io.pixels, scnn_io.out, scnn_io.margin, &cycles);
            scnn_io.cycles = cycles;
        } else {
            scnn_io.pred = (int8_t)scnn_infer(scnn_io.pixels, scnn_io.out);
            scnn_io.cycles = SCNN_LENGTH;
        }
#else
        scnn_io.pred = (int8_t)scnn_infer(scnn_io.pixels, scnn_io.out);
        scnn_io.cycles = 0;
#endif
        SCNN_BARRIER();
        GPIOR0 = 3;
    }
    cli();
    sleep_enable();
    sleep_cpu();
    return 0;
}
