package io.recon.evaluation.attribution;

import java.util.List;

/** A method that gives each feature of each encoded row one attribution value. */
@FunctionalInterface
public interface FeatureAttribution {

    /**
     * @param rows encoded rows, each of the model's input width
     * @return per row, one value per feature (in the encoder's feature order)
     */
    double[][] attribute(List<float[]> rows);
}
