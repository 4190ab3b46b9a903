#!/bin/sh
# Installs the packaged broker (target/quarkus-app) as the midge system service. Run as root from the
# repository after `./mvnw -B package -DskipTests`. It stops and disables mosquitto.service if it runs, since
# both serve the same ports from the same configuration.
set -eu
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (it creates the midge user and installs a systemd unit)" >&2
    exit 1
fi
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "install.sh: build first: ./mvnw -B package -DskipTests" >&2
    exit 1
fi

id midge >/dev/null 2>&1 || useradd --system --home-dir /var/lib/mosquitto --shell /usr/sbin/nologin midge
# The stock configuration's password and ACL files belong to the mosquitto group: let midge read them.
if getent group mosquitto >/dev/null; then
    usermod -a -G mosquitto midge
fi

rm -rf /opt/midge/quarkus-app
mkdir -p /opt/midge/docs
cp -r target/quarkus-app /opt/midge/
cp docs/mosquitto.md /opt/midge/docs/

# persistence_location and log_dest of the stock configuration.
for dir in /var/lib/mosquitto /var/log/mosquitto; do
    mkdir -p "$dir"
    chown midge:midge "$dir"
    find "$dir" -maxdepth 1 -type f -exec chown midge:midge {} +
done

install -m 0644 packaging/systemd/midge.service /etc/systemd/system/midge.service
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if systemctl is-active --quiet mosquitto; then
        systemctl stop mosquitto
    fi
    systemctl disable mosquitto >/dev/null 2>&1 || true
    systemctl enable midge
    echo "Installed. Start it with: service midge start"
else
    echo "Installed /etc/systemd/system/midge.service; systemd is not running here, so nothing was started."
fi
