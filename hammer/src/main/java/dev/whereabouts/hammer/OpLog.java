package dev.whereabouts.hammer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's journal of what it asked and what it was told. Every line is handed to the kernel with
 * one write before the operation starts and after it returns, so a kill -9 leaves a begin without an
 * end, never an end that the plugin did not give. No fsync: a killed process loses nothing the
 * kernel already holds, and the hammer kills processes, not the machine.
 */
final class OpLog implements AutoCloseable {

    enum Op { ADD, DEL }

    /** One line: a begin ({@code outcome == null}) or an end. */
    record Entry(boolean begin, long nanos, long seq, Op op, String containerId, String ifName,
            String outcome, String ip) {
        boolean ok() {
            return "OK".equals(outcome);
        }
    }

    private final FileChannel channel;

    OpLog(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    void begin(long seq, Op op, String containerId, String ifName) throws IOException {
        write("B " + now() + " " + seq + " " + op + " " + containerId + " " + ifName + "\n");
    }

    void end(long seq, Op op, String containerId, String ifName, String outcome, String ip) throws IOException {
        write("E " + now() + " " + seq + " " + op + " " + containerId + " " + ifName + " " + outcome + " " + ip + "\n");
    }

    private void write(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Reads a journal; a torn last line (killed mid-write) is dropped. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String[] lines = text.split("\n", -1);
        int complete = text.endsWith("\n") ? lines.length - 1 : lines.length - 1;
        for (int i = 0; i < complete; i++) {
            String[] f = lines[i].split(" ");
            boolean begin = f[0].equals("B");
            out.add(new Entry(begin, Long.parseLong(f[1]), Long.parseLong(f[2]), Op.valueOf(f[3]), f[4], f[5],
                    begin ? null : f[6], begin ? null : f[7]));
        }
        return out;
    }
}
