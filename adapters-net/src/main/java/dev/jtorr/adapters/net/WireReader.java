package dev.jtorr.adapters.net;

import dev.jtorr.domain.wire.PeerMessage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads peer-wire messages from a socket in large reads and hands them over in batches: each call blocks until at
 * least one whole message has arrived, then returns every whole message already read. One read system call and
 * one hand-off to the session then carry many blocks, instead of a few reads and a wake-up per message.
 *
 * <p>The buffers are direct: a socket channel reads into them with no copy on the way (reading into a heap array,
 * the JDK reads into a direct buffer of its own and copies from it: 0.13 CPU seconds per GiB downloaded).
 *
 * <p>Block data is not copied: a {@link PeerMessage.Piece} holds a read-only view of the read buffer, which the
 * reader leaves alone until the batch is {@linkplain Batch#release released}. While batches are held it reads into
 * another buffer (kept for reuse, up to {@value #SPARE_BUFFERS} besides the current one; past that, made and
 * dropped). A download's blocks then cost one copy (buffer to piece) and no allocation, where a copy per block
 * allocated about as much garbage as the download's size.
 *
 * <p>Memory is the buffers (one or two while the session keeps up with the connection, at most
 * {@value #SPARE_BUFFERS} + 1 kept) plus the messages returned. A length prefix is checked against the limit before
 * anything is allocated; a message longer than the buffer (a large bitfield) is read into its own array of the
 * checked size, and a long message we do not speak is skipped without being stored.
 */
final class WireReader {
    /**
     * Buffers kept besides the current one, for reading while earlier batches are still held. A 1 GiB download
     * from one fast peer kept about ten in use (256 KiB each); with 3, over 400 more were made and dropped.
     */
    static final int SPARE_BUFFERS = 12;

    /** A read buffer and how many handed-out batches still view it. */
    private static final class Buffer {
        final ByteBuffer bytes;
        final AtomicInteger holders = new AtomicInteger();

        Buffer(int capacity) {
            this.bytes = ByteBuffer.allocateDirect(capacity);
        }
    }

    /** Messages read together; {@link #release} once their block data is no longer read (more calls do nothing). */
    static final class Batch {
        private final List<PeerMessage> messages;
        private final Buffer viewed;
        private final AtomicBoolean released = new AtomicBoolean();

        private Batch(List<PeerMessage> messages, Buffer viewed) {
            this.messages = messages;
            this.viewed = viewed;
            if (viewed != null) {
                viewed.holders.incrementAndGet();
            }
        }

        List<PeerMessage> messages() {
            return messages;
        }

        void release() {
            if (viewed != null && released.compareAndSet(false, true)) {
                viewed.holders.decrementAndGet();
            }
        }
    }

    private final ReadableByteChannel in;
    private final int maxLength;
    private final int capacity;
    private final List<Buffer> kept = new ArrayList<>();
    private Buffer current;
    private ByteBuffer buf;
    private int start;
    private int end;
    private int buffersMade;
    private volatile long lastRead = System.nanoTime();

    /** Reads from {@code in}, a channel in blocking mode (each read returns at least one byte, or -1 at the end). */
    WireReader(ReadableByteChannel in, int maxLength, int capacity) {
        this.in = in;
        this.maxLength = maxLength;
        this.capacity = capacity;
        this.current = newBuffer();
        this.kept.add(current);
        this.buf = current.bytes;
    }

    /** Blocks until at least one message is whole; returns it and every other whole message already read. */
    Batch next() throws IOException {
        var out = new ArrayList<PeerMessage>();
        boolean views = false;
        while (true) {
            while (end - start >= 4) {
                int length = buf.getInt(start);
                if (length == 0) {
                    start += 4;
                    out.add(PeerMessage.KEEP_ALIVE);
                    continue;
                }
                if (end - start < 5) {
                    break;
                }
                int id = buf.get(start + 4) & 0xff;
                PeerWireCodec.checkLength(length, id, maxLength);
                if (length > capacity - 4) {
                    if (!out.isEmpty()) {
                        return new Batch(out, views ? current : null); // what is whole, before the long read
                    }
                    start += 4;
                    out.add(readLong(length, id));
                    return new Batch(out, null);
                }
                if (end - start < 4 + length) {
                    break;
                }
                PeerMessage m = PeerWireCodec.decodeViewingBlocks(buf.slice(start + 4, length));
                views |= m instanceof PeerMessage.Piece;
                out.add(m);
                start += 4 + length;
            }
            if (!out.isEmpty()) {
                return new Batch(out, views ? current : null);
            }
            fill();
        }
    }

    /** How many read buffers this reader has made (for tests). */
    int buffersMade() {
        return buffersMade;
    }

    private Buffer newBuffer() {
        buffersMade++;
        return new Buffer(capacity);
    }

    /**
     * Reads what the socket has (at least one byte). The unread bytes move to the front of the buffer first, or,
     * when batches still view the buffer, to the front of one that none views; while they are held and there is
     * room left, the read goes after them instead.
     */
    private void fill() throws IOException {
        if (current.holders.get() == 0) {
            if (start > 0) {
                buf.put(0, buf, start, end - start);
                end -= start;
                start = 0;
            }
        } else if (capacity - end < Math.min(capacity / 4, PeerWireCodec.MAX_PIECE_MESSAGE + 4)) {
            Buffer next = freeBuffer();
            next.bytes.put(0, buf, start, end - start);
            end -= start;
            start = 0;
            current = next;
            buf = next.bytes;
        }
        buf.limit(capacity).position(end);
        int n = in.read(buf);
        if (n < 0) {
            throw new EOFException("connection closed by peer");
        }
        lastRead = System.nanoTime();
        end += n;
    }

    /** {@link System#nanoTime()} when the last read brought bytes (or when this reader was made). */
    long lastRead() {
        return lastRead;
    }

    /** A kept buffer that no batch views, or a new one (kept while fewer than the limit are). */
    private Buffer freeBuffer() {
        for (Buffer b : kept) {
            if (b != current && b.holders.get() == 0) {
                return b;
            }
        }
        Buffer made = newBuffer();
        if (kept.size() <= SPARE_BUFFERS) {
            kept.add(made);
        }
        return made;
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
        buf.get(start, message, 0, have);
        start += have;
        ByteBuffer rest = ByteBuffer.wrap(message, have, length - have);
        while (rest.hasRemaining()) {
            if (in.read(rest) < 0) {
                throw new EOFException("connection closed by peer");
            }
            lastRead = System.nanoTime();
        }
        return PeerWireCodec.decode(ByteBuffer.wrap(message));
    }
}
