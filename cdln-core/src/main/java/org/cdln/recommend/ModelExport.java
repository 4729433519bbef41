package org.cdln.recommend;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cdln.data.IdMapping;
import org.cdln.io.AtomicFile;

/**
 * Writes a model's parts in formats other systems read without cdln, so that a prediction is
 * <pre>  r̂(u, i) = clip(μ + b_u[u] + b_i[i] + U[u, :]·V[i, :], clip_min, clip_max)</pre>
 * with U the user factors (users × k) and V the item factors (items × k, the transpose of the
 * model's k×d2 item side). Rows follow the id lists (line j of {@code user_ids.txt} is row j).
 *
 * <ul>
 *   <li>{@link Format#NPY}: {@code user_factors.npy}, {@code item_factors.npy} (float64, C
 *       order, shape (n, k)), {@code user_bias.npy}, {@code item_bias.npy} (shape (n,)),
 *       NumPy format 1.0;</li>
 *   <li>{@link Format#CSV}: {@code user_factors.csv}, {@code item_factors.csv}
 *       ({@code id,f1,…,fk}), {@code user_bias.csv}, {@code item_bias.csv} ({@code id,bias}),
 *       doubles written with 17 significant digits (exact round trip);</li>
 * </ul>
 * both with {@code user_ids.txt}, {@code item_ids.txt} (one raw id per line, UTF-8),
 * {@code model.json} (μ, the clip range, k, the kind, the counts) and {@code README.txt}
 * stating the formula. Each file is written atomically ({@link AtomicFile}: a temporary sibling
 * renamed into place when complete).
 * Cost O((d1 + d2)·k).
 */
public final class ModelExport {
    /** The export formats. */
    public enum Format {
        /** NumPy .npy arrays. */
        NPY,
        /** Comma-separated text. */
        CSV;

        /** Parses npy or csv. */
        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("export format must be npy or csv, got '" + s + "'");
        }
    }

    private ModelExport() {
    }

    /**
     * Writes the model's parts to {@code dir} (created when missing).
     *
     * @return the files written, in order
     */
    public static List<Path> write(CompletionModel m, Format format, Path dir) {
        int d1 = m.users().size();
        int d2 = m.items().size();
        int k = m.rank();
        double[] u = m.userRowsLive();                 // d1×k row-major
        double[] v = m.itemFactorsLive().data();       // k×d2 column-major = d2×k row-major
        double[] bu = m.baseline().userBias();
        double[] bi = m.baseline().itemBias();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<Path> files = new java.util.ArrayList<>();
        if (format == Format.NPY) {
            files.add(atomic(dir.resolve("user_factors.npy"), o -> npy(o, u, d1, k)));
            files.add(atomic(dir.resolve("item_factors.npy"), o -> npy(o, v, d2, k)));
            files.add(atomic(dir.resolve("user_bias.npy"), o -> npy(o, bu, d1, -1)));
            files.add(atomic(dir.resolve("item_bias.npy"), o -> npy(o, bi, d2, -1)));
        } else {
            files.add(atomic(dir.resolve("user_factors.csv"), o -> csv(o, m.users(), u, k)));
            files.add(atomic(dir.resolve("item_factors.csv"), o -> csv(o, m.items(), v, k)));
            files.add(atomic(dir.resolve("user_bias.csv"), o -> csv(o, m.users(), bu, 1)));
            files.add(atomic(dir.resolve("item_bias.csv"), o -> csv(o, m.items(), bi, 1)));
        }
        files.add(atomic(dir.resolve("user_ids.txt"), o -> ids(o, m.users())));
        files.add(atomic(dir.resolve("item_ids.txt"), o -> ids(o, m.items())));
        files.add(atomic(dir.resolve("model.json"), o -> text(o, json(m))));
        files.add(atomic(dir.resolve("README.txt"), o -> text(o, readme(m, format))));
        return files;
    }

    /**
     * Writes a float64 array in NumPy's .npy format 1.0: magic {@code \x93NUMPY}, version 1.0,
     * a little-endian uint16 header length, the header dict padded with spaces to a multiple of 64
     * bytes and ended by a newline, then the data little-endian in C order.
     *
     * @param cols the second dimension, or −1 for a 1-d array of {@code rows} values
     */
    static void npy(OutputStream o, double[] data, int rows, int cols) throws IOException {
        String shape = cols < 0 ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")";
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int preamble = 10;
        int total = preamble + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        o.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int hl = header.length();
        o.write(hl & 0xff);
        o.write((hl >>> 8) & 0xff);
        o.write(header.getBytes(StandardCharsets.US_ASCII));
        long n = cols < 0 ? rows : (long) rows * cols;
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (long q = 0; q < n; q++) {
            if (!buf.hasRemaining()) {
                o.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putDouble(data[(int) q]);
        }
        o.write(buf.array(), 0, buf.position());
    }

    private static void csv(OutputStream o, IdMapping ids, double[] rowMajor, int cols) throws IOException {
        StringBuilder b = new StringBuilder(cols == 1 ? "id,bias\n" : "id");
        if (cols != 1 || rowMajor.length != ids.size()) {
            b.setLength(0);
            b.append("id");
            for (int c = 1; c <= cols; c++) {
                b.append(",f").append(c);
            }
            b.append('\n');
        }
        for (int r = 0; r < ids.size(); r++) {
            b.append(csvField(ids.id(r)));
            for (int c = 0; c < cols; c++) {
                b.append(',').append(exact(rowMajor[r * cols + c]));
            }
            b.append('\n');
            if (b.length() > 1 << 16) {
                o.write(b.toString().getBytes(StandardCharsets.UTF_8));
                b.setLength(0);
            }
        }
        o.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String exact(double d) {
        return String.format(Locale.ROOT, "%.17g", d);
    }

    private static void ids(OutputStream o, IdMapping ids) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String id : ids.ids()) {
            b.append(id).append('\n');
        }
        text(o, b.toString());
    }

    private static void text(OutputStream o, String s) throws IOException {
        o.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(CompletionModel m) {
        return "{\n"
                + "  \"kind\": \"" + m.kind().label() + "\",\n"
                + "  \"users\": " + m.users().size() + ",\n"
                + "  \"items\": " + m.items().size() + ",\n"
                + "  \"rank\": " + m.rank() + ",\n"
                + "  \"global_mean\": " + jsonNumber(m.baseline().mean()) + ",\n"
                + "  \"clip_min\": " + jsonNumber(m.clipMin()) + ",\n"
                + "  \"clip_max\": " + jsonNumber(m.clipMax()) + ",\n"
                + "  \"centering\": \"" + m.baseline().centering().name().toLowerCase(Locale.ROOT) + "\",\n"
                + "  \"prediction\": \"clip(global_mean + user_bias[u] + item_bias[i] + user_factors[u] . item_factors[i], "
                + "clip_min, clip_max); no clipping when clip_min is null\"\n"
                + "}\n";
    }

    private static String jsonNumber(double d) {
        return Double.isFinite(d) ? exact(d) : "null";
    }

    private static String readme(CompletionModel m, Format f) {
        String ext = f == Format.NPY ? "npy" : "csv";
        return "Rating model exported by cdln (" + m.kind() + ", " + m.users().size() + " users x " + m.items().size()
                + " items, rank k = " + m.rank() + ").\n\n"
                + "A predicted rating of user row u for item row i is\n\n"
                + "    r(u, i) = clip(mu + user_bias[u] + item_bias[i] + sum_c user_factors[u, c] * item_factors[i, c])\n\n"
                + "clipped to [clip_min, clip_max] (model.json; null: not clipped), with mu = global_mean in model.json.\n"
                + "Row j of the user (item) arrays is the j-th line of user_ids.txt (item_ids.txt).\n\n"
                + "Files:\n"
                + "  user_factors." + ext + "  users x k\n"
                + "  item_factors." + ext + "  items x k\n"
                + "  user_bias." + ext + "     one per user\n"
                + "  item_bias." + ext + "     one per item\n"
                + "  user_ids.txt, item_ids.txt   raw ids, one per line\n"
                + "  model.json   global_mean, clip_min, clip_max, rank, kind\n"
                + (f == Format.NPY ? "\nIn Python: U = numpy.load('user_factors.npy'); V = numpy.load('item_factors.npy');\n"
                        + "  r = numpy.clip(mu + bu[:, None] + bi[None, :] + U @ V.T, clip_min, clip_max)\n"
                        : "\nCSV: first column the raw id, then the values (17 significant digits: exact doubles).\n")
                + "\nA model fitted on data whose licence forbids redistribution (e.g. MovieLens) falls under the same "
                + "terms.\n";
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream o) throws IOException;
    }

    private static Path atomic(Path file, Body body) {
        AtomicFile.write(file, body::write);
        return file;
    }
}
