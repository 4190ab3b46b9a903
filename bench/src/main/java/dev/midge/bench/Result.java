package dev.midge.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One run's figures, printed as a single JSON line. */
final class Result {

    final Map<String, Object> fields = new LinkedHashMap<>();

    Result(String scenario, Options o) {
        fields.put("scenario", scenario);
        fields.put("broker", o.label);
    }

    Result put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    long getLong(String name) {
        return ((Number) fields.get(name)).longValue();
    }

    double getDouble(String name) {
        return ((Number) fields.get(name)).doubleValue();
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name).append("\":");
            if (value instanceof Double d) {
                json.append(String.format(Locale.ROOT, "%.3f", d));
            } else if (value instanceof Number || value instanceof Boolean) {
                json.append(value);
            } else {
                json.append('"').append(value).append('"');
            }
        });
        return json.append('}').toString();
    }
}
