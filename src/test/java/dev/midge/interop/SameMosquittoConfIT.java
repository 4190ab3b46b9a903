package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.Listening;
import dev.midge.testing.MosquittoBroker;
import dev.midge.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mosquitto.conf, run first by {@code mosquitto -c} and then by {@code java -jar quarkus-run.jar -c}: both
 * accept the same clients (anonymous, a password user, TLS) and refuse the same wrong password; with two plain
 * and two TLS listeners, both name a client by its certificate's subject for the ACL; both hold a listener to its
 * own {@code max_connections}.
 */
@Timeout(180)
class SameMosquittoConfIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void mosquittoAndMidgeAcceptTheSameClientsFromOneFile() throws Exception {
        MosquittoClient.assertInstalled();
        TestCertificates.create();
        int plain = MosquittoBroker.freePort();
        int tls = MosquittoBroker.freePort();
        Path passwd = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "wonderland");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "allow_anonymous true\npassword_file "
                + passwd + "\nlistener " + plain + " 127.0.0.1\nlistener " + tls + " 127.0.0.1\ncertfile "
                + TestCertificates.DIR.resolve("server1001.crt") + "\nkeyfile "
                + TestCertificates.DIR.resolve("server1001.key") + "\n" + userLine());

        for (List<String> broker : mosquittoThenMidge(conf)) {
            Process process = start(broker);
            try {
                awaitListening(plain, process);
                awaitListening(tls, process);
                String name = broker.get(0);
                try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                        Integer.toString(plain), "-t", "same/#", "-C", "2", "-v", "-d")) {
                    sub.awaitLine("received SUBACK", 10);
                    MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(plain), "-t", "same/anonymous",
                            "-m", "a");
                    MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(tls), "--cafile",
                            TestCertificates.DIR.resolve("ca.crt").toString(), "-u", "alice", "-P", "wonderland",
                            "-t", "same/tls", "-m", "t");
                    sub.assertExits(0, 10);
                    assertEquals(List.of("same/anonymous a", "same/tls t"), sub.output().stream()
                            .filter(line -> line.startsWith("same/")).toList(), name);
                }
                try (MosquittoClient wrong = MosquittoClient.start("mosquitto_pub", "-h", "127.0.0.1", "-p",
                        Integer.toString(plain), "-u", "alice", "-P", "mad-hatter", "-t", "same/x", "-m", "x")) {
                    assertTrue(wrong.hasExited(10_000), name);
                    assertNotEquals(0, wrong.exitValue(), name + " refuses a wrong password: " + wrong.output());
                }
            } finally {
                stop(process);
            }
        }
    }

    @Test
    void bothTakeTheSameSubjectAsUserNameOnASecondTlsListenerAndServeTwoPlainOnes() throws Exception {
        MosquittoClient.assertInstalled();
        TestCertificates.create();
        TestCertificates.issueServerCertificate(2002);
        Path certs = TestCertificates.DIR;
        int plain = MosquittoBroker.freePort();
        int plain2 = MosquittoBroker.freePort();
        int tls = MosquittoBroker.freePort();
        int tls2 = MosquittoBroker.freePort();
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite plain/#\nuser "
                + TestCertificates.SUBJECT_USER + "\ntopic readwrite devices/#\n");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "allow_anonymous true\nacl_file " + acl
                + "\nlistener " + plain + " 127.0.0.1\nlistener " + plain2 + " 127.0.0.1\nlistener " + tls
                + " 127.0.0.1\ncertfile " + certs.resolve("server1001.crt") + "\nkeyfile "
                + certs.resolve("server1001.key") + "\nlistener " + tls2 + " 127.0.0.1\ncertfile "
                + certs.resolve("server2002.crt") + "\nkeyfile " + certs.resolve("server2002.key") + "\ncafile "
                + certs.resolve("ca.crt") + "\nrequire_certificate true\nuse_subject_as_username true\n"
                + userLine());
        String[] subjectClient = {"-h", "127.0.0.1", "-p", Integer.toString(tls2), "--cafile",
                certs.resolve("ca.crt").toString(), "--cert", certs.resolve("subject-client.crt").toString(),
                "--key", certs.resolve("subject-client.key").toString()};

        for (List<String> broker : mosquittoThenMidge(conf)) {
            Process process = start(broker);
            try {
                for (int port : new int[] {plain, plain2, tls, tls2}) {
                    awaitListening(port, process);
                }
                String name = broker.get(0);
                List<String> sub = new ArrayList<>(List.of(subjectClient));
                sub.addAll(List.of("-t", "devices/#", "-C", "1", "-v", "-d"));
                try (MosquittoClient device = MosquittoClient.start("mosquitto_sub", sub.toArray(new String[0]))) {
                    device.awaitLine("received SUBACK", 10);
                    MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(plain2), "-t",
                            "devices/43", "-m", "anonymous may not");
                    MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(tls), "--cafile",
                            certs.resolve("ca.crt").toString(), "-t", "plain/tls", "-m", "anonymous over TLS");
                    List<String> pub = new ArrayList<>(List.of(subjectClient));
                    pub.addAll(List.of("-t", "devices/43", "-m", "by subject"));
                    MosquittoClient.publish(pub.toArray(new String[0]));
                    device.assertExits(0, 10);
                    assertEquals(List.of("devices/43 by subject"), device.output().stream()
                            .filter(line -> line.startsWith("devices/")).toList(),
                            name + ": the ACL lets the subject use devices/#, anonymous clients plain/# only");
                }
            } finally {
                stop(process);
            }
        }
    }

    @Test
    void bothRefuseAConnectionOverItsListenersMaxConnectionsWhileAnotherListenerAccepts() throws Exception {
        MosquittoClient.assertInstalled();
        int capped = MosquittoBroker.freePort();
        int open = MosquittoBroker.freePort();
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "allow_anonymous true\nlistener " + capped
                + " 127.0.0.1\nmax_connections 1\nlistener " + open + " 127.0.0.1\n" + userLine());

        for (List<String> broker : mosquittoThenMidge(conf)) {
            Process process = start(broker);
            try {
                // Both bind in the file's order; a probe of the capped port would take its one connection.
                awaitListening(open, process);
                String name = broker.get(0);
                try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                        Integer.toString(capped), "-t", "limit/#", "-C", "1", "-v", "-d")) {
                    sub.awaitLine("received SUBACK", 10);
                    try (MosquittoClient refused = MosquittoClient.start("mosquitto_pub", "-h", "127.0.0.1", "-p",
                            Integer.toString(capped), "-t", "limit/capped", "-m", "c")) {
                        assertTrue(refused.hasExited(10_000), name);
                        assertNotEquals(0, refused.exitValue(), name + ": the second connection to the capped "
                                + "listener is refused: " + refused.output());
                    }
                    MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(open), "-t", "limit/open",
                            "-m", "o");
                    sub.assertExits(0, 10);
                    assertEquals(List.of("limit/open o"), sub.output().stream()
                            .filter(line -> line.startsWith("limit/")).toList(), name);
                }
            } finally {
                stop(process);
            }
        }
    }

    @Test
    void bothServeTlsOnTheDefaultListenerDropTooLargePayloadsAndRefuseRetainedMessages() throws Exception {
        MosquittoClient.assertInstalled();
        TestCertificates.create();
        int tls = MosquittoBroker.freePort();
        int plain = MosquittoBroker.freePort();
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "allow_anonymous true\nport " + tls
                + "\nbind_address 127.0.0.1\ncertfile " + TestCertificates.DIR.resolve("server1001.crt")
                + "\nkeyfile " + TestCertificates.DIR.resolve("server1001.key") + "\nlistener " + plain
                + " 127.0.0.1\nmessage_size_limit 10\nretain_available false\n" + userLine());
        String[] overTls = {"-h", "127.0.0.1", "-p", Integer.toString(tls), "--cafile",
                TestCertificates.DIR.resolve("ca.crt").toString()};

        for (List<String> broker : mosquittoThenMidge(conf)) {
            Process process = start(broker);
            try {
                awaitListening(plain, process);
                awaitListening(tls, process);
                String name = broker.get(0);
                try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                        Integer.toString(plain), "-t", "size/#", "-C", "1", "-v", "-d")) {
                    sub.awaitLine("received SUBACK", 10);
                    try (MosquittoClient large = MosquittoClient.start("mosquitto_pub", with(overTls, "-V",
                            "mqttv5", "-q", "1", "-t", "size/large", "-m", "eleven byte"))) {
                        large.awaitLine("Publish 1 failed: Packet too large", 10);
                    }
                    MosquittoClient.publish(with(overTls, "-t", "size/small", "-m", "ten bytes!"));
                    sub.assertExits(0, 10);
                    assertEquals(List.of("size/small ten bytes!"), sub.output().stream()
                            .filter(line -> line.startsWith("size/")).toList(),
                            name + ": the default listener speaks TLS; the large payload was dropped");
                }
                MosquittoClient.publish("-h", "127.0.0.1", "-p", Integer.toString(plain), "-V", "mqttv311", "-r",
                        "-t", "kept/r", "-m", "r");
                try (MosquittoClient kept = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                        Integer.toString(plain), "-t", "kept/#", "-v", "-W", "2")) {
                    assertTrue(kept.hasExited(10_000), name);
                    assertEquals(List.of(), kept.output().stream().filter(line -> line.startsWith("kept/")).toList(),
                            name + ": nothing was retained");
                }
            } finally {
                stop(process);
            }
        }
    }

    private static String[] with(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    /** Started as root (CI), Mosquitto would switch to its own user, which cannot read the test's files. */
    private static String userLine() {
        return "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
    }

    private static List<List<String>> mosquittoThenMidge(Path conf) {
        return List.of(List.of("/usr/sbin/mosquitto", "-c", conf.toString()),
                List.of(BrokerProcess.java(), "-Dquarkus.http.port=0", "-jar", JAR.toString(), "-c", conf.toString()));
    }

    private Process start(List<String> broker) throws Exception {
        return new ProcessBuilder(broker).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.log").toFile()).start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitListening(int port, Process process) throws Exception {
        if (!Listening.await(port, process, 60)) {
            fail("no listener on " + port + ": " + Files.readString(dir.resolve("broker.log")));
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
