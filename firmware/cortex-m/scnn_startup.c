/* scnn_startup.c - Cortex-M3 start-up for QEMU lm3s6965evb: the vector table, a reset handler that copies
 * .data, zeroes .bss and starts newlib's semihosting I/O, a SysTick handler counting timer wraps, and a
 * fault handler that ends QEMU through semihosting (exit status 3) instead of hanging. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
extern int main(void);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

volatile uint32_t scnn_systick_wraps;

void scnn_reset_handler(void);
void scnn_fault_handler(void);
void scnn_systick_handler(void);

void scnn_reset_handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata) *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;) *dst++ = 0;
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}

void scnn_fault_handler(void)
{
    /* semihosting SYS_EXIT with ADP_Stopped_RunTimeError */
    __asm__ volatile("mov r0, #0x18\n ldr r1, =0x20023\n bkpt 0xab\n" ::: "r0", "r1");
    for (;;) {
    }
}

void scnn_systick_handler(void) { ++scnn_systick_wraps; }

__attribute__((section(".isr_vector"), used)) static void (*const scnn_vectors[16])(void) = {
    (void (*)(void))(&_estack), scnn_reset_handler, scnn_fault_handler, scnn_fault_handler,
    scnn_fault_handler,         scnn_fault_handler, scnn_fault_handler, 0,
    0,                          0,                  0,                  scnn_fault_handler,
    0,                          0,                  scnn_fault_handler, scnn_systick_handler,
};
