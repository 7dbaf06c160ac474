package io.recon.data.medical;

/** A synthetic axial "head": air, a bone ring (optionally with a gap), brain tissue inside. */
final class SkullPhantom {

    static final int SIDE = 64;
    static final float BRAIN_HU = 35f;

    private SkullPhantom() {
    }

    /** Ring of bone between radii 22 and 25 around the centre; {@code gapDegrees} of it open at the top. */
    static float[] slice(double gapDegrees) {
        float[] hu = new float[SIDE * SIDE];
        double c = (SIDE - 1) / 2.0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double r = Math.hypot(x - c, y - c);
                double angleFromTop = Math.toDegrees(Math.abs(Math.atan2(x - c, c - y)));
                boolean inGap = angleFromTop < gapDegrees / 2;
                float v;
                if (r < 22) {
                    v = BRAIN_HU;
                } else if (r < 25 && !inGap) {
                    v = 1000f;
                } else {
                    v = -1000f;
                }
                hu[y * SIDE + x] = v;
            }
        }
        return hu;
    }
}
