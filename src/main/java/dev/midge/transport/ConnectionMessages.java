package dev.midge.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jboss.logging.Logger;

/**
 * {@code midge.log.connection-messages}: the lines Mosquitto logs as clients come and go, worded as Mosquitto
 * words them, so that operators moving over keep their log searches. It watches the packets pass and changes
 * nothing.
 */
final class ConnectionMessages extends ChannelDuplexHandler {

    private static final Logger LOG = Logger.getLogger("dev.midge.connections");

    private String clientId;
    private String details;
    private boolean connected;
    private boolean disconnecting;
    private boolean notAuthorised;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.infof("New connection from %s on port %d.", address(ctx.channel().remoteAddress()),
                port(ctx.channel().localAddress()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttConnectMessage connect && clientId == null) {
            clientId = connect.payload().clientIdentifier();
            int level = connect.variableHeader().version();
            String user = connect.variableHeader().hasUserName() ? ", u'" + connect.payload().userName() + "'" : "";
            details = "(p" + (level == 4 ? 2 : level) + ", c" + (connect.variableHeader().isCleanSession() ? 1 : 0)
                    + ", k" + connect.variableHeader().keepAliveTimeSeconds() + user + ")";
        } else if (msg instanceof MqttMessage message && message.fixedHeader() != null
                && message.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
            disconnecting = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttConnAckMessage connAck && !connected && details != null) {
            MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
            if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                connected = true;
                MqttProperties.MqttProperty<?> assigned = connAck.variableHeader().properties()
                        .getProperty(MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value());
                if (assigned != null) {
                    clientId = (String) assigned.value();
                }
                LOG.infof("New client connected from %s as %s %s.", address(ctx.channel().remoteAddress()),
                        clientId.isEmpty() ? "<generated>" : clientId, details);
            } else {
                notAuthorised = true;
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String id = clientId == null || clientId.isEmpty() ? "<unknown>" : clientId;
        if (connected && disconnecting) {
            LOG.infof("Client %s disconnected.", id);
        } else if (notAuthorised) {
            LOG.infof("Client %s disconnected, not authorised.", id);
        } else {
            LOG.infof("Client %s closed its connection.", id);
        }
        ctx.fireChannelInactive();
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static int port(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }
}
