package dev.midge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every benchmark scenario at tiny counts against the broker, so the harness cannot rot. No timing checks. */
@QuarkusTest
@Timeout(120)
class BenchSmokeTest {

    @Inject
    MqttListener listener;

    private Options options(String... args) {
        Options o = Options.parse(args, 0);
        o.port = listener.port();
        o.brokerPid = ProcessHandle.current().pid();
        o.deadline = 30;
        return o;
    }

    @Test
    void throughputAtEachQosCountsEveryMessage() throws Exception {
        for (int qos = 1; qos <= 2; qos++) {
            Result r = Scenarios.run("throughput", options("--qos", String.valueOf(qos), "--publishers", "2",
                    "--subscribers", "2", "--topics", "3", "--messages", "50"));
            assertEquals(200, r.getLong("expected"));
            assertEquals(200, r.getLong("received"), r.toJson());
            assertEquals(0, r.getLong("lost"));
            assertEquals(0, r.getLong("duplicates"));
            assertTrue(r.getDouble("broker_cpu_s") >= 0);
        }
        Result qos0 = Scenarios.run("throughput", options("--qos", "0", "--publishers", "1", "--subscribers", "1",
                "--messages", "20"));
        assertEquals(20, qos0.getLong("expected"));
        assertTrue(qos0.getLong("received") <= 20);
    }

    @Test
    void fanInWithASlowSubscriberLosesNothingAtQos1() throws Exception {
        Result r = Scenarios.run("fanin", options("--qos", "1", "--publishers", "8", "--subscribers", "1",
                "--topics", "1", "--messages", "50", "--slow-subscriber"));
        assertEquals(400, r.getLong("received"), r.toJson());
        assertEquals(0, r.getLong("lost"));
    }

    @Test
    void fanOutReachesEverySubscriber() throws Exception {
        Result r = Scenarios.run("fanout", options("--qos", "1", "--publishers", "1", "--subscribers", "10",
                "--topics", "1", "--messages", "20"));
        assertEquals(200, r.getLong("received"), r.toJson());
    }

    @Test
    void latencyPercentilesAreOrdered() throws Exception {
        Result r = Scenarios.run("latency", options("--qos", "1", "--messages", "200", "--rate", "1000"));
        assertEquals(200, r.getLong("received"), r.toJson());
        double p50 = r.getDouble("p50_us");
        double p99 = r.getDouble("p99_us");
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= r.getDouble("p999_us") && r.getDouble("p999_us") <= r.getDouble(
                "max_us"), r.toJson());
    }

    @Test
    void theFlooderScenarioTimesEveryWellBehavedMessageWithAndWithoutTheFlood() throws Exception {
        for (boolean flood : new boolean[] {false, true}) {
            Options o = options("--qos", "1", "--publishers", "5", "--rate", "500", "--messages", "20");
            o.flood = flood;
            Result r = Scenarios.run("flooder", o);
            assertEquals(100, r.getLong("received"), r.toJson());
            assertEquals(0, r.getLong("lost"));
            assertTrue(r.getDouble("p50_us") > 0 && r.getDouble("p50_us") <= r.getDouble("p99_us"), r.toJson());
            assertEquals(flood, r.getLong("flood_delivered") > 0, r.toJson());
        }
    }

    @Test
    void connectionsReportMemoryPerConnection() throws Exception {
        Result r = Scenarios.run("connections", options("--connections", "20"));
        assertEquals(20, r.getLong("connections"));
        assertTrue(r.fields.containsKey("rss_bytes_per_connection"));
    }

    @Test
    void connectionsCountFromTheirBaselineOverTwoSourceAddresses() throws Exception {
        Result r = Scenarios.run("connections", options("--connections", "20", "--baseline", "10",
                "--source-addresses", "2"));
        assertEquals(20, r.getLong("connections"), r.toJson());
        assertEquals(10, r.getLong("baseline_connections"), r.toJson());
        assertTrue(r.getLong("rss_kib_at_baseline") > 0, r.toJson());
    }

    @Test
    void idleReportsResidentMemoryWithOneClient() throws Exception {
        Result r = Scenarios.run("idle", options());
        assertTrue(r.getDouble("rss_mib") > 0, r.toJson());
    }

    /** The hostile-client scenarios at tiny counts and short deadlines; the limits' own tests check the limits. */
    @Test
    void exhaustionScenariosRunAndReport() throws Exception {
        Result idle = Scenarios.run("idle-sockets", shortOptions(3, "--connections", "5"));
        assertEquals(5, idle.getLong("sockets"), idle.toJson());
        assertTrue(idle.fields.containsKey("rss_bytes_per_socket"), idle.toJson());
        Result slow = Scenarios.run("slow-readers", shortOptions(4, "--subscribers", "2", "--messages", "50",
                "--payload", "20"));
        assertTrue(slow.getLong("published") <= 50, slow.toJson());
        Result subscriptions = Scenarios.run("subscriptions", shortOptions(20, "--filters", "250"));
        assertEquals(250, subscriptions.getLong("granted") + subscriptions.getLong("refused"), subscriptions.toJson());
        Result deep = Scenarios.run("deep-topic", shortOptions(20, "--messages", "2"));
        assertEquals(2, deep.getLong("publishes"), deep.toJson());
        Result retained = Scenarios.run("retained", shortOptions(20, "--messages", "30", "--payload", "20"));
        assertEquals(30, retained.getLong("received"), retained.toJson());
        Result trickle = Scenarios.run("trickle", shortOptions(4, "--connections", "2", "--packet-size", "1000"));
        assertEquals(2, trickle.getLong("clients"), trickle.toJson());
        Result flood = Scenarios.run("property-flood", shortOptions(20, "--messages", "1", "--packet-size", "5000"));
        assertEquals(1, flood.getLong("delivered") + flood.getLong("refused"), flood.toJson());
    }

    private Options shortOptions(int deadline, String... args) {
        Options o = options(args);
        o.deadline = deadline;
        return o;
    }

    /** Over plain TCP here; compare.sh adds --tls against brokers with a TLS listener. */
    @Test
    void handshakesCountEveryLogin() throws Exception {
        Result r = Scenarios.run("handshakes", options("--connections", "10", "--threads", "2"));
        assertEquals(10, r.getLong("logins"), r.toJson());
        assertEquals(0, r.getLong("failed"));
        assertTrue(r.getDouble("broker_cpu_ms_per_login") >= 0);
    }

    @Test
    void summarizeMakesMediansAndRatios() {
        String table = Bench.summarize(List.of(
                "{\"case\":\"c\",\"metric\":\"m\",\"broker\":\"midge\",\"m\":4.0}",
                "{\"case\":\"c\",\"metric\":\"m\",\"broker\":\"midge\",\"m\":6.0}",
                "{\"case\":\"c\",\"metric\":\"m\",\"broker\":\"midge\",\"m\":100.0}",
                "{\"case\":\"c\",\"metric\":\"m\",\"broker\":\"mosquitto\",\"m\":3.0}"));
        assertTrue(table.contains("6.00"), table);
        assertTrue(table.contains("2.00"), table);
    }
}
