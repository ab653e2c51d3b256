/**
 * Neural radiance fields (Mildenhall et al. 2020). Geometry: {@link org.latent4j.nerf.Intrinsics} (pinhole,
 * focal from field of view), {@link org.latent4j.nerf.Pose} (look-at, orbit), {@link org.latent4j.nerf.Camera}
 * (one unit ray per pixel), {@link org.latent4j.nerf.Rays}. The model: {@link org.latent4j.nerf.PositionalEncoding},
 * {@link org.latent4j.nerf.NerfMlp} (density from the encoded position with a skip connection, colour from a
 * feature vector and the encoded view direction), {@link org.latent4j.nerf.Sampling} (stratified, hierarchical by
 * inverse CDF), {@link org.latent4j.nerf.VolumeRendering} (differentiable quadrature, background colour) and
 * {@link org.latent4j.nerf.Nerf} (coarse + fine networks, the loss, whole-image rendering). Data and judging:
 * {@link org.latent4j.nerf.Scene} (an analytic scene of spheres and boxes that renders its own ground truth),
 * {@link org.latent4j.nerf.SceneViews} (views, random ray batches), {@link org.latent4j.nerf.Psnr}.
 * Depends on core only; all tensor math goes through core's ops.
 */
package org.latent4j.nerf;
