/* scnn-avr-run - runs an ATmega328P firmware built by `scnn emit-c --target avr` in simavr (libsimavr) on a
 * file of images and prints, per image, "pred sc_cycles avr_cycles out0 out1 ..." and at the end
 * "stack BYTES" (RAMEND - lowest stack pointer seen). The protocol is in firmware/avr/scnn_main.c.
 *
 * usage: scnn-avr-run FIRMWARE.elf IMAGES.bin COUNT INPUT_SIZE CLASSES MARGIN CYCLE_LIMIT
 * With the environment variable SCNN_AVR_TRACE set to a file, the bytes a trace build sends (GPIOR1 = byte,
 * then GPIOR0 = 4; firmware/avr/scnn_trace.c) are written there.
 * Exit: 0 ok; 2 bad arguments or files; 3 the firmware crashed, ran past CYCLE_LIMIT cycles in one image,
 * or stopped before answering every image. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_io.h>

enum { GPIOR0_ADDR = 0x3E, GPIOR1_ADDR = 0x4A, GPIOR2_ADDR = 0x4B, SPL_ADDR = 0x5D, SPH_ADDR = 0x5E, RAMEND = 0x8FF };

struct run {
    uint8_t *images;
    long count, input_size, classes, next;
    int32_t margin;
    uint16_t block;        /* address of scnn_io in data space */
    uint64_t start;        /* cycle counter at "start" */
    int in_image;
    FILE *trace;           /* trace bytes (GPIOR0 = 4), or 0 */
};

static void put32(avr_t *avr, uint16_t at, uint32_t v)
{
    int i;
    for (i = 0; i < 4; ++i) avr->data[at + i] = (uint8_t)(v >> (8 * i));
}

static int32_t get32(avr_t *avr, uint16_t at)
{
    uint32_t v = 0;
    int i;
    for (i = 3; i >= 0; --i) v = (v << 8) | avr->data[at + i];
    return (int32_t)v;
}

static void on_gpior(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
    struct run *r = (struct run *)param;
    avr->data[addr] = v;
    if (addr == GPIOR2_ADDR) {
        r->block = (uint16_t)(avr->data[GPIOR1_ADDR] | (v << 8));
        return;
    }
    if (addr != GPIOR0_ADDR) return;
    const uint16_t b = r->block, out = (uint16_t)(b + 10), px = (uint16_t)(b + 10 + 4 * r->classes);
    if (v == 1) {
        if (r->next < r->count) {
            memcpy(&avr->data[px], r->images + r->next * r->input_size, (size_t)r->input_size);
            avr->data[b] = 1;
            put32(avr, (uint16_t)(b + 2), (uint32_t)r->margin);
        } else {
            avr->data[b] = 0;
        }
    } else if (v == 4) {
        if (r->trace) fputc(avr->data[GPIOR1_ADDR], r->trace);
    } else if (v == 2) {
        r->start = avr->cycle;
        r->in_image = 1;
    } else if (v == 3) {
        long c;
        printf("%d %ld %llu", (int)(int8_t)avr->data[b + 1], (long)get32(avr, (uint16_t)(b + 6)),
               (unsigned long long)(avr->cycle - r->start));
        for (c = 0; c < r->classes; ++c) printf(" %ld", (long)get32(avr, (uint16_t)(out + 4 * c)));
        printf("\n");
        r->in_image = 0;
        ++r->next;
    }
}

int main(int argc, char **argv)
{
    struct run r;
    elf_firmware_t fw;
    avr_t *avr;
    FILE *f;
    long size;
    uint64_t limit;
    uint16_t min_sp = RAMEND;
    int state = cpu_Running;
    const char *trace = getenv("SCNN_AVR_TRACE");
    if (argc != 8) {
        fprintf(stderr, "usage: scnn-avr-run FIRMWARE.elf IMAGES.bin COUNT INPUT_SIZE CLASSES MARGIN CYCLE_LIMIT\n");
        return 2;
    }
    memset(&r, 0, sizeof r);
    if (trace && *trace && !(r.trace = fopen(trace, "wb"))) {
        fprintf(stderr, "scnn-avr-run: cannot write %s\n", trace);
        return 2;
    }
    r.count = atol(argv[3]);
    r.input_size = atol(argv[4]);
    r.classes = atol(argv[5]);
    r.margin = (int32_t)atol(argv[6]);
    limit = strtoull(argv[7], 0, 10);
    size = r.count * r.input_size;
    r.images = malloc(size > 0 ? (size_t)size : 1);
    f = fopen(argv[2], "rb");
    if (!f || !r.images || fread(r.images, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "scnn-avr-run: cannot read %ld bytes of images from %s\n", size, argv[2]);
        return 2;
    }
    fclose(f);
    memset(&fw, 0, sizeof fw);
    if (elf_read_firmware(argv[1], &fw) != 0) {
        fprintf(stderr, "scnn-avr-run: cannot read firmware %s\n", argv[1]);
        return 2;
    }
    avr = avr_make_mcu_by_name("atmega328p");
    if (!avr) return 2;
    avr_init(avr);
    avr->log = 0;
    avr_load_firmware(avr, &fw);
    avr_register_io_write(avr, GPIOR0_ADDR, on_gpior, &r);
    avr_register_io_write(avr, GPIOR1_ADDR, on_gpior, &r);
    avr_register_io_write(avr, GPIOR2_ADDR, on_gpior, &r);
    while (state != cpu_Done && state != cpu_Crashed) {
        state = avr_run(avr);
        const uint16_t sp = (uint16_t)(avr->data[SPL_ADDR] | (avr->data[SPH_ADDR] << 8));
        if (sp < min_sp) min_sp = sp;
        if (r.in_image && avr->cycle - r.start > limit) {
            fprintf(stderr, "scnn-avr-run: image %ld ran past the cycle limit of %llu cycles\n", r.next,
                    (unsigned long long)limit);
            return 3;
        }
    }
    printf("stack %d\n", RAMEND - min_sp);
    if (state == cpu_Crashed) {
        fprintf(stderr, "scnn-avr-run: the firmware crashed at pc 0x%x after %llu cycles\n", avr->pc,
                (unsigned long long)avr->cycle);
        return 3;
    }
    if (r.next != r.count) {
        fprintf(stderr, "scnn-avr-run: the firmware stopped after %ld of %ld images\n", r.next, r.count);
        return 3;
    }
    free(r.images);
    if (r.trace) fclose(r.trace);
    return 0;
}
