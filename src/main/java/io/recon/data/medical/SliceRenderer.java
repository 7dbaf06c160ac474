package io.recon.data.medical;

import io.recon.imaging.GrayImage;
import io.recon.imaging.Window;

/**
 * Turns a slice in HU into model input exactly as the service does with a DICOM or raw CT event
 * for a model with a window: through the window to [0,1], then area-averaged down to the model's
 * side. Ground-truth masks go through the same resampling, a pixel counting as lesion when at
 * least half of it is.
 *
 * @param window the model's window
 * @param side   the model's input side
 */
public record SliceRenderer(Window window, int side) {

    /** Model input, {@code side * side} pixels in [0,1]. */
    public float[] render(float[] hu, int width, int height) {
        return new GrayImage(width, height, window.apply(hu), "CT slice").resize(side, side).pixels();
    }

    /** A full-resolution mask at the model's resolution. */
    public boolean[] renderMask(boolean[] mask, int width, int height) {
        float[] values = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            values[i] = mask[i] ? 1f : 0f;
        }
        float[] small = new GrayImage(width, height, values, "mask").resize(side, side).pixels();
        boolean[] out = new boolean[small.length];
        for (int i = 0; i < small.length; i++) {
            out[i] = small[i] >= 0.5f;
        }
        return out;
    }
}
