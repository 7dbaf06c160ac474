package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;
import java.util.Map;

/** The Image Pixel module attributes, validated: what the pixel bytes mean. */
record PixelLayout(int rows, int columns, int samples, int bitsAllocated, int bitsStored, boolean signed,
                   String photometric, int planarConfiguration, int frames) {

    static PixelLayout of(Map<String, String> tags) {
        int rows = integer(tags, "Rows", "(0028,0010)", -1);
        int columns = integer(tags, "Columns", "(0028,0011)", -1);
        if (rows <= 0 || columns <= 0) {
            throw ImageFormatException.corrupt("DICOM image needs positive Rows (0028,0010) and Columns (0028,0011), got "
                    + tags.getOrDefault("Rows", "none") + " x " + tags.getOrDefault("Columns", "none"));
        }
        int bitsAllocated = integer(tags, "BitsAllocated", "(0028,0100)", -1);
        if (bitsAllocated == 1) {
            throw ImageFormatException.unsupported("1-bit pixel data (BitsAllocated 1, e.g. a segmentation or "
                    + "binary mask) is not supported; supported: BitsAllocated 8, 16 or 32");
        }
        if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw ImageFormatException.unsupported("BitsAllocated (0028,0100) " + (bitsAllocated < 0 ? "is missing"
                    : "is " + bitsAllocated) + "; supported: 8, 16 or 32");
        }
        int bitsStored = integer(tags, "BitsStored", "(0028,0101)", bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw ImageFormatException.corrupt("BitsStored (0028,0101) is " + bitsStored + ", must be 1.."
                    + bitsAllocated + " (BitsAllocated)");
        }
        int representation = integer(tags, "PixelRepresentation", "(0028,0103)", 0);
        int samples = integer(tags, "SamplesPerPixel", "(0028,0002)", 1);
        String photometric = tags.getOrDefault("PhotometricInterpretation", samples == 3 ? "RGB" : "MONOCHROME2");
        if (samples == 1) {
            if (!photometric.equals("MONOCHROME1") && !photometric.equals("MONOCHROME2")) {
                throw ImageFormatException.unsupported("PhotometricInterpretation " + photometric
                        + " with 1 sample per pixel is not supported; supported: MONOCHROME1, MONOCHROME2"
                        + (photometric.equals("PALETTE COLOR") ? " (palette lookup tables are not applied)" : ""));
            }
        } else if (samples == 3) {
            if (!photometric.equals("RGB") && !photometric.equals("YBR_FULL")) {
                throw ImageFormatException.unsupported("PhotometricInterpretation " + photometric
                        + " is not supported for colour data; supported: RGB, YBR_FULL");
            }
        } else {
            throw ImageFormatException.unsupported("SamplesPerPixel (0028,0002) is " + samples
                    + "; supported: 1 (grayscale) or 3 (RGB, converted to luma)");
        }
        int planar = integer(tags, "PlanarConfiguration", "(0028,0006)", 0);
        int frames = integer(tags, "NumberOfFrames", "(0028,0008)", 1);
        if (frames < 1) {
            throw ImageFormatException.corrupt("NumberOfFrames (0028,0008) is " + frames + ", must be >= 1");
        }
        return new PixelLayout(rows, columns, samples, bitsAllocated, bitsStored, representation == 1, photometric,
                planar, frames);
    }

    private static int integer(Map<String, String> tags, String keyword, String tag, int fallback) {
        String v = tags.get(keyword);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.split("\\\\", -1)[0].trim());
        } catch (NumberFormatException e) {
            throw ImageFormatException.corrupt(keyword + " " + tag + " is not an integer: '" + v + "'");
        }
    }

    int pixels() {
        return rows * columns;
    }

    int bytesPerSample() {
        return bitsAllocated / 8;
    }
}
