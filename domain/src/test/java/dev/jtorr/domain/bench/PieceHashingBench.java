package dev.jtorr.domain.bench;

import dev.jtorr.domain.piece.PieceHasher;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashing one piece, as create, verify and every downloaded piece do: SHA-1 (v1) and the SHA-256 merkle subtree
 * (v2). Piece bytes per second = ops/s x piece size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PieceHashingBench {
    @Param({"262144", "1048576"})
    int pieceSize;

    private final PieceHasher hasher = new PieceHasher();
    private ByteBuffer piece;

    @Setup
    public void setUp() {
        byte[] data = new byte[pieceSize];
        new Random(1).nextBytes(data);
        piece = ByteBuffer.wrap(data);
    }

    @Benchmark
    public byte[] sha1() {
        return hasher.sha1(piece);
    }

    @Benchmark
    public byte[] v2MerkleSubtree() {
        return hasher.v2(piece, 1L << 30, pieceSize);
    }
}
