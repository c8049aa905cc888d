package io.jobrunner.mediawiki.legacy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.jobrunner.service.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a config file that may be a legacy {@code jobrunner.json} (by its {@code .json} name) or a HOCON file
 * naming one in {@code jobrunner.mediawiki.legacy-file} (its settings then sit under the HOCON file's); both
 * imply MediaWiki mode. Any other file loads as {@link ConfigLoader} loads it.
 */
public final class MwConfigFiles {

    private static final Logger log = LoggerFactory.getLogger(MwConfigFiles.class);
    static final String LEGACY_FILE = "jobrunner.mediawiki.legacy-file";

    private MwConfigFiles() {
    }

    public static Config load(Path file, Map<String, String> env) {
        if (LegacyJobrunnerJson.isLegacyFile(file)) {
            return ConfigLoader.fromUserConfig(legacy(file), env);
        }
        Config loaded = ConfigLoader.load(file, env);
        String legacyFile = loaded.getString(LEGACY_FILE);
        if (legacyFile.isBlank()) {
            return loaded;
        }
        Path legacyPath = file == null || Path.of(legacyFile).isAbsolute() ? Path.of(legacyFile) : file.toAbsolutePath().getParent().resolve(legacyFile);
        if (!Files.isRegularFile(legacyPath)) {
            throw new ConfigException.BadValue(loaded.getValue(LEGACY_FILE).origin(), LEGACY_FILE, "names " + legacyPath + ", which is not a file");
        }
        Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        return ConfigLoader.fromUserConfig(user.withFallback(legacy(legacyPath)), env);
    }

    private static Config legacy(Path file) {
        LegacyJobrunnerJson.Converted converted = LegacyJobrunnerJson.read(file);
        converted.warnings().forEach(w -> log.warn("{}: {}", file, w));
        return converted.config("legacy " + file);
    }
}
