/**
 * Data for training: {@link org.latent4j.core.data.Dataset} and the {@link org.latent4j.core.data.DataLoader}
 * that batches it (seeded shuffling, drop-last, an optional prefetch thread); built-in datasets that need no
 * download (2-D toy distributions, procedurally drawn shapes, an addition task, a bundled text corpus);
 * readers for real ones (IDX files of MNIST and Fashion-MNIST, the fortunes corpus, scikit-learn's digits);
 * and the character tokenizer.
 *
 * <p>May import {@code org.latent4j.core.tensor}, {@code org.latent4j.core.io}, ND4J and Jackson.
 */
package org.latent4j.core.data;
