/** LoRA adapters on the transformer's linear layers: attach, train, merge, save; imports core and the transformer package. */
package org.latent4j.transformer.lora;
