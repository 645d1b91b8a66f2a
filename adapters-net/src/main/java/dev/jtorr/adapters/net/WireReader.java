package dev.jtorr.adapters.net;

import dev.jtorr.domain.wire.PeerMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads peer-wire messages from a socket in large reads and hands them over in batches: each call blocks until at
 * least one whole message has arrived, then returns every whole message already read. One read system call and
 * one hand-off to the session then carry many blocks, instead of a few reads and a wake-up per message.
 *
 * <p>Memory is the buffer plus the messages returned. A length prefix is checked against the limit before anything
 * is allocated; a message longer than the buffer (a large bitfield) is read into its own array of the checked size,
 * and a long message we do not speak is skipped without being stored.
 */
final class WireReader {
    private final InputStream in;
    private final int maxLength;
    private final byte[] buf;
    private int start;
    private int end;

    WireReader(InputStream in, int maxLength, int capacity) {
        this.in = in;
        this.maxLength = maxLength;
        this.buf = new byte[capacity];
    }

    /** Blocks until at least one message is whole; returns it and every other whole message already read. */
    List<PeerMessage> next() throws IOException {
        var out = new ArrayList<PeerMessage>();
        while (true) {
            while (end - start >= 4) {
                int length = ByteBuffer.wrap(buf, start, 4).getInt();
                if (length == 0) {
                    start += 4;
                    out.add(PeerMessage.KEEP_ALIVE);
                    continue;
                }
                if (end - start < 5) {
                    break;
                }
                int id = buf[start + 4] & 0xff;
                PeerWireCodec.checkLength(length, id, maxLength);
                if (length > buf.length - 4) {
                    if (!out.isEmpty()) {
                        return out; // deliver what is whole before the long read
                    }
                    start += 4;
                    out.add(readLong(length, id));
                    return out;
                }
                if (end - start < 4 + length) {
                    break;
                }
                out.add(PeerWireCodec.decode(ByteBuffer.wrap(buf, start + 4, length)));
                start += 4 + length;
            }
            if (!out.isEmpty()) {
                return out;
            }
            fill();
        }
    }

    /** Reads what the socket has (at least one byte), after moving the unread bytes to the front. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            throw new EOFException("connection closed by peer");
        }
        end += n;
    }

    /** A message longer than the buffer, whose length prefix has been consumed and checked. */
    private PeerMessage readLong(int length, int id) throws IOException {
        if (PeerWireCodec.isUnknown(id)) {
            long left = length;
            while (left > 0) {
                if (start == end) {
                    start = 0;
                    end = 0;
                    fill();
                }
                int n = (int) Math.min(left, end - start);
                start += n;
                left -= n;
            }
            return new PeerMessage.Unknown(id, length - 1);
        }
        byte[] message = new byte[length];
        int have = Math.min(length, end - start);
        System.arraycopy(buf, start, message, 0, have);
        start += have;
        int off = have;
        while (off < length) {
            int n = in.read(message, off, length - off);
            if (n < 0) {
                throw new EOFException("connection closed by peer");
            }
            off += n;
        }
        return PeerWireCodec.decode(ByteBuffer.wrap(message));
    }
}
