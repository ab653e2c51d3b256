package org.latent4j.nerf;

/**
 * Where a camera is and where it looks: the columns of its camera-to-world rotation ({@code right}, {@code up},
 * {@code back}; the camera looks along −back) and its position. Build one with {@link #lookAt} or
 * {@link #orbit}; the axes are checked to be orthonormal and right-handed.
 */
public record Pose(Vec3 right, Vec3 up, Vec3 back, Vec3 position) {
    public Pose {
        if (right == null || up == null || back == null || position == null) {
            throw new IllegalArgumentException("Pose: axes and position must not be null");
        }
        if (!position.isFinite()) {
            throw new IllegalArgumentException("Pose: position must be finite, got " + position);
        }
        double tol = 1e-6;
        if (Math.abs(right.length() - 1) > tol || Math.abs(up.length() - 1) > tol || Math.abs(back.length() - 1) > tol
                || Math.abs(right.dot(up)) > tol || Math.abs(right.dot(back)) > tol || Math.abs(up.dot(back)) > tol
                || right.cross(up).sub(back).length() > tol) {
            throw new IllegalArgumentException("Pose: right, up, back must be orthonormal and right-handed, got "
                    + right + ", " + up + ", " + back);
        }
    }

    /** A camera at {@code eye} looking at {@code target}, rolled so that {@code worldUp} points up in the image. */
    public static Pose lookAt(Vec3 eye, Vec3 target, Vec3 worldUp) {
        Vec3 forward = target.sub(eye);
        if (!(forward.length() > 1e-9)) {
            throw new IllegalArgumentException("Pose.lookAt: eye and target coincide at " + eye);
        }
        forward = forward.normalize();
        Vec3 r = forward.cross(worldUp);
        if (!(r.length() > 1e-9)) {
            throw new IllegalArgumentException("Pose.lookAt: the view direction " + forward + " is parallel to up "
                    + worldUp);
        }
        r = r.normalize();
        Vec3 u = r.cross(forward);
        return new Pose(r, u, forward.scale(-1), eye);
    }

    /**
     * A camera on a sphere of {@code radius} around the origin, looking at it with +y up: azimuth measured
     * about the y axis from +z, elevation above the x–z plane, both in degrees (elevation strictly within ±90).
     */
    public static Pose orbit(double radius, double azimuthDegrees, double elevationDegrees) {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("Pose.orbit: radius must be positive and finite, got " + radius);
        }
        if (!(Math.abs(elevationDegrees) < 90)) {
            throw new IllegalArgumentException("Pose.orbit: elevation must be within (-90, 90) degrees, got "
                    + elevationDegrees);
        }
        double az = Math.toRadians(azimuthDegrees);
        double el = Math.toRadians(elevationDegrees);
        Vec3 eye = new Vec3(radius * Math.cos(el) * Math.sin(az), radius * Math.sin(el),
                radius * Math.cos(el) * Math.cos(az));
        return lookAt(eye, Vec3.ZERO, Vec3.UP);
    }

    /** The direction the camera looks along. */
    public Vec3 forward() {
        return back.scale(-1);
    }

    /** A camera-frame direction (x right, y up, z back) in world coordinates. */
    public Vec3 toWorld(double cx, double cy, double cz) {
        return right.scale(cx).add(up.scale(cy)).add(back.scale(cz));
    }
}
