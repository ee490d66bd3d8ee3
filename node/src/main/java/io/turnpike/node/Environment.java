package io.turnpike.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a command takes from the process around it: environment variables, system properties and the terminal.
 * Passed in rather than read from {@link System}, so a test gives each command its own and never changes the
 * real process's.
 */
public record Environment(Map<String, String> variables, Map<String, String> systemProperties,
                          Optional<Terminal> terminal) {

    public Environment {
        variables = Map.copyOf(variables);
        systemProperties = Map.copyOf(systemProperties);
    }

    public static Environment ofProcess() {
        Properties properties = System.getProperties();
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return new Environment(System.getenv(), copy, Terminal.ofConsole());
    }

    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** The user's home folder, where the default data directory is. */
    public Path userHome() {
        return Path.of(systemProperties.getOrDefault("user.home", "."));
    }
}
