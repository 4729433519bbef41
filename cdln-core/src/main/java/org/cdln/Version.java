package org.cdln;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, from the build (Maven resource filtering), for provenance. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** e.g. "0.1.0-SNAPSHOT"; "unknown" when run from unfiltered sources. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/org/cdln/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
