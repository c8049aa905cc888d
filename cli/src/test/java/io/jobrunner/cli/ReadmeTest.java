package io.jobrunner.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README cannot drift from what is built and tested. */
class ReadmeTest {

    static final Path ROOT = Path.of(System.getProperty("jobrunner.root", "..")).toAbsolutePath().normalize();

    static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    @Test
    void theJavaExampleIsTheTestedOne() throws IOException {
        String source = Files.readString(ROOT.resolve("cli/src/test/java/io/jobrunner/cli/ReadmeExample.java"));
        int begin = source.indexOf("// README-EXAMPLE-BEGIN\n");
        int end = source.indexOf("        // README-EXAMPLE-END");
        assertThat(begin).isPositive();
        assertThat(end).isGreaterThan(begin);
        String tested = source.substring(begin + "// README-EXAMPLE-BEGIN\n".length(), end);
        String dedented = tested.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        assertThat(readme()).contains(dedented);
    }

    @Test
    void leadsWithTheTwoCommandsANewcomerNeeds() throws IOException {
        String readme = readme();
        int quickstart = readme.indexOf("bin/jobrunner quickstart");
        int verify = readme.indexOf("./mvnw verify");
        assertThat(quickstart).isPositive();
        assertThat(verify).isPositive();
        int firstConcepts = readme.indexOf("\n## Concepts");
        assertThat(firstConcepts).as("a Concepts section after the first steps").isPositive();
        assertThat(quickstart).isLessThan(firstConcepts);
        assertThat(verify).isLessThan(firstConcepts);
        // CI runs exactly the README's test command
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw -B verify");
    }

    @Test
    void everyConfigKeyOfEveryReferenceConfIsInTheTable() throws IOException {
        String readme = readme();
        List<String> missing = ConfigKeys.all(ROOT).stream().filter(k -> !readme.contains("`" + k + "`")).toList();
        assertThat(missing).as("config keys missing from the README's table").isEmpty();
    }
}
