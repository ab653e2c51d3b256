package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeometryTest {
    @Test
    void focalFollowsTheFieldOfView() {
        Intrinsics in = Intrinsics.fromFieldOfView(64, 48, 90);
        assertEquals(32.0, in.focal(), 1e-12);
        assertEquals(90.0, in.fieldOfViewDegrees(), 1e-9);
    }

    @Test
    void theCentrePixelLooksAtTheTarget() {
        Vec3 eye = new Vec3(1.5, 2.0, -3.0);
        Vec3 target = new Vec3(0.2, -0.1, 0.4);
        Camera cam = new Camera(Intrinsics.fromFieldOfView(5, 7, 50), Pose.lookAt(eye, target, Vec3.UP));
        Rays rays = cam.rays(1, 8);
        int centre = 3 * 5 + 2; // row 3 of 7, column 2 of 5
        Vec3 d = new Vec3(rays.directions()[3 * centre], rays.directions()[3 * centre + 1],
                rays.directions()[3 * centre + 2]);
        Vec3 expected = target.sub(eye).normalize();
        assertEquals(0, d.sub(expected).length(), 1e-12);
        assertEquals(eye, new Vec3(rays.origins()[3 * centre], rays.origins()[3 * centre + 1],
                rays.origins()[3 * centre + 2]));
    }

    @Test
    void rayDirectionsAreUnitAndTheImageIsUpright() {
        Camera cam = Camera.orbit(Intrinsics.fromFieldOfView(6, 4, 60), 4, 30, 20);
        Rays rays = cam.rays(2, 6);
        assertEquals(24, rays.count());
        for (int i = 0; i < rays.count(); i++) {
            double[] d = rays.directions();
            assertEquals(1.0, Math.sqrt(d[3 * i] * d[3 * i] + d[3 * i + 1] * d[3 * i + 1]
                    + d[3 * i + 2] * d[3 * i + 2]), 1e-12);
        }
        // row 0 is the top of the image: its rays point higher than the bottom row's
        assertTrue(rays.directions()[1] > rays.directions()[3 * 18 + 1]);
        // column 0 is the left: from the camera's point of view it lies against its right axis
        Vec3 right = cam.pose().right();
        double left = rays.directions()[0] * right.x() + rays.directions()[1] * right.y()
                + rays.directions()[2] * right.z();
        assertTrue(left < 0);
    }

    @Test
    void orbitPosesSitOnTheSphereFacingTheOrigin() {
        Pose p = Pose.orbit(4, 123, 35);
        assertEquals(4.0, p.position().length(), 1e-12);
        assertEquals(0, p.forward().sub(p.position().scale(-0.25)).length(), 1e-12);
        assertEquals(4 * Math.sin(Math.toRadians(35)), p.position().y(), 1e-12);
        assertTrue(p.up().y() > 0);
    }

    @Test
    void theAnalyticSceneGivesTheExactSphereDepth() {
        Scene.Sphere s = new Scene.Sphere(new Vec3(0.3, 0.1, -0.2), 0.6, new Vec3(1, 0, 0));
        Scene scene = new Scene(List.of(s), new Vec3(0, 1, 0), 0.2, Background.WHITE);
        Vec3 eye = new Vec3(0.3, 0.1, 3.8);
        Scene.Hit hit = scene.trace(eye, new Vec3(0, 0, -1));
        assertTrue(hit.hit());
        assertEquals(4.0 - 0.6, hit.depth(), 1e-12);
        // an off-centre ray: the depth solves |o + t·d − c| = r
        Vec3 d = new Vec3(0.1, 0.05, -1).normalize();
        Scene.Hit h2 = scene.trace(eye, d);
        assertEquals(0.6, eye.add(d.scale(h2.depth())).sub(s.centre()).length(), 1e-12);
        assertFalse(scene.trace(eye, new Vec3(0, 0, 1)).hit());
        assertEquals(new Vec3(1, 1, 1), scene.trace(eye, new Vec3(0, 0, 1)).colour());
        // the pixel rendered through SceneViews sees the same depth
        Camera cam = new Camera(Intrinsics.fromFieldOfView(3, 3, 30), Pose.lookAt(eye, s.centre(), Vec3.UP));
        SceneViews views = SceneViews.render(scene, List.of(cam), 2, 6);
        assertEquals(3.4, views.depth(0)[4], 1e-12);
        assertTrue(Double.isInfinite(views.depth(0)[0]) || views.depth(0)[0] > 3.4);
    }

    @Test
    void boxesAreHitOnTheNearFaceWithItsNormal() {
        Scene.Box b = new Scene.Box(new Vec3(-1, -1, -1), new Vec3(1, 1, 1), new Vec3(0, 0, 1));
        assertEquals(2.0, b.intersect(new Vec3(0.2, 0.3, 3), new Vec3(0, 0, -1)), 1e-12);
        assertEquals(new Vec3(0, 0, 1), b.normal(new Vec3(0.2, 0.3, 1)));
        assertEquals(Double.POSITIVE_INFINITY, b.intersect(new Vec3(2, 0, 3), new Vec3(0, 0, -1)));
    }

    @Test
    void badGeometryIsRejected() {
        assertEquals("Intrinsics: field of view must be in (0, 180) degrees, got 180.0",
                assertThrows(IllegalArgumentException.class, () -> Intrinsics.fromFieldOfView(8, 8, 180)).getMessage());
        assertEquals("Pose.orbit: elevation must be within (-90, 90) degrees, got 90.0",
                assertThrows(IllegalArgumentException.class, () -> Pose.orbit(4, 0, 90)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pose.lookAt(Vec3.ZERO, Vec3.ZERO, Vec3.UP));
        assertEquals("Rays: need 0 <= near < far < ∞, got near 3.0, far 2.0", assertThrows(
                IllegalArgumentException.class, () -> new Rays(new double[3], new double[] {0, 0, 1}, 3, 2))
                .getMessage());
        assertEquals("Scene.Sphere: radius must be positive, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new Scene.Sphere(Vec3.ZERO, 0, new Vec3(1, 1, 1))).getMessage());
    }
}
