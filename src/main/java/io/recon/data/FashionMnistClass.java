package io.recon.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * One Fashion-MNIST class's training images, split as Recon's image commands split them: the last
 * {@code heldOut} (where the bundled one-class model's threshold is set, and what synthetic images
 * are compared with) and the pool before them (what models train on). The scarce-data case takes
 * the first share of the pool ({@link #few}).
 *
 * @param label      the class label, 0-9
 * @param name       its name ("Trouser")
 * @param imagesFile the IDX file read
 * @param pool       training images of the class before the held-out ones, in file order
 * @param heldOut    the last training images of the class
 */
public record FashionMnistClass(int label, String name, Path imagesFile, List<float[]> pool, List<float[]> heldOut) {

    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The training images in the folder of the Debian package {@code dataset-fashion-mnist}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    /** Their labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    /** The test images, in the same folder. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    /** Their labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** Reads class {@code label} from the IDX files in {@code dataDir}, holding out its last {@code heldOut}. */
    public static FashionMnistClass read(Path dataDir, int label, int heldOut) {
        if (label < 0 || label >= CLASS_NAMES.size()) {
            throw new IllegalArgumentException("a Fashion-MNIST class is a label 0-9, not " + label);
        }
        Path images = dataDir.resolve(TRAIN_IMAGES);
        List<float[]> ofClass = imagesWhere(images, dataDir.resolve(TRAIN_LABELS), l -> l == label);
        if (heldOut < 0 || heldOut >= ofClass.size()) {
            throw new IllegalArgumentException("holding out " + heldOut + " of class " + label + "'s "
                    + ofClass.size() + " training images leaves none to train on");
        }
        return new FashionMnistClass(label, CLASS_NAMES.get(label), images,
                ofClass.subList(0, ofClass.size() - heldOut), ofClass.subList(ofClass.size() - heldOut, ofClass.size()));
    }

    /**
     * The images of an IDX image file whose label in the matching label file passes {@code wanted},
     * in file order.
     *
     * @throws IllegalArgumentException when either file is missing
     */
    public static List<float[]> imagesWhere(Path images, Path labels, IntPredicate wanted) {
        for (Path p : List.of(images, labels)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " not found: install the Debian package dataset-fashion-mnist "
                        + "or pass --data-dir");
            }
        }
        IdxImages all = IdxReader.readImages(images);
        int[] labelOf = IdxReader.readLabels(labels);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < all.count(); i++) {
            if (wanted.test(labelOf[i])) {
                out.add(all.image(i).pixels());
            }
        }
        return out;
    }

    /** The first {@code fraction} of the pool (at least one image). */
    public List<float[]> few(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the share of the pool must be in (0, 1], not " + fraction);
        }
        return pool.subList(0, Math.max(1, (int) Math.round(fraction * pool.size())));
    }

    /** The selection in words, for manifests and reports. */
    public String describe(double fraction) {
        return "the first " + few(fraction).size() + " (" + Math.round(fraction * 100) + "%) of the " + pool.size()
                + " training images of class " + label + " (" + name + ") that precede its last " + heldOut.size()
                + " (held out: the one-class model's calibration images), in file order";
    }
}
