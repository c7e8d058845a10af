package dev.xsched.examples.cli;

import picocli.CommandLine;

import java.lang.reflect.Constructor;

/**
 * Creates the objects picocli needs: a command with a constructor taking a {@link Terminal} gets
 * the terminal of this run; everything else (converters, version provider, picocli's own
 * commands) comes from picocli's default factory.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final Terminal terminal;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> constructor;
        try {
            constructor = type.getDeclaredConstructor(Terminal.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
        constructor.setAccessible(true); // a package-private command of this module
        return constructor.newInstance(terminal);
    }
}
