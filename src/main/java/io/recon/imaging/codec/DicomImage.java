package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One decoded DICOM frame: the windowed image for the model plus the values it came from.
 *
 * @param image           the frame windowed to [0,1] (MONOCHROME1 already inverted)
 * @param modalityValues  {@code width * height} values in modality units, row-major: stored values
 *                        after RescaleSlope/Intercept (Hounsfield units for CT). For RGB input,
 *                        the luma in stored units.
 * @param frameCount      NumberOfFrames (1 for single-frame objects)
 * @param frameIndex      the frame decoded, 0-based
 * @param tags            attributes that were read, by DICOM keyword (e.g. "Modality", "Rows",
 *                        "WindowCenter", "TransferSyntaxUID"), as trimmed strings; absent ones are omitted
 */
public record DicomImage(GrayImage image, float[] modalityValues, int frameCount, int frameIndex,
                         Map<String, String> tags) {

    /** Validates the components; see the record description. */
    public DicomImage {
        tags = Map.copyOf(tags);
    }

    /** Columns. */
    public int width() {
        return image.width();
    }

    /** Rows. */
    public int height() {
        return image.height();
    }

    /** The modality value at column {@code x}, row {@code y}. */
    public float modalityValue(int x, int y) {
        return modalityValues[y * image.width() + x];
    }

    /** Modality (0008,0060), e.g. "CT", "MR"; empty when absent. */
    public String modality() {
        return tags.getOrDefault("Modality", "");
    }

    /** BodyPartExamined (0018,0015); empty when absent. */
    public String bodyPart() {
        return tags.getOrDefault("BodyPartExamined", "");
    }

    /** The value read for a keyword, or null. */
    public String tag(String keyword) {
        return tags.get(keyword);
    }

    /** Equality by content (records would otherwise compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof DicomImage d && d.image.equals(image) && Arrays.equals(d.modalityValues, modalityValues)
                && d.frameCount == frameCount && d.frameIndex == frameIndex && d.tags.equals(tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, Arrays.hashCode(modalityValues), frameCount, frameIndex, tags);
    }

    @Override
    public String toString() {
        return "DicomImage[" + image + ", frame " + frameIndex + "/" + frameCount + ", " + tags + "]";
    }
}
