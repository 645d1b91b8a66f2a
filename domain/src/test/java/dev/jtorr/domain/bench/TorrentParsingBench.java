package dev.jtorr.domain.bench;

import dev.jtorr.domain.bencode.BValue;
import dev.jtorr.domain.bencode.BencodeDecoder;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.MetainfoParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * Reading a large v1 torrent: a folder of {@code files} files and 16,384 pieces (a 4 GiB torrent with 256 KiB
 * pieces, 320 KB of piece hashes): the strict bencode decoder alone, and the whole metainfo parse with its checks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TorrentParsingBench {
    private static final int PIECES = 16_384;
    private static final long PIECE_LENGTH = 256 * 1024;

    @Param({"1", "2000"})
    int files;

    private byte[] torrent;

    @Setup
    public void makeTorrent() {
        long total = PIECES * PIECE_LENGTH;
        var out = new ByteArrayOutputStream();
        out.writeBytes(ascii("d4:infod"));
        if (files == 1) {
            out.writeBytes(ascii("6:lengthi" + total + "e"));
        } else {
            out.writeBytes(ascii("5:filesl"));
            long each = total / files;
            for (int f = 0; f < files; f++) {
                long length = f == files - 1 ? total - each * (files - 1) : each;
                String name = String.format("file-%05d.bin", f);
                out.writeBytes(ascii("d6:lengthi" + length + "e4:pathl6:folder" + name.length() + ":" + name + "ee"));
            }
            out.writeBytes(ascii("e"));
        }
        out.writeBytes(ascii("4:name5:bench12:piece lengthi" + PIECE_LENGTH + "e6:pieces" + PIECES * 20 + ":"));
        byte[] hashes = new byte[PIECES * 20];
        new Random(3).nextBytes(hashes);
        out.writeBytes(hashes);
        out.writeBytes(ascii("ee"));
        torrent = out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public BValue bencodeDecode() {
        return BencodeDecoder.decode(torrent);
    }

    @Benchmark
    public Metainfo metainfoParse() {
        return MetainfoParser.parse(torrent);
    }
}
