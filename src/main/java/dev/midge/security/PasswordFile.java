package dev.midge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password file in the format {@code mosquitto_passwd} writes: {@code user:$7$iterations$salt$hash} (PBKDF2
 * with HMAC-SHA512) or the older {@code user:$6$salt$hash} (SHA-512 of password and salt), base64 throughout.
 */
public final class PasswordFile {

    /** Mosquitto's own iteration count. Checks run on the CryptoWorkers, whatever a file's count. */
    private static final int ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(int scheme, int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, Entry> users;

    private PasswordFile(Map<String, Entry> users) {
        this.users = users;
    }

    /** Reads the file; a malformed line fails with the file and line number. */
    public static PasswordFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Entry> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected user:hash");
            }
            try {
                users.put(line.substring(0, colon), parse(line.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": unreadable password hash", e);
            }
        }
        return new PasswordFile(users);
    }

    private static Entry parse(String hash) {
        String[] parts = hash.split("\\$", -1);
        Base64.Decoder base64 = Base64.getDecoder();
        if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals("7")) {
            return new Entry(7, Integer.parseInt(parts[2]), base64.decode(parts[3]), base64.decode(parts[4]));
        }
        if (parts.length == 4 && parts[0].isEmpty() && parts[1].equals("6")) {
            return new Entry(6, 0, base64.decode(parts[2]), base64.decode(parts[3]));
        }
        throw new IllegalArgumentException("unknown hash format");
    }

    /** True when the user exists and the password is right. Compares in constant time. */
    public boolean verify(String username, byte[] password) {
        Entry entry = users.get(username);
        if (entry == null || password == null) {
            return false;
        }
        byte[] computed = entry.scheme() == 7 ? pbkdf2(password, entry.salt(), entry.iterations())
                : sha512(password, entry.salt());
        return MessageDigest.isEqual(computed, entry.hash());
    }

    public int size() {
        return users.size();
    }

    /** A line for the file, as {@code mosquitto_passwd} would write it. */
    public static String line(String username, byte[] password) {
        return line(username, password, ITERATIONS);
    }

    /** A line with another PBKDF2 iteration count than Mosquitto's; the cost of a check grows with it. */
    public static String line(String username, byte[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        return username + ":$7$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(pbkdf2(password, salt, iterations));
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        // PBEKeySpec takes chars; mosquitto hashes the password's bytes, which are UTF-8 for any real client.
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(chars, salt, iterations, 512)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        }
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            digest.update(salt);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        }
    }
}
