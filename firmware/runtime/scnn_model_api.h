/* scnn_model_api.h - the API every generated model (SC or int8) implements; board glue and tests call only
 * this. The generated scnn_model.h includes it and defines:
 *   SCNN_INPUT_SIZE   pixels per image (C*H*W, uint8 0..255, CHW order as the host reads them)
 *   SCNN_CLASSES      number of classes
 *   SCNN_MODE_SC or SCNN_MODE_INT8
 *   SCNN_LENGTH       (SC) stream length L, cycles per inference
 *   SCNN_EARLY_EVERY  (SC) early-exit check interval in cycles (docs/SEMANTICS.md section 9.8)
 */
#ifndef SCNN_MODEL_API_H
#define SCNN_MODEL_API_H

#include <stdint.h>

/* One inference. pixels: SCNN_INPUT_SIZE values. out: SCNN_CLASSES values - SC: the per-class counts
 * (equal to the host simulator's); int8: the int8 output logits (equal to engine/int8's). Returns the
 * predicted class (argmax, ties to the lowest index). */
int scnn_infer(const uint8_t *pixels, int32_t *out);

#ifdef SCNN_MODE_SC
/* SC with early termination (docs/SEMANTICS.md section 9.8): margin > 0 stops when the leader leads by
 * >= margin counts at a check; margin 0 stops only when the lead can no longer be overturned. *cycles
 * receives the SC cycles run. out holds the counts at the stop. */
int scnn_infer_early(const uint8_t *pixels, int32_t *out, int32_t margin, uint32_t *cycles);
#endif

#endif /* SCNN_MODEL_API_H */
