package io.recon.synthetic;

import java.util.List;

import io.recon.nn.ImageGenerator;
import io.recon.nn.TabularGenerator;

/**
 * A loaded generator as the synthetic-data service serves it: the model, and the name and version
 * every event it makes carries. Exactly one of {@code rows} and {@code images} is set: a flow
 * generator publishes telemetry events, an image generator imaging events.
 *
 * @param name       the generator's kind, as requests name it: "ctgan", "tabddpm", "dcgan", "ddpm"
 * @param version    its bundle's version
 * @param bundle     the bundle folder, for the log
 * @param rows       a flow-record model (the service closes it at shutdown), or null
 * @param images     an image model, or null
 * @param imageClass what the image model makes ("Trouser", "head-ct-brain-slice"), its one class
 * @param modality   the images' DICOM modality ("CT", "OT"), as imaging events carry it
 */
public record GeneratorSource(String name, String version, String bundle, TabularGenerator rows, ImageGenerator images,
        String imageClass, String modality) {

    /** One of the two models, never both. */
    public GeneratorSource {
        if ((rows == null) == (images == null)) {
            throw new IllegalArgumentException("a generator source holds a flow-record model or an image model");
        }
    }

    /** A flow-record generator. */
    public static GeneratorSource ofRows(String name, String version, String bundle, TabularGenerator rows) {
        return new GeneratorSource(name, version, bundle, rows, null, null, null);
    }

    /** An image generator of one class and modality. */
    public static GeneratorSource ofImages(String name, String version, String bundle, ImageGenerator images,
            String imageClass, String modality) {
        return new GeneratorSource(name, version, bundle, null, images, imageClass, modality);
    }

    /** {@link SyntheticRequest#TELEMETRY} or {@link SyntheticRequest#IMAGING}: what it publishes. */
    public String publishes() {
        return rows != null ? SyntheticRequest.TELEMETRY : SyntheticRequest.IMAGING;
    }

    /** The classes a request may ask for. */
    public List<String> classes() {
        return rows != null ? rows.classes() : List.of(imageClass);
    }

    /** The model, as the lock that keeps requests to it one at a time. */
    Object model() {
        return rows != null ? rows : images;
    }

    /** Releases the model's native memory. */
    void close() {
        if (rows != null) {
            rows.close();
        } else {
            images.close();
        }
    }
}
