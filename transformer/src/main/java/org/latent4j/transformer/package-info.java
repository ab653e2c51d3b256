/**
 * Transformers: multi-head self- and cross-attention ({@link org.latent4j.transformer.SelfAttention},
 * {@link org.latent4j.transformer.CrossAttention}), positional encodings (learned, sinusoidal, rotary), the pre-LN
 * decoder {@link org.latent4j.transformer.Block}, the {@link org.latent4j.transformer.Gpt} language model with
 * KV-cache decoding and a Hugging Face GPT-2 loader. Subpackages: {@code sampling} (greedy, temperature, top-k,
 * top-p), {@code tokenizer} (byte-level BPE in GPT-2's file format), {@code lora} (low-rank adapters).
 * Depends on {@code org.latent4j.core} only, and never on ND4J directly.
 */
package org.latent4j.transformer;
