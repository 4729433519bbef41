package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test set of 14×56 images has the 784 pixels of 28×28 ones but is not the same kind of image: refused. */
class ImageShapeTest {
    @TempDir
    Path dir;

    private ImageDataset set(String name, int n, int h, int w) {
        Path images = IdxFiles.write(dir, name + "-images", IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {n, h, w},
                new byte[n * h * w]));
        Path labels = IdxFiles.write(dir, name + "-labels", IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {n},
                new byte[n]));
        return ImageDataset.fromIdx(name, images, labels);
    }

    @Test
    void imagesOfAnotherShapeWithTheSamePixelCountAreRefused() {
        ImageDataset train = set("train", 5, 28, 28);
        ImageDataset test = set("test", 3, 14, 56);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset.Split(train, test));
        assertTrue(e.getMessage().contains("14×56") && e.getMessage().contains("28×28"), e.getMessage());
        new ImageDataset.Split(train, set("ok", 3, 28, 28));
    }
}
