package org.latent4j.nerf;

import java.util.ArrayList;
import java.util.List;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Ground-truth views of a {@link Scene}: for each camera, the image each pixel's ray sees, the true depth and
 * which pixels hit a surface. It is a NeRF data set, held on the host: {@link #batch} draws random rays with
 * their colours for a training step, {@link #images()} gives the views for pictures and PSNR.
 */
public final class SceneViews {
    /** A training batch: rays and their true colours (N, 3). */
    public record Batch(Rays rays, Tensor colours) {
    }

    private final List<Camera> cameras;
    private final double near;
    private final double far;
    private final double[][] rgb;    // per view (H·W, 3) row-major
    private final double[][] depth;  // per view (H·W), +∞ where the ray misses
    private final Rays allRays;

    private SceneViews(List<Camera> cameras, double near, double far, double[][] rgb, double[][] depth, Rays allRays) {
        this.cameras = cameras;
        this.near = near;
        this.far = far;
        this.rgb = rgb;
        this.depth = depth;
        this.allRays = allRays;
    }

    /** Renders the scene from every camera; all cameras must share one image size. */
    public static SceneViews render(Scene scene, List<Camera> cameras, double near, double far) {
        if (cameras == null || cameras.isEmpty()) {
            throw new IllegalArgumentException("SceneViews: needs at least one camera");
        }
        Intrinsics first = cameras.get(0).intrinsics();
        int pixels = first.numPixels();
        double[] o = new double[3 * pixels * cameras.size()];
        double[] d = new double[o.length];
        double[][] rgb = new double[cameras.size()][];
        double[][] depth = new double[cameras.size()][];
        for (int v = 0; v < cameras.size(); v++) {
            Intrinsics in = cameras.get(v).intrinsics();
            if (in.width() != first.width() || in.height() != first.height()) {
                throw new IllegalArgumentException("SceneViews: camera " + v + " is " + in.width() + "x"
                        + in.height() + ", camera 0 is " + first.width() + "x" + first.height());
            }
            Rays rays = cameras.get(v).rays(near, far);
            System.arraycopy(rays.origins(), 0, o, 3 * pixels * v, 3 * pixels);
            System.arraycopy(rays.directions(), 0, d, 3 * pixels * v, 3 * pixels);
            rgb[v] = new double[3 * pixels];
            depth[v] = new double[pixels];
            for (int p = 0; p < pixels; p++) {
                double[] ro = rays.origins();
                double[] rd = rays.directions();
                Scene.Hit hit = scene.trace(new Vec3(ro[3 * p], ro[3 * p + 1], ro[3 * p + 2]),
                        new Vec3(rd[3 * p], rd[3 * p + 1], rd[3 * p + 2]));
                rgb[v][3 * p] = hit.colour().x();
                rgb[v][3 * p + 1] = hit.colour().y();
                rgb[v][3 * p + 2] = hit.colour().z();
                depth[v][p] = hit.depth();
            }
        }
        return new SceneViews(List.copyOf(cameras), near, far, rgb, depth, new Rays(o, d, near, far));
    }

    /**
     * {@code count} cameras on an orbit of {@code radius} around the origin, evenly spaced in azimuth starting at
     * {@code azimuthOffset} degrees, their elevations cycling through {@code elevations} (degrees).
     */
    public static List<Camera> orbitCameras(Intrinsics intrinsics, double radius, int count, double azimuthOffset,
            double... elevations) {
        if (count < 1 || elevations.length == 0) {
            throw new IllegalArgumentException("SceneViews.orbitCameras: need count >= 1 and at least one elevation, "
                    + "got " + count + " and " + elevations.length);
        }
        List<Camera> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Camera.orbit(intrinsics, radius, azimuthOffset + 360.0 * i / count,
                    elevations[i % elevations.length]));
        }
        return out;
    }

    public int size() {
        return cameras.size();
    }

    public List<Camera> cameras() {
        return cameras;
    }

    public double near() {
        return near;
    }

    public double far() {
        return far;
    }

    public int width() {
        return cameras.get(0).intrinsics().width();
    }

    public int height() {
        return cameras.get(0).intrinsics().height();
    }

    /** All rays of all views, view after view, each view's pixels in row-major order. */
    public Rays rays() {
        return allRays;
    }

    /** {@code n} rays drawn uniformly with replacement from all views, with their true colours. */
    public Batch batch(Rng rng, int n, DType dtype) {
        if (n < 1) {
            throw new IllegalArgumentException("SceneViews.batch: n must be positive, got " + n);
        }
        int pixels = width() * height();
        int[] idx = new int[n];
        double[] c = new double[3 * n];
        for (int k = 0; k < n; k++) {
            int i = rng.nextInt(allRays.count());
            idx[k] = i;
            System.arraycopy(rgb[i / pixels], 3 * (i % pixels), c, 3 * k, 3);
        }
        return new Batch(allRays.select(idx), Rays.toTensor(c, dtype, n, 3));
    }

    /** The views' true images, (V, 3, H, W), float32. */
    public Tensor images() {
        int v = size();
        int h = height();
        int w = width();
        float[] out = new float[v * 3 * h * w];
        for (int i = 0; i < v; i++) {
            for (int p = 0; p < h * w; p++) {
                for (int c = 0; c < 3; c++) {
                    out[((i * 3 + c) * h * w) + p] = (float) rgb[i][3 * p + c];
                }
            }
        }
        return Tensor.of(out, v, 3, h, w);
    }

    /** View {@code i}'s image as (3, H, W) float64 values. */
    public double[] image(int i) {
        int hw = width() * height();
        double[] out = new double[3 * hw];
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * hw + p] = rgb[i][3 * p + c];
            }
        }
        return out;
    }

    /** View {@code i}'s true depth, (H·W) row-major, +∞ where the ray misses. */
    public double[] depth(int i) {
        return depth[i].clone();
    }

    /** The mean colour of all pixels of all views, per channel: the trivial predictor's constant. */
    public double[] meanColour() {
        double[] m = new double[3];
        long count = 0;
        for (double[] view : rgb) {
            for (int p = 0; p < view.length; p += 3) {
                for (int c = 0; c < 3; c++) {
                    m[c] += view[p + c];
                }
                count++;
            }
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= count;
        }
        return m;
    }
}
