package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password files as the real mosquitto_passwd writes them (Debian's mosquitto package), and as Midge does. */
class PasswordFileTest {

    @TempDir
    Path dir;

    /** Runs mosquitto_passwd in batch mode; CI installs it. */
    static void mosquittoPasswd(Path file, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "/usr/bin/mosquitto_passwd";
        command[1] = "-b";
        System.arraycopy(args, 0, command, 2, args.length - 2);
        command[args.length] = file.toString();
        command[args.length + 1] = args[args.length - 2];
        command[args.length + 2] = args[args.length - 1];
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void verifiesPbkdf2HashesFromMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pw");
        Files.createFile(file);
        mosquittoPasswd(file, "alice", "secret1");
        mosquittoPasswd(file, "bob", "p@ss:wörd");
        PasswordFile passwords = PasswordFile.read(file);
        assertEquals(2, passwords.size());
        assertTrue(passwords.verify("alice", "secret1".getBytes(StandardCharsets.UTF_8)));
        assertTrue(passwords.verify("bob", "p@ss:wörd".getBytes(StandardCharsets.UTF_8)));
        assertFalse(passwords.verify("alice", "secret2".getBytes(StandardCharsets.UTF_8)));
        assertFalse(passwords.verify("carol", "secret1".getBytes(StandardCharsets.UTF_8)));
        assertFalse(passwords.verify("alice", null));
    }

    @Test
    void verifiesOlderSha512HashesFromMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pw6");
        Files.createFile(file);
        mosquittoPasswd(file, "-H", "sha512", "old", "legacy");
        assertTrue(Files.readString(file).startsWith("old:$6$"));
        PasswordFile passwords = PasswordFile.read(file);
        assertTrue(passwords.verify("old", "legacy".getBytes(StandardCharsets.UTF_8)));
        assertFalse(passwords.verify("old", "Legacy".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void linesWithAnotherIterationCountSayItAndVerify() throws Exception {
        Path file = dir.resolve("iterations");
        Files.writeString(file, PasswordFile.line("carol", "pw".getBytes(StandardCharsets.UTF_8), 5_000) + "\n");
        assertTrue(Files.readString(file).startsWith("carol:$7$5000$"));
        assertTrue(PasswordFile.read(file).verify("carol", "pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMalformedLineNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad");
        Files.writeString(file, "# users\nalice:$7$101$AAAA$BBBB\nbroken line\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordFile.read(file));
        assertTrue(e.getMessage().contains(file + ":3"), e.getMessage());
    }

    @Test
    void passwdCommandAddsAndReplacesUsersInTheSameFormat() throws Exception {
        Path file = dir.resolve("ours");
        mosquittoPasswd(Files.createFile(file), "keep", "kept");
        PrintStream err = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, PasswdCommand.run(new String[] {"-b", file.toString(), "dave", "first"}, err));
        assertEquals(0, PasswdCommand.run(new String[] {"-b", file.toString(), "dave", "second"}, err));
        assertEquals(2, PasswdCommand.run(new String[] {"-b", file.toString(), "no:colon", "x"}, err));
        PasswordFile passwords = PasswordFile.read(file);
        assertEquals(2, passwords.size());
        assertTrue(passwords.verify("dave", "second".getBytes()));
        assertFalse(passwords.verify("dave", "first".getBytes()));
        assertTrue(passwords.verify("keep", "kept".getBytes()));
    }
}
