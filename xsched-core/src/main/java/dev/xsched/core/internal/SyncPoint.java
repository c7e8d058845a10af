package dev.xsched.core.internal;

import dev.xsched.hip.Event;

/**
 * An event recorded after the command with sequence {@code coversSeq}: its completion completes
 * them all. {@code recordedAt} is the scheduler clock at the record, or {@link #UNTIMED} if no JFR
 * recording wanted the sync point's latency then (the clock is read only for that).
 */
record SyncPoint(Event event, long coversSeq, long recordedAt) {
    static final long UNTIMED = Long.MIN_VALUE;
}
