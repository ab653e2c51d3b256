/**
 * Transformers (not built yet): multi-head self- and cross-attention, positional encodings, pre-LN decoder
 * blocks, a GPT language model with KV-cache decoding, sampling, tokenizers and LoRA. Depends on core only.
 */
package org.latent4j.transformer;
