/**
 * Neural radiance fields (not built yet): camera rays, positional encoding, the NeRF MLP with view dependence,
 * stratified and hierarchical sampling and differentiable volume rendering. Depends on core only.
 */
package org.latent4j.nerf;
