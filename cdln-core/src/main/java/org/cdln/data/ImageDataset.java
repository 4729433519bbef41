package org.cdln.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * A labelled set of small grey-scale images (MNIST, Fashion-MNIST, scikit-learn digits), kept as
 * unsigned bytes (1 byte per pixel: 47 MB for the 60,000 Fashion-MNIST training images instead of
 * 376 MB of doubles) and turned into float64 features only when a mini-batch is gathered.
 *
 * <p>Feature k of image i is {@code x = (raw/maxValue − mean)/std}: raw/maxValue scales pixels
 * to [0, 1]; {@link #normalized(double, double)} sets mean and std, e.g. the training set's
 * ({@link Split#standardized()}), so that train and test are normalised alike. Immutable.
 */
public final class ImageDataset {
    private static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private final String name;
    private final int height;
    private final int width;
    private final int features;
    private final byte[] pixels;
    private final int[] labels;
    private final int classes;
    private final double maxValue;
    private final double mean;
    private final double std;

    private ImageDataset(String name, int height, int width, byte[] pixels, int[] labels, int classes,
                         double maxValue, double mean, double std) {
        this.name = name;
        this.height = height;
        this.width = width;
        this.features = height * width;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
        this.maxValue = maxValue;
        this.mean = mean;
        this.std = std;
    }

    /**
     * A dataset from raw bytes (not copied: do not modify them afterwards).
     *
     * @param pixels   n·height·width unsigned bytes, image after image, each row-major
     * @param labels   n labels in [0, classes)
     * @param maxValue the largest raw pixel value (255 for IDX, 16 for the digits), mapped to 1.0
     * @throws IllegalArgumentException when sizes disagree or a label is out of range
     */
    public static ImageDataset of(String name, int height, int width, byte[] pixels, int[] labels, int classes,
                                  double maxValue) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be ≥ 1×1, got " + height + "×" + width);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be ≥ 2, got " + classes);
        }
        if (!(maxValue > 0) || !Double.isFinite(maxValue)) {
            throw new IllegalArgumentException("maxValue must be a finite number > 0, got " + maxValue);
        }
        long expected = (long) labels.length * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels need " + expected
                    + " pixels (" + height + "×" + width + " each), got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of item " + i
                        + " is outside [0, " + (classes - 1) + "]");
            }
        }
        return new ImageDataset(name, height, width, pixels, labels, classes, maxValue, 0.0, 1.0);
    }

    /** A training set and a test set that share image size and classes. */
    public record Split(ImageDataset train, ImageDataset test) {
        public Split {
            if (train.height() != test.height() || train.width() != test.width()) {
                // 14×56 and 28×28 have the same 784 pixels but not the same images
                throw new IllegalArgumentException(test.name() + " has " + test.height() + "×" + test.width()
                        + " images but " + train.name() + " has " + train.height() + "×" + train.width()
                        + "; give a test set of the training set's image size");
            }
            if (train.features() != test.features() || train.classes() != test.classes()) {
                throw new IllegalArgumentException("train (" + train.features() + " features, " + train.classes()
                        + " classes) and test (" + test.features() + ", " + test.classes() + ") do not match");
            }
        }

        /** Both sets normalised with the training set's pixel mean and standard deviation. O(n·features). */
        public Split standardized() {
            double[] m = train.pixelMoments();
            return new Split(train.normalized(m[0], m[1]), test.normalized(m[0], m[1]));
        }
    }

    /**
     * Loads an IDX folder (MNIST or Fashion-MNIST layout): {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each gzip-compressed ({@code .gz}) or raw. Pixels map to [0, 1] (÷ 255); labels must be 0..9.
     *
     * @throws IllegalArgumentException when the folder or a file is missing
     * @throws IdxReader.IdxFormatException when a file is truncated or corrupt (the message names it)
     */
    public static Split fromIdxFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data folder " + dir + " does not exist; it must hold "
                    + String.join(".gz, ", IDX_FILES) + ".gz (MNIST or Fashion-MNIST)");
        }
        Path[] f = new Path[4];
        for (int i = 0; i < 4; i++) {
            Path gz = dir.resolve(IDX_FILES[i] + ".gz");
            Path plain = dir.resolve(IDX_FILES[i]);
            f[i] = Files.exists(gz) ? gz : Files.exists(plain) ? plain : null;
            if (f[i] == null) {
                throw new IllegalArgumentException("data folder " + dir + " has no " + IDX_FILES[i]
                        + "(.gz); it must hold the four MNIST/Fashion-MNIST IDX files");
            }
        }
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        return new Split(fromIdx(name + " train", f[0], f[1]), fromIdx(name + " test", f[2], f[3]));
    }

    /** One IDX image file with its label file; the counts must agree. 10 classes, pixels ÷ 255. */
    public static ImageDataset fromIdx(String name, Path imagesFile, Path labelsFile) {
        IdxReader.Idx images = IdxReader.readImages(imagesFile);
        IdxReader.Idx labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException(imagesFile + " holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.count() + " labels; they must come from the same set");
        }
        byte[] raw = labels.data();
        int[] y = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            y[i] = raw[i] & 0xFF;
            if (y[i] > 9) {
                throw new IllegalArgumentException(labelsFile + ": label " + y[i] + " of item " + i
                        + " is outside 0..9; is it an MNIST/Fashion-MNIST label file?");
            }
        }
        int[] d = images.dims();
        return of(name, d[1], d[2], images.data(), y, 10, 255.0);
    }

    /** Number of images n. */
    public int size() {
        return labels.length;
    }

    /** Features per image, height·width. */
    public int features() {
        return features;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    /** e.g. "fashion-mnist train". */
    public String name() {
        return name;
    }

    /** The label of image i. */
    public int label(int i) {
        return labels[i];
    }

    /** All labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] c = new int[classes];
        for (int y : labels) {
            c[y]++;
        }
        return c;
    }

    /** The normalisation (mean, std) applied after scaling to [0, 1]. */
    public double[] normalization() {
        return new double[] {mean, std};
    }

    /** Feature k of image i, normalised. */
    public double value(int i, int k) {
        return ((pixels[i * features + k] & 0xFF) / maxValue - mean) / std;
    }

    /**
     * Gathers images {@code order[from .. from+count)} as the columns of x and their labels into y.
     * x (features×count) and y (length ≥ count) are modified; nothing is allocated. O(count·features).
     */
    public void gather(int[] order, int from, int count, Matrix x, int[] y) {
        if (x.rows() != features || x.cols() != count || y.length < count) {
            throw new IllegalArgumentException("gather: a batch of " + count + " needs x " + features + "×" + count
                    + " and y of length ≥ " + count + ", got x " + x.shape() + " and y of length " + y.length);
        }
        if (from < 0 || from + count > order.length) {
            throw new IllegalArgumentException("gather: positions [" + from + ", " + (from + count)
                    + ") outside the order of length " + order.length);
        }
        double[] xd = x.data();
        double scale = 1.0 / (maxValue * std);
        double shift = -mean / std;
        for (int j = 0; j < count; j++) {
            int i = order[from + j];
            int src = i * features;
            int dst = j * features;
            for (int k = 0; k < features; k++) {
                xd[dst + k] = (pixels[src + k] & 0xFF) * scale + shift;
            }
            y[j] = labels[i];
        }
    }

    /** The same images with features (raw/maxValue − mean)/std. Shares the pixel bytes. */
    public ImageDataset normalized(double newMean, double newStd) {
        if (!Double.isFinite(newMean) || !(newStd > 0) || !Double.isFinite(newStd)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a std > 0, got mean "
                    + newMean + ", std " + newStd);
        }
        return new ImageDataset(name, height, width, pixels, labels, classes, maxValue, newMean, newStd);
    }

    /** Mean and standard deviation of all pixels scaled to [0, 1] (before normalisation). O(n·features). */
    public double[] pixelMoments() {
        long[] hist = new long[256];
        for (byte b : pixels) {
            hist[b & 0xFF]++;
        }
        double n = pixels.length;
        double s = 0;
        double ss = 0;
        for (int v = 0; v < 256; v++) {
            double x = v / maxValue;
            s += hist[v] * x;
            ss += hist[v] * x * x;
        }
        double m = s / n;
        double var = Math.max(0.0, ss / n - m * m);
        return new double[] {m, Math.sqrt(var) > 0 ? Math.sqrt(var) : 1.0};
    }

    /** The images at the given indices, in that order (copied), with the same normalisation. */
    public ImageDataset subset(int[] indices, String subsetName) {
        byte[] p = new byte[indices.length * features];
        int[] y = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= labels.length) {
                throw new IllegalArgumentException("subset: index " + i + " outside [0, " + labels.length + ")");
            }
            System.arraycopy(pixels, i * features, p, j * features, features);
            y[j] = labels[i];
        }
        return new ImageDataset(subsetName, height, width, p, y, classes, maxValue, mean, std);
    }

    /** The first n images (copied), e.g. a quick subset for smoke tests. */
    public ImageDataset head(int n) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("head: n must be in [1, " + size() + "], got " + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return subset(idx, name + " (first " + n + ")");
    }

    /**
     * A seeded shuffle split: a random ⌊testFraction·n⌉ images become the test set, the rest the
     * training set (for sets without an official split, such as the digits).
     */
    public Split shuffleSplit(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        int n = size();
        int nTest = (int) Math.round(testFraction * n);
        if (nTest < 1 || nTest >= n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "test fraction %.3g of %d images leaves an empty train or test set", testFraction, n));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        new Rng(seed).shuffle(order);
        int[] test = java.util.Arrays.copyOfRange(order, 0, nTest);
        int[] train = java.util.Arrays.copyOfRange(order, nTest, n);
        return new Split(subset(train, name + " train"), subset(test, name + " test"));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d images %d×%d, %d classes", name, size(), height, width, classes);
    }
}
