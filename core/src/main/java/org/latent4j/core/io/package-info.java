/**
 * Files in and out: safetensors (the tensor format of PyTorch and Hugging Face), NumPy {@code .npy}, and
 * training checkpoints (model and optimizer state as safetensors plus a JSON description, replaced
 * atomically). Readers validate every size and offset against the file before allocating, so a hostile or
 * truncated file gets a {@link org.latent4j.core.io.FileFormatException} naming what is wrong.
 *
 * <p>May import {@code org.latent4j.core.tensor}, ND4J and Jackson; nothing from {@code nn}, {@code optim}
 * or {@code train} (they pass plain maps of tensors in).
 */
package org.latent4j.core.io;
