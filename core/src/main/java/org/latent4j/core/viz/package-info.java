/**
 * What a person looks at after a run: PNG image grids and interpolation strips ({@link
 * org.latent4j.core.viz.ImageGrid}), loss curves and scatter plots ({@link org.latent4j.core.viz.Plots}, drawn with
 * XChart without a display), density and decision heat maps ({@link org.latent4j.core.viz.HeatMap}) and a
 * per-run {@code index.html} ({@link org.latent4j.core.viz.RunIndex}).
 *
 * <p>May import {@code core.tensor}, {@code java.awt}/{@code javax.imageio} and XChart; nothing else of
 * the library. Tensors are read, never changed.
 */
package org.latent4j.core.viz;
