package org.latent4j.nerf;

/** A pinhole camera: its image plane and its pose. {@link #rays} gives one ray per pixel. */
public record Camera(Intrinsics intrinsics, Pose pose) {
    public Camera {
        if (intrinsics == null || pose == null) {
            throw new IllegalArgumentException("Camera: intrinsics and pose must not be null");
        }
    }

    /** A camera on an orbit around the origin ({@link Pose#orbit}). */
    public static Camera orbit(Intrinsics intrinsics, double radius, double azimuthDegrees, double elevationDegrees) {
        return new Camera(intrinsics, Pose.orbit(radius, azimuthDegrees, elevationDegrees));
    }

    /**
     * One ray per pixel in row-major order (pixel (row j, column i) is ray {@code j·W + i}): all start at the
     * camera's position, with unit directions through the pixel centres, so a distance t along a ray is a
     * distance in world units. Samples are taken between {@code near} and {@code far}.
     */
    public Rays rays(double near, double far) {
        int w = intrinsics.width();
        int h = intrinsics.height();
        double f = intrinsics.focal();
        double[] o = new double[w * h * 3];
        double[] d = new double[w * h * 3];
        Vec3 p = pose.position();
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                Vec3 dir = pose.toWorld((i + 0.5 - 0.5 * w) / f, -(j + 0.5 - 0.5 * h) / f, -1).normalize();
                int k = 3 * (j * w + i);
                o[k] = p.x();
                o[k + 1] = p.y();
                o[k + 2] = p.z();
                d[k] = dir.x();
                d[k + 1] = dir.y();
                d[k + 2] = dir.z();
            }
        }
        return new Rays(o, d, near, far);
    }
}
