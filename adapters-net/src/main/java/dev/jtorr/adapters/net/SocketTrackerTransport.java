package dev.jtorr.adapters.net;

import dev.jtorr.application.port.out.NetworkException;
import dev.jtorr.application.port.out.TrackerTransport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;

/** {@link TrackerTransport} on plain sockets: {@link HttpTrackerServer} and {@link UdpTrackerServer}. */
final class SocketTrackerTransport implements TrackerTransport {
    private final NetConfig config;

    @Inject
    SocketTrackerTransport(NetConfig config) {
        this.config = config;
    }

    private InetAddress bindAddress(String requested) throws IOException {
        String host = requested.isEmpty() ? config.bindAddress() : requested;
        return host.isEmpty() ? null : InetAddress.getByName(host);
    }

    @Override
    public Listening listenHttp(String bindAddress, int port, Requests requests) {
        try {
            var server = new ServerSocket();
            try {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(bindAddress(bindAddress), port), 1024);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            return new HttpTrackerServer(server, requests);
        } catch (IOException e) {
            throw new NetworkException("cannot serve HTTP on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Listening listenUdp(String bindAddress, int port, Requests requests) {
        try {
            var channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(bindAddress(bindAddress), port));
                return new UdpTrackerServer(channel, requests);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new NetworkException("cannot serve UDP on port " + port + ": " + e.getMessage(), e);
        }
    }
}
