package dev.xsched.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The state changes that client B of {@code xsched bench ipc} reports on its standard output, one
 * line each: {@code S <nanoTime>} when its queue was suspended, {@code R <nanoTime>} when resumed.
 * A daemon thread reads the lines, so that a wait for the next one is bounded: a peer that stops
 * reporting fails the benchmark instead of hanging it. The thread closes the reader at its end.
 */
final class PeerStates {
    private record Line(String text) {
    }

    private static final Line END = new Line(null);

    private final LinkedBlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final BufferedReader in;
    private long skipped;

    PeerStates(BufferedReader in) {
        this.in = in;
        Thread.ofPlatform().daemon().name("bench-ipc-peer-reader").start(this::readAll);
    }

    private void readAll() {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(new Line(line));
            }
        } catch (IOException e) {
            // The peer's pipe broke: the same as its end for whoever waits.
        } finally {
            lines.add(END);
            try {
                in.close();
            } catch (IOException e) {
                // Nothing is read from it any more.
            }
        }
    }

    /**
     * The next line, whatever it says.
     *
     * @throws IOException if the peer ended or said nothing within {@code timeout}
     */
    String nextLine(Duration timeout) throws IOException, InterruptedException {
        Line line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IOException("the peer process said nothing for " + timeout.toSeconds() + " s");
        }
        if (line == END) {
            lines.add(END); // every later wait sees the end too
            throw new IOException("the peer process ended");
        }
        return line.text();
    }

    /**
     * Waits for a state change of {@code kind} ({@code "S"} or {@code "R"}) stamped at or after
     * {@code notBefore} and returns its time. Changes stamped earlier belong to an earlier round
     * (a suspend applied twice, a resume that came late): read as this round's they would give a
     * latency below zero, as the H200 showed in round 4 (minima of -46 and -55 us); they are
     * skipped and counted.
     *
     * @throws IOException if the peer ended or reported nothing for {@code timeout}
     */
    long await(String kind, long notBefore, Duration timeout) throws IOException, InterruptedException {
        while (true) {
            String line = nextLine(timeout);
            if (line.startsWith(kind + " ")) {
                long at = Long.parseLong(line.substring(kind.length() + 1).trim());
                if (at >= notBefore) {
                    return at;
                }
                skipped++;
            }
        }
    }

    /** State changes skipped so far because they predated the round they were read in. */
    long skipped() {
        return skipped;
    }
}
