/** Choosing next tokens from logits and driving a step-by-step {@code Decoder}; imports core's tensor package only. */
package org.latent4j.transformer.sampling;
