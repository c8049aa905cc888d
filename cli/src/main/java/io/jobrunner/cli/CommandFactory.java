package io.jobrunner.cli;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

import java.lang.reflect.Constructor;

/** Creates commands and mixins, handing the {@link CliEnvironment} to those whose constructor takes it. */
final class CommandFactory implements IFactory {

    private final CliEnvironment env;

    CommandFactory(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            Constructor<K> withEnv = cls.getDeclaredConstructor(CliEnvironment.class);
            withEnv.setAccessible(true);
            return withEnv.newInstance(env);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
