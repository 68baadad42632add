package dev.whereabouts.cni.launcher.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Sends one call to the node daemon over its UNIX socket. */
public final class DaemonClient {

    private DaemonClient() {
    }

    /** Thrown when the daemon accepted the call but the exchange broke: the outcome is unknown. */
    public static final class BrokenCall extends IOException {
        private static final long serialVersionUID = 1L;

        BrokenCall(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * The daemon's reply, or empty when no daemon listens (no socket file, nobody accepting). Those
     * two cases are safe to run in-process: the daemon never saw the call.
     */
    public static Optional<Frames.Reply> call(Path socket, Frames.Request request) throws BrokenCall {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return Optional.empty();
        }
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (ConnectException | NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                // permission denied or a path that is not a socket: no daemon we may use
                return Optional.empty();
            }
            try {
                Frames.write(ch, Frames.encodeRequest(request));
                return Optional.of(Frames.decodeReply(Frames.read(ch)));
            } catch (IOException e) {
                throw new BrokenCall(e);
            }
        } catch (IOException e) {
            throw e instanceof BrokenCall b ? b : new BrokenCall(e);
        }
    }
}
