package org.cdln.settings;

/**
 * A setting was given a value it does not allow. The message names the setting (in the library's
 * words), the allowed values and the value given; front ends map {@link #setting()} to their own
 * name for it (a flag, a Spark Param).
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final transient Setting<?> setting;

    public InvalidSettingException(Setting<?> setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** The setting whose value was refused. */
    public Setting<?> setting() {
        return setting;
    }
}
