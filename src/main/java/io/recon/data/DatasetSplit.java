package io.recon.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed split of a labelled table. Normal rows go 60/20/20 to train / calibration / test by
 * a hash of their id, so the split does not depend on row order or on the JVM, and a row keeps
 * its part when the file grows. Anomalous rows never reach training or calibration: all test.
 */
public final class DatasetSplit {

    /** The three parts. */
    public enum Part {
        /** Fits the network and the feature schema. */
        TRAIN,
        /** Sets the threshold (held-out normals). */
        CALIBRATION,
        /** Judges the model. */
        TEST
    }

    /** The split rule, in words, for manifests and reports. */
    public static final String DESCRIPTION = "normal rows by SHA-256 of their id: 60% train, 20% calibration, "
            + "20% test; every anomalous row in test";

    private DatasetSplit() {
    }

    /** The part of a row. */
    public static Part partOf(String id, boolean normal) {
        if (!normal) {
            return Part.TEST;
        }
        int bucket = bucket(id);
        if (bucket < 60) {
            return Part.TRAIN;
        }
        return bucket < 80 ? Part.CALIBRATION : Part.TEST;
    }

    /** 0..99 from the id's SHA-256. */
    public static int bucket(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (digest[i] & 0xff);
            }
            return (int) Long.remainderUnsigned(v, 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
