package org.cdln.recommend;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.data.IdMapping;
import org.cdln.io.BinaryFile;
import org.cdln.linalg.Matrix;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * The {@code .cdln} model file, version {@value #VERSION}. Big-endian, as written by
 * {@link DataOutputStream}; strings are {@link DataOutputStream#writeUTF modified UTF-8} with a
 * 2-byte length; every double is its IEEE-754 bit pattern ({@link Double#doubleToRawLongBits}),
 * so a model read back predicts bit for bit what the saved one did.
 *
 * <pre>
 * magic        8 bytes   "CDLNMODL"
 * version      int32     2
 * kind         UTF       "c-dln" | "dln" | "altmin"
 * settings     UTF schema name ("" when the model records no declared settings), int32 its version,
 *              int32 n, then n × (UTF name, UTF type, bool auto, value unless auto), the value
 *              by type: "int" int32, "long" int64, "double" IEEE-754 bits, "boolean" bool,
 *              "enum" and "list" UTF (the declaration's text form)
 * provenance   int32 n, then n × (UTF key, UTF value)   data, backend, timings, rules, in order
 * users        int32 d1, then d1 × UTF raw id           index order
 * items        int32 d2, then d2 × UTF raw id
 * baseline     UTF centering ("none"|"mean"|"biases"), double μ, double λ_b,
 *              d1 × double b_u, d2 × double b_i
 * clip         double min, double max                   NaN, NaN: not clipped
 * factors      int32 k, d1·k × double U (column-major), k·d2 × double V (column-major)
 * seen         int32 nnz, (d1 + 1) × int32 row pointers, nnz × int32 item indices
 *              (the training pairs, CSR by user, items ascending)
 * trajectory   int32 m, m × (int64 step, double seconds, double train loss,
 *              double validation RMSE, double validation MAE)
 * checksum     int64     CRC-32 of every byte before it
 * </pre>
 * Each setting is read back through its declaration: a name the declarations do not have, a type
 * other than the declared one, a value the declaration refuses, a missing setting or a newer
 * declarations version is refused with a message that names it. Version 1 (still read) had one
 * text map in place of the settings and provenance sections; its declared settings, when it
 * records them ({@code settings_version}), are parsed by their declarations on reading.
 * The container (magic, version, trailing CRC-32, atomic write, bounded reads) is the one of
 * {@link BinaryFile}, shared with checkpoints. Readers reject another magic, a newer version,
 * impossible sizes, a wrong checksum and trailing
 * bytes, each with a one-line message. Size: about 8·(d1 + d2)·(k + 1) bytes.
 */
public final class ModelFile {
    /** The first 8 bytes of every model file. */
    public static final byte[] MAGIC = "CDLNMODL".getBytes(StandardCharsets.US_ASCII);
    /** The format version this class writes and the newest it reads. */
    public static final int VERSION = 2;

    private ModelFile() {
    }

    /** The container: magic, version, body, CRC-32; version 1 already ended with the checksum. */
    static final BinaryFile.Format FORMAT = new BinaryFile.Format("CDLNMODL", "cdln model", VERSION, 1, 1,
            "save the model again");

    /** Writes the model to {@code file} through a temporary file in the same folder. */
    static void write(CompletionModel m, Path file) {
        try {
            BinaryFile.write(file, FORMAT, out -> writeBody(m, out));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("could not write the model to " + file + ": "
                    + e.getMessage().replaceFirst("^could not write [^:]*: ", ""), e.getCause());
        }
    }

    private static void writeBody(CompletionModel m, DataOutputStream out) throws IOException {
        out.writeUTF(m.kind().label());
        writeSettings(out, m.record().declared());
        Map<String, String> provenance = m.record().provenance();
        out.writeInt(provenance.size());
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        writeIds(out, m.users());
        writeIds(out, m.items());
        RatingBaseline b = m.baseline();
        out.writeUTF(b.centering().name().toLowerCase());
        writeDouble(out, b.mean());
        writeDouble(out, b.damping());
        writeDoubles(out, b.userBias());
        writeDoubles(out, b.itemBias());
        writeDouble(out, m.clipMin());
        writeDouble(out, m.clipMax());
        out.writeInt(m.rank());
        writeDoubles(out, m.userFactorsLive().data());
        writeDoubles(out, m.itemFactorsLive().data());
        int[] ptr = m.seenPointers();
        int[] idx = m.seenItemIndices();
        out.writeInt(idx.length);
        for (int p : ptr) {
            out.writeInt(p);
        }
        for (int i : idx) {
            out.writeInt(i);
        }
        out.writeInt(m.trajectory().size());
        for (FitPoint p : m.trajectory()) {
            out.writeLong(p.step());
            writeDouble(out, p.seconds());
            writeDouble(out, p.trainLoss());
            writeDouble(out, p.validationRmse());
            writeDouble(out, p.validationMae());
        }
    }

    /** The typed record: schema, version, then every setting with its declared type and value. */
    private static void writeSettings(DataOutputStream out, Settings declared) throws IOException {
        if (declared == null) {
            out.writeUTF("");
            out.writeInt(0);
            out.writeInt(0);
            return;
        }
        Schema schema = declared.schema();
        out.writeUTF(schema.name());
        out.writeInt(schema.version());
        out.writeInt(schema.settings().size());
        for (Setting<?> s : schema.settings()) {
            out.writeUTF(s.name());
            String type = typeOf(s);
            out.writeUTF(type);
            Object v = declared.raw(s);
            out.writeBoolean(v == Setting.AUTO);
            if (v == Setting.AUTO) {
                continue;
            }
            switch (type) {
                case "int" -> out.writeInt((Integer) v);
                case "long" -> out.writeLong((Long) v);
                case "double" -> writeDouble(out, (Double) v);
                case "boolean" -> out.writeBoolean((Boolean) v);
                default -> out.writeUTF(s.format(v));
            }
        }
    }

    /** The type a setting is recorded with: int, long, double, boolean, enum or list. */
    static String typeOf(Setting<?> s) {
        Class<?> t = s.type();
        if (t == Integer.class) {
            return "int";
        }
        if (t == Long.class) {
            return "long";
        }
        if (t == Double.class) {
            return "double";
        }
        if (t == Boolean.class) {
            return "boolean";
        }
        return t.isEnum() ? "enum" : "list";
    }

    private static void writeIds(DataOutputStream out, IdMapping ids) throws IOException {
        out.writeInt(ids.size());
        for (int k = 0; k < ids.size(); k++) {
            out.writeUTF(ids.id(k));
        }
    }

    private static void writeDouble(DataOutputStream out, double v) throws IOException {
        BinaryFile.writeDouble(out, v);
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        BinaryFile.writeDoubles(out, v);
    }

    /** Reads a model file. */
    static CompletionModel read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder, not a model file; give the .cdln file that "
                    + "CompletionModel.save wrote");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file + "; save a fitted model there first "
                    + "(CompletionModel.save)");
        }
        try {
            return BinaryFile.read(file, FORMAT, in -> new Reader(in).body());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m != null && m.contains("does not start with")) {
                throw new IllegalArgumentException(m + "; give a file written by CompletionModel.save");
            }
            throw e;
        }
    }

    /** Reads the body with size checks, so that a corrupt length never allocates gigabytes. */
    private static final class Reader {
        private final BinaryFile.Input in;

        Reader(BinaryFile.Input in) {
            this.in = in;
        }

        IllegalArgumentException corrupt(String why) {
            return in.corrupt(why);
        }

        CompletionModel body() throws IOException {
            ModelKind kind;
            try {
                kind = ModelKind.ofLabel(in.readUTF());
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
            ModelSettings record;
            if (in.version() == 1) {
                int ns = count("settings", 16);
                Map<String, String> settings = new LinkedHashMap<>();
                for (int k = 0; k < ns; k++) {
                    settings.put(in.readUTF(), in.readUTF());
                }
                try {
                    record = ModelSettings.fromText(settings);
                } catch (IllegalArgumentException e) {
                    throw corrupt(e.getMessage());
                }
            } else {
                Settings declared = settings();
                int np = count("provenance entries", 4);
                Map<String, String> provenance = new LinkedHashMap<>();
                for (int k = 0; k < np; k++) {
                    provenance.put(in.readUTF(), in.readUTF());
                }
                record = new ModelSettings(declared, provenance);
            }
            IdMapping users = ids("users");
            IdMapping items = ids("items");
            int d1 = users.size();
            int d2 = items.size();
            Centering c;
            try {
                c = Centering.parse(in.readUTF());
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
            double mu = readDouble();
            double damping = readDouble();
            double[] bu = doubles(d1, "user biases");
            double[] bi = doubles(d2, "item biases");
            double lo = readDouble();
            double hi = readDouble();
            int k = count("rank", 8L * (d1 + d2));
            double[] u = doubles((long) d1 * k, "user factors");
            double[] v = doubles((long) k * d2, "item factors");
            int nnz = count("training pairs", 4);
            int[] ptr = ints(d1 + 1L, "row pointers");
            int[] idx = ints(nnz, "seen items");
            if (ptr[0] != 0 || ptr[d1] != nnz) {
                throw corrupt("the seen-items index does not add up");
            }
            for (int q = 0; q < d1; q++) {
                if (ptr[q + 1] < ptr[q]) {
                    throw corrupt("the seen-items row pointers decrease");
                }
            }
            for (int i : idx) {
                if (i < 0 || i >= d2) {
                    throw corrupt("a seen item index " + i + " lies outside [0, " + d2 + ")");
                }
            }
            int m = count("trajectory points", 40);
            List<FitPoint> traj = new ArrayList<>(m);
            for (int q = 0; q < m; q++) {
                traj.add(new FitPoint(in.readLong(), readDouble(), readDouble(), readDouble(), readDouble()));
            }
            try {
                return new CompletionModel(kind, users, items, new RatingBaseline(c, mu, bu, bi, damping),
                        Matrix.wrap(d1, k, u), Matrix.wrap(k, d2, v), lo, hi, ptr, idx, record, traj);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
        }

        /** The typed record, each setting read by its recorded type and checked by its declaration. */
        private Settings settings() throws IOException {
            String name = in.readUTF();
            int version = in.readInt();
            int n = count("settings", 4);
            if (name.isEmpty()) {
                if (n != 0) {
                    throw corrupt(n + " settings recorded without the declarations they follow");
                }
                return null;
            }
            Schema schema = ModelSettings.schema(name);
            if (schema == null) {
                throw corrupt("the settings follow declarations '" + name + "', which this cdln does not have");
            }
            try {
                ModelSettings.requireKnownVersion(schema, version);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
            Settings s = schema.defaults();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int q = 0; q < n; q++) {
                String settingName = in.readUTF();
                String type = in.readUTF();
                Setting<?> setting = null;
                for (Setting<?> d : schema.settings()) {
                    if (d.name().equals(settingName)) {
                        setting = d;
                    }
                }
                if (setting == null) {
                    throw corrupt("the settings record names '" + settingName + "', which " + schema.name() + " v"
                            + version + " does not declare");
                }
                if (!type.equals(typeOf(setting))) {
                    throw corrupt("the setting " + settingName + " is recorded as " + type + ", but it is declared "
                            + typeOf(setting));
                }
                if (!seen.add(settingName)) {
                    throw corrupt("the setting " + settingName + " is recorded twice");
                }
                Object value;
                if (in.readBoolean()) {
                    value = Setting.AUTO;
                } else {
                    value = switch (type) {
                        case "int" -> Integer.valueOf(in.readInt());
                        case "long" -> Long.valueOf(in.readLong());
                        case "double" -> Double.valueOf(in.readDouble());
                        case "boolean" -> Boolean.valueOf(in.readBoolean());
                        default -> text(setting, in.readUTF());
                    };
                }
                try {
                    s = ModelSettings.with(s, setting, value);
                } catch (IllegalArgumentException e) {
                    throw corrupt(e.getMessage());
                }
            }
            List<String> missing = new ArrayList<>();
            for (Setting<?> d : schema.settings()) {
                if (!seen.contains(d.name())) {
                    missing.add(d.name());
                }
            }
            try {
                ModelSettings.requireComplete(schema, version, missing);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
            return s;
        }

        private Object text(Setting<?> setting, String value) {
            try {
                return setting.parse(value);
            } catch (IllegalArgumentException e) {
                throw corrupt("the model's setting " + e.getMessage());
            }
        }

        private int count(String what, long bytesEach) throws IOException {
            return in.count(what, bytesEach);
        }

        private IdMapping ids(String what) throws IOException {
            int n = count(what, 2);
            List<String> list = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                list.add(in.readUTF());
            }
            try {
                return IdMapping.of(list);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
        }

        private double readDouble() throws IOException {
            return in.readDouble();
        }

        private double[] doubles(long n, String what) throws IOException {
            return in.doubles(n, what);
        }

        private int[] ints(long n, String what) throws IOException {
            return in.ints(n, what);
        }
    }
}
