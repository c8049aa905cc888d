package io.jobrunner.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Every config key the modules define: the leaf paths of every {@code src/main/resources/reference.conf}. */
final class ConfigKeys {

    private ConfigKeys() {
    }

    /** The reference.conf files of the modules under {@code root}. */
    static List<Path> referenceFiles(Path root) throws IOException {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(m -> m.resolve("src/main/resources/reference.conf")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Leaf paths, with a {@code "*"} (per type default) segment written {@code <type>}. */
    static List<String> all(Path root) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        for (Path file : referenceFiles(root)) {
            Config config = ConfigFactory.parseFile(file.toFile());
            for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
                keys.add(e.getKey().replace("\"*\"", "<type>"));
            }
        }
        return List.copyOf(keys);
    }
}
