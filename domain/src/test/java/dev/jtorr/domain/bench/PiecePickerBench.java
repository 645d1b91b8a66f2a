package dev.jtorr.domain.bench;

import dev.jtorr.domain.picker.PiecePicker;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The picker as a download drives it: ask for 16 blocks from a peer that has everything, receive them, verify each
 * piece once all its blocks are in; 4,096 (or 65,536) pieces of 1 MiB seen by 8 peers with random availability. One
 * op = one pick of 16 blocks and their arrival; a 4 GiB download (262,144 blocks) is 16,384 such ops. The two sizes
 * show whether starting a piece costs more as the torrent has more pieces (it scanned every piece until the
 * picker kept the pieces sorted by availability).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PiecePickerBench {
    private static final int PIECE_SIZE = 1 << 20;

    @Param({"4096", "65536"})
    public int pieces;

    private final SplittableRandom random = new SplittableRandom(42);
    private Bitfield seed;
    private PiecePicker picker;

    @Setup(Level.Iteration)
    public void newDownload() {
        seed = Bitfield.full(pieces);
        picker = new PiecePicker(p -> PIECE_SIZE, new Bitfield(pieces), new PiecePicker.Options(4, false, 64));
        for (int peer = 0; peer < 8; peer++) {
            var has = new Bitfield(pieces);
            for (int p = 0; p < pieces; p++) {
                if (random.nextInt(3) > 0) {
                    has.set(p);
                }
            }
            picker.peerHas(has);
        }
        picker.peerHas(seed);
    }

    @Benchmark
    public int pickAndReceive() {
        if (picker.isComplete()) {
            newDownload();
        }
        List<BlockRequest> blocks = picker.pick(seed, 16, b -> false, random);
        for (BlockRequest b : blocks) {
            if (picker.received(b) && picker.isPieceReceived(b.piece())) {
                picker.verified(b.piece());
            }
        }
        return blocks.size();
    }
}
