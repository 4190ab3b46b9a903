package dev.midge.config.mosquitto;

import java.util.Set;

/**
 * Every option name Mosquitto 2.0 accepts. A name outside this set stops start-up, as it stops Mosquitto; a
 * name inside it that Midge has no equivalent for is only warned about.
 */
final class MosquittoOptions {

    private static final Set<String> NAMES = Set.of(
            "acl_file", "address", "addresses", "allow_anonymous", "allow_duplicate_messages",
            "allow_zero_length_clientid", "auth_plugin", "auth_plugin_deny_special_chars", "auto_id_prefix",
            "autosave_interval", "autosave_on_changes", "bind_address", "bind_interface", "bridge_alpn",
            "bridge_attempt_unsubscribe", "bridge_bind_address", "bridge_cafile", "bridge_capath",
            "bridge_certfile", "bridge_identity", "bridge_insecure", "bridge_keyfile", "bridge_max_packet_size",
            "bridge_outgoing_retain", "bridge_protocol_version", "bridge_psk", "bridge_require_ocsp",
            "bridge_tls_version", "cafile", "capath", "certfile", "check_retain_source", "ciphers",
            "ciphers_tls1.3", "cleansession", "clientid", "clientid_prefixes", "connection", "connection_messages",
            "crlfile", "dhparamfile", "http_dir", "idle_timeout", "include_dir", "keepalive_interval", "keyfile",
            "listener", "local_cleansession", "local_clientid", "local_password", "local_username", "log_dest",
            "log_facility", "log_timestamp", "log_timestamp_format", "log_type", "max_connections",
            "max_inflight_bytes", "max_inflight_messages", "max_keepalive", "max_packet_size", "max_qos",
            "max_queued_bytes", "max_queued_messages", "max_topic_alias", "memory_limit", "message_size_limit",
            "mount_point", "notification_topic", "notifications", "notifications_local_only", "password",
            "password_file", "per_listener_settings", "persistence", "persistence_file", "persistence_location",
            "persistent_client_expiration", "pid_file", "plugin", "port", "protocol", "psk_file", "psk_hint",
            "queue_qos0_messages", "remote_clientid", "remote_password", "remote_username", "require_certificate",
            "restart_timeout", "retain_available", "retry_interval", "round_robin", "set_tcp_nodelay",
            "socket_domain", "start_type", "sys_interval", "threshold", "tls_engine", "tls_engine_kpass_sha1",
            "tls_keyform", "tls_version", "topic", "try_private", "upgrade_outgoing_qos", "use_identity_as_username",
            "use_subject_as_username", "use_username_as_clientid", "user", "username", "websockets_headers_size",
            "websockets_log_level");

    private MosquittoOptions() {
    }

    static boolean isKnown(String name) {
        return NAMES.contains(name) || name.startsWith("auth_opt_") || name.startsWith("plugin_opt_");
    }
}
