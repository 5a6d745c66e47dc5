/* scnn_main.c (host) - runs a generated model as a native process. Reads images from stdin, each
 * SCNN_INPUT_SIZE bytes (0..255, CHW), and prints one line per image: "pred sc_cycles 0 out0 out1 ..." (0: no machine cycle count on the host).
 * Usage: scnn_fw [MARGIN]   (SC: MARGIN >= 0 runs scnn_infer_early with that margin; default: scnn_infer) */
#include <stdio.h>
#include <stdlib.h>

#include "scnn_model.h"

int main(int argc, char **argv)
{
    static uint8_t pixels[SCNN_INPUT_SIZE];
    int32_t out[SCNN_CLASSES];
    long margin = argc > 1 ? strtol(argv[1], 0, 10) : -1;
    while (fread(pixels, 1, sizeof pixels, stdin) == sizeof pixels) {
        uint32_t cycles = 0;
        int pred, i;
#ifdef SCNN_MODE_SC
        if (margin >= 0) {
            pred = scnn_infer_early(pixels, out, (int32_t)margin, &cycles);
        } else {
            pred = scnn_infer(pixels, out);
            cycles = SCNN_LENGTH;
        }
#else
        (void)margin;
        pred = scnn_infer(pixels, out);
#endif
        printf("%d %lu 0", pred, (unsigned long)cycles);
        for (i = 0; i < SCNN_CLASSES; ++i) printf(" %ld", (long)out[i]);
        printf("\n");
    }
    return 0;
}
