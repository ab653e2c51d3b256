/** GPT-2's byte-level BPE: training, encoding, decoding, vocab.json + merges.txt; plain Java and Jackson only. */
package org.latent4j.transformer.tokenizer;
