package dev.jtorr.adapters.cli.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import picocli.CommandLine;

/**
 * Lets picocli build jtorr's commands through Guice (constructor injection), and everything else the default way.
 * Classes from outside jtorr (the collections picocli fills for repeatable options, picocli's own helpers) never go
 * to Guice: it cannot build an interface such as {@code List} and would refuse only after assembling an error report,
 * about 8 ms of every command line with a {@code --peer} or {@code --tracker}.
 */
final class GuiceFactory implements CommandLine.IFactory {
    private static final String OURS = "dev.jtorr.";

    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (!type.getName().startsWith(OURS)) {
            return CommandLine.defaultFactory().create(type);
        }
        try {
            return injector.getInstance(type);
        } catch (ConfigurationException e) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
