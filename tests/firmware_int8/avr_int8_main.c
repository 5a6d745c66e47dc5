/* ATmega328P test main for the generated int8 C, run by avr_int8_runner: the image count (2 bytes, little
 * endian), then per image SCNN_INPUT_SIZE pixels, all read from GPIOR0; GPIOR1 = 1 / 2 around each
 * inference; the SCNN_CLASSES logits and the returned class written to GPIOR2. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>

#include "scnn_model.h"

static uint8_t pixels[SCNN_INPUT_SIZE];

int main(void)
{
    int32_t out[SCNN_CLASSES];
    uint16_t n = GPIOR0;
    n |= (uint16_t)((uint16_t)GPIOR0 << 8);
    while (n--) {
        uint16_t i;
        uint8_t c;
        int best;
        for (i = 0; i < SCNN_INPUT_SIZE; ++i) pixels[i] = GPIOR0;
        GPIOR1 = 1;
        best = scnn_infer(pixels, out);
        GPIOR1 = 2;
        for (c = 0; c < SCNN_CLASSES; ++c) GPIOR2 = (uint8_t)out[c];
        GPIOR2 = (uint8_t)best;
    }
    cli();
    sleep_enable();
    sleep_cpu();
    return 0;
}
