package io.jobrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * There is no Docker engine on the build machines, so the packaging is checked by reading it: the compose
 * file parses and says what the README promises, the Dockerfile's paths exist and agree with the build,
 * and the systemd units stop gracefully.
 */
class PackagingTest {

    private static final Path ROOT = ReadmeTest.ROOT;
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final List<String> JOBRUNNER_SERVICES = List.of("chron-a", "chron-b", "runner");

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
    }

    @Test
    void composeRunsRedisWithAofAndNoEvictionAndAHealthcheck() throws IOException {
        JsonNode redis = compose().get("services").get("redis");
        String command = String.join(" ", texts(redis.get("command")));
        assertThat(command).contains("--appendonly yes").contains("--appendfsync everysec").contains("--maxmemory-policy noeviction");
        assertThat(texts(redis.get("healthcheck").get("test"))).contains("redis-cli", "ping");
        assertThat(redis.get("volumes").get(0).asText()).endsWith(":/data");
    }

    @Test
    void composeRunsAChronPairAndAScalableRunnerFromOneImage() throws IOException {
        JsonNode services = compose().get("services");
        assertThat(services.get("chron-a").get("command").get(0).asText()).isEqualTo("chron");
        assertThat(services.get("chron-b").get("command").get(0).asText()).isEqualTo("chron");
        JsonNode runner = services.get("runner");
        assertThat(runner.get("command").get(0).asText()).isEqualTo("runner");
        assertThat(runner.has("container_name")).as("a fixed name prevents --scale").isFalse();
        assertThat(runner.has("ports")).as("a fixed host port prevents --scale").isFalse();
        assertThat(runner.path("init").asBoolean()).as("an init reaps the orphans of killed command trees").isTrue();
        for (String name : JOBRUNNER_SERVICES) {
            JsonNode service = services.get(name);
            assertThat(service.get("image").asText()).isEqualTo("jobrunner:latest");
            assertThat(service.get("depends_on").get("redis").get("condition").asText()).isEqualTo("service_healthy");
            assertThat(service.get("environment").get("JOBRUNNER_REDIS_URI").asText()).isEqualTo("redis://redis:6379");
            JsonNode build = service.get("build");
            assertThat(DOCKER.resolve(build.get("context").asText()).resolve(build.get("dockerfile").asText())).isRegularFile();
        }
    }

    @Test
    void composeMountsFilesThatExist() throws IOException {
        JsonNode services = compose().get("services");
        for (String name : JOBRUNNER_SERVICES) {
            for (JsonNode volume : services.get(name).get("volumes")) {
                String source = volume.asText().split(":")[0];
                assertThat(source).startsWith(".");
                assertThat(DOCKER.resolve(source).normalize()).as(name + " mounts " + source).isRegularFile();
            }
        }
    }

    @Test
    void composeGivesTheDaemonsMoreTimeToStopThanTheShutdownGrace() throws IOException {
        Duration grace = shutdownGrace();
        for (String name : JOBRUNNER_SERVICES) {
            Duration stop = Duration.ofSeconds(Long.parseLong(compose().get("services").get(name).get("stop_grace_period").asText().replace("s", "")));
            assertThat(stop).as(name + " stop_grace_period").isGreaterThan(grace);
        }
    }

    @Test
    void theDockerfileBuildsWithTheWrapperAndRunsTheShadedJarAsANonRootUser() throws IOException {
        List<String[]> instructions = dockerfile();
        List<String> froms = values(instructions, "FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).contains("jdk").endsWith(" AS build");
        assertThat(froms.get(1)).contains("-jre");
        assertThat(values(instructions, "RUN")).anySatisfy(run -> assertThat(run).contains("./mvnw").contains("-pl cli -am package"));

        String workdir = values(instructions, "WORKDIR").get(0);
        String fromBuild = values(instructions, "COPY").stream().filter(c -> c.startsWith("--from=build ")).findFirst().orElseThrow();
        String[] parts = fromBuild.split("\\s+");
        assertThat(parts[1]).isEqualTo(workdir + "/cli/target/jobrunner.jar");
        assertThat(Files.readString(ROOT.resolve("cli/pom.xml"))).contains("<outputFile>${project.build.directory}/jobrunner.jar</outputFile>");
        assertThat(values(instructions, "ENTRYPOINT").get(0)).contains("\"-jar\", \"" + parts[2] + "\"");

        String user = values(instructions, "USER").get(values(instructions, "USER").size() - 1);
        assertThat(user).isNotIn("root", "0");
        assertThat(values(instructions, "RUN")).anySatisfy(run -> assertThat(run).contains("useradd").contains(user));
        assertThat(values(instructions, "CMD")).containsExactly("[\"runner\"]");
    }

    @Test
    void everyPathTheDockerfileCopiesFromTheContextExistsAndIsNotIgnored() throws IOException {
        List<String> ignored = Files.readAllLines(DOCKER.resolve("Dockerfile.dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String copy : values(dockerfile(), "COPY")) {
            if (copy.startsWith("--from=")) {
                continue;
            }
            String[] parts = copy.split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(ROOT.resolve(parts[i])).as("COPY source " + parts[i]).exists();
            }
        }
        // what the build stage needs must survive the ignore file
        for (String needed : List.of("mvnw", ".mvn", "pom.xml", "lua", "queue-client", "service-common", "runner-service",
                "chron-service", "cli")) {
            assertThat(ROOT.resolve(needed)).exists();
            assertThat(ignored).as("the ignore file must keep " + needed).noneMatch(p -> p.equals(needed) || p.equals(needed + "/"));
        }
        assertThat(ignored).contains("**/target", ".git");
    }

    @Test
    void theImagesDefaultConfigServesTheChronAndTheToolsAndBindsBeyondLoopback() {
        Path config = DOCKER.resolve("jobrunner.docker.conf");
        Cli.Result chron = Cli.plain().runExactly("check-config", "--for", "chron", "--json", "--config", config.toString());
        assertThat(chron.code()).as(chron.toString()).isZero();
        assertThat(chron.out()).contains("\"uri\" : \"redis://redis:6379\"").contains("\"bind\" : \"0.0.0.0\"");
        Cli.Result runner = Cli.plain().runExactly("check-config", "--for", "runner", "--config", config.toString());
        assertThat(runner.code()).as("no groups: the runner needs a mounted config").isEqualTo(2);
        assertThat(runner.err()).contains("jobrunner.runner.groups");
    }

    @Test
    void theSystemdUnitsRunAsADedicatedUserAndStopGracefully() throws IOException {
        Duration grace = shutdownGrace();
        for (String daemon : List.of("runner", "chron")) {
            Map<String, List<String>> unit = unit(ROOT.resolve("deploy/systemd/jobrunner-" + daemon + ".service"));
            assertThat(unit.get("User")).containsExactly("jobrunner");
            assertThat(unit.get("KillSignal")).containsExactly("SIGTERM");
            assertThat(unit.get("KillMode")).containsExactly("mixed");
            assertThat(unit.get("Restart")).containsExactly("on-failure");
            assertThat(Duration.ofSeconds(Long.parseLong(unit.get("TimeoutStopSec").get(0).replace("s", "")))).isGreaterThan(grace);
            assertThat(unit.get("ExecStart").get(0)).endsWith("-jar /opt/jobrunner/jobrunner.jar " + daemon);
            assertThat(unit.get("ExecStartPre").get(0)).endsWith("check-config --for " + daemon + " --quiet");
            assertThat(unit.get("WantedBy")).containsExactly("multi-user.target");
        }
        assertThat(Files.readString(ROOT.resolve("deploy/systemd/jobrunner.sysusers.conf"))).contains("u jobrunner ");
    }

    @Test
    void composeRunsTheDemoHandlersOfTheImageWithEndpointsAPrometheusServiceScrapes() throws IOException {
        JsonNode services = compose().get("services");
        for (String name : JOBRUNNER_SERVICES) {
            JsonNode service = services.get(name);
            assertThat(service.get("environment").get("JOBRUNNER_CONFIG").asText()).isEqualTo("/etc/jobrunner/compose.conf");
            assertThat(texts(service.get("volumes"))).containsExactly("./jobrunner.compose.conf:/etc/jobrunner/compose.conf:ro");
        }
        String composeConf = Files.readString(DOCKER.resolve("jobrunner.compose.conf"));
        assertThat(composeConf).as("the image's config (bind 0.0.0.0) under the compose one")
                .contains("include file(\"/etc/jobrunner/jobrunner.conf\")");
        assertThat(values(dockerfile(), "COPY")).contains("docker/jobrunner.docker.conf /etc/jobrunner/jobrunner.conf");

        // the compose config as the containers read it (the image's file included), checked as the daemons would
        Path resolved = Files.createTempFile("compose", ".conf");
        try {
            Files.writeString(resolved, composeConf.replace("/etc/jobrunner/jobrunner.conf", DOCKER.resolve("jobrunner.docker.conf").toString()));
            Cli.Result runner = Cli.plain().runExactly("check-config", "--for", "runner", "--json", "--config", resolved.toString());
            assertThat(runner.code()).as(runner.toString()).isZero();
            assertThat(runner.out()).contains("\"bind\" : \"0.0.0.0\"").contains("io.jobrunner.cli.demo.SendMailHandler");
        } finally {
            Files.delete(resolved);
        }

        JsonNode prometheus = services.get("prometheus");
        assertThat(texts(prometheus.get("volumes"))).contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        JsonNode scrape = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("prometheus.yml").toFile()).get("scrape_configs");
        assertThat(scrape.findValues("names").get(0).get(0).asText()).as("every runner replica, by DNS").isEqualTo("runner");
        assertThat(scrape.findValues("port").get(0).asInt()).isEqualTo(9321);
        assertThat(texts(scrape.findValues("targets").get(0))).containsExactly("chron-a:9322", "chron-b:9322");
    }

    @Test
    void composeServesTheDashboardOnTheHostsLoopbackWithItsLivenessChecked() throws IOException {
        JsonNode dashboard = compose().get("services").get("dashboard");
        assertThat(texts(dashboard.get("command"))).containsExactly("dashboard");
        assertThat(dashboard.get("image").asText()).isEqualTo("jobrunner:latest");
        assertThat(texts(dashboard.get("ports"))).containsExactly("127.0.0.1:9330:9330");
        JsonNode env = dashboard.get("environment");
        assertThat(env.get("JOBRUNNER_REDIS_URI").asText()).isEqualTo("redis://redis:6379");
        assertThat(env.get("JOBRUNNER_HEALTH_PORTS").asText()).as("the image's HEALTHCHECK asks the dashboard's /livez").isEqualTo("9330");
        assertThat(env.get("JOBRUNNER_DASHBOARD_TOKEN").asText()).as("read-only unless the operator sets a token")
                .isEqualTo("${JOBRUNNER_DASHBOARD_TOKEN:-}");
        assertThat(values(dockerfile(), "EXPOSE").get(0)).contains("9330");

        Cli.Result config = Cli.plain().runExactly("check-config", "--for", "chron", "--json", "--config",
                DOCKER.resolve("jobrunner.docker.conf").toString());
        assertThat(config.code()).as(config.toString()).isZero();
        assertThat(Files.readString(DOCKER.resolve("jobrunner.docker.conf"))).contains("dashboard.bind = \"0.0.0.0\"");
    }

    @Test
    void theImageChecksTheLivenessOfItsDaemon() throws IOException {
        List<String[]> instructions = dockerfile();
        assertThat(values(instructions, "HEALTHCHECK")).singleElement().asString().contains("CMD [\"/opt/jobrunner/healthcheck\"]");
        assertThat(values(instructions, "COPY")).contains("docker/healthcheck /opt/jobrunner/healthcheck");
        Path script = DOCKER.resolve("healthcheck");
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Files.readString(script)).contains("GET /livez").contains("9321 9322");
        assertThat(values(instructions, "RUN")).as("the image's jar is built without the quickstart's embedded Redis")
                .anySatisfy(run -> assertThat(run).contains("-pl cli -am package").doesNotContain("quickstart-redis"));
    }

    @Test
    void theProjectIsApacheLicensedAndEveryModuleInheritsTheLicenceScmAndDevelopers() throws IOException {
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0, January 2004")
                .contains("END OF TERMS AND CONDITIONS");
        assertThat(ROOT.resolve("NOTICE")).isRegularFile();
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(parent).contains("<name>Apache-2.0</name>").contains("<scm>").contains("<developers>")
                .contains("<artifactId>maven-source-plugin</artifactId>").contains("<artifactId>maven-javadoc-plugin</artifactId>");
        for (String module : List.of("queue-client", "service-common", "runner-service", "chron-service", "cli")) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(pom).as(module + " inherits the licence from the parent").contains("<artifactId>jobrunner-parent</artifactId>")
                    .doesNotContain("<licenses>");
        }
    }

    /** The runner's shutdown grace from its reference.conf (30s before the runner lands). */
    private static Duration shutdownGrace() {
        com.typesafe.config.Config reference = com.typesafe.config.ConfigFactory.defaultReference();
        return reference.hasPath("jobrunner.runner.shutdown-grace") ? reference.getDuration("jobrunner.runner.shutdown-grace")
                : Duration.ofSeconds(30);
    }

    /** Dockerfile instructions as {keyword, rest}, with continuation lines joined and comments dropped. */
    private static List<String[]> dockerfile() throws IOException {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String joined = current.toString().strip();
            current.setLength(0);
            int space = joined.indexOf(' ');
            out.add(new String[]{joined.substring(0, space).toUpperCase(), joined.substring(space + 1).strip()});
        }
        return out;
    }

    private static List<String> values(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    private static Map<String, List<String>> unit(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("[")) {
                continue;
            }
            int eq = t.indexOf('=');
            out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>()).add(t.substring(eq + 1));
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
