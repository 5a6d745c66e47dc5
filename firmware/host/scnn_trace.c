/* scnn_trace.c (host, SC) - the per-cycle trace of a generated model, for `scnn run-c --trace`: built with
 * -DSCNN_TRACE into scnn_fw_trace, which reads one image from stdin and prints, for every traced stage and
 * cycle, "stage cycle e0 e1 ..." (e = pos - neg, or 2b - 1 for bipolar), then the final counts. */
#ifdef SCNN_TRACE
#include <stdio.h>

#include "scnn_model.h"

int scnn_trace_bipolar;

void scnn_trace(int stage, uint32_t t, uint8_t n, const uint8_t *pos, const uint8_t *neg, uint32_t size)
{
    uint8_t b;
    uint32_t j;
    for (b = 0; b < n; ++b) {
        printf("%d %lu", stage, (unsigned long)(t + b));
        for (j = 0; j < size; ++j) {
            const int p = (pos[j] >> b) & 1;
            const int q = scnn_trace_bipolar ? !p : (neg ? (neg[j] >> b) & 1 : 0);
            printf(" %d", p - q);
        }
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    static uint8_t pixels[SCNN_INPUT_SIZE];
    int32_t out[SCNN_CLASSES];
    int i;
    scnn_trace_bipolar = argc > 1 && argv[1][0] == 'b';
    if (fread(pixels, 1, sizeof pixels, stdin) != sizeof pixels) return 2;
    scnn_infer(pixels, out);
    printf("counts");
    for (i = 0; i < SCNN_CLASSES; ++i) printf(" %ld", (long)out[i]);
    printf("\n");
    return 0;
}
#else
typedef int scnn_trace_unused;
#endif
