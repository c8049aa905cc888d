package io.jobrunner.dashboard;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Renders the pages from the Pebble templates in {@code io/jobrunner/dashboard/templates}, with HTML escaping of
 * every value on (Pebble's default; no template turns it off), whole or only their {@code live} block (what the
 * pages re-fetch to update without a reload).
 */
final class Views {

    private final PebbleEngine engine;
    private final Map<String, Object> common = new HashMap<>();

    Views(DashboardSettings settings) {
        ClasspathLoader loader = new ClasspathLoader(Views.class.getClassLoader());
        loader.setPrefix("io/jobrunner/dashboard/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false).build();
        Properties assets = new Properties();
        try (InputStream in = Views.class.getResourceAsStream("assets.properties")) {
            assets.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("io/jobrunner/dashboard/assets.properties is missing from the classpath", e);
        }
        common.put("htmxVersion", assets.getProperty("htmx"));
        common.put("chartjsVersion", assets.getProperty("chartjs"));
        common.put("refreshMs", settings.refresh().toMillis());
    }

    /** The whole page {@code name} with {@code model}. */
    String page(String name, Map<String, Object> model) {
        return render(name, null, model);
    }

    /** Only the {@code live} block of page {@code name}. */
    String live(String name, Map<String, Object> model) {
        return render(name, "live", model);
    }

    /** A small template of its own ({@code flash}: an action's message). */
    String fragment(String name, Map<String, Object> model) {
        return render(name, null, model);
    }

    private String render(String name, String block, Map<String, Object> model) {
        PebbleTemplate template = engine.getTemplate(name);
        Map<String, Object> context = new HashMap<>(common);
        context.putAll(model);
        StringWriter out = new StringWriter();
        try {
            if (block == null) {
                template.evaluate(out, context);
            } else {
                template.evaluateBlock(block, out, context);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
