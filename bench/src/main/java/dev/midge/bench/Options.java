package dev.midge.bench;

/** What a scenario run is asked for; each field is a {@code --name value} option of the command line. */
final class Options {
    String host = "127.0.0.1";
    int port = 1883;
    /** The port subscribers connect to, when not {@link #port}: another node of a cluster. */
    int subscriberPort = -1;
    int qos = 0;
    int payload = 64;
    int publishers = 4;
    int subscribers = 4;
    int topics = 4;
    /** Messages per publisher. */
    int messages = 50_000;
    /** Unacknowledged QoS 1/2 publishes per publisher. */
    int window = 100;
    /** Messages per second, for the latency scenario. */
    int rate = 1_000;
    int connections = 10_000;
    /** Connections open when the connections scenario takes its first figures; 0: before the first one. */
    int baseline;
    /** Seconds the broker gets before each memory figure of the idle-client scenarios. */
    int settle;
    /** Seconds the idle-client scenarios keep their clients open after the last figure. */
    int hold;
    /** Loopback source addresses the connections scenario spreads its clients over, 127.0.0.1 up. */
    int sourceAddresses = 1;
    int threads = 1;
    /** Hard limit on one run's wall time, in seconds. */
    int deadline = 60;
    /** The subscriber reads slowly, for the overload scenario. */
    boolean slowSubscriber;
    /** Subscribers keep their sessions (clean session 0), so a broker with persistence stores their messages. */
    boolean persistentSessions;
    /** One client floods among the others, for the flooder scenario. */
    boolean flood;
    /** Connect over TLS, for the handshakes scenario. */
    boolean tls;
    /** The broker's PID, for CPU and memory figures; 0 when unknown. */
    long brokerPid;
    /** Topic filters one client subscribes to, for the subscriptions scenario. */
    int filters = 100_000;
    /** Whole packet size in bytes, for the trickle and property-flood scenarios. */
    int packetSize = 1_048_576;
    /** Also measure the broker's used heap after a full GC (jcmd), which takes a second or two each time. */
    boolean heap;
    /** A name for the broker in the result line. */
    String label = "broker";

    static Options parse(String[] args, int from) {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--slow-subscriber")) {
                o.slowSubscriber = true;
                continue;
            }
            if (name.equals("--heap")) {
                o.heap = true;
                continue;
            }
            if (name.equals("--flood")) {
                o.flood = true;
                continue;
            }
            if (name.equals("--tls")) {
                o.tls = true;
                continue;
            }
            if (name.equals("--persistent-sessions")) {
                o.persistentSessions = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String v = args[++i];
            switch (name) {
                case "--host" -> o.host = v;
                case "--port" -> o.port = Integer.parseInt(v);
                case "--subscriber-port" -> o.subscriberPort = Integer.parseInt(v);
                case "--qos" -> o.qos = Integer.parseInt(v);
                case "--payload" -> o.payload = Math.max(20, Integer.parseInt(v));
                case "--publishers" -> o.publishers = Integer.parseInt(v);
                case "--subscribers" -> o.subscribers = Integer.parseInt(v);
                case "--topics" -> o.topics = Integer.parseInt(v);
                case "--messages" -> o.messages = Integer.parseInt(v);
                case "--window" -> o.window = Integer.parseInt(v);
                case "--rate" -> o.rate = Integer.parseInt(v);
                case "--connections" -> o.connections = Integer.parseInt(v);
                case "--threads" -> o.threads = Integer.parseInt(v);
                case "--deadline" -> o.deadline = Integer.parseInt(v);
                case "--broker-pid" -> o.brokerPid = Long.parseLong(v);
                case "--filters" -> o.filters = Integer.parseInt(v);
                case "--packet-size" -> o.packetSize = Integer.parseInt(v);
                case "--baseline" -> o.baseline = Integer.parseInt(v);
                case "--settle" -> o.settle = Integer.parseInt(v);
                case "--hold" -> o.hold = Integer.parseInt(v);
                case "--source-addresses" -> o.sourceAddresses = Integer.parseInt(v);
                case "--label" -> o.label = v;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return o;
    }

    int subscriberPort() {
        return subscriberPort > 0 ? subscriberPort : port;
    }
}
