/* avr_int8_runner ELF MAX_CYCLES INPUT: runs an ATmega328P firmware (16 MHz) in libsimavr.
 * The firmware (avr_int8_main.c) reads its input bytes from GPIOR0 (this program serves the file INPUT), marks each
 * inference by writing 1 then 2 to GPIOR1 (cycles are counted between them) and writes result bytes to
 * GPIOR2 (printed as one signed decimal per line). The last line is a summary:
 *   # inferences N cycles_per_inference C stack_bytes S
 * (libsimavr itself prints a few "Loaded ..." lines first.) Exit status: 0 when the firmware went to sleep, 3 on a crash, 4 past MAX_CYCLES, 2 on bad arguments. */
#include <stdio.h>
#include <stdlib.h>

#include "sim_avr.h"
#include "sim_core.h"
#include "sim_elf.h"
#include "sim_io.h"

#define GPIOR0_DATA 0x3E
#define GPIOR1_DATA 0x4A
#define GPIOR2_DATA 0x4B
#define RAMEND_328P 0x8FF

static avr_cycle_count_t start_cycle, busy_cycles;
static long inferences;
static FILE *input;

static uint8_t read_input(struct avr_t *avr, avr_io_addr_t addr, void *param)
{
    int c = getc(input);
    (void)avr;
    (void)addr;
    (void)param;
    return c < 0 ? 0 : (uint8_t)c;
}

static void write_marker(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
    (void)addr;
    (void)param;
    if (v == 1) start_cycle = avr->cycle;
    if (v == 2) {
        busy_cycles += avr->cycle - start_cycle;
        ++inferences;
    }
}

static void write_output(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
    (void)avr;
    (void)addr;
    (void)param;
    printf("%d\n", (int)(int8_t)v);
}

int main(int argc, char **argv)
{
    elf_firmware_t firmware = {0};
    avr_t *avr;
    unsigned long long max_cycles;
    uint16_t min_sp = RAMEND_328P;
    int state = cpu_Running;
    if (argc != 4 || (input = fopen(argv[3], "rb")) == NULL || elf_read_firmware(argv[1], &firmware) != 0) {
        fprintf(stderr, "usage: avr_int8_runner FIRMWARE.elf MAX_CYCLES INPUT\n");
        return 2;
    }
    max_cycles = strtoull(argv[2], NULL, 10);
    avr = avr_make_mcu_by_name("atmega328p");
    if (!avr) return 2;
    avr_init(avr);
    avr->frequency = 16000000;
    avr_load_firmware(avr, &firmware);
    avr_register_io_read(avr, GPIOR0_DATA, read_input, NULL);
    avr_register_io_write(avr, GPIOR1_DATA, write_marker, NULL);
    avr_register_io_write(avr, GPIOR2_DATA, write_output, NULL);
    while (state != cpu_Done && state != cpu_Crashed && avr->state != cpu_Sleeping) {
        uint16_t sp;
        if (avr->cycle > max_cycles) {
            fprintf(stderr, "avr_int8_runner: past %llu cycles\n", max_cycles);
            return 4;
        }
        state = avr_run(avr);
        sp = (uint16_t)(avr->data[R_SPL] | (avr->data[R_SPH] << 8));
        if (sp < min_sp) min_sp = sp;
    }
    printf("# inferences %ld cycles_per_inference %.1f stack_bytes %d\n", inferences,
           inferences ? (double)busy_cycles / (double)inferences : 0.0, RAMEND_328P - min_sp);
    return state == cpu_Crashed ? 3 : 0;
}
