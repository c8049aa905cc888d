package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * One group of slots ({@code jobrunner.runner.groups.<name>}), each key falling back to
 * {@code jobrunner.runner.group-defaults}.
 *
 * @param name        the group's name (thread names {@code slot-<name>-<n>}, metric names {@code groups.<name>.*})
 * @param slots       worker threads; 0 disables the group
 * @param types       job types served: names and globs, never empty
 * @param exclude     types not served even if {@code types} matches them
 * @param lowPriority the served types that form the low class; the rest are the high class
 * @param highShare   target share of slot-busy time for the high class while both classes have work, 0..1
 */
public record GroupSettings(String name, int slots, TypePatterns types, TypePatterns exclude,
                            TypePatterns lowPriority, double highShare) {

    static final String GROUPS = "jobrunner.runner.groups";
    static final String DEFAULTS = "jobrunner.runner.group-defaults";
    /** Most slots one group may have. */
    public static final int MAX_SLOTS = 4096;

    /** The class of {@code type} in this group, or null when the group does not serve it. */
    public JobClass classify(String type) {
        if (!types.matches(type) || exclude.matches(type)) {
            return null;
        }
        return lowPriority.matches(type) ? JobClass.LOW : JobClass.HIGH;
    }

    public boolean enabled() {
        return slots > 0;
    }

    /** Reads and validates the group {@code name}; every error names the full HOCON path. */
    static GroupSettings read(Config root, String name) {
        String path = GROUPS + "." + name;
        ConfigValue block = root.getValue(path);
        if (block.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException.WrongType(block.origin(), path, "an object { slots, types, exclude, low-priority, high-share }",
                    block.valueType().name());
        }
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ConfigException.BadValue(block.origin(), path,
                    "group names are 1 to 64 characters of A-Z a-z 0-9 _ - (they name threads and metrics), was '" + name + "'");
        }
        String slotsPath = keyPath(root, path, "slots");
        int slots = root.getInt(slotsPath);
        if (slots < 0 || slots > MAX_SLOTS) {
            throw new ConfigException.BadValue(root.getValue(slotsPath).origin(), slotsPath,
                    "must be 0 (group disabled) to " + MAX_SLOTS + ", was " + slots);
        }
        String typesPath = keyPath(root, path, "types");
        TypePatterns types = TypePatterns.read(root, typesPath);
        if (types.isEmpty()) {
            throw new ConfigException.BadValue(root.getValue(typesPath).origin(), typesPath,
                    "must name at least one job type or glob, e.g. [\"*\"] for every type or [\"sendMail\", \"html*\"]");
        }
        TypePatterns exclude = TypePatterns.read(root, keyPath(root, path, "exclude"));
        String lowPath = keyPath(root, path, "low-priority");
        TypePatterns low = TypePatterns.read(root, lowPath);
        String sharePath = keyPath(root, path, "high-share");
        double highShare = root.getDouble(sharePath);
        if (!(highShare >= 0.0 && highShare <= 1.0)) {
            throw new ConfigException.BadValue(root.getValue(sharePath).origin(), sharePath,
                    "must be a fraction from 0.0 to 1.0 (0.8 = the high class gets 80% of busy time when both classes have work), was " + highShare);
        }
        GroupSettings group = new GroupSettings(name, slots, types, exclude, low, highShare);
        group.checkServesSomething(root, typesPath);
        group.checkLowPriorityIsServed(root, lowPath);
        return group;
    }

    /** A types list of exact names that exclude removes entirely serves nothing. */
    private void checkServesSomething(Config root, String typesPath) {
        boolean onlyNames = types.exactNames().size() == types.patterns().size();
        if (onlyNames && types.exactNames().stream().allMatch(exclude::matches)) {
            throw new ConfigException.BadValue(root.getValue(typesPath).origin(), typesPath,
                    "every type in " + types + " is also matched by exclude " + exclude + ": the group would serve nothing");
        }
    }

    /** A low-priority name the group does not serve is a mistake the operator should see. */
    private void checkLowPriorityIsServed(Config root, String lowPath) {
        List<String> unserved = new ArrayList<>();
        for (String type : lowPriority.exactNames()) {
            if (!types.matches(type) || exclude.matches(type)) {
                unserved.add(type);
            }
        }
        if (!unserved.isEmpty()) {
            throw new ConfigException.BadValue(root.getValue(lowPath).origin(), lowPath,
                    unserved + " not served by this group: low-priority must name types that types = " + types
                            + " matches and exclude " + exclude + " does not");
        }
    }

    /** The path of {@code key} in the group, or in group-defaults when the group does not set it. */
    private static String keyPath(Config root, String groupPath, String key) {
        String own = groupPath + "." + key;
        return root.hasPathOrNull(own) ? own : DEFAULTS + "." + key;
    }

    /** One line for the start-up log: name, slots, types and, when set, exclusions and the low-priority class. */
    public String describe() {
        return name + " (" + slots + " slots, types " + types + (exclude.isEmpty() ? "" : ", exclude " + exclude)
                + (lowPriority.isEmpty() ? "" : ", low-priority " + lowPriority + ", high-share " + highShare) + ")";
    }
}
