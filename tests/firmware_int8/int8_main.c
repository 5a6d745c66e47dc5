/* Test main for the generated int8 C (host): reads images of SCNN_INPUT_SIZE bytes from the file argv[1]
 * and prints, per image, the SCNN_CLASSES logits and the returned class on one line. */
#include <stdio.h>

#include "scnn_model.h"

int main(int argc, char **argv)
{
    static uint8_t pixels[SCNN_INPUT_SIZE];
    int32_t out[SCNN_CLASSES];
    FILE *f;
    int c;
    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
        fprintf(stderr, "usage: int8_main IMAGES\n");
        return 2;
    }
    while (fread(pixels, 1, SCNN_INPUT_SIZE, f) == SCNN_INPUT_SIZE) {
        const int best = scnn_infer(pixels, out);
        for (c = 0; c < SCNN_CLASSES; ++c) printf("%ld ", (long)out[c]);
        printf("%d\n", best);
    }
    fclose(f);
    return 0;
}
