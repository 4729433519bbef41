package org.cdln.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.cdln.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --resume} is the one declaration (the mixin) on every command that checkpoints. */
class ResumeFlagTest {
    private static void collect(CommandLine cl, Map<String, OptionSpec> found) {
        OptionSpec o = cl.getCommandSpec().findOption("--resume");
        if (o != null) {
            found.put(cl.getCommandSpec().qualifiedName(" "), o);
        }
        cl.getSubcommands().values().forEach(c -> collect(c, found));
    }

    @Test
    void everyResumableCommandHasTheSameFlag() {
        Map<String, OptionSpec> found = new TreeMap<>();
        collect(Main.commandLine(), found);
        for (String c : new String[] {"cdln reproduce completion", "cdln reproduce factorization",
            "cdln reproduce sensing", "cdln reproduce alpha-sweep", "cdln reproduce depth", "cdln reproduce mlp",
            "cdln reproduce movielens", "cdln reproduce theorem", "cdln reproduce parsimony",
            "cdln analyze factorization", "cdln analyze completion", "cdln analyze sensing", "cdln analyze mlp",
            "cdln complete"}) {
            assertTrue(found.containsKey(c), c + " has --resume: " + found.keySet());
        }
        String help = String.join(" ", found.get("cdln complete").description());
        found.forEach((command, option) -> {
            assertEquals(help, String.join(" ", option.description()), command + " declares its own --resume");
            assertEquals(boolean.class, option.type(), command);
        });
    }
}
