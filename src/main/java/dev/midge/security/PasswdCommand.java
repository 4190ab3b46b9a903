package dev.midge.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code passwd [-b] FILE USER [PASSWORD]}: adds or replaces a user in a password file, in the format
 * {@code mosquitto_passwd} writes, so either tool can manage the file. Without {@code -b} the password is read
 * from the terminal (or one line of standard input).
 */
public final class PasswdCommand {

    private PasswdCommand() {
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream err) {
        boolean batch = args.length > 0 && args[0].equals("-b");
        int first = batch ? 1 : 0;
        if (args.length - first != (batch ? 3 : 2)) {
            err.println("usage: passwd [-b] FILE USER [PASSWORD]   (PASSWORD only with -b)");
            return 2;
        }
        Path file = Path.of(args[first]);
        String user = args[first + 1];
        if (user.isEmpty() || user.contains(":")) {
            err.println("passwd: a user name must be non-empty and contain no ':'");
            return 2;
        }
        try {
            String password = batch ? args[first + 2] : readPassword();
            if (password == null || password.isEmpty()) {
                err.println("passwd: empty password");
                return 2;
            }
            List<String> lines = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.startsWith(user + ":")) {
                        lines.add(line);
                    }
                }
            }
            lines.add(PasswordFile.line(user, password.getBytes(StandardCharsets.UTF_8)));
            Files.write(file, lines, StandardCharsets.UTF_8);
            return 0;
        } catch (IOException e) {
            err.println("passwd: " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Reenter password: ");
            if (first == null || !String.valueOf(first).equals(String.valueOf(again))) {
                throw new IOException("passwords do not match");
            }
            return String.valueOf(first);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
