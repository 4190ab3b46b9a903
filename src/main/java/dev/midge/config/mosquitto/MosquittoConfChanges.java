package dev.midge.config.mosquitto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings a {@code mosquitto.conf} gives now that differ from those it gave when it was last applied, as
 * SIGHUP finds them: each key with its new setting, or null where the file no longer sets it.
 */
public final class MosquittoConfChanges {

    private MosquittoConfChanges() {
    }

    /**
     * Reads and maps the source's file again. A file Mosquitto would refuse throws
     * {@link MosquittoConfException}, and the source is left as it was.
     */
    public static Map<String, MappedConf.Setting> reread(MosquittoConfSource source) {
        boolean root = "root".equals(System.getProperty("user.name"));
        MappedConf now = MosquittoConfMapping.map(MosquittoConfReader.read(source.file()), root);
        return between(source.settings(), now.settings());
    }

    static Map<String, MappedConf.Setting> between(Map<String, MappedConf.Setting> before,
            Map<String, MappedConf.Setting> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        Map<String, MappedConf.Setting> changed = new LinkedHashMap<>();
        for (String key : keys) {
            MappedConf.Setting was = before.get(key);
            MappedConf.Setting is = after.get(key);
            if (was == null || is == null || !was.value().equals(is.value())) {
                changed.put(key, is);
            }
        }
        return changed;
    }
}
