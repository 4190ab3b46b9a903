package dev.midge.bridge;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/** The meters of one bridge or integration, tagged with its name ({@code midge_bridge_*}). */
final class BridgeMeters {

    private BridgeMeters() {
    }

    static <T> void register(MeterRegistry meters, String name, T source, ToDoubleFunction<T> out,
            ToDoubleFunction<T> in, ToDoubleFunction<T> dropped, ToDoubleFunction<T> connected) {
        messages(meters, name, "out", source, out);
        messages(meters, name, "in", source, in);
        FunctionCounter.builder("midge.bridge.messages.dropped", source, dropped)
                .description("Outgoing messages dropped: QoS 0 while the remote broker was away, or the queue full")
                .tag("bridge", name).register(meters);
        Gauge.builder("midge.bridge.connected", source, connected)
                .description("1 while the bridge is connected to its remote broker").tag("bridge", name)
                .register(meters);
    }

    private static <T> void messages(MeterRegistry meters, String name, String direction, T source,
            ToDoubleFunction<T> value) {
        FunctionCounter.builder("midge.bridge.messages", source, value).description("Messages carried by the bridge")
                .tag("bridge", name).tag("direction", direction).register(meters);
    }
}
