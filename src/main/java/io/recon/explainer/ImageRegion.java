package io.recon.explainer;

import java.util.List;

/**
 * One region of an image alert's explanation: a connected group of pixels whose explainer map
 * stands above its level on clean images, in the model's pixel grid.
 *
 * @param x             centroid column, model pixels from the left
 * @param y             centroid row, model pixels from the top
 * @param box           bounding box: left, top, width, height
 * @param pixels        its area, model pixels
 * @param kind          {@code bright} or {@code dark}: brighter or darker than the model expected
 * @param observed      mean intensity in the region (Hounsfield units for CT, else 0..1 as the model saw it)
 * @param expected      mean intensity the surrounding patches predict for it
 * @param expectedRange expected minus and plus twice the predicted spread
 * @param unit          {@code HU} or {@code model scale}
 * @param contribution  the region's peak map value over the map's 99.9th percentile on clean images
 *                      (above 1: more unusual than one pixel in a thousand of normal images)
 */
public record ImageRegion(double x, double y, List<Integer> box, int pixels, String kind, double observed,
        double expected, List<Double> expectedRange, String unit, double contribution) {
}
