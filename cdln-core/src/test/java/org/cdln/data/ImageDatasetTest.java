package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** Normalisation, batch gathering and seeded splits. */
class ImageDatasetTest {
    /** 4 images of 2×1 pixels: (0, 255), (51, 102), (255, 0), (0, 0); labels 0, 1, 2, 1. */
    private static ImageDataset tiny() {
        byte[] px = {0, (byte) 255, 51, 102, (byte) 255, 0, 0, 0};
        return ImageDataset.of("tiny", 2, 1, px, new int[] {0, 1, 2, 1}, 3, 255.0);
    }

    @Test
    void gatherPutsImagesInColumnsScaledToUnitInterval() {
        ImageDataset d = tiny();
        Matrix x = new Matrix(2, 2);
        int[] y = new int[2];
        d.gather(new int[] {3, 1, 0, 2}, 1, 2, x, y);
        // images 1 and 0: (0.2, 0.4) and (0, 1)
        assertArrayEquals(new double[] {0.2, 0.4, 0.0, 1.0}, x.data(), 1e-15);
        assertArrayEquals(new int[] {1, 0}, y);
    }

    @Test
    void standardizedUsesTheTrainingMoments() {
        ImageDataset d = tiny();
        // values /255: 0, 1, .2, .4, 1, 0, 0, 0 → mean 0.325; E[x²] = (1 + .04 + .16 + 1)/8 = 0.275
        double[] m = d.pixelMoments();
        assertEquals(0.325, m[0], 1e-12);
        assertEquals(Math.sqrt(0.275 - 0.325 * 0.325), m[1], 1e-12);
        ImageDataset.Split s = new ImageDataset.Split(d, d.subset(new int[] {2}, "t")).standardized();
        Matrix x = new Matrix(2, 1);
        s.test().gather(new int[] {0}, 0, 1, x, new int[1]);
        assertEquals((1.0 - m[0]) / m[1], x.get(0, 0), 1e-12);
        assertEquals((0.0 - m[0]) / m[1], x.get(1, 0), 1e-12);
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 2; k++) {
                mean += s.train().value(i, k) / 8;
            }
        }
        assertEquals(0.0, mean, 1e-12);
    }

    @Test
    void shuffleSplitIsSeededAndDisjoint() {
        int n = 100;
        byte[] px = new byte[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            y[i] = i % 10;
        }
        ImageDataset d = ImageDataset.of("ids", 1, 1, px, y, 10, 255.0);
        ImageDataset.Split a = d.shuffleSplit(0.2, 7);
        ImageDataset.Split b = d.shuffleSplit(0.2, 7);
        ImageDataset.Split c = d.shuffleSplit(0.2, 8);
        assertEquals(20, a.test().size());
        assertEquals(80, a.train().size());
        Set<Double> seen = new HashSet<>();
        for (ImageDataset part : new ImageDataset[] {a.train(), a.test()}) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(seen.add(part.value(i, 0)), "an image appears twice");
            }
        }
        assertEquals(100, seen.size());
        assertArrayEquals(a.test().labels(), b.test().labels());
        assertEquals(a.test().value(0, 0), b.test().value(0, 0));
        assertNotEquals(Arrays.toString(ids(a.test())), Arrays.toString(ids(c.test())));
    }

    private static double[] ids(ImageDataset d) {
        double[] v = new double[d.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.value(i, 0);
        }
        return v;
    }

    @Test
    void badShapesAndLabelsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of("x", 2, 2, new byte[7], new int[] {0, 1}, 2, 255));
        assertTrue(e.getMessage().contains("need 8 pixels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of("x", 1, 1, new byte[2], new int[] {0, 5}, 3, 255));
        assertTrue(e.getMessage().contains("label 5 of item 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tiny().gather(new int[] {0}, 0, 1, new Matrix(3, 1),
                new int[1]));
        assertTrue(e.getMessage().contains("needs x 2×1"), e.getMessage());
    }
}
