package io.turnpike.node;

import java.io.Console;
import java.util.Optional;

/** The operator at a keyboard: prompts whose answers are typed, secrets without echo. */
public interface Terminal {

    /** Reads a line without echoing it; empty when the input ended. */
    char[] readSecret(String prompt);

    /** Reads a line; empty when the input ended. */
    String readLine(String prompt);

    /** The process's console, if it is attached to a terminal. */
    static Optional<Terminal> ofConsole() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return Optional.empty();
        }
        return Optional.of(new Terminal() {
            @Override
            public char[] readSecret(String prompt) {
                char[] secret = console.readPassword("%s", prompt);
                return secret == null ? new char[0] : secret;
            }

            @Override
            public String readLine(String prompt) {
                String line = console.readLine("%s", prompt);
                return line == null ? "" : line;
            }
        });
    }

    /**
     * On JDK 22+ System.console() may return a console whose input is redirected; Console.isTerminal() (absent
     * from the Java 21 API this code compiles against) tells. On JDK 21 a console is only returned for a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
