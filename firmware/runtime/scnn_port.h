/* scnn_port.h - the one per-target difference generated model code sees: where constant tables live and
 * how they are read. C99, no malloc, no float. Generated files include this header and use only these
 * macros for constant tables, so the same scnn_model.c builds for every target:
 *
 *   static const int8_t SCNN_FLASH w[] = { ... };   table in flash (AVR: PROGMEM; elsewhere plain const)
 *   SCNN_RD_U8(&w[i])  SCNN_RD_I8  SCNN_RD_U16  SCNN_RD_I16  SCNN_RD_U32  SCNN_RD_I32
 *
 * Select the target with -DSCNN_TARGET_AVR, -DSCNN_TARGET_CORTEX_M or nothing (host). */
#ifndef SCNN_PORT_H
#define SCNN_PORT_H

#include <stdint.h>

#if defined(SCNN_TARGET_AVR)
#include <avr/pgmspace.h>
#define SCNN_FLASH PROGMEM
#define SCNN_RD_U8(p) ((uint8_t)pgm_read_byte(p))
#define SCNN_RD_I8(p) ((int8_t)pgm_read_byte(p))
#define SCNN_RD_U16(p) ((uint16_t)pgm_read_word(p))
#define SCNN_RD_I16(p) ((int16_t)pgm_read_word(p))
#define SCNN_RD_U32(p) ((uint32_t)pgm_read_dword(p))
#define SCNN_RD_I32(p) ((int32_t)pgm_read_dword(p))
#else
#define SCNN_FLASH
#define SCNN_RD_U8(p) (*(const uint8_t *)(p))
#define SCNN_RD_I8(p) (*(const int8_t *)(p))
#define SCNN_RD_U16(p) (*(const uint16_t *)(p))
#define SCNN_RD_I16(p) (*(const int16_t *)(p))
#define SCNN_RD_U32(p) (*(const uint32_t *)(p))
#define SCNN_RD_I32(p) (*(const int32_t *)(p))
#endif

#endif /* SCNN_PORT_H */
